#!/usr/bin/env bash
# Peak memory (RSS) and time of byrde on a 1,000-page PDF and on generated Markdown of 100,
# 200 and 400 MB, for the README's "Limits and failure behaviour" section. The inputs are
# generated, never committed.
#
#   scripts/measure-large-inputs.sh [OUT_DIR [SIZE_MB ...]]   (default /tmp/byrde-large 100 200 400)
#
# Needs: python3, GNU time (/usr/bin/time), a release build (cargo build --release). Run it
# on an otherwise idle machine: the times are wall-clock.
set -euo pipefail
cd "$(dirname "$0")/.."

out="${1:-/tmp/byrde-large}"
shift || true
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100 200 400)
bin=target/release/byrde
[ -x "$bin" ] || cargo build --release
missing=0
[ -f "$out/large-1000-pages.pdf" ] || missing=1
for mb in "${sizes[@]}"; do
  [ -f "$out/large-${mb}mb.md" ] && [ -f "$out/large-${mb}mb-same.md" ] || missing=1
done
[ "$missing" = 0 ] || python3 scripts/make-large-inputs.py "$out" "${sizes[@]}"
ls -l "$out"

measure() {
  local label="$1"
  shift
  /usr/bin/time -f "%M %e" -o "$out/time.txt" "$@" > "$out/stdout.txt" 2> "$out/stderr.txt" || true
  read -r kb secs < <(tail -n 1 "$out/time.txt")
  printf '%-52s peak RSS %6d MiB  %7.1f s\n' "$label" $((kb / 1024)) "$secs"
}

# The items reported (the counts of the last --format json run).
items() {
  python3 -c 'import json, sys; d = json.load(open(sys.argv[1]))["documents"][0]["summary"]; print("  items reported:", sum(d["counts"].values()))' "$out/stdout.txt"
}

# The whole run (the parent's peak; GNU time also counts a waited-for worker's).
measure "analyse large-1000-pages.pdf" "$bin" analyse --format json --items "$out/large-1000-pages.pdf"
# The PDF worker alone (extraction, in its own process and memory limit).
measure "  worker (__read-pdf) alone" "$bin" __read-pdf --timeout 600 --max-memory 2048 "$out/large-1000-pages.pdf"
for mb in "${sizes[@]}"; do
  f="$out/large-${mb}mb.md"
  measure "large-${mb}mb.md --format json" "$bin" analyse --format json --timeout 600 "$f"
  items
  measure "large-${mb}mb.md --format json --items" "$bin" analyse --format json --items --timeout 600 "$f"
  measure "large-${mb}mb.md --format jsonl --items" "$bin" analyse --format jsonl --items --timeout 600 "$f"
  measure "large-${mb}mb-same.md --format json" "$bin" analyse --format json --timeout 600 "$out/large-${mb}mb-same.md"
  items
  measure "large-${mb}mb-same.md --format json --items" "$bin" analyse --format json --items --timeout 600 "$out/large-${mb}mb-same.md"
done
head -c 300 "$out/stderr.txt"
