//! Hostile input: every case is generated here (some are megabytes), loaded with the
//! default limits, and must come back with the expected diagnostics, never a panic and
//! never unbounded work. The limits themselves are in `docs/limits.md`.
//!
//! No timings are asserted: bounded work shows as the limit's diagnostic and as how much
//! was (not) loaded. `tests/hostile/*.yaml` are fixtures for the same checks (fuzzer
//! finds among them): each is loaded, linted and evaluated without a panic, and its
//! `.expected` snapshot holds every diagnostic it gives, info included (`UPDATE_EXPECT=1`
//! rewrites them).

mod common;

use netpol::eval::PortQuery;
use netpol::yaml::Limits;
use netpol::{Engine, LineIndex, Loaded, QueryProtocol, Source};

struct Case {
    name: &'static str,
    input: fn() -> Vec<String>,
    /// `CODE: TEXT` (TEXT a substring of the message) or `CODE@LINE:COL: TEXT`.
    expect: &'static [&'static str],
    /// Number of diagnostics, when it matters (the cap, a single refusal).
    diagnostics: Option<usize>,
    endpoints: usize,
}

const POD: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p{i}\n  namespace: ns{n}\n  labels: {app: a{i}}\nspec:\n  containers: [{name: c, image: x, ports: [{containerPort: 80, name: http}]}]\n";

fn pods(count: usize) -> String {
    (0..count)
        .map(|i| {
            POD.replace("{i}", &i.to_string())
                .replace("{n}", &(i % 50).to_string())
        })
        .collect::<Vec<_>>()
        .join("---\n")
}

/// Pod documents (names repeat) cut at exactly `size` bytes.
fn pods_of_size(size: usize) -> String {
    let unit = pods(1_000) + "---\n";
    let mut s = unit.repeat(size / unit.len() + 1);
    s.truncate(size);
    s
}

/// `levels` anchors, each a list of ten aliases of the previous one: 10^levels nodes.
fn laughs(levels: usize) -> String {
    let mut s = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..levels {
        let prev = format!("*a{}", i - 1);
        s.push_str(&format!("a{i}: &a{i} [{}]\n", vec![prev; 10].join(", ")));
    }
    s
}

