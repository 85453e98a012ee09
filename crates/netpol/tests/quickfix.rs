//! Quick fixes for the seed's two traps (`netpol::quickfix`).
//!
//! - `tests/quickfix/*.yaml`: each input's suggested edits, the fixed text and the lints
//!   left after it, against the sibling `.expected` (`UPDATE_EXPECT=1` rewrites them).
//! - The seed: step 4's quick fix gives step 5's connectivity (the tutorial's fix), and
//!   step 6's gives step 8's, pair by pair over every port.

mod common;

use std::path::Path;

use netpol::quickfix::{apply, edits, TextEdit};
use netpol::{Analysis, Diagnostic, Target};

const SELECTOR_MATCHES_NOTHING: &str = "selector-matches-nothing";

fn suggested(a: &Analysis, text: &str) -> Vec<(Diagnostic, TextEdit)> {
    let lints: Vec<&Diagnostic> = a.lints().iter().collect();
    edits(text, &lints)
        .into_iter()
        .zip(&lints)
        .filter_map(|(e, d)| Some(((*d).clone(), e?)))
        .collect()
}

/// Documents written as JSON (starting with `{`, as kubectl sniffs them) must stay strict
/// JSON after an edit: our loader would also take YAML flow there, kubectl would not.
fn assert_json_stays_json(text: &str) {
    for doc in text.split("\n---\n") {
        let body: String = doc
            .lines()
            .filter(|l| !l.trim_start().starts_with('#'))
            .collect::<Vec<_>>()
            .join("\n");
        if body.trim_start().starts_with('{') {
            if let Err(e) = serde_json::from_str::<serde_json::Value>(&body) {
                panic!("a JSON document is no longer JSON ({e}):\n{body}");
            }
        }
    }
}

/// The analysis of a fixed or edited text, which must load without errors.
fn load_cleanly(text: &str) -> Analysis {
    assert_json_stays_json(text);
    let a = Analysis::from_text(text);
    assert!(
        a.diagnostics()
            .iter()
            .all(|d| d.severity != netpol::Severity::Error),
        "the edited text does not load cleanly: {:?}\n{text}",
        a.diagnostics()
    );
    a
}

fn render(text: &str) -> String {
    let a = Analysis::from_text(text);
    let fixes = suggested(&a, text);
    let mut out = String::new();
    for (d, e) in &fixes {
        out.push_str(&format!(
            "{} at {}..{}: {}\n  edit {}..{}: {:?}\n",
            d.code,
            d.location.range.start,
            d.location.range.end,
            d.message,
            e.range.start,
            e.range.end,
            e.insert
        ));
    }
    if fixes.is_empty() {
        out.push_str("no quick fix\n");
    }
    let fixed = apply(
        text,
        &fixes.iter().map(|(_, e)| e.clone()).collect::<Vec<_>>(),
    );
    out.push_str("--- fixed\n");
    out.push_str(&fixed);
    let after = load_cleanly(&fixed);
    out.push_str("--- lints after\n");
    for d in after.lints() {
        if d.code == SELECTOR_MATCHES_NOTHING {
            out.push_str(&format!("{}: {}\n", d.code, d.message));
        }
    }
    out
}

#[test]
fn quickfix_fixtures() {
    common::check_snapshots("tests/quickfix", render);
}

/// A seed step's manifests as one text (as the page's editor holds them).
fn seed_text(stem: &str) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/seed");
    let text = std::fs::read_to_string(root.join(format!("{stem}.yaml"))).unwrap();
    let scenario = netpol::scenario::parse(&text).unwrap();
    let read = |p: &str| std::fs::read_to_string(root.join(p)).map_err(|e| e.to_string());
    let (texts, errors) = netpol::runner::load_manifests(&scenario, &read);
    assert!(errors.is_empty(), "{stem}: {errors:?}");
    texts
        .iter()
        .map(|(_, t)| t.trim_end().to_string())
        .collect::<Vec<_>>()
        .join("\n---\n")
}

/// Every pair's allowed connections, by endpoint name.
fn connectivity(a: &Analysis) -> Vec<(String, String, String)> {
    let eps = &a.cluster().endpoints;
    let mut out = Vec::new();
    for (i, x) in eps.iter().enumerate() {
        for (j, y) in eps.iter().enumerate() {
            if i != j {
                let c = a.connections(Target::Endpoint(i), Target::Endpoint(j));
                out.push((x.full_name(), y.full_name(), format!("{c:?}")));
            }
        }
    }
    out
}

