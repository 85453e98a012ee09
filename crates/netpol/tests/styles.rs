//! Metamorphic: the same generated objects written in every style people paste or save
//! (block YAML, flow YAML, JSON, a `kind: List`, typed `<Kind>List`s whose items name no
//! kind, a BOM with CRLF line endings, quoted keys, one file per object) must give the
//! identical matrices, connection sets and diagnostic codes. A style that reads
//! differently is a silent wrong verdict for whoever writes that way.

use netpol::eval::{Engine, PortQuery, Target};
use netpol::gen::{cluster, GenOptions};
use netpol::load::{load_sources, LoadOptions, Source};
use netpol::QueryProtocol;
use serde_yaml::Value;

const PORTS: &[(QueryProtocol, u16)] = &[
    (QueryProtocol::TCP, 80),
    (QueryProtocol::TCP, 8080),
    (QueryProtocol::UDP, 53),
    (QueryProtocol::SCTP, 7000),
];

/// Everything a style must not change: per port the matrix cells, the connection set of
/// every pair, and the diagnostics (severity and code, sorted).
fn outcome(sources: &[(String, String)]) -> String {
    let srcs: Vec<Source<'_>> = sources
        .iter()
        .map(|(name, text)| Source { name, text })
        .collect();
    let loaded = load_sources(&srcs, &LoadOptions::default());
    let engine = Engine::new(loaded.cluster.clone());
    let mut out = String::new();
    let names: Vec<String> = loaded
        .cluster
        .endpoints
        .iter()
        .map(|e| e.full_name())
        .collect();
    out.push_str(&format!("endpoints {names:?}\n"));
    for (p, n) in PORTS {
        let m = engine.matrix(*p, &PortQuery::Number(*n), &[]);
        out.push_str(&format!("{p:?} {n} {:?}\n", m.allowed));
    }
    let n = loaded.cluster.endpoints.len();
    for a in 0..n {
        for b in 0..n {
            let set = engine.connections(Target::Endpoint(a), Target::Endpoint(b));
            out.push_str(&format!("{a}->{b} {set}\n"));
        }
    }
    let mut codes: Vec<String> = loaded
        .diagnostics
        .iter()
        .map(|d| format!("{} {}", d.severity.as_str(), d.code))
        .collect();
    netpol::sort::ord(&mut codes);
    out.push_str(&format!("diagnostics {codes:?}\n"));
    out
}

fn one(text: String) -> Vec<(String, String)> {
    vec![("input".into(), text)]
}

fn values(docs: &[String]) -> Vec<Value> {
    docs.iter()
        .map(|d| serde_yaml::from_str(d).expect("generated YAML parses"))
        .collect()
}

fn json(v: &Value) -> String {
    serde_json::to_string_pretty(v).expect("a YAML value converts to JSON")
}

/// Flow-style YAML: `{key: 'value', list: [1, 2]}`, plain keys, single-quoted strings.
fn flow(v: &Value) -> String {
    match v {
        Value::Null => "~".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => format!("'{}'", s.replace('\'', "''")),
        Value::Sequence(items) => {
            let inner: Vec<String> = items.iter().map(flow).collect();
            format!("[{}]", inner.join(", "))
        }
        Value::Mapping(m) => {
            let inner: Vec<String> = m
                .iter()
                .map(|(k, v)| {
                    let key = match k {
                        Value::String(s)
                            if s.chars()
                                .all(|c| c.is_ascii_alphanumeric() || "-_./".contains(c)) =>
                        {
                            s.clone()
                        }
                        other => flow(other),
                    };
                    format!("{key}: {}", flow(v))
                })
                .collect();
            format!("{{{}}}", inner.join(", "))
        }
        Value::Tagged(t) => flow(&t.value),
    }
}

