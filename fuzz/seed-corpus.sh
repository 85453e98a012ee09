#!/bin/sh
# Seeds the fuzz corpora from the project's fixtures (scenario files, validation cases,
# examples). Run from anywhere; re-running adds nothing new (files are named by hash).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
for target in load_lint evaluate scenario; do
    dir="$root/fuzz/corpus/$target"
    mkdir -p "$dir"
    find "$root/tests/k8s-e2e" "$root/tests/validation" "$root/examples" "$root/tests/tiers" \
        "$root/tests/hostile" "$root/tests/scenarios" "$root/tests/scenario-styles" \
        "$root/tests/services" -type f \( -name '*.yaml' -o -name '*.yml' -o -name '*.json' \) \
        2>/dev/null | while read -r f; do
        # libFuzzer's default -max_len is derived from the corpus; skip the odd huge file.
        [ "$(wc -c < "$f")" -le 65536 ] || continue
        cp "$f" "$dir/$(sha1sum "$f" | cut -c1-40)"
    done
    echo "$target: $(ls "$dir" | wc -l) seeds in $dir"
done
