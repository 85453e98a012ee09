//! Input fixtures (`tests/input/`): each `NAME.yaml` is read as kubectl would read it
//! (byte order marks, CR and CRLF line breaks, directives, duplicate keys, merge keys,
//! YAML 1.1 scalars; each file's header says what kubectl does and where upstream says
//! so), and `NAME.expected` lists what it loads to: namespaces, endpoints with their
//! labels and ports, policies with their selectors, rules and ports, and every diagnostic
//! with its `line:col`, then the verdict of each `# verdict: FROM TO PORT` line of the
//! file (TCP). The bytes are the test: the files are read raw (a BOM, CR-only
//! lines), as the CLI reads them. `scenario-*.yaml` files are scenarios over those
//! fixtures (the verdicts), run here and by `netpol test tests/`. Run with
//! `UPDATE_EXPECT=1` to rewrite the `.expected` files after a deliberate change.

use std::fmt::Write as _;
use std::path::Path;

use netpol::eval::{Engine, PortQuery};
use netpol::model::{PeerKind, PortRule, Rule, Selector};
use netpol::{LineIndex, LoadOptions, QueryProtocol, Source};

mod common;

fn is_scenario(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with("scenario-"))
}

fn selector(s: &Selector) -> String {
    if s.is_empty() {
        "{}".into()
    } else {
        format!("{{{s}}}")
    }
}

fn optional(s: &Option<Selector>) -> String {
    s.as_ref().map_or("-".into(), selector)
}

fn ports(ports: &[PortRule]) -> String {
    let list: Vec<String> = ports
        .iter()
        .map(|p| {
            let mut s = p.protocol.as_str().to_string();
            if let Some(port) = &p.port {
                write!(s, " {port}").ok();
            }
            if let Some(end) = p.end_port {
                write!(s, "-{end}").ok();
            }
            s
        })
        .collect();
    format!("[{}]", list.join(", "))
}

fn rule(dir: &str, i: usize, r: &Rule) -> String {
    let peers: Vec<String> = r
        .peers
        .iter()
        .map(|p| match &p.kind {
            PeerKind::Pods {
                namespace_selector,
                pod_selector,
            } => format!(
                "pods(ns {}, pod {})",
                optional(namespace_selector),
                optional(pod_selector)
            ),
            PeerKind::IpBlock(b) => {
                let except: Vec<String> = b.except.iter().map(|e| e.to_string()).collect();
                format!("ipBlock({} except [{}])", b.cidr, except.join(", "))
            }
        })
        .collect();
    format!(
        "  {dir}[{i}] peers [{}] ports {}\n",
        peers.join(", "),
        ports(&r.ports)
    )
}

fn render(name: &str, text: &str) -> String {
    let loaded = netpol::load_sources(&[Source { name, text }], &LoadOptions::default());
    let c = &loaded.cluster;
    let labels = |l: &netpol::model::Labels| {
        let parts: Vec<String> = l.iter().map(|(k, v)| format!("{k}={v}")).collect();
        format!("{{{}}}", parts.join(","))
    };
    let mut out = String::new();
    for n in &c.namespaces {
        let implicit = if n.declared { "" } else { " (implicit)" };
        writeln!(out, "ns {}{implicit} {}", n.name, labels(&n.labels)).ok();
    }
    for e in &c.endpoints {
        let ports: Vec<String> = e
            .ports
            .iter()
            .map(|p| match &p.name {
                Some(n) => format!("{n}={}/{}", p.port, p.protocol.as_str()),
                None => format!("{}/{}", p.port, p.protocol.as_str()),
            })
            .collect();
        writeln!(
            out,
            "{} {} {} ports [{}]",
            e.kind.as_str(),
            e.full_name(),
            labels(&e.labels),
            ports.join(", ")
        )
        .ok();
    }
    for p in &c.policies {
        writeln!(
            out,
            "policy {} podSelector {} ingress={} egress={}",
            p.full_name(),
            selector(&p.pod_selector),
            p.ingress_isolating,
            p.egress_isolating
        )
        .ok();
        for (i, r) in p.ingress.iter().enumerate() {
            out.push_str(&rule("ingress", i, r));
        }
        for (i, r) in p.egress.iter().enumerate() {
            out.push_str(&rule("egress", i, r));
        }
    }
    let idx = LineIndex::new(text);
    let at = |offset: usize| {
        let (l, c) = idx.line_col(text, offset);
        format!("{l}:{c}")
    };
    for d in &loaded.diagnostics {
        writeln!(
            out,
            "{} {} {}: {}",
            at(d.location.range.start),
            d.severity.as_str(),
            d.code,
            d.message
        )
        .ok();
        if let Some(h) = &d.help {
            writeln!(out, "  help: {h}").ok();
        }
        if let Some(r) = &d.related {
            writeln!(out, "  related: {}", at(r.range.start)).ok();
        }
    }
    let engine = Engine::new(c.clone());
    for line in text.split(['\n', '\r']) {
        let Some(q) = line.strip_prefix("# verdict: ") else {
            continue;
        };
        let words: Vec<&str> = q.split_whitespace().collect();
        let [from, to, port] = words[..] else {
            panic!("{name}: `# verdict: FROM TO PORT`, found `{q}`");
        };
        let verdict = match (engine.resolve(from), engine.resolve(to)) {
            (Ok(f), Ok(t)) => format!(
                "{:?}",
                engine
                    .query(f, t, QueryProtocol::TCP, Some(&PortQuery::parse(port)))
                    .verdict
            ),
            (Err(e), _) | (_, Err(e)) => format!("error: {e}"),
        };
        writeln!(out, "verdict {from} -> {to} TCP {port}: {verdict}").ok();
    }
    out
}

/// Runs a scenario fixture; its manifests are paths relative to it.
fn run_scenario(path: &Path, text: &str) -> Result<usize, String> {
    let s = netpol::scenario::parse(text).map_err(|d| format!("{d:?}"))?;
    let base = path.parent().unwrap_or(Path::new(".")).to_path_buf();
    let report = netpol::runner::run(&s, &|p: &str| {
        std::fs::read(base.join(p))
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .map_err(|e| e.to_string())
    });
    if report.failures.is_empty() && report.passed > 0 {
        Ok(report.passed)
    } else {
        let failures: Vec<String> = report
            .failures
            .iter()
            .map(|f| {
                format!(
                    "{} expected allowed={} {}",
                    f.what,
                    f.expected,
                    f.error.clone().unwrap_or_default()
                )
            })
            .collect();
        Err(format!("{} passed; {}", report.passed, failures.join("; ")))
    }
}

#[test]
fn input_fixtures() {
    let files = common::fixture_files("tests/input");
    let (mut loads, mut scenarios, mut cells) = (0, 0, 0);
    let mut failures = Vec::new();
    for f in &files {
        let bytes = std::fs::read(f).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        let text = String::from_utf8_lossy(&bytes);
        if is_scenario(f) {
            scenarios += 1;
            match run_scenario(f, &text) {
                Ok(n) => cells += n,
                Err(e) => failures.push(format!("{}: {e}", f.display())),
            }
            continue;
        }
        loads += 1;
        let name = f.file_name().and_then(|n| n.to_str()).unwrap_or("input");
        if let Err(e) = common::check_snapshot(f, &render(name, &text)) {
            failures.push(e);
        }
    }
    assert!(
        loads >= 15 && scenarios >= 4,
        "{loads} load fixtures and {scenarios} scenarios in tests/input"
    );
    assert!(cells > 0);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
