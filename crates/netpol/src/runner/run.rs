//! Running a scenario: its manifests loaded into one Analysis, each expectation asked
//! through the front door, a cell per connection and per backend.

use crate::scenario::*;
use serde::Serialize;

use crate::analysis::{Analysis, Answer, Question};
use crate::diag::{Diagnostic, Severity};
use crate::eval::{Decision, Verdict};
use crate::load::{load_sources, LoadOptions, Loaded, Source};
use crate::services::{self, Outcome, ServiceDecision};

/// One failed expectation.
#[derive(Clone, Debug, Serialize)]
pub struct Failure {
    /// e.g. `utils/utils -> webapp-balanced/webapp-balanced TCP 80`.
    pub what: String,
    pub expected: bool,
    /// The evaluator's decision (None when an endpoint could not be resolved).
    pub decision: Option<Decision>,
    pub error: Option<String>,
    /// Extension: the decision through a Service, Ingress, NodePort or DNS.
    pub service: Option<ServiceDecision>,
    /// What was expected and what came, in words, when not just allowed/denied
    /// (e.g. `no-backends`, or one backend).
    pub detail: Option<String>,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct Report {
    pub name: String,
    pub passed: usize,
    pub failures: Vec<Failure>,
    /// Load diagnostics (errors in the manifests count as one failure).
    pub diagnostics: Vec<Diagnostic>,
    pub sources: Vec<String>,
}

/// Loads a scenario's manifests. `read(path)` returns a file's text.
pub fn load_manifests(
    scenario: &Scenario,
    read: &dyn Fn(&str) -> Result<String, String>,
) -> (Vec<(String, String)>, Vec<String>) {
    let mut texts = Vec::new();
    let mut errors = Vec::new();
    for (i, m) in scenario.manifests.iter().enumerate() {
        match m {
            Manifest::Path(p) => match read(p) {
                Ok(t) => texts.push((p.clone(), t)),
                Err(e) => errors.push(format!("cannot read manifest `{p}`: {e}")),
            },
            Manifest::Inline(t) => texts.push((format!("manifests[{i}]"), t.clone())),
        }
    }
    (texts, errors)
}

/// Runs a scenario with the page's limits ([`LoadOptions::default`]).
pub fn run(scenario: &Scenario, read: &dyn Fn(&str) -> Result<String, String>) -> Report {
    run_with(scenario, read, &LoadOptions::default())
}

/// Runs a scenario, loading its manifests with `opts` (the CLI's limits fit a cluster
/// dump).
pub fn run_with(
    scenario: &Scenario,
    read: &dyn Fn(&str) -> Result<String, String>,
    opts: &LoadOptions,
) -> Report {
    let mut report = Report {
        name: scenario.name.clone(),
        ..Default::default()
    };
    let (texts, read_errors) = load_manifests(scenario, read);
    for e in read_errors {
        report.failures.push(Failure {
            what: "manifests".into(),
            expected: true,
            decision: None,
            error: Some(e),
            service: None,
            detail: None,
        });
    }
    let sources: Vec<Source<'_>> = texts
        .iter()
        .map(|(n, t)| Source { name: n, text: t })
        .collect();
    let loaded: Loaded = load_sources(&sources, opts);
    report.sources = texts.iter().map(|(n, _)| n.clone()).collect();
    let errors: Vec<&Diagnostic> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    if !errors.is_empty() {
        report.failures.push(Failure {
            what: "manifests".into(),
            expected: true,
            decision: None,
            error: Some(format!(
                "the manifests have {} error(s): {}",
                errors.len(),
                errors.first().map_or("", |e| e.message.as_str())
            )),
            service: None,
            detail: None,
        });
    }
    report.diagnostics = loaded.diagnostics.clone();
    let analysis = Analysis::from_loaded(loaded);
    for e in &scenario.expect {
        check_expectation(&analysis, e, &scenario.options, &mut report);
    }
    report
}

/// Checks one `expect` entry against an analysis: a connection is one cell (plus one per
/// `backends:` entry), a matrix one per checked cell. Passes and failures are added to
/// `report`.
pub fn check_expectation(
    analysis: &Analysis,
    e: &Expectation,
    opts: &services::Options,
    report: &mut Report,
) {
    match e {
        Expectation::Connection(c) => check(analysis, c, opts, report),
        Expectation::Matrix(m) => {
            for (src, cells) in &m.rows {
                for (dst, cell) in m.columns.iter().zip(cells) {
                    let Some(expected) = cell else { continue };
                    let c = Connection {
                        from: src.clone(),
                        to: dst.clone(),
                        port: Some(m.port.clone()),
                        protocol: m.protocol,
                        allowed: *expected,
                        command: None,
                        outcome: None,
                        backends: Vec::new(),
                        goal: None,
                        hidden: false,
                        recorded: None,
                    };
                    check(analysis, &c, opts, report);
                }
            }
        }
    }
}

/// Checks one connection: the outcome is one cell, each `backends:` entry another.
/// Per-backend expectations are about routed connections (a Service's backends, a
/// rolling update's pods); between two pods the one backend is the destination.
pub(super) fn check(
    analysis: &Analysis,
    c: &Connection,
    opts: &services::Options,
    report: &mut Report,
) {
    let mut answer = analysis.ask(
        &Question::new(&c.from, &c.to, c.protocol, c.port.clone()),
        opts,
    );
    if !c.backends.is_empty() && matches!(answer, Answer::Decision(_)) {
        let to = (!c.to.trim().is_empty()).then_some(c.to.as_str());
        answer = Answer::Routed(services::query(
            analysis.engine(),
            &c.from,
            to,
            c.protocol,
            c.port.as_ref(),
            opts,
        ));
    }
    match answer {
        Answer::Routed(d) => check_routed(c, &d, report),
        Answer::Decision(d) => check_decision(c, *d, report),
        Answer::Invalid(e) => report.failures.push(Failure {
            what: label(c),
            expected: c.allowed,
            decision: None,
            error: Some(e),
            service: None,
            detail: None,
        }),
        // A row names a port (or ICMP): without one it cannot be decided.
        Answer::Connections { .. } => report.failures.push(Failure {
            what: label(c),
            expected: c.allowed,
            decision: None,
            error: Some(format!("a {} connection needs a port", c.protocol)),
            service: None,
            detail: None,
        }),
    }
}

pub(super) fn check_decision(c: &Connection, d: Decision, report: &mut Report) {
    let want = c.expected_outcome();
    let got = match d.verdict {
        Verdict::Allowed => Outcome::Allowed,
        Verdict::Denied => Outcome::Denied,
        Verdict::Unknown => Outcome::Unknown,
    };
    if got == want {
        report.passed += 1;
        return;
    }
    // "Could not evaluate" never passes for "denied" (nor for "allowed"): only
    // `outcome: unknown` expects it.
    let detail = (want != Outcome::Allowed && want != Outcome::Denied || got == Outcome::Unknown)
        .then(|| {
            let mut m = format!("expected {}, got {}", want.as_str(), got.as_str());
            if matches!(want, Outcome::Partial | Outcome::NoBackends) {
                m.push_str(&format!(
                    " (`{}` is an outcome through a Service, not between two endpoints)",
                    want.as_str()
                ));
            }
            m
        });
    report.failures.push(Failure {
        what: label(c),
        expected: want == Outcome::Allowed,
        error: d.error.clone(),
        decision: Some(d),
        service: None,
        detail,
    });
}

/// A routed answer (through [`services::query`]): its outcome, then each backend.
pub(super) fn check_routed(c: &Connection, d: &ServiceDecision, report: &mut Report) {
    let label = label(c);
    let expected = c.expected_outcome();
    let fail = |what: String, detail: String, report: &mut Report| {
        report.failures.push(Failure {
            what,
            expected: c.allowed,
            decision: None,
            error: d.error.clone(),
            service: Some(d.clone()),
            detail: Some(detail),
        })
    };
    if d.outcome == expected {
        report.passed += 1;
    } else {
        fail(
            label.clone(),
            format!("expected {}, got {}", expected.as_str(), d.outcome.as_str()),
            report,
        );
    }
    let per_pod = d.per_pod();
    for (pod, want) in &c.backends {
        let got = per_pod
            .iter()
            .find(|(p, _)| p == pod || p.rsplit('/').next() == Some(pod.as_str()))
            .map(|(_, v)| *v);
        match got {
            Some(Some(v)) if v == *want => report.passed += 1,
            Some(Some(v)) => fail(
                format!("{label} backend {pod}"),
                format!(
                    "expected {}, got {}",
                    if *want { "allowed" } else { "denied" },
                    if v { "allowed" } else { "denied" }
                ),
                report,
            ),
            Some(None) => fail(
                format!("{label} backend {pod}"),
                "the pod is not an endpoint of this Service port".into(),
                report,
            ),
            None => {
                let names: Vec<&str> = per_pod.iter().map(|(p, _)| p.as_str()).collect();
                fail(
                    format!("{label} backend {pod}"),
                    format!(
                        "`{pod}` is not a backend (backends: {})",
                        if names.is_empty() {
                            "none".to_string()
                        } else {
                            names.join(", ")
                        }
                    ),
                    report,
                )
            }
        }
    }
}