/// Deterministic junk bytes (xorshift), read lossily as the CLI reads files.
fn junk(len: usize) -> String {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let bytes: Vec<u8> = (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect();
    String::from_utf8_lossy(&bytes).into_owned()
}

fn one(s: String) -> Vec<String> {
    vec![s]
}

const MIB: usize = 1024 * 1024;

const CASES: &[Case] = &[
    Case {
        name: "billion laughs",
        input: || one(laughs(10)),
        expect: &["input-limit@6:25: the input copies more than 500000 YAML nodes through aliases (an alias bomb?); this document and the ones after it were not loaded"],
        diagnostics: Some(1),
        endpoints: 0,
    },
    Case {
        // Each document stays under the alias limit; together they do not.
        name: "a small alias bomb in each of 1,000 documents",
        input: || one(vec![laughs(5); 1000].join("---\n")),
        expect: &[
            "input-limit: the input copies more than 500000 YAML nodes through aliases (an alias bomb?); this document and the ones after it were not loaded",
            "missing-kind: object has no `kind`",
        ],
        // Four documents load (and lack a kind), the fifth spends the rest.
        diagnostics: Some(5),
        endpoints: 0,
    },
    Case {
        name: "100,000 opening brackets",
        input: || one("[".repeat(100_000)),
        expect: &["input-limit@1:65: nesting deeper than 64 levels; the document was not loaded"],
        diagnostics: Some(1),
        endpoints: 0,
    },
    Case {
        name: "1,000 nested block mappings",
        input: || one((0..1000).map(|i| format!("{}a:\n", "  ".repeat(i))).collect()),
        expect: &["input-limit@65:129: nesting deeper than 64 levels"],
        diagnostics: Some(1),
        endpoints: 0,
    },
    Case {
        // Each anchor is 40 deep; an alias inside another 40 would make 80.
        name: "aliases nest past the depth limit",
        input: || {
            one(format!(
                "a: &a {}x{}\nb: {}*a{}\n",
                "[".repeat(40),
                "]".repeat(40),
                "[".repeat(40),
                "]".repeat(40)
            ))
        },
        expect: &["input-limit@2:44: nesting deeper than 64 levels through alias `a`"],
        diagnostics: Some(1),
        endpoints: 0,
    },
    Case {
        name: "10,000 pod documents load",
        input: || one(pods(10_000)),
        expect: &["implicit-namespace: namespace `ns0` is not declared"],
        diagnostics: Some(50),
        endpoints: 10_000,
    },
    Case {
        name: "12,000 pod documents: the first 10,000 load",
        input: || one(pods(12_000)),
        expect: &["input-limit@90000:1: the input has 12000 documents, more than the limit of 10000; this one and the 1999 after it were not loaded"],
        diagnostics: Some(51),
        endpoints: 10_000,
    },
    Case {
        name: "100,000 documents of junk",
        input: || one("---\n- 1\n".repeat(100_000)),
        expect: &[
            "not-an-object: this document is a list of 1 item(s), not a Kubernetes object",
            "too-many-diagnostics: 9001 more diagnostics (9001 of them errors) are not shown (the limit is 1000)",
        ],
        diagnostics: Some(1001),
        endpoints: 0,
    },
    Case {
        name: "a 50 MB paste",
        input: || {
            one(pods_of_size(50 * MIB))
        },
        expect: &["input-too-large@1:1: the input is 50 MiB, more than the limit of 16 MiB; it was not loaded"],
        diagnostics: Some(1),
        endpoints: 0,
    },
    Case {
        name: "two 10 MB files",
        input: || vec![pods_of_size(10 * MIB); 2],
        expect: &["input-too-large@1:1: this input (10 MiB) brings the total past the limit of 16 MiB; it was not loaded"],
        // The first file loads (its 1,000 pod names repeat: 1,000 endpoints and duplicate
        // errors past the diagnostics cap, which keeps the limit's error all the same).
        diagnostics: Some(1001),
        endpoints: 1_000,
    },
    Case {
        name: "a 1 MB scalar on one line",
        input: || one(format!("a: {}\n", "x".repeat(MIB))),
        expect: &["missing-kind@1:1: object has no `kind`"],
        diagnostics: Some(1),
        endpoints: 0,
    },
    Case {
        name: "a 1 MB flow sequence on one line",
        input: || one(format!("[{}]\n", vec!["1"; MIB / 2].join(","))),
        expect: &["not-an-object@1:1: this document is a list of 524288 item(s), not a Kubernetes object"],
        diagnostics: Some(1),
        endpoints: 0,
    },
    Case {
        name: "a 1 MB line of pods in JSON",
        input: || {
            let pod = r#"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"n"}}"#;
            one(format!(
                r#"{{"apiVersion":"v1","kind":"List","items":[{}]}}"#,
                vec![pod; MIB / pod.len()].join(",")
            ))
        },
        expect: &["duplicate-object: "],
        diagnostics: None,
        endpoints: 1,
    },
    Case {
        // Merging was quadratic (entries x merged entries): 20 aliases of a 30,000-key
        // mapping (428 KB) took 47 s in the release CLI.
        name: "merge keys: 10 aliases of a 20,000-key mapping",
        input: || {
            let keys: Vec<String> = (0..20_000).map(|i| format!("k{i}: v")).collect();
            one(format!(
                "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: ns\n  annotations: &a {{{}}}\n  labels:\n    <<: [{}]\n    app: web\n",
                keys.join(", "),
                ["*a"; 10].join(", ")
            ))
        },
        expect: &["implicit-namespace: namespace `ns` is not declared"],
        diagnostics: Some(1),
        endpoints: 1,
    },
    Case {
        name: "5 MB of binary junk",
        input: || one(junk(5 * MIB)),
        expect: &["yaml-syntax: invalid YAML: control characters are not allowed"],
        diagnostics: None,
        endpoints: 0,
    },
    Case {
        name: "1 MB of NUL bytes",
        input: || one("\0".repeat(MIB)),
        expect: &["yaml-syntax@1:1: invalid YAML: control characters are not allowed: U+0000 here (binary data?)"],
        diagnostics: Some(1),
        endpoints: 0,
    },
    Case {
        name: "a NUL byte inside a pod",
        input: || one("apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\0b\n  namespace: d\n".into()),
        expect: &["yaml-syntax@4:10: invalid YAML: control characters are not allowed: U+0000 here"],
        diagnostics: Some(1),
        endpoints: 0,
    },
    Case {
        name: "invalid UTF-8, read lossily",
        input: || {
            let bytes = b"apiVersion: v1\nkind: Pod\nmetadata:\n  name: \xff\xfe\xc3(\n  namespace: \xe2\x82\n";
            one(String::from_utf8_lossy(bytes).into_owned())
        },
        expect: &["implicit-namespace: namespace `\u{fffd}` is not declared"],
        diagnostics: None,
        endpoints: 1,
    },
];

fn load(texts: &[String]) -> Loaded {
    let names: Vec<String> = (0..texts.len()).map(|i| format!("input{i}")).collect();
    let sources: Vec<Source<'_>> = names
        .iter()
        .zip(texts)
        .map(|(name, text)| Source { name, text })
        .collect();
    netpol::load_sources(&sources, &Default::default())
}

/// Every diagnostic as `CODE@LINE:COL: MESSAGE`; checks that ranges are usable.
fn rendered(texts: &[String], loaded: &Loaded) -> Vec<String> {
    let indexes: Vec<LineIndex> = texts.iter().map(|t| LineIndex::new(t)).collect();
    loaded
        .diagnostics
        .iter()
        .map(|d| {
            let text = &texts[d.location.source];
            let r = &d.location.range;
            assert!(r.start <= r.end && r.end <= text.len(), "{d:?}");
            assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
            let (line, col) = indexes[d.location.source].line_col(text, r.start);
            format!("{}@{line}:{col}: {}", d.code, d.message)
        })
        .collect()
}

/// The expected diagnostics missing from `got`, as messages.
fn check_expectations(name: &str, got: &[String], expect: &[&str]) -> Vec<String> {
    let mut failures = Vec::new();
    for e in expect {
        let found = got.iter().any(|g| match e.split_once(": ") {
            Some((code, text)) if code.contains('@') => g.starts_with(&format!("{code}: {text}")),
            Some((code, text)) => g.starts_with(&format!("{code}@")) && g.contains(text),
            None => g.contains(e),
        });
        if !found {
            let shown: Vec<&String> = got.iter().take(10).collect();
            failures.push(format!("{name}: no diagnostic `{e}` among {shown:#?}"));
        }
    }
    failures
}

/// The evaluator on whatever loaded: no panic (kept small: the matrix is quadratic).
fn evaluate(loaded: &Loaded) {
    let _ = netpol::lint::lint(&loaded.cluster);
    if loaded.cluster.endpoints.len() <= 50 {
        let engine = Engine::new(loaded.cluster.clone());
        let _ = engine.matrix(QueryProtocol::TCP, &PortQuery::Number(80), &[]);
    }
}

/// Endpoint numbers the engine did not make (a caller's mistake, not a crash): the
/// question is unknown, with the reason, and the connection sets are empty.
#[test]
fn endpoint_numbers_out_of_range_are_unknown_not_a_panic() {
    let loaded = load(&[pods(2)]);
    let engine = Engine::new(loaded.cluster);
    let past = netpol::Target::Endpoint(2);
    let real = netpol::Target::Endpoint(0);
    for (from, to) in [(past, real), (real, past), (past, past)] {
        let d = engine.query(from, to, QueryProtocol::TCP, Some(&PortQuery::Number(80)));
        assert_eq!(d.verdict, netpol::Verdict::Unknown);
        assert_eq!(
            d.error.as_deref(),
            Some("endpoint #2 is not in this cluster")
        );
        assert!(!engine.allowed(from, to, QueryProtocol::TCP, &PortQuery::Number(80)));
        assert!(engine.connections(from, to).is_empty());
        assert!(engine.ingress_connections(from, to).is_empty());
        assert!(engine.egress_connections(from, to).is_empty());
    }
    assert!(engine.selecting(2, netpol::Direction::Ingress).is_empty());
    assert_eq!(engine.name(past), "#2");
    // The real ones still answer.
    let d = engine.query(
        real,
        netpol::Target::Endpoint(1),
        QueryProtocol::TCP,
        Some(&PortQuery::Number(80)),
    );
    assert_eq!(d.verdict, netpol::Verdict::Allowed);
}

#[test]
fn generated_hostile_inputs() {
    let limits = Limits::default();
    let mut failures = Vec::new();
    for case in CASES {
        let texts = (case.input)();
        let loaded = load(&texts);
        let got = rendered(&texts, &loaded);
        failures.extend(check_expectations(case.name, &got, case.expect));
        let count = got.len();
        if count > limits.max_diagnostics + 1 || case.diagnostics.is_some_and(|n| n != count) {
            let shown: Vec<&String> = got.iter().take(5).collect();
            failures.push(format!("{}: {count} diagnostics: {shown:#?}", case.name));
        }
        let endpoints = loaded.cluster.endpoints.len();
        if endpoints != case.endpoints {
            failures.push(format!("{}: {endpoints} endpoints", case.name));
        }
        evaluate(&loaded);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn limits_can_be_raised() {
    let text = pods(3);
    let mut opts = netpol::LoadOptions::default();
    opts.limits.max_input_bytes = 10;
    let refused = netpol::load_sources(
        &[Source {
            name: "a",
            text: &text,
        }],
        &opts,
    );
    assert_eq!(refused.cluster.endpoints.len(), 0);
    opts.limits.max_input_bytes = text.len();
    opts.limits.max_documents = 3;
    let loaded = netpol::load_sources(
        &[Source {
            name: "a",
            text: &text,
        }],
        &opts,
    );
    assert_eq!(loaded.cluster.endpoints.len(), 3);
    assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics);
}

#[test]
fn node_limits_without_aliases() {
    let mut opts = netpol::LoadOptions::default();
    opts.limits.max_nodes = 1_000;
    opts.limits.max_total_nodes = 2_500;
    let doc = format!("[{}]\n", vec!["{}"; 1_000].join(","));
    let text = vec![doc; 4].join("---\n");
    let loaded = netpol::load_sources(
        &[Source {
            name: "a",
            text: &text,
        }],
        &opts,
    );
    let texts = [text.clone()];
    let got = rendered(&texts, &loaded);
    // Each document is 1,001 nodes: refused alone, yet the nodes built are spent; the
    // third document passes what is left of the total, and the fourth is not read.
    let syntax: Vec<&String> = got
        .iter()
        .filter(|g| g.starts_with("input-limit"))
        .collect();
    assert_eq!(
        syntax,
        [
            "input-limit@1:3000: the document has more than 1000 YAML nodes; it was not loaded",
            "input-limit@3:3000: the document has more than 1000 YAML nodes; it was not loaded",
            "input-limit@5:1494: the input has more than 2500 YAML nodes in all; this document and the ones after it were not loaded",
        ]
    );
}

#[test]
fn fixtures() {
    common::check_snapshots("tests/hostile", |text| {
        let texts = [text.to_string()];
        let loaded = load(&texts);
        rendered(&texts, &loaded); // its ranges are usable
        evaluate(&loaded);
        common::render_diagnostics(text, &loaded.diagnostics)
    });
}
