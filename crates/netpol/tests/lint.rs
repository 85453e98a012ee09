//! Lint fixtures (`tests/lint/`) and the lint registry (`netpol::lint::registry`).
//!
//! Each `NAME.yaml` is loaded and linted, and `NAME.expected` holds every lint it gives
//! (`line:col severity code path (object): message`, then `help:`), info included, one
//! snapshot format (`UPDATE_EXPECT=1` rewrites them after a deliberate change). A
//! fixture named `CODE*.yaml` must give lint CODE; one named `ok-CODE*.yaml` is a near
//! miss that must not. Every registry code has both, and `docs/lints.md` is the
//! registry's [`netpol::lint::registry::markdown`].
//!
//! In Spanish (`netpol::lint::lint_in`): `tests/lint-es/NAME.expected` is the snapshot of
//! `tests/lint/NAME.yaml`'s lints in Spanish, `tests/lint-es/seed/` that of every seed
//! step, and every lint has its own Spanish words (no English left in a Spanish
//! diagnostic, nothing but the words different).

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use netpol::lint::{registry, LintCode};
use netpol::{Diagnostic, Lang, Severity};

fn lints(text: &str) -> Vec<Diagnostic> {
    netpol::lint::lint(&netpol::load(text).cluster)
}

fn render(text: &str) -> String {
    render_in(text, Lang::En)
}

fn render_in(text: &str, lang: Lang) -> String {
    let loaded = netpol::load(text);
    let lints = netpol::lint::lint_in(&loaded.cluster, lang);
    let load_problems = loaded
        .diagnostics
        .iter()
        .filter(|d| d.severity != Severity::Info);
    common::render_diagnostics(text, load_problems.chain(&lints))
}

#[test]
fn lint_snapshots() {
    common::check_snapshots("tests/lint", render);
}

