//! The `netpol` binary end to end: one `check(args, stdin, expected exit, expected output
//! fragments)` helper, run from the repository root; every run has a time limit, so a
//! hang (a symbolic link loop, an endless pipe) fails instead of stalling the suite.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// What the child reads on stdin.
enum Stdin<'a> {
    Closed,
    Text(&'a str),
    /// `y\n` forever (like `yes`), until the child stops reading.
    Endless,
}

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    elapsed: Duration,
}

/// Runs `netpol args` in `dir`, killed after 60 s (the test then fails).
fn exec_in(dir: &Path, args: &[&str], stdin: Stdin<'_>) -> Run {
    let start = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_netpol"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    let writer = match stdin {
        Stdin::Closed => {
            drop(input);
            None
        }
        Stdin::Text(t) => {
            let t = t.to_string();
            Some(std::thread::spawn(move || {
                let _ = input.write_all(t.as_bytes());
            }))
        }
        Stdin::Endless => Some(std::thread::spawn(move || {
            let chunk = b"y\n".repeat(32 * 1024);
            while input.write_all(&chunk).is_ok() {}
        })),
    };
    let pipe = |mut r: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut v = Vec::new();
            let _ = r.read_to_end(&mut v);
            v
        })
    };
    let out = pipe(Box::new(child.stdout.take().unwrap()));
    let err = pipe(Box::new(child.stderr.take().unwrap()));
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if start.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("netpol {args:?} did not finish within 60 s");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let elapsed = start.elapsed();
    if let Some(w) = writer {
        let _ = w.join();
    }
    Run {
        code: status.code(),
        stdout: String::from_utf8_lossy(&out.join().unwrap()).into_owned(),
        stderr: String::from_utf8_lossy(&err.join().unwrap()).into_owned(),
        elapsed,
    }
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Runs `netpol args` and checks the exit code and output fragments; returns stdout.
fn check(args: &[&str], stdin: Option<&str>, code: i32, fragments: &[&str]) -> String {
    let stdin = stdin.map_or(Stdin::Closed, Stdin::Text);
    check_run(&root(), args, stdin, code, fragments).stdout
}

fn check_run(dir: &Path, args: &[&str], stdin: Stdin<'_>, code: i32, fragments: &[&str]) -> Run {
    let run = exec_in(dir, args, stdin);
    let all = format!("{}{}", run.stdout, run.stderr);
    assert_eq!(run.code, Some(code), "netpol {args:?}\n{all}");
    for f in fragments {
        assert!(all.contains(f), "netpol {args:?}: missing `{f}` in\n{all}");
    }
    run
}