fn check_seed_fix(trap: &str, fixed_step: &str) {
    let text = seed_text(trap);
    let a = Analysis::from_text(&text);
    let fixes = suggested(&a, &text);
    assert_eq!(fixes.len(), 1, "{trap}: {fixes:?}");
    let fixed = apply(&text, &[fixes[0].1.clone()]);
    let after = Analysis::from_text(&fixed);
    assert!(
        after
            .lints()
            .iter()
            .all(|d| d.code != SELECTOR_MATCHES_NOTHING),
        "{trap}: {:?}",
        after.lints()
    );
    let want = Analysis::from_text(&seed_text(fixed_step));
    assert_eq!(
        connectivity(&after),
        connectivity(&want),
        "{trap} fixed vs {fixed_step}"
    );
    assert_ne!(
        connectivity(&a),
        connectivity(&want),
        "{trap} was already {fixed_step}"
    );
}

#[test]
fn step_4_quick_fix_is_step_5() {
    check_seed_fix(
        "04-from-podselector-app-utils",
        "05-fix-namespace-and-pod-selector",
    );
}

#[test]
fn step_6_quick_fix_is_step_8() {
    check_seed_fix(
        "06-namespaceselector-name-utils",
        "08-fix-namespaceselector-metadata-name",
    );
}

/// `tests/rule-edits/*.yaml`: the first line is `# query: FROM TO PROTOCOL PORT`; the
/// `.expected` has each smallest edit of an existing rule (`netpol::fix::rule_changes`,
/// made concrete by `quickfix::rule_edit`) as the diff the page shows, and the verdict of
/// that side once the edit is applied (it must allow).
fn render_rule_edits(text: &str) -> String {
    let q: Vec<&str> = text
        .lines()
        .next()
        .and_then(|l| l.strip_prefix("# query: "))
        .expect("first line: # query: FROM TO PROTOCOL PORT")
        .split_whitespace()
        .collect();
    let [from, to, proto, port] = q[..] else {
        panic!("query: {q:?}")
    };
    let proto = netpol::QueryProtocol::parse(proto).unwrap();
    let port = netpol::PortQuery::Number(port.parse().unwrap());
    let a = Analysis::from_text(text);
    let e = a.engine();
    let (f, t) = (e.resolve(from).unwrap(), e.resolve(to).unwrap());
    let d = e.query(f, t, proto, Some(&port));
    let mut out = format!("{from} -> {to} {proto:?} {port:?}: {:?}\n", d.verdict);
    let changes = netpol::fix::rule_changes(e, &d, f, t);
    if changes.is_empty() {
        out.push_str("no rule edit\n");
    }
    for c in &changes {
        let edit = netpol::quickfix::rule_edit(text, c).expect("an edit for each change");
        let diff = netpol::quickfix::line_diff(text, &edit).unwrap();
        out.push_str(&format!(
            "{} {} {}: {:?}\n  at line {}\n",
            c.rule.policy.namespace,
            c.rule.policy.name,
            c.rule.path(),
            c.change,
            diff.line
        ));
        for l in &diff.removed {
            out.push_str(&format!("  -{l}\n"));
        }
        for l in &diff.added {
            out.push_str(&format!("  +{l}\n"));
        }
        let fixed = apply(text, std::slice::from_ref(&edit));
        let after = load_cleanly(&fixed);
        let e2 = after.engine();
        let d2 = e2.query(
            e2.resolve(from).unwrap(),
            e2.resolve(to).unwrap(),
            proto,
            Some(&port),
        );
        let side = match c.rule.direction {
            netpol::Direction::Egress => &d2.egress,
            netpol::Direction::Ingress => &d2.ingress,
        };
        assert!(
            side.allows(),
            "{:?} still denies after\n{fixed}",
            c.rule.direction
        );
        out.push_str(&format!(
            "  after: {:?} allows; the connection is {:?}\n",
            c.rule.direction, d2.verdict
        ));
    }
    out
}

#[test]
fn rule_edit_fixtures() {
    common::check_snapshots("tests/rule-edits", render_rule_edits);
}
