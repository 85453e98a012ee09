//! The `netpol` binary end to end: one `check(args, stdin, expected exit, expected output
//! fragments)` helper, run from the repository root.

use std::io::Write;
use std::process::{Command, Stdio};

/// Runs `netpol args` and checks the exit code and output fragments; returns stdout.
fn check(args: &[&str], stdin: Option<&str>, code: i32, fragments: &[&str]) -> String {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut child = Command::new(env!("CARGO_BIN_EXE_netpol"))
        .args(args)
        .current_dir(&root)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(text) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
    } else {
        drop(child.stdin.take());
    }
    let out = child.wait_with_output().unwrap();
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(out.status.code(), Some(code), "netpol {args:?}\n{all}");
    for f in fragments {
        assert!(all.contains(f), "netpol {args:?}: missing `{f}` in\n{all}");
    }
    String::from_utf8_lossy(&out.stdout).into_owned()
}

const SEED: &str = "examples/seed/cluster.yaml";

#[test]
fn query_explains_and_uses_exit_codes() {
    check(
        &[
            "query",
            SEED,
            "--from",
            "utils/utils",
            "--to",
            "webapp-balanced/webapp-balanced",
            "--port",
            "80",
        ],
        None,
        0,
        &["ALLOWED", "not isolated"],
    );
    let deny = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: default-deny-ingress, namespace: webapp-balanced}\nspec: {podSelector: {}, policyTypes: [Ingress]}\n";
    check(
        &[
            "query",
            SEED,
            "-",
            "--from",
            "utils/utils",
            "--to",
            "webapp-balanced/webapp-balanced",
            "--port",
            "80",
            "--lang",
            "es",
        ],
        Some(deny),
        0,
        &[
            "DENEGADO",
            "aislado por webapp-balanced/default-deny-ingress",
            "<stdin>:1:1",
        ],
    );
    check(
        &[
            "query",
            SEED,
            "--from",
            "utils/utls",
            "--to",
            "webapp-balanced/webapp-balanced",
            "--port",
            "80",
        ],
        None,
        2,
        &["did you mean `utils/utils`?"],
    );
    check(
        &[
            "query",
            SEED,
            "--from",
            "utils/utils",
            "--to",
            "webapp-balanced/webapp-balanced",
            "--port",
            "htp",
        ],
        None,
        2,
        &["COULD NOT EVALUATE", "did you mean `http`?"],
    );
    check(
        &[
            "query",
            SEED,
            "--from",
            "utils/utils",
            "--to",
            "142.250.201.68",
            "--protocol",
            "ICMP",
        ],
        None,
        0,
        &["ALLOWED", "ICMP is not part of NetworkPolicy"],
    );
    check(
        &[
            "query",
            SEED,
            "--from",
            "utils/utils",
            "--to",
            "webapp-balanced/webapp-balanced",
        ],
        None,
        0,
        &["All connections"],
    );
    check(
        &["query", "no/such/file.yaml", "--from", "a/b", "--to", "c/d"],
        None,
        2,
        &["no such file or directory"],
    );
}

#[test]
fn query_fix_prints_a_policy_that_allows_the_connection() {
    let deny = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: default-deny-ingress, namespace: webapp-balanced}\nspec: {podSelector: {}, policyTypes: [Ingress]}\n";
    let args = [
        "query",
        SEED,
        "-",
        "--from",
        "utils/utils",
        "--to",
        "webapp-balanced/webapp-balanced",
        "--port",
        "80",
        "--fix",
    ];
    let out = check(
        &args,
        Some(deny),
        0,
        &[
            "DENIED",
            "# To allow the destination's ingress: NetworkPolicy webapp-balanced/allow-ingress-utils-80",
            "  podSelector: {matchLabels: {app: webapp-balanced}}\n  policyTypes: [Ingress]\n  ingress:\n  - from:\n    - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: utils}}\n      podSelector: {matchLabels: {app: utils}}\n    ports: [{port: 80, protocol: TCP}]\n",
        ],
    );
    // What it printed, appended to the input, allows the connection.
    let fix = &out[out.find("\n# To allow").unwrap()..];
    check(
        &args[..args.len() - 1],
        Some(&format!("{deny}---{fix}")),
        0,
        &["ALLOWED", "allow-ingress-utils-80 spec.ingress[0]"],
    );
}

#[test]
fn matrix_formats() {
    let cluster = "tests/k8s-e2e/common/cluster.yaml";
    check(
        &[
            "matrix",
            cluster,
            "--port",
            "80",
            "--format",
            "json",
            "--ip",
            "203.0.113.9",
        ],
        None,
        0,
        &[
            "\"port\": 80",
            "\"protocol\": \"TCP\"",
            "\"203.0.113.9\"",
            "\"allowed\"",
        ],
    );
    check(
        &["matrix", cluster, "--port", "80"],
        None,
        0,
        &["from\\to", "x/a"],
    );
    check(
        &["matrix", cluster, "--format", "csv"],
        None,
        0,
        &["from\\to,x/a", ",allowed"],
    );
    check(
        &["matrix", cluster, "--format", "md"],
        None,
        0,
        &["| x/a |"],
    );
    check(
        &["matrix", cluster, "--max-endpoints", "5"],
        None,
        2,
        &["over the limit of 5"],
    );
}

#[test]
fn lint_reads_stdin_and_reports_positions() {
    let bad = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p, namespace: a}\nspec:\n  podSelecter: {}\n  ingress:\n  - ports: [{port: 80, endPort: 79}]\n";
    check(
        &["lint", "-"],
        Some(bad),
        1,
        &[
            "<stdin>:5:3: warning: unknown field `podSelecter`, did you mean `podSelector`?",
            "<stdin>:7:33: error:",
            "1 error(s)",
        ],
    );
    check(
        &["lint", "--format", "json", "-"],
        Some(bad),
        1,
        &["\"line\": 7", "\"column\": 33"],
    );
    check(&["lint", SEED], None, 0, &["0 error(s)"]);
}

#[test]
fn connlist_lists_connection_sets() {
    check(
        &["connlist", "tests/scenarios/cluster.yaml"],
        None,
        0,
        &["shop/web => shop/api : All connections"],
    );
}

#[test]
fn test_runs_scenarios_and_fails_on_mismatch() {
    check(
        &["test", "examples/seed/02-default-deny-ingress.yaml"],
        None,
        0,
        &[" passed, 0 failed"],
    );
    let dir = std::env::temp_dir().join(format!("netpol-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let wrong = dir.join("wrong.yaml");
    std::fs::write(
        &wrong,
        "name: wrong on purpose\nmanifests:\n  - apiVersion: v1\n    kind: Pod\n    metadata: {name: a, namespace: x}\n  - apiVersion: v1\n    kind: Pod\n    metadata: {name: b, namespace: x}\nexpect:\n  - {from: x/a, to: x/b, port: 80, allowed: false}\n",
    )
    .unwrap();
    let junit = dir.join("junit.xml");
    check(
        &[
            "test",
            wrong.to_str().unwrap(),
            "--junit",
            junit.to_str().unwrap(),
        ],
        None,
        1,
        &["FAIL", "expected denied", "0 passed, 1 failed"],
    );
    assert!(std::fs::read_to_string(&junit)
        .unwrap()
        .contains("<failure"));
}
