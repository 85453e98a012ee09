#!/usr/bin/env bash
# `netpol diff` on two 5,000-pod versions (BENCHMARKS.md): the generated cluster
# (5,000 pods / 1,000 policies / 100 namespaces, seed 1) and the same with every 100th
# NetworkPolicy removed and every 500th Pod relabelled (app=X -> app=xX). Prints the wall
# time and peak RSS of each run (GNU time), and checks the diff's count against the
# number of differing lines of the two `connlist`s.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-target}
cargo build --release --locked -p netpol-cli -p netpol --bins --example gencluster >/dev/null 2>&1
NETPOL="$CARGO_TARGET_DIR/release/netpol"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$CARGO_TARGET_DIR/release/examples/gencluster" 5000 1000 100 1 > "$dir/a.yaml"
python3 - "$dir/a.yaml" "$dir/b.yaml" <<'PY'
import sys
docs = open(sys.argv[1]).read().split('---\n')
out, np, pods = [], 0, 0
for d in docs:
    if 'kind: NetworkPolicy' in d:
        np += 1
        if np % 100 == 0:
            continue
    if 'kind: Pod' in d:
        pods += 1
        if pods % 500 == 0:
            d = d.replace('app: ', 'app: x', 1)
    out.append(d)
open(sys.argv[2], 'w').write('---\n'.join(out))
PY
for format in json md; do
  /usr/bin/time -f "diff --format $format: %e s, %M KB peak RSS" "$NETPOL" diff "$dir/a.yaml" "$dir/b.yaml" --format $format > "$dir/diff.$format"
done
/usr/bin/time -f "diff of a version with itself: %e s, %M KB peak RSS" "$NETPOL" diff "$dir/a.yaml" "$dir/a.yaml" --exit-code > /dev/null
pairs=$(grep -c '^    "change":' "$dir/diff.json")
"$NETPOL" connlist "$dir/a.yaml" > "$dir/a.txt"
"$NETPOL" connlist "$dir/b.yaml" > "$dir/b.txt"
lines=$(paste -d '\n' "$dir/a.txt" "$dir/b.txt" | paste - - | awk -F '\t' '$1 != $2' | wc -l)
echo "pairs changed: $pairs; connlist lines that differ: $lines"
[ "$pairs" -eq "$lines" ]