fn root() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// `tests/lint/NAME.yaml` in Spanish: `tests/lint-es/NAME.expected`.
#[test]
fn lint_snapshots_in_spanish() {
    let files = common::fixture_files("tests/lint");
    let failures: Vec<String> = files
        .iter()
        .filter_map(|f| {
            let text =
                std::fs::read_to_string(f).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
            let snapshot = root().join("tests/lint-es").join(f.file_name()?);
            common::check_snapshot(&snapshot, &render_in(&text, Lang::Es)).err()
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Every seed step's lints in Spanish (`Analysis::lints_in`), as the Spanish page lists
/// them: `tests/lint-es/seed/STEP.expected` (`source:byte severity code path (object):
/// message`, then `help:`).
#[test]
fn seed_lints_in_spanish() {
    common::check_seed_snapshots("tests/lint-es/seed", |a| {
        let mut out = String::new();
        for d in a.lints_in(Lang::Es) {
            let at = &d.location;
            common::write_diagnostic(&mut out, &format!("{}:{}", at.source, at.range.start), d);
        }
        if out.is_empty() {
            out.push_str("ok\n");
        }
        out
    });
}

/// Every lint the registry lists speaks Spanish: on every lint fixture, seed cluster and
/// registry example, the Spanish lints are the English ones (code, severity, place,
/// path, object, suggestion, order) with other words, a message and (when English has
/// one) a help of their own; and each code is met at least once.
#[test]
fn every_lint_has_spanish_words() {
    let mut texts: Vec<(String, String)> = common::fixture_files("tests/lint")
        .into_iter()
        .chain(common::fixture_files("examples/seed"))
        .map(|f| {
            let text =
                std::fs::read_to_string(&f).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
            (f.display().to_string(), text)
        })
        .collect();
    texts.extend(registry().map(|r| {
        (
            format!("registry {} bad", r.code.as_str()),
            r.bad.to_string(),
        )
    }));
    let mut seen = BTreeSet::new();
    let mut problems = Vec::new();
    for (name, text) in &texts {
        let cluster = netpol::load(text).cluster;
        let en = netpol::lint::lint(&cluster);
        let es = netpol::lint::lint_in(&cluster, Lang::Es);
        // `Analysis` lints with its own engine instead of building one: the same lints.
        if netpol::Analysis::from_text(text).lints() != en.as_slice() {
            problems.push(format!("{name}: the analysis's lints differ from `lint`'s"));
        }
        if en.len() != es.len() {
            problems.push(format!(
                "{name}: {} lints in English, {} in Spanish",
                en.len(),
                es.len()
            ));
            continue;
        }
        for (e, s) in en.iter().zip(&es) {
            let words = |d: &Diagnostic| Diagnostic {
                message: String::new(),
                help: None,
                ..d.clone()
            };
            if words(e) != words(s) {
                problems.push(format!("{name}: {e:?} and {s:?} differ beyond their words"));
            }
            if s.message == e.message || s.message.is_empty() {
                problems.push(format!(
                    "{name}: {} has no Spanish message: {}",
                    e.code, e.message
                ));
            }
            match (&e.help, &s.help) {
                (None, None) => {}
                (Some(eh), Some(sh)) if eh != sh => {}
                _ => problems.push(format!(
                    "{name}: {} has no Spanish help: {:?} / {:?}",
                    e.code, e.help, s.help
                )),
            }
            seen.insert(s.code);
        }
    }
    for c in LintCode::ALL {
        if !seen.contains(c.as_str()) {
            problems.push(format!(
                "no input gives `{}` to check its Spanish words",
                c.as_str()
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

fn name(path: &Path) -> String {
    path.file_stem()
        .and_then(|n| n.to_str())
        .unwrap_or_default()
        .to_string()
}

/// The code a fixture is about, from its name, and whether it is a near miss (`ok-`).
fn about(stem: &str) -> Option<(LintCode, bool)> {
    let (negative, rest) = match stem.strip_prefix("ok-") {
        Some(rest) => (true, rest),
        None => (false, stem),
    };
    LintCode::ALL
        .into_iter()
        .filter(|c| rest == c.as_str() || rest.starts_with(&format!("{}-", c.as_str())))
        .max_by_key(|c| c.as_str().len())
        .map(|c| (c, negative))
}

#[test]
fn every_lint_has_a_positive_and_a_negative_fixture() {
    let files = common::fixture_files("tests/lint");
    let mut positive = BTreeSet::new();
    let mut negative = BTreeSet::new();
    let mut problems = Vec::new();
    for f in &files {
        let stem = name(f);
        let Some((code, is_negative)) = about(&stem) else {
            problems.push(format!(
                "{stem}.yaml: the name is neither CODE* nor ok-CODE*"
            ));
            continue;
        };
        let text = std::fs::read_to_string(f).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        let loaded = netpol::load(&text);
        if let Some(d) = loaded
            .diagnostics
            .iter()
            .find(|d| d.severity != Severity::Info)
        {
            problems.push(format!("{stem}.yaml: loads with {} {}", d.code, d.message));
        }
        let got = netpol::lint::lint(&loaded.cluster);
        for d in &got {
            if LintCode::parse(d.code).is_none() {
                problems.push(format!("{stem}.yaml: `{}` is not in the registry", d.code));
            }
        }
        let fires = got.iter().any(|d| d.code == code.as_str());
        match (is_negative, fires) {
            (false, true) => {
                positive.insert(code);
            }
            (true, false) => {
                negative.insert(code);
            }
            (false, false) => {
                problems.push(format!("{stem}.yaml: does not give {}", code.as_str()))
            }
            (true, true) => problems.push(format!("{stem}.yaml: gives {}", code.as_str())),
        }
    }
    for c in LintCode::ALL {
        if !positive.contains(&c) {
            problems.push(format!(
                "no fixture tests/lint/{}*.yaml gives it",
                c.as_str()
            ));
        }
        if !negative.contains(&c) {
            problems.push(format!(
                "no near-miss fixture tests/lint/ok-{}*.yaml",
                c.as_str()
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(
        files.len() >= 2 * LintCode::ALL.len(),
        "{} fixtures",
        files.len()
    );
}

#[test]
fn registry_examples_give_the_lint_and_their_fix_does_not() {
    let mut problems = Vec::new();
    for r in registry() {
        let code = r.code.as_str();
        for (which, yaml) in [("bad", r.bad), ("good", r.good)] {
            let loaded = netpol::load(yaml);
            if let Some(d) = loaded
                .diagnostics
                .iter()
                .find(|d| d.severity != Severity::Info)
            {
                problems.push(format!(
                    "{code} {which}: loads with {} {}",
                    d.code, d.message
                ));
            }
        }
        let bad = lints(r.bad);
        if !bad
            .iter()
            .any(|d| d.code == code && d.severity == r.severity)
        {
            problems.push(format!("{code}: the bad example gives {bad:?}"));
        }
        // The fix gives no lint at all above info, and not this one at any severity.
        let good: Vec<_> = lints(r.good)
            .into_iter()
            .filter(|d| d.code == code || d.severity != Severity::Info)
            .collect();
        if !good.is_empty() {
            problems.push(format!("{code}: the good example gives {good:?}"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn registry_is_consistent() {
    let mut seen = BTreeSet::new();
    for c in LintCode::ALL {
        assert_eq!(LintCode::parse(c.as_str()), Some(c));
        assert_eq!(c.info().code, c);
        assert_eq!(c.severity(), c.info().severity, "{}", c.as_str());
        assert!(seen.insert(c.as_str()), "{} twice", c.as_str());
        let r = c.info();
        for (en, es) in [
            (r.summary[0], r.summary[1]),
            (r.explanation[0], r.explanation[1]),
            (r.fix[0], r.fix[1]),
        ] {
            assert!(
                !en.is_empty() && !es.is_empty() && en != es,
                "{}",
                c.as_str()
            );
        }
        assert!(r.summary(Lang::En).ends_with('.'), "{}", c.as_str());
        let en = netpol::lint::explain(c.as_str(), Lang::En).unwrap_or_default();
        let es = netpol::lint::explain(c.as_str(), Lang::Es).unwrap_or_default();
        assert!(en.contains(r.explanation(Lang::En)) && en.contains("Fix: "));
        assert!(es.contains(r.explanation(Lang::Es)) && es.contains("Corrección: "));
        assert!(en.contains(r.bad.lines().last().unwrap_or_default()));
    }
    assert_eq!(LintCode::parse("selects-nothing"), None);
    assert_eq!(netpol::lint::explain("invalid-field", Lang::En), None);
    assert_eq!(registry().count(), LintCode::ALL.len());
}

/// The loader codes `docs/lints.md` lists are codes the loader gives, not lints.
#[test]
fn loader_codes_in_the_docs_exist() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    // The loaders: every file of load/ (the cluster-scoped and Calico ones too) and yaml/.
    let mut files: Vec<std::path::PathBuf> = Vec::new();
    let mut dirs = vec![src.join("load"), src.join("yaml")];
    while let Some(dir) = dirs.pop() {
        let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        for path in entries.filter_map(|e| e.ok().map(|e| e.path())) {
            if path.is_dir() {
                dirs.push(path);
            } else {
                files.push(path);
            }
        }
    }
    let sources: String = files
        .iter()
        .map(|f| std::fs::read_to_string(f).unwrap_or_else(|e| panic!("{}: {e}", f.display())))
        .collect();
    for (code, [en, es]) in netpol::lint::registry::LOADER_CODES {
        assert!(
            sources.contains(&format!("\"{code}\"")),
            "the loader never gives `{code}`"
        );
        assert!(LintCode::parse(code).is_none(), "`{code}` is a lint");
        assert!(!en.is_empty() && !es.is_empty() && en != es, "{code}");
    }
}

#[test]
fn docs_lints_md_is_the_registry() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/lints.md");
    let want = netpol::lint::registry::markdown();
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::write(&path, &want).unwrap_or_else(|e| panic!("{e}"));
    }
    let got = std::fs::read_to_string(&path).unwrap_or_default();
    for c in LintCode::ALL {
        assert!(
            got.contains(&format!("\n## {}\n", c.as_str())),
            "docs/lints.md lacks `{}`",
            c.as_str()
        );
    }
    assert!(
        got == want,
        "docs/lints.md differs from the registry: run `UPDATE_EXPECT=1 cargo test -p netpol --test lint`"
    );
}

/// Without a DNS pod in the input the DNS lint assumes one; given the analysis's engine
/// it decides the assumed pod's UDP 53 on a small engine (one endpoint per set of
/// egress policies, `lint.rs`), `lint` alone (no engine) on a copy of the whole cluster
/// with the pod added: the same lints, on generated clusters with DNS allowed by label,
/// by named port and by address, and with a policy isolating the assumed pod.
#[test]
fn the_dns_lint_with_the_analysis_engine_equals_the_one_without() {
    let allow = |ns: &str, name: &str, to: &str, port: &str| {
        format!("---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {{name: {name}, namespace: {ns}}}\nspec:\n  podSelector: {{}}\n  policyTypes: [Egress]\n  egress:\n  - to: [{to}]\n    ports: [{port}]\n")
    };
    let extras = [
        String::new(),
        allow(
            "ns0",
            "dns-by-label",
            "{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}, podSelector: {matchLabels: {k8s-app: kube-dns}}}",
            "{protocol: UDP, port: 53}",
        ),
        allow("ns1", "dns-by-name", "{namespaceSelector: {}}", "{protocol: UDP, port: dns}"),
        allow("ns2", "dns-by-address", "{ipBlock: {cidr: 10.96.0.0/12}}", "{protocol: UDP, port: 53}"),
        allow("ns0", "dns-tcp-only", "{namespaceSelector: {}}", "{protocol: TCP, port: 53}"),
        "---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: isolate-dns, namespace: kube-system}\nspec:\n  podSelector: {matchLabels: {k8s-app: kube-dns}}\n  ingress:\n  - from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: ns0}}}]\n".to_string(),
    ];
    let mut blocked = 0;
    for seed in 1..5 {
        let gen = netpol::gen::GenOptions {
            pods: 80,
            policies: 40,
            namespaces: 4,
            seed,
        };
        for k in 0..extras.len() {
            let text = format!(
                "{}{}{}",
                gen.text(false),
                extras[k],
                extras[(k + seed as usize) % extras.len()]
            );
            let analysis = netpol::Analysis::from_text(&text);
            let alone = netpol::lint::lint(analysis.cluster());
            assert_eq!(analysis.lints(), alone.as_slice(), "seed {seed}, extra {k}");
            blocked += alone
                .iter()
                .filter(|d| d.code == LintCode::EgressBlocksDns.as_str())
                .count();
        }
    }
    assert!(blocked > 20, "only {blocked} DNS lints to compare");
}
