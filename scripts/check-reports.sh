#!/usr/bin/env bash
# The reports CI systems read, checked by independent readers:
# - `netpol lint --format sarif` on every lint fixture, the seed, stdin and a file name
#   that needs percent-encoding, validated against the SARIF 2.1.0 JSON schema
#   (tests/sarif/) with the pinned PyPI validator scripts/setup.sh installs into
#   tools/sarif-venv;
# - `netpol test --format tap` parsed by Perl's TAP::Parser (what `prove` uses): no parse
#   error, the plan matches, passing and failing files as expected;
# - `netpol test --format junit` and `--junit FILE` parsed as XML.
# NETPOL=path/to/netpol chooses the binary.
set -euo pipefail
cd "$(dirname "$0")/.."
NETPOL=${NETPOL:-./target/release/netpol}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
n=0
for f in tests/lint/*.yaml examples/seed; do
  n=$((n + 1))
  # Exit 1 means the input has errors: still a report to validate.
  "$NETPOL" lint "$f" --format sarif > "$out/$n.sarif" || [ $? -eq 1 ]
done
cp examples/seed/cluster.yaml "$out/a b#c.yaml"
"$NETPOL" lint "$out/a b#c.yaml" --format sarif > "$out/space.sarif"
"$NETPOL" lint - --format sarif < tests/lint/selects-no-pod.yaml > "$out/stdin.sarif" || [ $? -eq 1 ]
tools/sarif-venv/bin/python scripts/check-sarif.py tests/sarif/sarif-schema-2.1.0.json "$out"/*.sarif

# TAP: a passing run and a failing one (a cell that cannot be evaluated, a broken file).
fixtures=crates/netpol-cli/tests/fixtures
"$NETPOL" test examples/seed --format tap > "$out/pass.tap" 2>/dev/null
"$NETPOL" test "$fixtures/unknown-is-not-denied.yaml" "$fixtures/broken" --format tap \
  > "$out/fail.tap" 2>/dev/null || [ $? -eq 1 ]
perl -MTAP::Parser -e '
  my ($file, $want_fail) = @ARGV;
  my $p = TAP::Parser->new({ source => $file });
  while (defined(my $r = $p->next)) {}
  my @e = $p->parse_errors;
  die "$file: @e\n" if @e;
  die "$file: version ", $p->version, "\n" unless $p->version == 13;
  die "$file: plan ", $p->tests_planned, " run ", $p->tests_run, "\n"
    unless $p->tests_planned == $p->tests_run && $p->tests_run > 0;
  my $failed = () = $p->failed;
  die "$file: $failed failed, expected ", ($want_fail ? "some" : "none"), "\n"
    if ($failed > 0) != $want_fail;
  print "$file: TAP version 13, ", $p->tests_run, " tests, $failed failed: ok\n";
' "$out/pass.tap" 0
perl -MTAP::Parser -e '
  my ($file) = @ARGV;
  my $p = TAP::Parser->new({ source => $file });
  my $yaml = 0;
  while (defined(my $r = $p->next)) { $yaml++ if $r->is_yaml }
  my @e = $p->parse_errors;
  die "$file: @e\n" if @e;
  my $failed = () = $p->failed;
  die "$file: expected 2 failures and 2 YAML blocks, got $failed and $yaml\n" unless $failed == 2 && $yaml == 2;
  print "$file: TAP version 13, $failed failed, $yaml YAML blocks: ok\n";
' "$out/fail.tap"

# JUnit XML on stdout and in a file.
"$NETPOL" test "$fixtures/unknown-is-not-denied.yaml" --format junit --junit "$out/file.xml" \
  > "$out/stdout.xml" 2>/dev/null || [ $? -eq 1 ]
python3 - "$out/stdout.xml" "$out/file.xml" <<'PY'
import sys, xml.etree.ElementTree as ET
for path in sys.argv[1:]:
    suite = ET.parse(path).getroot()
    assert suite.tag == "testsuite" and suite.get("failures") == "2", (path, suite.attrib)
    print(f"{path}: JUnit XML, {suite.get('tests')} test case(s), {suite.get('failures')} failures: ok")
PY
