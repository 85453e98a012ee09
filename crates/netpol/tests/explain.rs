//! Explanation snapshots: `tests/explain/NAME.yaml` holds manifests and `# query:` lines;
//! `NAME.expected` holds the explanation text for each query. Run with
//! `UPDATE_EXPECT=1` to rewrite the snapshots after a deliberate change.

use std::path::Path;

use netpol::eval::{Engine, PortQuery};
use netpol::{Lang, QueryProtocol};

fn render(text: &str) -> String {
    let loaded = netpol::load(text);
    let engine = Engine::new(&loaded.cluster);
    let mut out = String::new();
    for line in text.lines() {
        let Some(q) = line.strip_prefix("# query: ") else {
            continue;
        };
        let mut args = std::collections::HashMap::new();
        let words: Vec<&str> = q.split_whitespace().collect();
        for w in words.chunks(2) {
            if let [k, v] = w {
                args.insert(k.trim_start_matches("--"), *v);
            }
        }
        let lang = args
            .get("lang")
            .and_then(|l| Lang::parse(l))
            .unwrap_or_default();
        let protocol = args
            .get("protocol")
            .and_then(|p| QueryProtocol::parse(p))
            .unwrap_or(QueryProtocol::TCP);
        let port = args.get("port").map(|p| PortQuery::parse(p));
        out.push_str(&format!("$ {q}\n"));
        match (
            engine.resolve(args.get("from").copied().unwrap_or("")),
            engine.resolve(args.get("to").copied().unwrap_or("")),
        ) {
            (Ok(f), Ok(t)) => {
                if port.is_none() && protocol != QueryProtocol::ICMP {
                    out.push_str(&format!("{}\n", engine.connections(f, t)));
                } else {
                    out.push_str(
                        &netpol::explain::explain(
                            &engine.query(f, t, protocol, port.as_ref()),
                            lang,
                        )
                        .join("\n"),
                    );
                    out.push('\n');
                }
            }
            (Err(e), _) | (_, Err(e)) => out.push_str(&format!("error: {e}\n")),
        }
        out.push('\n');
    }
    out
}

#[test]
fn explanation_snapshots() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/explain");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    files.sort();
    assert!(!files.is_empty());
    let mut failures = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        let got = render(&text);
        let exp_path = f.with_extension("expected");
        if std::env::var_os("UPDATE_EXPECT").is_some() {
            std::fs::write(&exp_path, &got).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&exp_path).unwrap_or_default();
        if got != expected {
            failures.push(format!(
                "{}\n--- expected\n{expected}\n--- got\n{got}",
                f.display()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
