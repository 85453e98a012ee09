#!/usr/bin/env bash
# Cross-checks netpol against an independent analyser, NCA (network-config-analyzer,
# IBM np-guard, from PyPI, pinned in tools/nca-requirements.txt): generated clusters (`netpol::gen`), every pod
# pair, all ports, compared as connection sets. See scripts/crosscheck/nca_input.py for
# the three places NCA 2.1.0 departs from the Kubernetes API and how the input keeps
# them out of the comparison.
#
#   scripts/crosscheck-nca.sh            the default set (what scripts/test.sh runs)
#   scripts/crosscheck-nca.sh P N S...   clusters of P pods, N policies, S = seeds
set -euo pipefail
cd "$(dirname "$0")/.."
venv=tools/nca-venv
[ -x "$venv/bin/nca" ] || { echo "[crosscheck] missing $venv: run scripts/setup.sh native" >&2; exit 1; }
NCA_VERSION=$(sed -n 's/^network-config-analyzer==//p' tools/nca-requirements.txt)
cargo build --quiet --release -p netpol-cli -p netpol --example gencluster
netpol=target/release/netpol
gen=target/release/examples/gencluster
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# External addresses on both sides of the generator's ipBlocks (10.1-2.0.0/16 with /24
# excepts, 0.0.0.0/0 except 10.0.0.0/8); pods get 10.244.0.0/16, which none of them is.
ips=(10.1.0.7 10.1.2.7 10.1.200.7 10.2.1.7 10.2.3.7 10.2.99.7 10.3.0.7 8.8.8.8 192.168.1.1)
ip_args=()
for ip in "${ips[@]}"; do ip_args+=(--ip "$ip"); done
failed=0
clusters=0
check() { # pods policies namespaces seed
  local tag="$1-$2-$3-$4"
  "$gen" "$1" "$2" "$3" "$4" > "$work/$tag.gen.yaml"
  "$venv/bin/python" scripts/crosscheck/nca_input.py "$work/$tag.gen.yaml" "$work/$tag.yaml" "$work/$tag.nca.yaml"
  "$netpol" connlist --by pod "$work/$tag.yaml" "${ip_args[@]}" > "$work/$tag.ours.txt" || true
  "$venv/bin/nca" --connectivity "$work/$tag.nca.yaml" --pod_list "$work/$tag.nca.yaml" \
    --ns_list "$work/$tag.nca.yaml" -o txt_no_fw_rules --output_endpoints pods \
    > "$work/$tag.nca.txt" 2> "$work/$tag.nca.err" || { echo "[crosscheck] $tag: nca failed"; tail -3 "$work/$tag.nca.err"; failed=$((failed + 1)); return; }
  clusters=$((clusters + 1))
  if out=$("$venv/bin/python" scripts/crosscheck/compare.py "$work/$tag.ours.txt" "$work/$tag.nca.txt" "${ips[@]}"); then
    echo "[crosscheck] pods=$1 policies=$2 namespaces=$3 seed=$4: ${out##*$'\n'}"
  else
    echo "[crosscheck] pods=$1 policies=$2 namespaces=$3 seed=$4: DIFFERENT"
    echo "$out"
    failed=$((failed + 1))
  fi
}

if [ $# -ge 4 ]; then
  p=$1 n=$2 s=$3; shift 3
  for seed in "$@"; do check "$p" "$n" "$s" "$seed"; done
else
  for seed in 1 2 3 4 5 6; do check 30 15 5 "$seed"; done
  for seed in 7 8; do check 100 40 10 "$seed"; done
fi
echo "[crosscheck] $clusters clusters compared with NCA $NCA_VERSION, $failed failed"
[ "$failed" -eq 0 ]