/// A fresh temporary directory for one test.
fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("netpol-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
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
    // By workload (the default), named as np-guard's netpol-analyzer names them; by pod,
    // every ordered pair as before.
    check(
        &["connlist", "tests/scenarios/cluster.yaml"],
        None,
        0,
        &[
            "shop/web[Pod] => shop/api[Pod] : All connections",
            "ops/monitor[Deployment] => 0.0.0.0-255.255.255.255[External] : All connections",
        ],
    );
    check(
        &["connlist", "tests/scenarios/cluster.yaml", "--by", "pod"],
        None,
        0,
        &["shop/web => shop/api : All connections"],
    );
    // --focus: only the workload's ins and outs; an unknown name is a usage error.
    let focused = check(
        &[
            "connlist",
            "tests/scenarios/cluster.yaml",
            "--focus",
            "shop/api",
        ],
        None,
        0,
        &["dev/tool[Pod] => shop/api[Pod] : All connections"],
    );
    assert!(
        focused.lines().all(|l| l.contains("shop/api[Pod]")),
        "{focused}"
    );
    assert_eq!(focused.lines().count(), 8, "{focused}");
    let pods = check(
        &[
            "connlist",
            "tests/scenarios/cluster.yaml",
            "--by",
            "pod",
            "--focus",
            "shop/api",
        ],
        None,
        0,
        &[],
    );
    assert!(pods.lines().all(|l| l.contains("shop/api ")), "{pods}");
    assert_eq!(pods.lines().count(), 6, "{pods}");
    check(
        &[
            "connlist",
            "tests/scenarios/cluster.yaml",
            "--focus",
            "shop/apj",
        ],
        None,
        2,
        &["error: unknown workload `shop/apj`; did you mean `shop/api`?"],
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
    let dir = temp_dir("test");
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

const CLUSTER: &str = "tests/scenarios/cluster.yaml";

#[cfg(unix)]
#[test]
fn directories_with_loops_dangling_links_and_fifos_load_every_other_file() {
    use std::os::unix::fs::symlink;
    let dir = temp_dir("walk");
    let d = dir.join("d");
    std::fs::create_dir_all(d.join("sub")).unwrap();
    std::fs::copy(root().join(CLUSTER), d.join("cluster.yaml")).unwrap();
    std::fs::write(
        d.join("sub/policy.yaml"),
        "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny, namespace: shop}\nspec: {podSelector: {}, policyTypes: [Ingress]}\n",
    )
    .unwrap();
    symlink("..", d.join("sub/loop")).unwrap(); // a loop: read once, not forever
    symlink("sub", d.join("sub-again")).unwrap(); // a second link to a directory
    symlink("cluster.yaml", d.join("same.yaml")).unwrap(); // a second link to a file
    symlink("nowhere", d.join(".#cluster.yaml")).unwrap(); // an editor's lock file
    let fifo = d.join("pipe.yaml");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    // Unreadable even for root: reading /proc/self/mem at offset 0 fails with EIO.
    let proc_mem = Path::new("/proc/self/mem").exists();
    if proc_mem {
        symlink("/proc/self/mem", d.join("mem.yaml")).unwrap();
    }
    let args = [
        "query", "d", "--from", "dev/tool", "--to", "shop/web", "--port", "8080",
    ];
    let run = check_run(
        &dir,
        &args,
        Stdin::Closed,
        0,
        &[
            // Every other file loaded: the pods and the policy in sub/ decide.
            "DENIED",
            "isolated by shop/deny",
            "warning: `d/.#cluster.yaml` is a symbolic link to nothing (to `nowhere`): skipped",
            "warning: `d/pipe.yaml` is a FIFO, not a regular file: skipped",
            "warning: `d/same.yaml` is the file `d/cluster.yaml` again: read once",
            "warning: `d/sub-again` is the directory `d/sub` again: read once",
            "warning: `d/sub/loop` is a symbolic link loop (back to `d`): read once",
        ],
    );
    if proc_mem {
        assert!(
            run.stderr
                .contains("warning: cannot read `d/mem.yaml`: Input/output error"),
            "{}",
            run.stderr
        );
    }
    // Read once each: nothing is defined twice.
    check_run(
        &dir,
        &["lint", "d"],
        Stdin::Closed,
        0,
        &["0 error(s), 0 warning(s)"],
    );
    // The same warnings in the same order, every time.
    assert_eq!(exec_in(&dir, &args, Stdin::Closed).stderr, run.stderr);
    // Named explicitly, a dangling link is an error.
    check_run(
        &dir,
        &["lint", "d/.#cluster.yaml"],
        Stdin::Closed,
        2,
        &["error: `d/.#cluster.yaml` is a symbolic link to nothing"],
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[cfg(unix)]
#[test]
fn unreadable_files_in_a_directory_are_warnings() {
    use std::os::unix::fs::PermissionsExt;
    // Root reads anything: nothing to test then (the /proc/self/mem case above covers
    // the read error).
    let uid = Command::new("id").arg("-u").output().unwrap();
    if String::from_utf8_lossy(&uid.stdout).trim() == "0" {
        return;
    }
    let dir = temp_dir("unreadable");
    std::fs::copy(root().join(CLUSTER), dir.join("cluster.yaml")).unwrap();
    std::fs::write(dir.join("secret.yaml"), "kind: Namespace\n").unwrap();
    std::fs::set_permissions(
        dir.join("secret.yaml"),
        std::fs::Permissions::from_mode(0o000),
    )
    .unwrap();
    check_run(
        &dir,
        &["lint", "."],
        Stdin::Closed,
        0,
        &["warning: cannot read `./secret.yaml`", "0 error(s)"],
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn reads_are_bounded_by_the_input_limit() {
    // /dev/zero with the default limit (1 GiB): refused, in bounded time and memory.
    if Path::new("/dev/zero").exists() {
        let run = check_run(
            &root(),
            &["lint", "/dev/zero"],
            Stdin::Closed,
            2,
            &["error: the input `/dev/zero` is more than the limit of 1 GiB (raise it with --max-input-bytes)"],
        );
        assert!(run.elapsed < Duration::from_secs(30), "{:?}", run.elapsed);
    }
    // An endless pipe on stdin.
    let run = check_run(
        &root(),
        &["lint", "-", "--max-input-bytes", "1MiB"],
        Stdin::Endless,
        2,
        &["error: the input `<stdin>` is more than the limit of 1 MiB"],
    );
    assert!(run.elapsed < Duration::from_secs(30), "{:?}", run.elapsed);
    // A 2 GiB file (sparse): refused by its length, without reading it.
    let dir = temp_dir("bounded");
    let big = dir.join("big.yaml");
    std::fs::File::create(&big)
        .unwrap()
        .set_len(2 << 30)
        .unwrap();
    check_run(
        &dir,
        &["lint", "big.yaml"],
        Stdin::Closed,
        2,
        &["error: the input `big.yaml` is 2 GiB, more than the limit of 1 GiB"],
    );
    // The limit is on the whole input.
    std::fs::write(dir.join("a.yaml"), "kind: Namespace\nmetadata: {name: a}\n").unwrap();
    std::fs::write(dir.join("b.yaml"), "kind: Namespace\nmetadata: {name: b}\n").unwrap();
    check_run(
        &dir,
        &["lint", "a.yaml", "b.yaml", "--max-input-bytes", "50"],
        Stdin::Closed,
        2,
        &[
            "the input `b.yaml` is 36 bytes, more than the limit of 14 bytes",
            "on the whole input; 36 bytes were read before it",
        ],
    );
    check_run(
        &dir,
        &["lint", "a.yaml", "b.yaml", "--max-input-bytes", "72"],
        Stdin::Closed,
        0,
        &["0 error(s)"],
    );
    // Every limit has its flag.
    check_run(
        &dir,
        &["lint", "-", "--max-documents", "1"],
        Stdin::Text(
            "kind: Namespace\nmetadata: {name: a}\n---\nkind: Namespace\nmetadata: {name: b}\n",
        ),
        1,
        &["the limit of 1"],
    );
    check_run(
        &dir,
        &["lint", "a.yaml", "--max-input-bytes", "12X"],
        Stdin::Closed,
        2,
        &["unknown size unit `X`"],
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn scenarios_are_found_by_parsing_and_nothing_found_is_an_error() {
    check(
        &["test", "tests/scenario-styles"],
        None,
        0,
        &["5 scenario file(s)", "17 passed, 0 failed"],
    );
    let fixtures = "crates/netpol-cli/tests/fixtures";
    check(
        &["test", &format!("{fixtures}/not-a-scenario.yaml")],
        None,
        2,
        &["error: `crates/netpol-cli/tests/fixtures/not-a-scenario.yaml` is not a scenario file"],
    );
    check(
        &["test", &format!("{fixtures}/manifests-only")],
        None,
        2,
        &[
            "0 scenario file(s)",
            "error: no scenario found in `crates/netpol-cli/tests/fixtures/manifests-only`",
        ],
    );
    // With scenarios elsewhere, an argument that holds none is still an error.
    check(
        &[
            "test",
            "tests/scenario-styles",
            &format!("{fixtures}/manifests-only"),
        ],
        None,
        2,
        &["17 passed, 0 failed", "no scenario found in"],
    );
    // A scenario whose YAML does not parse is invalid, not skipped.
    check(
        &["test", &format!("{fixtures}/broken")],
        None,
        1,
        &[
            "flow-syntax-error.yaml:",
            "1 scenario file(s)",
            "0 passed, 1 failed",
        ],
    );
    // Could not evaluate is neither denied nor allowed.
    check(
        &["test", &format!("{fixtures}/unknown-is-not-denied.yaml")],
        None,
        1,
        &[
            "shop/web -> dev/tool TCP http: expected denied, got unknown, but: `dev/tool` declares no TCP port named `http`",
            "2 passed, 2 failed",
        ],
    );
    check(
        &["test", &format!("{fixtures}/bad-port.yaml")],
        None,
        1,
        &[
            "error: `port`: port `0` is out of range: a port number is from 1 to 65535",
            "error: `port`: port `70000` is out of range",
            "0 passed, 1 failed",
        ],
    );
}

/// The JSON `allowed` matrix as cells.
fn json_cells(out: &str) -> (Vec<String>, Vec<Vec<Option<bool>>>) {
    let v: serde_json::Value = serde_json::from_str(out).unwrap();
    let endpoints = v["endpoints"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e.as_str().unwrap().to_string())
        .collect();
    let cells = v["allowed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_array().unwrap().iter().map(|c| c.as_bool()).collect())
        .collect();
    (endpoints, cells)
}

#[test]
fn matrix_cells_that_cannot_be_evaluated_are_unknown() {
    // dev/tool declares no port named `http`: its column is unknown, never denied.
    let out = check(
        &["matrix", CLUSTER, "--port", "http", "--format", "json"],
        None,
        0,
        &[],
    );
    let (endpoints, cells) = json_cells(&out);
    let tool = endpoints.iter().position(|e| e == "dev/tool").unwrap();
    for (i, row) in cells.iter().enumerate() {
        assert_eq!(row[tool], None, "{} -> dev/tool", endpoints[i]);
        for (j, c) in row.iter().enumerate() {
            if j != tool {
                assert!(c.is_some());
            }
        }
    }
    let text = check(&["matrix", CLUSTER, "--port", "http"], None, 0, &[]);
    assert!(text.contains("dev/tool    ?        ."), "{text}");
    let csv = check(
        &["matrix", CLUSTER, "--port", "http", "--format", "csv"],
        None,
        0,
        &[],
    );
    assert!(csv.contains("\ndev/tool,,allowed,"), "{csv}");
    let md = check(
        &["matrix", CLUSTER, "--port", "http", "--format", "md"],
        None,
        0,
        &[],
    );
    assert!(md.contains("| dev/tool | ? | ✓ |"), "{md}");
    // An invalid port is a usage error in every command.
    for port in ["0", "65536", "", "-1", "99999999999999999999", "HTTP"] {
        let port = format!("--port={port}");
        check(
            &["matrix", CLUSTER, &port],
            None,
            2,
            &["error: invalid `--port`"],
        );
        check(
            &[
                "query", CLUSTER, "--from", "shop/web", "--to", "shop/api", &port,
            ],
            None,
            2,
            &["error: invalid `--port`"],
        );
    }
    check(
        &[
            "query",
            CLUSTER,
            "--from",
            "shop/web",
            "--to",
            "svc:shop/none",
            "--port",
            "0",
        ],
        None,
        2,
        &["error: invalid `--port`"],
    );
}

#[test]
fn matrix_ip_of_a_pod_is_that_pod() {
    // 10.1.0.1 is shop/web's address: no second row for it; an outside address given
    // twice is one row.
    let run = check_run(
        &root(),
        &[
            "matrix",
            CLUSTER,
            "--format",
            "json",
            "--ip",
            "10.1.0.1",
            "--ip",
            "203.0.113.9",
            "--ip",
            "203.0.113.9",
        ],
        Stdin::Closed,
        0,
        &[
            "note: `10.1.0.1` is the address of `shop/web`: its row and column are that endpoint's",
            "note: `--ip 203.0.113.9` is given twice",
        ],
    );
    let (endpoints, _) = json_cells(&run.stdout);
    assert_eq!(
        endpoints,
        [
            "dev/tool",
            "ops/monitor",
            "shop/api",
            "shop/web",
            "203.0.113.9"
        ]
    );
    let run = check_run(
        &root(),
        &["connlist", CLUSTER, "--ip", "10.1.0.1"],
        Stdin::Closed,
        0,
        &["note: `10.1.0.1` is the address of `shop/web`"],
    );
    assert!(!run.stdout.contains("10.1.0.1"), "{}", run.stdout);
    // A Service's address is not an endpoint of the matrix.
    let svc = check(
        &["matrix", "tests/services/cluster.yaml", "--ip", "10.96.1.1"],
        None,
        2,
        &["error: `10.96.1.1` is the address of a Service"],
    );
    assert!(svc.is_empty());
}

/// Every document of `text`, read by an independent YAML parser.
fn yaml_docs(text: &str) -> Result<usize, String> {
    use serde::Deserialize;
    let mut n = 0;
    for doc in serde_yaml::Deserializer::from_str(text) {
        serde_yaml::Value::deserialize(doc).map_err(|e| format!("{e}\n{text}"))?;
        n += 1;
    }
    Ok(n)
}

#[test]
fn fix_output_is_only_yaml() {
    let deny = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: default-deny-ingress, namespace: webapp-balanced}\nspec: {podSelector: {}, policyTypes: [Ingress]}\n";
    for to in [
        "webapp-balanced/webapp-balanced",
        "svc:webapp-balanced/webapp-balanced",
    ] {
        let args = [
            "query",
            SEED,
            "-",
            "--from",
            "utils/utils",
            "--to",
            to,
            "--port",
            "80",
            "--fix",
        ];
        let run = check_run(&root(), &args, Stdin::Text(deny), 0, &["DENIED"]);
        // The decision is on stderr; stdout is YAML: the policy, headed by a comment.
        assert!(!run.stdout.contains("DENIED"), "{}", run.stdout);
        assert!(run.stdout.contains("kind: NetworkPolicy"), "{}", run.stdout);
        assert!(yaml_docs(&run.stdout).unwrap() >= 1);
        // Appended to the input (`>> fix.yaml`), it is still YAML, and allows it.
        let appended = format!("{deny}{}", run.stdout);
        yaml_docs(&appended).unwrap();
        check_run(
            &root(),
            &args[..args.len() - 1],
            Stdin::Text(&appended),
            0,
            &["ALLOWED"],
        );
        // JSON decisions go to stderr too.
        let mut json = args.to_vec();
        json.extend(["--format", "json"]);
        let run = check_run(&root(), &json, Stdin::Text(deny), 0, &["\"verdict\""]);
        assert!(!run.stdout.contains("\"verdict\""));
        yaml_docs(&run.stdout).unwrap();
    }
    // Nothing to fix: no output at all (appending it changes nothing), a note on stderr.
    let args = [
        "query",
        SEED,
        "--from",
        "utils/utils",
        "--to",
        "webapp-balanced/webapp-balanced",
        "--port",
        "80",
        "--fix",
    ];
    let run = check_run(
        &root(),
        &args,
        Stdin::Closed,
        0,
        &["ALLOWED", "nothing to fix"],
    );
    assert_eq!(run.stdout, "");
}

#[test]
fn output_escapes_terminal_controls() {
    // A label value with an ANSI escape (valid YAML: "\e[31m"), in a file whose name has
    // one too: quoted in messages, never written raw.
    let dir = temp_dir("escape");
    let name = "bad\u{1b}[31m.yaml";
    std::fs::write(
        dir.join(name),
        "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p, namespace: x}\nspec: {podSelector: {matchLabels: {app: \"\\e[31mred\\u009b\"}}}\n",
    )
    .unwrap();
    for format in ["text", "json"] {
        let run = exec_in(&dir, &["lint", ".", "--format", format], Stdin::Closed);
        assert_eq!(run.code, Some(1));
        for out in [&run.stdout, &run.stderr] {
            assert!(
                !out.contains('\u{1b}') && !out.contains('\u{9b}'),
                "{out:?}"
            );
        }
        if format == "json" {
            let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
            let msg = v[0]["message"].as_str().unwrap();
            assert!(msg.contains("\u{1b}[31mred"), "{msg}");
            assert_eq!(v[0]["file"].as_str().unwrap(), format!("./{name}"));
        } else {
            assert!(
                run.stdout.contains("./bad\\x1b[31m.yaml:4:"),
                "{}",
                run.stdout
            );
            assert!(
                run.stdout.contains("invalid value `\\x1b[31mred\\u{9b}`"),
                "{}",
                run.stdout
            );
        }
    }
    // Stderr too (query prints load errors there).
    let run = exec_in(
        &dir,
        &["query", ".", "--from", "a/b", "--to", "c/d"],
        Stdin::Closed,
    );
    assert!(!run.stderr.contains('\u{1b}'), "{:?}", run.stderr);
    assert!(run.stderr.contains("bad\\x1b[31m.yaml"), "{:?}", run.stderr);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn csv_and_markdown_fields_are_quoted() {
    // Connection sets hold commas: quoted per RFC 4180 in CSV.
    let pol = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p, namespace: shop}\nspec:\n  podSelector: {matchLabels: {app: api}}\n  ingress: [{ports: [{port: 80}, {port: 443}]}]\n";
    let csv = check(
        &["connlist", CLUSTER, "-", "--format", "csv"],
        Some(pol),
        0,
        &[],
    );
    assert!(
        csv.contains("dev/tool[Pod],shop/api[Pod],\"TCP 80,443\"\n"),
        "{csv}"
    );
    let md = check(
        &["connlist", CLUSTER, "-", "--format", "md", "--by", "pod"],
        Some(pol),
        0,
        &[],
    );
    assert!(
        md.contains("| dev/tool | shop/api | TCP 80,443 |\n"),
        "{md}"
    );
    let md = check(
        &["connlist", CLUSTER, "-", "--format", "md"],
        Some(pol),
        0,
        &[],
    );
    assert!(
        md.contains("| dev/tool\\[Pod\\] | shop/api\\[Pod\\] | TCP 80,443 |\n"),
        "{md}"
    );
}

#[test]
fn connlist_json_is_one_streamed_array() {
    let out = check(
        &[
            "connlist",
            CLUSTER,
            "--by",
            "pod",
            "--format",
            "json",
            "--ip",
            "203.0.113.9",
        ],
        None,
        0,
        &[],
    );
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let rows = v.as_array().unwrap();
    assert_eq!(rows.len(), 5 * 4);
    assert_eq!(rows[0]["from"], "dev/tool");
    assert!(rows.iter().all(|r| r["connections"].is_string()));
    let empty = check(
        &["connlist", "-", "--format", "json"],
        Some("kind: Namespace\nmetadata: {name: a}\n"),
        0,
        &[],
    );
    assert_eq!(empty, "[]\n");
}

/// The directory walker against random trees (a fuzzer of sorts, seeded so a failure
/// can be replayed): nested directories, one pod per regular file, and symbolic links
/// from anywhere to anywhere (directories above and below, files, nothing), FIFOs. Every
/// run must end, read each regular file exactly once (no object defined twice, every
/// pod present) and exit 0.
#[cfg(unix)]
#[test]
fn random_trees_with_links_read_every_file_once() {
    use std::os::unix::fs::symlink;
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n as u64) as usize
    };
    for seed in 0..20 {
        let dir = temp_dir(&format!("tree-{seed}"));
        let mut dirs = vec![PathBuf::from("d")];
        std::fs::create_dir_all(dir.join("d")).unwrap();
        for i in 0..(2 + next(6)) {
            let parent = dirs[next(dirs.len())].clone();
            let d = parent.join(format!("sub{i}"));
            std::fs::create_dir_all(dir.join(&d)).unwrap();
            dirs.push(d);
        }
        let mut pods = Vec::new();
        let mut files = Vec::new();
        for i in 0..(1 + next(8)) {
            let at = dirs[next(dirs.len())].join(format!("pod{i}.yaml"));
            std::fs::write(
                dir.join(&at),
                format!("apiVersion: v1\nkind: Pod\nmetadata: {{name: pod{i}, namespace: ns}}\n"),
            )
            .unwrap();
            pods.push(format!("ns/pod{i}"));
            files.push(at);
        }
        for i in 0..(1 + next(8)) {
            let from = dir.join(&dirs[next(dirs.len())]);
            let name = format!("link{i}.yaml");
            // Absolute targets: a directory (maybe an ancestor: a loop), a file, nothing.
            let target = match next(3) {
                0 => dir.join(&dirs[next(dirs.len())]),
                1 => dir.join(&files[next(files.len())]),
                _ => dir.join("missing"),
            };
            symlink(&target, from.join(name)).unwrap();
        }
        if next(2) == 0 {
            let fifo = dir.join(&dirs[next(dirs.len())]).join("fifo.yaml");
            assert!(Command::new("mkfifo")
                .arg(&fifo)
                .status()
                .unwrap()
                .success());
        }
        let run = exec_in(
            &dir,
            &["matrix", "d", "--port", "80", "--format", "json"],
            Stdin::Closed,
        );
        assert_eq!(
            run.code,
            Some(0),
            "seed {seed}\n{}{}",
            run.stdout,
            run.stderr
        );
        assert!(
            !run.stderr.contains("more than once"),
            "seed {seed}: a file was read twice\n{}",
            run.stderr
        );
        let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        let mut got: Vec<String> = json["endpoints"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e.as_str().unwrap_or("").to_string())
            .collect();
        netpol::sort::ord(&mut got);
        netpol::sort::ord(&mut pods);
        assert_eq!(got, pods, "seed {seed}\n{}", run.stderr);
        let _ = std::fs::remove_dir_all(&dir);
    }
}

/// UTF-16 with a byte order mark (Windows editors, PowerShell's `>`): kubectl's reader
/// decodes it by the BOM, and so does the CLI; both byte orders.
#[test]
fn utf16_files_with_a_bom_are_read() {
    let dir = temp_dir("utf16");
    let text = "apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: shop}\n---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny, namespace: shop}\nspec: {podSelector: {}, policyTypes: [Ingress]}\n";
    let units: Vec<u16> = text.encode_utf16().collect();
    let le: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(units.iter().flat_map(|u| u.to_le_bytes()))
        .collect();
    let be: Vec<u8> = [0xFE, 0xFF]
        .into_iter()
        .chain(units.iter().flat_map(|u| u.to_be_bytes()))
        .collect();
    std::fs::write(dir.join("le.yaml"), le).unwrap();
    std::fs::write(dir.join("be.yaml"), be).unwrap();
    for f in ["le.yaml", "be.yaml"] {
        check_run(
            &dir,
            &[
                "query",
                f,
                "--from",
                "203.0.113.9",
                "--to",
                "shop/web",
                "--port",
                "80",
            ],
            Stdin::Closed,
            0,
            &["DENIED", "isolated by shop/deny"],
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// `DIR/NAME.args` -> `NAME.EXT`: a command's stdout, byte for byte; `# exit: N` lines
/// give the exit code (default 0); `UPDATE_EXPECT=1` rewrites the snapshots. `valid`
/// checks each output first (e.g. that it parses).
fn snapshots(dir: &str, ext: &str, min: usize, valid: fn(&Path, &str)) {
    let dir = root().join(dir);
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let mut names: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "args"))
        .collect();
    netpol::sort::ord(&mut names);
    assert!(names.len() >= min, "{names:?}");
    let mut failures = Vec::new();
    for args_file in names {
        let text = std::fs::read_to_string(&args_file).unwrap();
        let code = text
            .lines()
            .find_map(|l| l.strip_prefix("# exit: "))
            .map_or(0, |c| c.trim().parse().unwrap());
        let args: Vec<&str> = text.lines().filter(|l| !l.starts_with('#')).collect();
        let run = exec_in(&root(), &args, Stdin::Closed);
        assert_eq!(run.code, Some(code), "{args_file:?}\n{}", run.stderr);
        valid(&args_file, &run.stdout);
        let expected_file = args_file.with_extension(ext);
        if update {
            std::fs::write(&expected_file, &run.stdout).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&expected_file).unwrap_or_default();
        if expected != run.stdout {
            failures.push(format!(
                "{}: output differs from the snapshot (UPDATE_EXPECT=1 rewrites it)\n{}",
                expected_file.display(),
                run.stdout
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// `tests/json/NAME.args` -> `NAME.json`: the JSON of every command, byte for byte (see
/// `tests/json/README.md`).
#[test]
fn json_output_snapshots() {
    snapshots("crates/netpol-cli/tests/json", "json", 8, |file, out| {
        serde_json::from_str::<serde_json::Value>(out)
            .unwrap_or_else(|e| panic!("{file:?}: not JSON: {e}\n{out}"));
    });
}

/// `tests/reports/NAME.args` -> `NAME.out`: the reports CI systems read (SARIF, GitHub
/// annotations, TAP, JUnit), byte for byte; `scripts/check-reports.sh` validates them
/// with independent readers.
#[test]
fn ci_report_snapshots() {
    snapshots("crates/netpol-cli/tests/reports", "out", 4, |file, out| {
        let name = file.file_name().unwrap().to_string_lossy();
        if name.contains("sarif") {
            let v: serde_json::Value = serde_json::from_str(out)
                .unwrap_or_else(|e| panic!("{file:?}: not JSON: {e}\n{out}"));
            assert_eq!(v["version"], "2.1.0", "{file:?}");
            let run = &v["runs"][0];
            let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
            let results = run["results"].as_array().unwrap();
            assert!(!results.is_empty(), "{file:?}");
            for r in results {
                let i = r["ruleIndex"].as_u64().unwrap() as usize;
                assert_eq!(rules[i]["id"], r["ruleId"], "{file:?}");
                assert!(["error", "warning", "note"].contains(&r["level"].as_str().unwrap()));
            }
        }
    });
}

/// `tests/formats.txt`: every command in every format, printed or refused by name.
#[test]
fn formats_a_command_cannot_print_are_refused() {
    let table =
        std::fs::read_to_string(root().join("crates/netpol-cli/tests/formats.txt")).unwrap();
    let header = table
        .lines()
        .find_map(|l| l.strip_prefix("# command"))
        .expect("a `# command FORMAT... | arguments` header");
    let formats: Vec<&str> = header
        .split('|')
        .next()
        .unwrap()
        .split_whitespace()
        .collect();
    assert!(formats.len() >= 6, "{formats:?}");
    let mut rows = 0;
    for line in table
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let (cells, args) = line.split_once('|').unwrap();
        let cells: Vec<&str> = cells.split_whitespace().collect();
        let (command, can) = (cells[0], &cells[1..]);
        assert_eq!(can.len(), formats.len(), "{line}");
        let able: Vec<&str> = formats
            .iter()
            .zip(can)
            .filter(|(_, c)| **c == "yes")
            .map(|(f, _)| *f)
            .collect();
        for (format, can) in formats.iter().zip(can) {
            let mut argv = vec![command];
            argv.extend(args.split_whitespace());
            argv.extend(["--format", format]);
            let run = exec_in(&root(), &argv, Stdin::Closed);
            match *can {
                "yes" => assert!(
                    matches!(run.code, Some(0 | 1)) && !run.stdout.is_empty(),
                    "netpol {argv:?}\n{}{}",
                    run.stdout,
                    run.stderr
                ),
                "no" => {
                    let (last, rest) = able.split_last().unwrap();
                    let list = if rest.is_empty() {
                        last.to_string()
                    } else {
                        format!("{} or {last}", rest.join(", "))
                    };
                    let msg = format!(
                        "error: `--format {format}` is not available for `{command}`; use {list}\n"
                    );
                    assert_eq!(run.code, Some(2), "netpol {argv:?}\n{}", run.stderr);
                    assert_eq!(run.stderr, msg, "netpol {argv:?}");
                    assert!(run.stdout.is_empty(), "netpol {argv:?}\n{}", run.stdout);
                }
                other => panic!("{line}: `{other}` is neither yes nor no"),
            }
        }
        rows += 1;
    }
    assert!(rows >= 6);
}

/// `--fix` through `dns:` when the input has no DNS at all: the CoreDNS pod is assumed
/// (in a copy of the cluster), and a suggestion must not name it (this panicked once:
/// the decision's endpoint index pointed past the input's endpoints).
#[test]
fn fix_through_an_assumed_dns_pod_does_not_panic() {
    let dir = temp_dir("fix-dns");
    std::fs::write(
        dir.join("m.yaml"),
        "apiVersion: v1\nkind: Pod\nmetadata: {name: a, namespace: one}\n---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny, namespace: one}\nspec: {podSelector: {}, policyTypes: [Egress]}\n",
    )
    .unwrap();
    let run = check_run(
        &dir,
        &[
            "query", "m.yaml", "--from", "one/a", "--to", "dns:", "--fix",
        ],
        Stdin::Closed,
        0,
        &["DENIED"],
    );
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    let _ = std::fs::remove_dir_all(&dir);
}

/// `tests/diff/CASE/{before,after}/` (and optional `args`, extra arguments one per line):
/// `netpol diff` in every format against `expected.{txt,json,md,csv}` (`UPDATE_EXPECT=1`
/// rewrites them), and, independently of the snapshots, the JSON pairs equal the set
/// difference of the two sides' `connlist --format json`.
#[test]
fn diff_fixtures() {
    let dir = root().join("tests/diff");
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    netpol::sort::ord(&mut cases);
    assert!(cases.len() >= 9, "{cases:?}");
    let mut failures = Vec::new();
    for case in cases {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let before = format!("tests/diff/{name}/before");
        let after = format!("tests/diff/{name}/after");
        let extra = std::fs::read_to_string(case.join("args")).unwrap_or_default();
        let extra: Vec<&str> = extra.lines().filter(|l| !l.is_empty()).collect();
        for (by, format, ext) in ["pod", "workload"].into_iter().flat_map(|by| {
            [
                ("text", "txt"),
                ("json", "json"),
                ("md", "md"),
                ("csv", "csv"),
            ]
            .map(|(f, e)| (by, f, e))
        }) {
            let mut args = vec!["diff", &before, &after, "--format", format, "--by", by];
            args.extend(&extra);
            let run = exec_in(&root(), &args, Stdin::Closed);
            assert_eq!(run.code, Some(0), "{args:?}\n{}", run.stderr);
            let file = match by {
                "pod" => case.join(format!("expected.{ext}")),
                _ => case.join(format!("expected-{by}.{ext}")),
            };
            if update {
                std::fs::write(&file, &run.stdout).unwrap();
            } else if std::fs::read_to_string(&file).unwrap_or_default() != run.stdout {
                failures.push(format!(
                    "{}: differs (UPDATE_EXPECT=1 rewrites it)\n{}",
                    file.display(),
                    run.stdout
                ));
            }
            if format != "json" {
                continue;
            }
            // The set difference of the two connection lists.
            let connlist = |side: &str| -> std::collections::BTreeMap<(String, String), String> {
                let mut args = vec!["connlist", side, "--format", "json", "--by", by];
                args.extend(&extra);
                let run = exec_in(&root(), &args, Stdin::Closed);
                let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
                v.as_array()
                    .unwrap()
                    .iter()
                    .map(|e| {
                        let s = |k: &str| e[k].as_str().unwrap().to_string();
                        ((s("from"), s("to")), s("connections"))
                    })
                    .collect()
            };
            let (b, a) = (connlist(&before), connlist(&after));
            let none = "No connections".to_string();
            let mut expected = Vec::new();
            let keys: std::collections::BTreeSet<_> = b.keys().chain(a.keys()).collect();
            for k in keys {
                let (x, y) = (b.get(k).unwrap_or(&none), a.get(k).unwrap_or(&none));
                if x != y {
                    let change = if *x == none {
                        "added"
                    } else if *y == none {
                        "removed"
                    } else {
                        "changed"
                    };
                    expected.push((k.0.clone(), k.1.clone(), x.clone(), y.clone(), change));
                }
            }
            let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
            let got: Vec<_> = v
                .as_array()
                .unwrap()
                .iter()
                .map(|e| {
                    let s = |k: &str| e[k].as_str().unwrap().to_string();
                    let change = match e["change"].as_str().unwrap() {
                        "added" => "added",
                        "removed" => "removed",
                        _ => "changed",
                    };
                    (s("from"), s("to"), s("before"), s("after"), change)
                })
                .collect();
            // By workload, address ranges are cut by both versions' policies (and
            // adjacent ones that changed alike merged), so the two connlists name them
            // differently: the set difference holds for everything else.
            let inside = |v: Vec<(String, String, String, String, &'static str)>| -> Vec<_> {
                v.into_iter()
                    .filter(|p| {
                        by == "pod" || !(p.0.ends_with("[External]") || p.1.ends_with("[External]"))
                    })
                    .collect()
            };
            let (got_inside, expected) = (inside(got.clone()), inside(expected));
            assert_eq!(
                got_inside, expected,
                "{name}: diff --by {by} is not connlist(after) - connlist(before)"
            );
            if name != "moved-and-reformatted" {
                assert!(!got.is_empty(), "{name}: the fixture changes nothing");
            }
            // Every listed pair has a cause.
            for e in v.as_array().unwrap() {
                assert!(
                    !e["causes"].as_array().unwrap().is_empty(),
                    "{name}: no cause for {e}"
                );
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// `tests/diff/CASE/`: `netpol diff --conn-style np-guard` (by workload) in text, md and
/// csv against `expected-np-guard.{txt,md,csv}` (`UPDATE_EXPECT=1` rewrites them); every
/// np-guard line is a pair of our JSON diff (the names are the same, but for the
/// assumed ingress controller, one line per controller namespace), and every pair of it
/// is a line unless only ICMP changed (np-guard has no ICMP).
#[test]
fn diff_fixtures_in_np_guard_style() {
    let dir = root().join("tests/diff");
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    netpol::sort::ord(&mut cases);
    let mut failures = Vec::new();
    for case in cases {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let before = format!("tests/diff/{name}/before");
        let after = format!("tests/diff/{name}/after");
        let extra = std::fs::read_to_string(case.join("args")).unwrap_or_default();
        let extra: Vec<&str> = extra.lines().filter(|l| !l.is_empty()).collect();
        for (format, ext) in [("text", "txt"), ("md", "md"), ("csv", "csv")] {
            let mut args = vec!["diff", &before, &after, "--conn-style", "np-guard"];
            args.extend(["--format", format]);
            args.extend(&extra);
            let run = exec_in(&root(), &args, Stdin::Closed);
            assert_eq!(run.code, Some(0), "{args:?}\n{}", run.stderr);
            let file = case.join(format!("expected-np-guard.{ext}"));
            if update {
                std::fs::write(&file, &run.stdout).unwrap();
            } else if std::fs::read_to_string(&file).unwrap_or_default() != run.stdout {
                failures.push(format!(
                    "{}: differs (UPDATE_EXPECT=1 rewrites it)\n{}",
                    file.display(),
                    run.stdout
                ));
            }
            if format != "text" {
                continue;
            }
            let mut json_args = vec!["diff", &before, &after, "--format", "json"];
            json_args.extend(&extra);
            let json = exec_in(&root(), &json_args, Stdin::Closed);
            let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
            // Our text without ICMP: what np-guard can tell apart.
            let tcp_udp_sctp = |c: &str| -> String {
                let c = match c {
                    "All connections" => "TCP all ports; UDP all ports; SCTP all ports",
                    "No connections" => "",
                    c => c,
                };
                c.split("; ")
                    .filter(|p| *p != "ICMP")
                    .collect::<Vec<_>>()
                    .join("; ")
            };
            let expected: Vec<(String, String)> = v
                .as_array()
                .unwrap()
                .iter()
                .filter(|e| {
                    let s = |k: &str| tcp_udp_sctp(e[k].as_str().unwrap());
                    s("before") != s("after")
                })
                .map(|e| {
                    let s = |k: &str| e[k].as_str().unwrap().to_string();
                    (s("from"), s("to"))
                })
                .collect();
            assert_eq!(
                run.stdout.lines().next(),
                Some("Connectivity diff:"),
                "{name}"
            );
            let mut listed: Vec<(String, String)> = run
                .stdout
                .lines()
                .skip(1)
                .map(|l| {
                    let rest = l.split_once(", source: ").unwrap().1;
                    let (from, rest) = rest.split_once(", destination: ").unwrap();
                    let to = rest.split_once(", ref1: ").unwrap().0;
                    // One line per controller namespace for our assumed controller.
                    let from = match from {
                        "{ingress-nginx}" | "{openshift-ingress-operator}" => {
                            "{ingress-controller}"
                        }
                        f => f,
                    };
                    (from.to_string(), to.to_string())
                })
                .collect();
            netpol::sort::ord(&mut listed);
            listed.dedup();
            let mut expected = expected;
            netpol::sort::ord(&mut expected);
            assert_eq!(
                listed, expected,
                "{name}: np-guard's lines are not our pairs"
            );
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// `diff` reads `-` for one side, directories and files, and `--exit-code` gates on a
/// change.
#[test]
fn diff_reads_stdin_directories_and_sets_exit_codes() {
    let before = "tests/diff/policy-added/before";
    let after = "tests/diff/policy-added/after";
    check(
        &["diff", before, after, "--by", "pod"],
        None,
        0,
        &["2 pair(s) changed"],
    );
    check(&["diff", before, after], None, 0, &["3 pair(s) changed"]);
    check(
        &["diff", before, after, "--exit-code", "--by", "pod"],
        None,
        1,
        &["removed: shop/db => shop/api"],
    );
    check(
        &["diff", before, before, "--exit-code", "--by", "pod"],
        None,
        0,
        &["no connectivity change"],
    );
    // The same objects on stdin (one side) and as a file.
    let cluster = std::fs::read_to_string(root().join(before).join("cluster.yaml")).unwrap();
    check(
        &[
            "diff",
            "-",
            after,
            "--exit-code",
            "--format",
            "csv",
            "--by",
            "pod",
        ],
        Some(&cluster),
        1,
        &["changed,web/front,shop/api,All connections,\"TCP 8080,9090\""],
    );
    check(
        &["diff", after, "-", "--lang", "es", "--by", "pod"],
        Some(&cluster),
        0,
        &[
            "nueva: shop/db => shop/api",
            "motivo: se eliminó NetworkPolicy",
        ],
    );
    check(
        &["diff", "-", "-", "--by", "pod"],
        Some(""),
        2,
        &["only one of BEFORE and AFTER can be `-`"],
    );
    check(
        &["diff", before, after, "--by", "namespace"],
        None,
        2,
        &["invalid value 'namespace' for '--by <BY>'"],
    );
    check(
        &["diff", before, "tests/diff/nope", "--by", "pod"],
        None,
        2,
        &["no such file or directory"],
    );
}

#[test]
fn test_grades_exercises_on_their_solution_or_a_submission() {
    let ex = "examples/exercises/02-egress-allow-dns-and-webapp.yaml";
    // No submission: the reference solution, and the starting manifests must not solve it.
    check(
        &["test", ex],
        None,
        0,
        &[
            "graded on the reference solution",
            "✓ goal: utils resolves names again",
            "✓ the starting manifests do not already solve the exercise",
            "  solved",
        ],
    );
    // A wrong attempt: the failed goal explained, the first hint, exit 1.
    check(
        &[
            "test",
            ex,
            "--submission",
            "examples/exercises/02-egress-allow-dns-and-webapp/wrong",
            "--lang",
            "es",
        ],
        None,
        1,
        &[
            "corregido con la entrega",
            "✗ objetivo: utils vuelve a resolver nombres",
            "se esperaba permitido",
            "pista: Mantén `default-deny-egress`",
            "aún sin resolver",
        ],
    );
    // A submission that breaks a constraint: it relabels a namespace.
    let dir = temp_dir("exercise");
    std::fs::write(
        dir.join("ns.yaml"),
        "apiVersion: v1\nkind: Namespace\nmetadata: {name: utils, labels: {name: utils}}\n",
    )
    .unwrap();
    let sub = dir.display().to_string();
    check(
        &["test", ex, "--submission", &sub],
        None,
        1,
        &["✗ constraint: Do not change the Namespace objects: changed: `utils`"],
    );
    // --submission is for exercises only; an empty submission checks nothing.
    check(
        &[
            "test",
            "examples/seed/02-default-deny-ingress.yaml",
            "--submission",
            &sub,
        ],
        None,
        2,
        &["is not an exercise"],
    );
    let empty = temp_dir("exercise-empty");
    check(
        &["test", ex, "--submission", &empty.display().to_string()],
        None,
        2,
        &["holds no .yaml, .yml or .json file"],
    );
}

/// `tests/exposure/NAME.yaml`: `netpol exposure` in every format (and the Spanish text)
/// against `tests/exposure/cli/NAME.{txt,es.txt,json,md}` (`UPDATE_EXPECT=1` rewrites
/// them); the JSON's exposures are those of the text, one for one.
#[test]
fn exposure_fixtures() {
    let dir = root().join("tests/exposure");
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    netpol::sort::ord(&mut cases);
    assert!(cases.len() >= 6, "{cases:?}");
    let mut failures = Vec::new();
    for case in cases {
        let stem = case.file_stem().unwrap().to_string_lossy().into_owned();
        let file = format!("tests/exposure/{stem}.yaml");
        for (format, lang, ext) in [
            ("text", "en", "txt"),
            ("text", "es", "es.txt"),
            ("json", "en", "json"),
            ("md", "en", "md"),
        ] {
            let args = ["exposure", &file, "--format", format, "--lang", lang];
            let run = exec_in(&root(), &args, Stdin::Closed);
            assert_eq!(run.code, Some(0), "{args:?}\n{}", run.stderr);
            let expected = dir.join("cli").join(format!("{stem}.{ext}"));
            if update {
                std::fs::create_dir_all(dir.join("cli")).unwrap();
                std::fs::write(&expected, &run.stdout).unwrap();
            } else if std::fs::read_to_string(&expected).unwrap_or_default() != run.stdout {
                failures.push(format!(
                    "{}: differs (UPDATE_EXPECT=1 rewrites it)\n{}",
                    expected.display(),
                    run.stdout
                ));
            }
            if format == "json" {
                let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
                let items: usize = v
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|w| {
                        ["ingress", "egress"]
                            .iter()
                            .map(|d| w[d]["exposures"].as_array().unwrap().len())
                            .sum::<usize>()
                    })
                    .sum();
                let text = exec_in(&root(), &["exposure", &file], Stdin::Closed);
                let lines = text
                    .stdout
                    .lines()
                    .filter(|l| l.starts_with("    - "))
                    .count();
                assert_eq!(items, lines, "{file}");
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn exposure_flags() {
    let file = "tests/exposure/peer-kinds.yaml";
    let run = exec_in(
        &root(),
        &["exposure", file, "--focus", "shop/web"],
        Stdin::Closed,
    );
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(run.stdout.starts_with("shop/web[Pod]\n"), "{}", run.stdout);
    assert!(!run.stdout.contains("web/front[Pod]\n"), "{}", run.stdout);
    let run = exec_in(
        &root(),
        &["exposure", file, "--focus", "shop/nope"],
        Stdin::Closed,
    );
    assert_eq!(run.code, Some(2));
    assert!(
        run.stderr.contains("unknown workload `shop/nope`"),
        "{}",
        run.stderr
    );
    let run = exec_in(
        &root(),
        &["exposure", file, "--format", "csv"],
        Stdin::Closed,
    );
    assert_eq!(run.code, Some(2));
    assert!(
        run.stderr
            .contains("`--format csv` is not available for `exposure`; use text, json or md"),
        "{}",
        run.stderr
    );
    let run = exec_in(&root(), &["exposure", file, "--lang", "fr"], Stdin::Closed);
    assert_eq!(run.code, Some(2));
}

/// `query --patch`: the smallest rule edits as a unified diff that `git apply` takes on
/// the files as given, after which the connection is allowed; both denying sides get
/// their edit, in two files here.
#[test]
fn query_patch_applies_with_git_and_allows() {
    let dir = temp_dir("patch");
    let text = std::fs::read_to_string(root().join("tests/rule-edits/both-sides.yaml")).unwrap();
    // The egress policy in its own file, the rest in another (the patch names both).
    let (cluster, web_out) = {
        let at = text
            .find(
                "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: web-out",
            )
            .unwrap();
        let end = text[at..].find("---\n").map_or(text.len(), |i| at + i + 4);
        (
            format!("{}{}", &text[..at], &text[end..]),
            text[at..end].to_string(),
        )
    };
    std::fs::create_dir_all(dir.join("m")).unwrap();
    std::fs::write(dir.join("m/cluster.yaml"), &cluster).unwrap();
    std::fs::write(dir.join("m/web-out.yaml"), &web_out).unwrap();
    let ask = [
        "query",
        "m",
        "--from",
        "shop/web",
        "--to",
        "utils/tool",
        "--port",
        "9090",
    ];
    let mut args = ask.to_vec();
    args.push("--patch");
    let run = check_run(&dir, &args, Stdin::Closed, 0, &["DENIED"]);
    let patch = run.stdout;
    assert!(
        patch.contains("--- a/m/web-out.yaml\n+++ b/m/web-out.yaml\n"),
        "{patch}"
    );
    assert!(
        patch.contains("+    - {port: 9090, protocol: TCP}\n"),
        "{patch}"
    );
    assert!(
        patch.contains("--- a/m/cluster.yaml\n+++ b/m/cluster.yaml\n"),
        "{patch}"
    );
    assert!(
        patch.contains("+    - {namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: shop}}, podSelector: {matchLabels: {app: web}}}\n"),
        "{patch}"
    );
    std::fs::write(dir.join("fix.patch"), &patch).unwrap();
    let git = Command::new("git")
        .args(["apply", "--verbose", "fix.patch"])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(
        git.status.success(),
        "git apply: {}\n{patch}",
        String::from_utf8_lossy(&git.stderr)
    );
    check_run(&dir, &ask, Stdin::Closed, 0, &["ALLOWED"]);
    // Allowed now: nothing to edit, and no output.
    let run = check_run(&dir, &args, Stdin::Closed, 0, &["nothing to edit"]);
    assert_eq!(run.stdout, "");
    // No rule comes close: says so, prints nothing.
    let none = root().join("tests/rule-edits/no-edit-when-nothing-is-close.yaml");
    let none = none.to_str().unwrap();
    let run = check_run(
        &dir,
        &[
            "query", none, "--from", "shop/api", "--to", "shop/db", "--port", "5432", "--patch",
        ],
        Stdin::Closed,
        0,
        &["no existing rule comes close"],
    );
    assert_eq!(run.stdout, "");
}

#[test]
fn a_scenario_given_as_input_is_read_as_its_manifests() {
    // Two steps of the course, as files: the diff of their manifests (the cluster file
    // relative to the scenario, the step's inline policy), as `netpol test` loads them.
    let out = check(
        &[
            "diff",
            "examples/seed/02-default-deny-ingress.yaml",
            "examples/seed/10-allow-port-80-tcp.yaml",
            "--exit-code",
        ],
        None,
        1,
        &[
            "note: `examples/seed/02-default-deny-ingress.yaml` is a scenario: its 2 manifest(s) are read",
            "added: utils/utils[Deployment] => webapp-balanced/webapp-balanced[Deployment] : No connections -> TCP 80",
            "NetworkPolicy `webapp-balanced/default-deny-ingress` edited: `spec.podSelector` edited, `spec.ingress[0]` added (examples/seed/10-allow-port-80-tcp.yaml#manifests[1]:",
            "5 pair(s) changed: 5 added, 0 removed, 0 changed",
        ],
    );
    assert!(!out.contains("removed:"), "{out}");
    // The same connections as the manifests written out.
    let dir = temp_dir("scenario-input");
    let scenario =
        std::fs::read_to_string(root().join("examples/seed/10-allow-port-80-tcp.yaml")).unwrap();
    let policy = scenario
        .split("  - cluster.yaml\n")
        .nth(1)
        .and_then(|rest| rest.split("\nexpect:").next())
        .unwrap()
        .replacen("  - ", "", 1)
        .lines()
        .map(|l| l.strip_prefix("    ").unwrap_or(l))
        .collect::<Vec<_>>()
        .join("\n");
    let plain = dir.join("step10.yaml");
    let cluster = std::fs::read_to_string(root().join(SEED)).unwrap();
    std::fs::write(&plain, format!("{cluster}\n---\n{policy}\n")).unwrap();
    let from_scenario = check(
        &["connlist", "examples/seed/10-allow-port-80-tcp.yaml"],
        None,
        0,
        &[],
    );
    let from_files = check(&["connlist", plain.to_str().unwrap()], None, 0, &[]);
    assert_eq!(from_scenario, from_files);
    // A scenario whose manifest is missing is an error that names it.
    let broken = dir.join("broken.yaml");
    std::fs::write(
        &broken,
        "name: x\nmanifests:\n  - nowhere.yaml\nexpect:\n  - {from: a/b, to: c/d, port: 80, allowed: true}\n",
    )
    .unwrap();
    check(
        &["connlist", broken.to_str().unwrap()],
        None,
        2,
        &["is a scenario: cannot read manifest `nowhere.yaml`"],
    );
}

/// A recorded output with its departures applied: each hunk (lines up to a blank one) of
/// `- LINE` lines (which must all be in the output) is replaced, where its first line
/// was, by its `+ LINE` lines; `#` lines say why (see `tests/np-guard/README.md`).
fn with_departures(recorded: &str, departures: &str, file: &Path) -> Vec<String> {
    let mut lines: Vec<String> = recorded.lines().map(str::to_string).collect();
    let mut hunks: Vec<(Vec<&str>, Vec<&str>)> = Vec::new();
    // A blank line ends a hunk.
    let mut open = false;
    for l in departures.lines().filter(|l| !l.starts_with('#')) {
        if l.trim().is_empty() {
            open = false;
        } else if let Some(old) = l.strip_prefix("- ") {
            match hunks.last_mut() {
                Some((olds, new)) if open && new.is_empty() => olds.push(old),
                _ => hunks.push((vec![old], Vec::new())),
            }
            open = true;
        } else if let Some(new) = l.strip_prefix("+ ") {
            match hunks.last_mut() {
                Some((_, news)) if open => news.push(new),
                _ => hunks.push((Vec::new(), vec![new])),
            }
            open = true;
        } else {
            panic!("{file:?}: `{l}` is neither `# why`, `- recorded` nor `+ ours`");
        }
    }
    for (old, new) in hunks {
        let at = match old.first() {
            Some(first) => lines
                .iter()
                .position(|l| l == first)
                .unwrap_or_else(|| panic!("{file:?}: `{first}` is not in the recorded output")),
            None => lines.len(),
        };
        for o in &old {
            let i = lines
                .iter()
                .position(|l| l == o)
                .unwrap_or_else(|| panic!("{file:?}: `{o}` is not in the recorded output"));
            lines.remove(i);
        }
        let at = at.min(lines.len());
        lines.splice(at..at, new.iter().map(|s| s.to_string()));
    }
    lines
}

/// `crates/netpol-cli/tests/np-guard/DIR/`: an input of np-guard's netpol-analyzer tests
/// (`input/`) and its recorded outputs (`NAME.txt`, `.md`, `.csv`, `.json`, `.dot`;
/// where they come from: `README.md` there). `netpol connlist input/ --conn-style
/// STYLE` (`np-guard`, or what `DIR/conn-style` or `NAME.EXT.conn-style` says) in that
/// format must print them
/// line for line, but for the lines an optional `NAME.EXT.departures` replaces, each
/// with its reason.
#[test]
fn np_guard_recorded_outputs() {
    let base = "crates/netpol-cli/tests/np-guard";
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root().join(base))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    netpol::sort::ord(&mut dirs);
    assert!(dirs.len() >= 3, "{dirs:?}");
    let mut compared = 0;
    for dir in dirs {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let input = format!("{base}/{name}/input");
        // The np-guard version the outputs are of: `np-guard` (now) or `np-guard-legacy`
        // (address ranges without `[External]`).
        let style = std::fs::read_to_string(dir.join("conn-style"))
            .map_or_else(|_| "np-guard".to_string(), |s| s.trim().to_string());
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| {
                p.extension()
                    .is_some_and(|e| ["txt", "md", "csv", "json", "dot"].iter().any(|x| e == *x))
            })
            .collect();
        netpol::sort::ord(&mut files);
        assert!(!files.is_empty(), "{dir:?}: no recorded output");
        for file in files {
            let ext = file.extension().unwrap().to_string_lossy().into_owned();
            let format = if ext == "txt" {
                "text".to_string()
            } else {
                ext
            };
            // `NAME.EXT.conn-style` overrides the directory's.
            let style = std::fs::read_to_string(format!("{}.conn-style", file.display()))
                .map_or_else(|_| style.clone(), |s| s.trim().to_string());
            let args = [
                "connlist",
                &input,
                "--conn-style",
                &style,
                "--format",
                &format,
            ];
            let run = exec_in(&root(), &args, Stdin::Closed);
            assert_eq!(run.code, Some(0), "{args:?}\n{}", run.stderr);
            let recorded = std::fs::read_to_string(&file).unwrap();
            let departures_file = PathBuf::from(format!("{}.departures", file.display()));
            let departures = std::fs::read_to_string(&departures_file).unwrap_or_default();
            let expected = with_departures(&recorded, &departures, &departures_file);
            let ours: Vec<&str> = run.stdout.lines().collect();
            assert_eq!(
                ours,
                expected.iter().map(String::as_str).collect::<Vec<_>>(),
                "{}: `netpol {}` differs from np-guard's recorded output",
                file.display(),
                args.join(" ")
            );
            compared += 1;
        }
    }
    assert!(compared >= 6, "{compared}");
}

/// What np-guard cannot print (or whose layout we do not reproduce) is a usage error in
/// its style, before anything is read, never our format in its place.
#[test]
fn np_guard_style_refuses_what_it_cannot_print() {
    let diff = [
        "tests/diff/policy-added/before",
        "tests/diff/policy-added/after",
    ];
    for (style, can) in [
        ("np-guard", "text, json, csv or md"),
        ("np-guard-legacy", "text, json, csv, md or dot"),
    ] {
        let cannot: &[&str] = if style == "np-guard" {
            &["dot", "mermaid", "sarif", "github", "junit", "tap"]
        } else {
            &["mermaid", "sarif", "github", "junit", "tap"]
        };
        for format in cannot {
            let run = exec_in(
                &root(),
                &["connlist", SEED, "--conn-style", style, "--format", format],
                Stdin::Closed,
            );
            assert_eq!(run.code, Some(2), "{format}\n{}", run.stderr);
            assert_eq!(
                run.stderr,
                format!("error: `--format {format}` is not available for `connlist --conn-style {style}`; use {can} (or `--conn-style netpol`)\n")
            );
            assert!(run.stdout.is_empty());
        }
        for format in ["json", "dot"] {
            let run = exec_in(
                &root(),
                &[
                    "diff",
                    diff[0],
                    diff[1],
                    "--conn-style",
                    style,
                    "--format",
                    format,
                ],
                Stdin::Closed,
            );
            assert_eq!(run.code, Some(2), "{format}\n{}", run.stderr);
            assert_eq!(
                run.stderr,
                format!("error: `--format {format}` is not available for `diff --conn-style {style}`; use text, csv or md (or `--conn-style netpol`)\n")
            );
            assert!(run.stdout.is_empty());
        }
        for args in [
            vec!["connlist", SEED, "--by", "pod"],
            vec!["diff", diff[0], diff[1], "--by", "pod"],
        ] {
            let mut args = args;
            args.extend(["--conn-style", style]);
            let run = exec_in(&root(), &args, Stdin::Closed);
            assert_eq!(run.code, Some(2), "{args:?}\n{}", run.stderr);
            assert!(run.stderr.contains("has no pod list"), "{}", run.stderr);
            assert!(run.stdout.is_empty());
        }
    }
    // --focus and --exit-code work as in our style.
    let focused = check(
        &[
            "connlist",
            "tests/scenarios/cluster.yaml",
            "--focus",
            "shop/api",
            "--conn-style",
            "np-guard",
        ],
        None,
        0,
        &["dev/tool[Pod] => shop/api[Pod] : All Connections"],
    );
    assert!(
        focused.lines().all(|l| l.contains("shop/api[Pod]")),
        "{focused}"
    );
    check(
        &[
            "diff",
            diff[0],
            diff[1],
            "--conn-style",
            "np-guard",
            "--exit-code",
        ],
        None,
        1,
        &["Connectivity diff:\ndiff-type: "],
    );
    // The default is our style, unchanged.
    let ours = check(&["connlist", SEED], None, 0, &["[External]"]);
    let named = check(&["connlist", SEED, "--conn-style", "netpol"], None, 0, &[]);
    assert_eq!(ours, named);
}

/// np-guard assumes two ingress controllers, a pod in `ingress-nginx` and one in
/// `openshift-ingress-operator`: a policy that lets in only one of them gets one line in
/// its style (our `{ingress-controller}` is their union), and the legacy style keeps
/// np-guard's earlier single `{ingress-controller}`.
#[test]
fn np_guard_style_splits_the_ingress_controller_by_namespace() {
    let dir = temp_dir("np-guard-controllers");
    let demo =
        root().join("crates/netpol-cli/tests/np-guard/demo_app_with_routes_and_ingress/input");
    for f in [
        "hello-world-deployment-and-service.yaml",
        "hello-world-ingress.yaml",
    ] {
        std::fs::copy(demo.join(f), dir.join(f)).unwrap();
    }
    std::fs::write(
        dir.join("only-nginx.yaml"),
        "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: only-nginx, namespace: helloworld}\nspec:\n  podSelector: {}\n  policyTypes: [Ingress]\n  ingress:\n  - from:\n    - namespaceSelector:\n        matchLabels: {kubernetes.io/metadata.name: ingress-nginx}\n",
    )
    .unwrap();
    let run = |style: &str| {
        let r = check_run(
            &dir,
            &["connlist", ".", "--conn-style", style],
            Stdin::Closed,
            0,
            &[],
        );
        r.stdout
            .lines()
            .filter(|l| l.starts_with('{'))
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        run("np-guard"),
        ["{ingress-nginx} => helloworld/hello-world[Deployment] : TCP 8000"]
    );
    assert_eq!(
        run("np-guard-legacy"),
        ["{ingress-controller} => helloworld/hello-world[Deployment] : TCP 8000"]
    );
    let _ = std::fs::remove_dir_all(&dir);
}
