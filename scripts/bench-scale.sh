#!/usr/bin/env bash
# Loading and end-to-end benchmarks on realistic dumps (issue 17); numbers in BENCHMARKS.md.
#
#   scripts/bench-scale.sh [DIR] [REPEAT]
#
# Generates dumps with `netpol::gen::dump` into DIR (default /tmp/netpol-bench-scale):
#   full-N.{yaml,json}  `kubectl get ns,deploy,rs,pods,svc,netpol -A -o yaml|json` with
#                       managedFields, N = 5000, 20000 (50000 with BIG=1)
#   pods-N.{yaml,json}  `kubectl get ns,pods,netpol -A` as kubectl prints it by default
#                       (no managedFields), N = 20000: the issue's ~100 MB dump
# then, per file: the floor (reading the bytes once), the loader phase by phase
# (`examples/loadbench`: MB/s, peak memory), and the release CLI's `lint`, `query` and
# a one-port `matrix --format json` (wall time and CPU time, medians of REPEAT runs, peak
# RSS from /usr/bin/time -v). The machine is shared: CPU time is the steadier number.
# Then `netpol exposure` (text and JSON) beside the one-port workload matrix it is held
# to, on full-N.yaml for N = 500, 1000, 5000 (`examples/exposurebench`: its phases).
# PART=exposure runs only that part; BEFORE=path/to/netpol adds that binary's
# `exposure` (an older build) and checks that both print the same bytes.
set -euo pipefail
cd "$(dirname "$0")/.."
DIR=${1:-/tmp/netpol-bench-scale}
REPEAT=${2:-3}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-target}
cargo build --release --bin netpol -p netpol-cli -q
cargo build --release -p netpol --example dump --example loadbench --example exposurebench -q
BIN=$CARGO_TARGET_DIR/release
mkdir -p "$DIR"

gen() { # name pods format [env...]
    local name=$1 pods=$2 format=$3
    shift 3
    [ -s "$DIR/$name" ] || env "$@" "$BIN/examples/dump" "$pods" "$format" >"$DIR/$name"
}
PART=${PART:-all}
SIZES="5000 20000"
[ "${BIG:-0}" = 1 ] && SIZES="$SIZES 50000"
if [ "$PART" != exposure ]; then
    for n in $SIZES; do
        gen "full-$n.yaml" "$n" yaml
        gen "full-$n.json" "$n" json
    done
    gen pods-20000.yaml 20000 yaml WORKLOADS=0 MANAGED_FIELDS=0
    gen pods-20000.json 20000 json WORKLOADS=0 MANAGED_FIELDS=0
fi
EXPOSURE_SIZES="500 1000 5000"
for n in $EXPOSURE_SIZES; do
    gen "full-$n.yaml" "$n" yaml
done

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# run LABEL CMD...: median wall seconds, median CPU seconds, max peak RSS (MB)
run() {
    local label=$1
    shift
    local walls="" cpus="" rss=0
    for _ in $(seq "$REPEAT"); do
        local out
        /usr/bin/time -o "$DIR/.time" -f "%e %U %S %M" "$@" >/dev/null 2>/dev/null || true
        out=$(tail -1 "$DIR/.time")
        read -r wall user sys kb <<<"$out"
        walls+="$wall"$'\n'
        cpus+="$(awk -v u="$user" -v s="$sys" 'BEGIN {print u + s}')"$'\n'
        [ "$kb" -gt "$rss" ] && rss=$kb
    done
    printf "  %-34s %6.2f s wall  %6.2f s cpu  %5d MB\n" "$label" \
        "$(echo -n "$walls" | median)" "$(echo -n "$cpus" | median)" $((rss / 1024))
}

for f in "$DIR"/*.yaml "$DIR"/*.json; do
    [ "$PART" = exposure ] && break
    case "$(basename "$f")" in full-500.yaml | full-1000.yaml) continue ;; esac
    bytes=$(stat -c %s "$f")
    echo "== $(basename "$f"): $((bytes / 1000000)) MB"
    # The floor: the bytes read once (`wc -c` through a pipe: plain `wc -c` only stats
    # the file), and read and scanned for line breaks (`wc -l`).
    run "floor: cat | wc -c" sh -c "cat '$f' | wc -c"
    run "floor: wc -l" wc -l "$f"
    "$BIN/examples/loadbench" "$f" "$REPEAT" | sed 's/^/  /'
    # Two pods of the dump for `query`.
    pods=$(awk '/^  kind: Pod$/ {p=1} p && /^    name: / {n=$2} p && /^    namespace: / {print $2 "/" n; p=0; if (++k == 2) exit}' "${f%.*}.yaml" 2>/dev/null | tr '\n' ' ' || true)
    read -r from to <<<"$pods" || true
    limit=(--max-input-bytes 4GiB)
    run "netpol lint" "$BIN/netpol" lint "$f" "${limit[@]}"
    if [ -n "${from:-}" ] && [ -n "${to:-}" ]; then
        run "netpol query --port 8080" "$BIN/netpol" query "$f" "${limit[@]}" --from "$from" --to "$to" --port 8080
    fi
    n=$(grep -c '"kind": "Pod"\|^  kind: Pod$' "$f" || true)
    if [ "$n" -le 20000 ]; then
        run "netpol matrix --port 8080 (json)" "$BIN/netpol" matrix "$f" "${limit[@]}" --port 8080 --format json
    fi
done

for n in $EXPOSURE_SIZES; do
    f="$DIR/full-$n.yaml"
    echo "== exposure: $(basename "$f"): $(($(stat -c %s "$f") / 1000000)) MB"
    "$BIN/examples/exposurebench" "$f" "$REPEAT" | sed 's/^/  /'
    run "netpol exposure" "$BIN/netpol" exposure "$f"
    run "netpol exposure --format json" "$BIN/netpol" exposure "$f" --format json
    run "netpol matrix --by workload --port 8080" "$BIN/netpol" matrix "$f" --by workload --port 8080
    if [ -n "${BEFORE:-}" ]; then
        run "before: netpol exposure" "$BEFORE" exposure "$f"
        if cmp -s <("$BEFORE" exposure "$f") <("$BIN/netpol" exposure "$f") &&
            cmp -s <("$BEFORE" exposure "$f" --format json) <("$BIN/netpol" exposure "$f" --format json); then
            echo "  output (text, json): byte-identical to $BEFORE"
        else
            echo "  output DIFFERS from $BEFORE"
        fi
    fi
done
