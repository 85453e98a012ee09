//! The step-through trace (`netpol::trace`): on every connection of the project's scenarios
//! (rows, matrix cells, backends through Services) its NetworkPolicy reading is the
//! evaluator's; and the steps of seed steps 4 and 9, with the YAML each one highlights,
//! are snapshots in `tests/trace/` (`UPDATE_EXPECT=1` rewrites them).

mod common;

use std::path::{Path, PathBuf};

use netpol::runner;
use netpol::scenario::{self, Expectation, Scenario};
use netpol::trace::{self, Trace};
use netpol::{Analysis, Answer, Decision, Lang, LineIndex, LoadOptions, Question, Source};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    netpol::sort::ord(&mut entries);
    for e in entries {
        if e.is_dir() {
            files(&e, out);
        } else if e.extension().is_some_and(|x| x == "yaml") {
            out.push(e);
        }
    }
}

/// A scenario, its manifests' texts (for line numbers) and their analysis.
type Loaded = (Scenario, Vec<(String, String)>, Analysis);

fn load(f: &Path) -> Option<Loaded> {
    let text = String::from_utf8_lossy(&std::fs::read(f).ok()?).into_owned();
    let scenario::Detected::Scenario(Ok(s)) = scenario::detect(&text) else {
        return None;
    };
    let base = f.parent()?.to_path_buf();
    let (texts, errors) = runner::load_manifests(&s, &|p| {
        std::fs::read_to_string(base.join(p)).map_err(|e| e.to_string())
    });
    if !errors.is_empty() {
        return None;
    }
    let sources: Vec<Source<'_>> = texts
        .iter()
        .map(|(n, t)| Source { name: n, text: t })
        .collect();
    let a = Analysis::new(&sources, &LoadOptions::default());
    Some((*s, texts, a))
}

fn decisions(a: &Analysis, s: &Scenario) -> Vec<Decision> {
    let mut out = Vec::new();
    let mut ask =
        |from: &str, to: &str, c: netpol::QueryProtocol, p: Option<netpol::PortQuery>| match a
            .ask(&Question::new(from, to, c, p), &s.options)
        {
            Answer::Decision(d) => out.push(*d),
            Answer::Routed(r) => out.extend(r.decisions().cloned()),
            _ => {}
        };
    for e in &s.expect {
        match e {
            Expectation::Connection(c) => ask(&c.from, &c.to, c.protocol, c.port.clone()),
            Expectation::Matrix(m) => {
                for (src, cells) in &m.rows {
                    for (dst, cell) in m.columns.iter().zip(cells) {
                        if cell.is_some() {
                            ask(src, dst, m.protocol, Some(m.port.clone()));
                        }
                    }
                }
            }
        }
    }
    out
}

#[test]
fn the_trace_reads_every_connection_as_the_evaluator_does() {
    let mut all = Vec::new();
    for dir in [
        "examples",
        "tests/scenarios",
        "tests/services",
        "tests/tiers",
        "tests/k8s-e2e",
    ] {
        files(&root().join(dir), &mut all);
    }
    let (mut checked, mut failures) = (0usize, Vec::new());
    for f in all {
        let Some((s, _, a)) = load(&f) else { continue };
        for d in decisions(&a, &s) {
            let Some(t) = trace::trace(a.engine(), &d) else {
                continue;
            };
            checked += 1;
            if t.allows() != (d.verdict == netpol::Verdict::Allowed) {
                failures.push(format!(
                    "{}: {} -> {} {:?} {:?}: the trace's last step says {}, the verdict is {:?}",
                    f.display(),
                    d.from,
                    d.to,
                    d.protocol,
                    d.port,
                    t.allows(),
                    d.verdict
                ));
            }
            for (side, tr) in [(&d.egress, &t.egress), (&d.ingress, &t.ingress)] {
                if tr.np_allows != side.verdict.allows() || tr.allows != side.allows() {
                    failures.push(format!(
                        "{}: {} -> {} {:?} {:?}: trace {} / evaluator {:?}",
                        f.display(),
                        d.from,
                        d.to,
                        d.protocol,
                        d.port,
                        tr.np_allows,
                        side.verdict
                    ));
                }
            }
        }
    }
    assert!(checked > 5000, "{checked} decisions traced");
    assert!(
        failures.is_empty(),
        "{}\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The trace of one row: each step indented by depth, its words in both languages, and
/// the first line of the YAML it highlights (`source:line:col`).
fn render(t: &Trace, texts: &[(String, String)]) -> String {
    let mut out = String::new();
    for side in [&t.egress, &t.ingress] {
        out.push_str(&format!("{:?} of {}\n", side.direction, side.endpoint));
        for s in &side.steps {
            let pad = "  ".repeat(usize::from(s.depth) + 1);
            out.push_str(&format!(
                "{pad}{} {}\n{pad}  es: {}\n",
                if s.ok { "✓" } else { "✗" },
                netpol::words::trace::words(s, side.direction, Lang::En),
                netpol::words::trace::words(s, side.direction, Lang::Es)
            ));
            if let Some(loc) = &s.location {
                let (name, text) = &texts[loc.source];
                let (l, c) = LineIndex::new(text).line_col(text, loc.range.start);
                let first = text[loc.range.clone()].lines().next().unwrap_or("");
                out.push_str(&format!(
                    "{pad}  highlights {name}:{l}:{c}: `{}`\n",
                    first.trim()
                ));
            }
        }
    }
    out
}

#[test]
fn seed_steps_4_and_9_step_by_step() {
    let mut failures = Vec::new();
    for stem in ["04-from-podselector-app-utils", "09-deny-all-ingress-503"] {
        let f = root().join("examples/seed").join(format!("{stem}.yaml"));
        let (s, texts, a) = load(&f).unwrap();
        let mut out = String::new();
        for (i, e) in s.expect.iter().enumerate() {
            let Expectation::Connection(c) = e else {
                continue;
            };
            let Answer::Decision(d) = a.ask(
                &Question::new(&c.from, &c.to, c.protocol, c.port.clone()),
                &s.options,
            ) else {
                continue;
            };
            let t = trace::trace(a.engine(), &d).unwrap();
            out.push_str(&format!(
                "## row {i}: {} -> {} {:?} {:?}\n",
                c.from, c.to, c.protocol, c.port
            ));
            out.push_str(&render(&t, &texts));
            out.push('\n');
        }
        let fixture = root().join("tests/trace").join(format!("{stem}.yaml"));
        if let Err(e) = common::check_snapshot(&fixture, &out) {
            failures.push(e);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
