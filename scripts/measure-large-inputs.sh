#!/usr/bin/env bash
# Peak memory (RSS) and time of byrde on a 1,000-page PDF and a 100 MB text file, for the
# README's "Limits and failure behaviour" section. The inputs are generated, never committed.
#
#   scripts/measure-large-inputs.sh [OUT_DIR]     (default /tmp/byrde-large)
#
# Needs: python3, GNU time (/usr/bin/time), a release build (cargo build --release).
set -euo pipefail
cd "$(dirname "$0")/.."

out="${1:-/tmp/byrde-large}"
bin=target/release/byrde
[ -x "$bin" ] || cargo build --release
[ -f "$out/large-1000-pages.pdf" ] && [ -f "$out/large-100mb.md" ] ||
  python3 scripts/make-large-inputs.py "$out"
ls -l "$out"

measure() {
  local label="$1"
  shift
  /usr/bin/time -f "%M %e" -o "$out/time.txt" "$@" > "$out/stdout.txt" 2> "$out/stderr.txt" || true
  read -r kb secs < <(tail -n 1 "$out/time.txt")
  printf '%-44s peak RSS %6d MiB  %7.1f s\n' "$label" $((kb / 1024)) "$secs"
}

# The whole run (the parent's peak; GNU time also counts a waited-for worker's).
measure "analyse large-1000-pages.pdf" "$bin" analyse --format json --items "$out/large-1000-pages.pdf"
# The PDF worker alone (extraction, in its own process and memory limit).
measure "  worker (__read-pdf) alone" "$bin" __read-pdf --timeout 600 --max-memory 2048 "$out/large-1000-pages.pdf"
measure "analyse large-100mb.md" "$bin" analyse --format json --timeout 600 "$out/large-100mb.md"
head -c 300 "$out/stderr.txt"
