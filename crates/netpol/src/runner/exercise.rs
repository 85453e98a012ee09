//! Exercises: a scenario whose `expect` entries are goals, graded on a student's work
//! (the starting manifests replaced or extended by submitted files) together with the
//! exercise's constraints. The CLI (`netpol test --submission`) and the page (live, in
//! its worker) grade the same way.

use super::run::check_expectation;
use super::run::{Failure, Report};
use crate::scenario::*;
use serde::Serialize;

use crate::analysis::{Analysis, Question};
use crate::diag::Severity;
use crate::model::{Cluster, ContainerPort, EndpointKind, Labels, Service};
use crate::services::Outcome;
use std::net::IpAddr;

/// One goal (an `expect` entry) graded.
#[derive(Clone, Debug, Serialize)]
pub struct GoalResult {
    /// Index into the scenario's `expect`.
    pub index: usize,
    pub passed: bool,
    pub hidden: bool,
    /// What the work gives for a connection goal (None for a truth table).
    pub got: Option<Outcome>,
    /// Cells checked (a connection is one, plus one per `backends:` entry).
    pub cells: usize,
    pub failures: Vec<Failure>,
}

/// One constraint graded; `detail` says what breaks it.
#[derive(Clone, Debug, Serialize)]
pub struct ConstraintResult {
    pub constraint: Constraint,
    pub passed: bool,
    pub detail: Option<Broken>,
}

/// A piece of work graded against an exercise.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Grade {
    pub goals: Vec<GoalResult>,
    pub constraints: Vec<ConstraintResult>,
    /// Errors in the work's manifests (an object the API server would refuse, broken
    /// YAML): the work is not what its author meant, so it is not solved.
    pub errors: Vec<String>,
}

impl Grade {
    /// Every goal and constraint passes and the manifests have no errors.
    pub fn solved(&self) -> bool {
        self.errors.is_empty()
            && self.goals.iter().all(|g| g.passed)
            && self.constraints.iter().all(|c| c.passed)
    }

    /// (passed, failed) cells: goal cells, one per constraint, one for manifest errors.
    pub fn cells(&self) -> (usize, usize) {
        let mut passed = 0;
        let mut failed = usize::from(!self.errors.is_empty());
        for g in &self.goals {
            failed += g.failures.len();
            passed += g.cells.saturating_sub(g.failures.len());
        }
        for c in &self.constraints {
            if c.passed {
                passed += 1;
            } else {
                failed += 1;
            }
        }
        (passed, failed)
    }
}

/// The file name of a manifest path (`../seed/cluster.yaml` -> `cluster.yaml`).
fn file_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

/// The starting manifests with a submission applied: a submitted file replaces the
/// starting manifest with the same file name; any other file is added after them, in
/// the order given. Texts are `(name, text)`.
pub fn apply_submission(
    start: Vec<(String, String)>,
    submission: Vec<(String, String)>,
) -> Vec<(String, String)> {
    let mut out = start;
    for (name, text) in submission {
        let slot = out
            .iter_mut()
            .find(|(n, _)| file_name(n) == file_name(&name));
        match slot {
            Some(s) => *s = (name, text),
            None => out.push((name, text)),
        }
    }
    out
}

/// Grades `work` (the loaded student's manifests) against the exercise `scenario`,
/// whose starting manifests loaded to `start` (for the constraints).
pub fn grade(scenario: &Scenario, start: &Cluster, work: &Analysis) -> Grade {
    let opts = &scenario.options;
    let goals = scenario
        .expect
        .iter()
        .enumerate()
        .map(|(index, e)| {
            let mut report = Report::default();
            check_expectation(work, e, opts, &mut report);
            let (hidden, got) = match e {
                Expectation::Connection(c) => {
                    let q = Question::new(&c.from, &c.to, c.protocol, c.port.clone());
                    (c.hidden, Some(work.ask(&q, opts).outcome()))
                }
                Expectation::Matrix(_) => (false, None),
            };
            GoalResult {
                index,
                passed: report.failures.is_empty(),
                hidden,
                got,
                cells: report.passed + report.failures.len(),
                failures: report.failures,
            }
        })
        .collect();
    let constraints = scenario
        .exercise
        .iter()
        .flat_map(|x| x.constraints.iter())
        .map(|c| {
            let detail = broken(c, start, work.cluster());
            ConstraintResult {
                constraint: c.clone(),
                passed: detail.is_none(),
                detail,
            }
        })
        .collect();
    let errors = work
        .diagnostics()
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| d.message.clone())
        .collect();
    Grade {
        goals,
        constraints,
        errors,
    }
}

