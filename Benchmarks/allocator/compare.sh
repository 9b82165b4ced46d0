#!/usr/bin/env bash
# glibc malloc against jemalloc (the package trait `Jemalloc`) on the same jobs: wall time and peak RSS, median
# of N runs, written to Reports/baselines/allocator.md.
#
#   apt-get install -y libjemalloc-dev      # once
#   Benchmarks/allocator/compare.sh [RUNS]  # default 3 runs per job and allocator
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-3}
command -v pkg-config > /dev/null && pkg-config --exists jemalloc \
    || { echo "compare.sh: jemalloc is missing: apt-get install -y libjemalloc-dev" >&2; exit 2; }
swift build -c release --product jukisim > /dev/null
swift build -c release --product jukisim --traits Jemalloc --scratch-path .build-jemalloc > /dev/null
glibc=.build/release/jukisim
jemalloc=.build-jemalloc/release/jukisim
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

jobs=(
    "typical day|run Scenarios/fujisawa-typical-day.yaml --quiet --output $work/out"
    "bulk number assignment|run Scenarios/bulk-number-assignment.yaml --quiet --output $work/out"
    "9.2 M-resident population|population stats --residents 9200000"
)

# Prints "seconds maxRSS_KB": the median of each over $runs runs of: binary args...
measure() {
    local bin=$1; shift
    : > "$work/times"
    for _ in $(seq "$runs"); do
        /usr/bin/time -f "%e %M" -o "$work/time" "$bin" "$@" > /dev/null
        cat "$work/time" >> "$work/times"
    done
    local middle=$(((runs + 1) / 2))
    echo "$(cut -d' ' -f1 "$work/times" | sort -n | sed -n "${middle}p") $(cut -d' ' -f2 "$work/times" | sort -n | sed -n "${middle}p")"
}

{
    echo "# glibc malloc against jemalloc"
    echo
    echo "Written by \`Benchmarks/allocator/compare.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC'): median of $runs runs per job"
    echo "and allocator, release builds, \`/usr/bin/time\` for wall time and peak resident set."
    echo
    echo "- Machine: \`$(uname -srm)\`, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores"
    echo "- $(swift --version 2>&1 | head -1); jemalloc $(pkg-config --modversion jemalloc); glibc $(ldd --version | head -1 | awk '{print $NF}')"
    echo "- jukisim at commit $(git rev-parse --short HEAD)"
    echo
    echo "| job | glibc wall | jemalloc wall | glibc peak RSS | jemalloc peak RSS |"
    echo "|---|---:|---:|---:|---:|"
    for job in "${jobs[@]}"; do
        name=${job%%|*}
        read -r -a args <<< "${job#*|}"
        read -r gt gm <<< "$(measure "$glibc" "${args[@]}")"
        read -r jt jm <<< "$(measure "$jemalloc" "${args[@]}")"
        printf '| %s | %s s | %s s | %.0f MB | %.0f MB |\n' "$name" "$gt" "$jt" "$(echo "$gm/1024" | bc -l)" \
            "$(echo "$jm/1024" | bc -l)"
    done
} > "$work/allocator.md"
cp "$work/allocator.md" Reports/baselines/allocator.md
cat Reports/baselines/allocator.md
