//! Explanation snapshots: `tests/explain/NAME.yaml` holds manifests and `# query:` lines;
//! `NAME.expected` holds the explanation text for each query. Run with
//! `UPDATE_EXPECT=1` to rewrite the snapshots after a deliberate change.

mod common;

use netpol::eval::{Engine, PortQuery};
use netpol::{Lang, QueryProtocol};

fn render(text: &str) -> String {
    let loaded = netpol::load(text);
    let engine = Engine::new(loaded.cluster.clone());
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
    common::check_snapshots("tests/explain", render);
}