/// Block-style YAML with every key double-quoted.
fn quoted_keys(v: &Value, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    match v {
        Value::Mapping(m) if !m.is_empty() => {
            for (k, val) in m {
                let key = match k {
                    Value::String(s) => serde_json::to_string(s).unwrap_or_default(),
                    other => flow(other),
                };
                match val {
                    Value::Mapping(inner) if !inner.is_empty() => {
                        out.push_str(&format!("{pad}{key}:\n"));
                        quoted_keys(val, indent + 2, out);
                    }
                    Value::Sequence(items) if !items.is_empty() => {
                        out.push_str(&format!("{pad}{key}:\n"));
                        quoted_keys(val, indent, out);
                    }
                    scalar => out.push_str(&format!("{pad}{key}: {}\n", flow(scalar))),
                }
            }
        }
        Value::Sequence(items) if !items.is_empty() => {
            for item in items {
                let mut inner = String::new();
                quoted_keys(item, indent + 2, &mut inner);
                match item {
                    Value::Mapping(m) if !m.is_empty() => {
                        // `- ` takes the place of the first line's indentation.
                        let body = inner.get(indent + 2..).unwrap_or("");
                        out.push_str(&format!("{pad}- {body}"));
                    }
                    Value::Sequence(s) if !s.is_empty() => {
                        out.push_str(&format!("{pad}- {}\n", flow(item)));
                    }
                    scalar => out.push_str(&format!("{pad}- {}\n", flow(scalar))),
                }
            }
        }
        scalar => out.push_str(&format!("{pad}{}\n", flow(scalar))),
    }
}

/// Typed lists: one `<Kind>List` per kind and apiVersion, items without `kind` and
/// `apiVersion`, the way the API returns a collection.
fn typed_lists(vals: &[Value]) -> String {
    let mut groups: Vec<((String, String), Vec<Value>)> = Vec::new();
    for v in vals {
        let field = |k: &str| v.get(k).and_then(Value::as_str).unwrap_or("").to_string();
        let key = (field("apiVersion"), field("kind"));
        let mut item = v.clone();
        if let Value::Mapping(m) = &mut item {
            m.remove("kind");
            m.remove("apiVersion");
        }
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, items)) => items.push(item),
            None => groups.push((key, vec![item])),
        }
    }
    groups
        .into_iter()
        .map(|((api, kind), items)| {
            let list: Value = serde_json::from_value(serde_json::json!({
                "apiVersion": api,
                "kind": format!("{kind}List"),
                "metadata": {"resourceVersion": ""},
                "items": items,
            }))
            .expect("a list value");
            serde_yaml::to_string(&list).expect("a list emits")
        })
        .collect::<Vec<_>>()
        .join("---\n")
}

#[test]
fn every_style_reads_the_same() {
    for seed in 0..8 {
        let opts = GenOptions {
            namespaces: 3,
            pods: 10,
            policies: 7,
            seed,
        };
        let docs = cluster(&opts);
        let vals = values(&docs);
        let reference = outcome(&one(docs.join("---\n")));

        let block: Vec<String> = vals
            .iter()
            .map(|v| serde_yaml::to_string(v).expect("emits"))
            .collect();
        let json_docs: Vec<String> = vals.iter().map(json).collect();
        let list = format!(
            "{{\"apiVersion\": \"v1\", \"kind\": \"List\", \"items\": [{}]}}",
            json_docs.join(",\n")
        );
        let flow_docs: Vec<String> = vals.iter().map(flow).collect();
        let quoted: Vec<String> = vals
            .iter()
            .map(|v| {
                let mut s = String::new();
                quoted_keys(v, 0, &mut s);
                s
            })
            .collect();
        let bom_crlf = format!("\u{feff}{}", docs.join("---\n").replace('\n', "\r\n"));
        let files: Vec<(String, String)> = docs
            .iter()
            .enumerate()
            .map(|(i, d)| (format!("dir/{i:03}.yaml"), d.clone()))
            .collect();
        let json_files: Vec<(String, String)> = json_docs
            .iter()
            .enumerate()
            .map(|(i, d)| (format!("dir/{i:03}.json"), d.clone()))
            .collect();

        let styles: Vec<(&str, Vec<(String, String)>)> = vec![
            ("block YAML", one(block.join("---\n"))),
            ("flow YAML", one(flow_docs.join("\n---\n"))),
            ("JSON documents", json_files),
            ("JSON kind: List", one(list)),
            ("typed lists without item kinds", one(typed_lists(&vals))),
            ("BOM and CRLF", one(bom_crlf)),
            ("quoted keys", one(quoted.join("---\n"))),
            ("one file per object", files),
        ];
        for (style, sources) in styles {
            let got = outcome(&sources);
            assert!(
                got == reference,
                "seed {seed}: {style} reads differently\n--- first source\n{}\n--- expected\n{}\n--- got\n{}",
                sources.first().map(|(_, t)| t.as_str()).unwrap_or("").chars().take(1500).collect::<String>(),
                reference.lines().take(12).collect::<Vec<_>>().join("\n"),
                got.lines().take(12).collect::<Vec<_>>().join("\n"),
            );
        }
    }
}