/// What breaks constraint `c` (None: it holds).
fn broken(c: &Constraint, start: &Cluster, work: &Cluster) -> Option<Broken> {
    match c {
        Constraint::MaxPolicies { count, namespace } => {
            let n = work
                .policies
                .iter()
                .filter(|p| namespace.as_ref().is_none_or(|ns| p.namespace == *ns))
                .count();
            (n > *count).then(|| Broken::TooManyPolicies {
                count: n,
                namespace: namespace.clone(),
            })
        }
        Constraint::Unchanged { kind } => {
            let (before, after) = match kind {
                ObjectKind::Namespace => (namespaces(start), namespaces(work)),
                ObjectKind::Pod => (pods(start), pods(work)),
                ObjectKind::Service => (services_of(start), services_of(work)),
            };
            let mut changed = Vec::new();
            let mut added = Vec::new();
            let mut removed = Vec::new();
            for (name, value) in &before {
                match after.iter().find(|(n, _)| n == name) {
                    Some((_, v)) if v != value => changed.push(name.as_str()),
                    Some(_) => {}
                    None => removed.push(name.as_str()),
                }
            }
            for (name, _) in &after {
                if !before.iter().any(|(n, _)| n == name) {
                    added.push(name.as_str());
                }
            }
            if changed.is_empty() && added.is_empty() && removed.is_empty() {
                return None;
            }
            let names = |v: Vec<&str>| v.into_iter().map(str::to_string).collect();
            Some(Broken::Changed {
                changed: names(changed),
                added: names(added),
                removed: names(removed),
            })
        }
    }
}

/// What `unchanged` compares of an object (compared as values: no `Debug` text of the
/// objects in the page's WebAssembly).
#[derive(PartialEq)]
enum Kept {
    /// A declared namespace: its labels.
    Namespace(Labels),
    /// A pod or workload: kind, labels, ports, the addresses given.
    Pod(EndpointKind, Labels, Vec<ContainerPort>, Vec<IpAddr>),
    /// A Service: everything but where it was written.
    Service(Box<Service>),
}

/// Declared namespaces by name, with what `unchanged` compares (their labels).
fn namespaces(c: &Cluster) -> Vec<(String, Kept)> {
    c.namespaces
        .iter()
        .filter(|n| n.declared)
        .map(|n| (n.name.clone(), Kept::Namespace(n.labels.clone())))
        .collect()
}

/// Pods and workloads by full name: kind, labels, ports, addresses given.
fn pods(c: &Cluster) -> Vec<(String, Kept)> {
    c.endpoints
        .iter()
        .map(|e| {
            let ips = if e.ip_assigned { &[][..] } else { &e.ips[..] };
            (
                e.full_name(),
                Kept::Pod(e.kind, e.labels.clone(), e.ports.clone(), ips.to_vec()),
            )
        })
        .collect()
}

/// Services by `namespace/name`: everything but where they were written.
fn services_of(c: &Cluster) -> Vec<(String, Kept)> {
    c.services
        .iter()
        .map(|s| {
            let mut s = s.clone();
            s.location = None;
            (
                format!("{}/{}", s.namespace, s.name),
                Kept::Service(Box::new(s)),
            )
        })
        .collect()
}
