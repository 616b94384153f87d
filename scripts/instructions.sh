#!/usr/bin/env bash
# Instructions per pass of each text → items stage, counted by callgrind: a measure that
# the load on the machine does not move (wall-clock figures on a shared 2-core guest move
# by 10–20 % from run to run), for comparing two builds of one stage.
#
# Usage: scripts/instructions.sh [FILE_OR_DIR...]
#   default: the sample corpus's Markdown letters and, when there, ../shared/real-letters
#   (the text set of goal 2 in scripts/bench.sh).
#
# Each stage runs with `examples/stages --only STAGE --passes N` under
# `valgrind --tool=callgrind --toggle-collect=FUNCTION` for N = 2 and N = 6; one pass is
# the difference over 4, so the warm-up calls (and the lazy compiling of rule patterns on
# first use) drop out.
set -uo pipefail
cd "$(dirname "$0")/.."
root="$PWD"

if ! command -v valgrind >/dev/null; then
    echo "instructions.sh: valgrind is not installed (Debian: apt-get install valgrind)" >&2
    exit 2
fi
cargo build --release --example stages --quiet || exit 2
stages="$root/target/release/examples/stages"

files=("$@")
if [[ ${#files[@]} -eq 0 ]]; then
    files=("$root"/corpus/*/*.md)
    if [[ -d "$root/../shared/real-letters" ]]; then
        files+=("$root"/../shared/real-letters/*.md)
    fi
fi

# Instructions of FUNCTION (and what it calls) over a run of STAGE with N passes.
count() {
    local stage=$1 function=$2 passes=$3
    valgrind --tool=callgrind --callgrind-out-file=/dev/null --toggle-collect="$function" \
        "$stages" --only "$stage" --passes "$passes" "${files[@]}" 2>&1 >/dev/null |
        awk '/Collected/ { print $4 }'
}

bytes=$("$stages" --only none --passes 1 "${files[@]}" | awk '/MB of text/ { gsub(/\(/, "", $(NF-1)); print $(NF-1) }')
printf '%-10s %14s %12s\n' stage instructions per-byte
total=0
for pair in layout:byrde::layout::layout segment:byrde::segment::segment \
    meta:byrde::meta::detect classify:byrde::classify::classify \
    measure:byrde::measure::measure; do
    stage=${pair%%:*}
    function=${pair#*:}
    two=$(count "$stage" "$function" 2)
    six=$(count "$stage" "$function" 6)
    if [[ -z "$two" || -z "$six" ]]; then
        echo "instructions.sh: no count for $stage" >&2
        exit 1
    fi
    pass=$(((six - two) / 4))
    total=$((total + pass))
    printf '%-10s %14d %12.0f\n' "$stage" "$pass" "$(awk -v p=$pass -v b=$bytes 'BEGIN { print p / b }')"
done
printf '%-10s %14d %12.0f\n' "text→items" "$total" "$(awk -v p=$total -v b=$bytes 'BEGIN { print p / b }')"
