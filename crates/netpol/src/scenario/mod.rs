//! Scenario files: a cluster plus expected verdicts (see `docs/scenario-format.md`).
//!
//! The module does no I/O: the caller passes a function that reads manifest files by
//! path (relative to the scenario file), so the CLI reads the disk and the page reads
//! its built-in examples.

use serde::Serialize;

use crate::diag::{Diagnostic, Location, Severity};
use crate::eval::PortQuery;
use crate::model::QueryProtocol;
use crate::services::{self, Outcome};
mod parse;

pub use parse::{detect, parse, parse_port, Detected, Row};

use crate::yaml::{self, Limits, Node, NodeKind};

/// English and Spanish text (extension fields `title`, `lesson`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Text {
    pub en: String,
    pub es: String,
}

impl Text {
    /// The text in `lang`.
    pub fn get(&self, lang: crate::Lang) -> &str {
        match lang {
            crate::Lang::En => &self.en,
            crate::Lang::Es => &self.es,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum Manifest {
    /// A file path relative to the scenario file.
    Path(String),
    /// An inline object, re-emitted as YAML text.
    Inline(String),
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Connection {
    pub from: String,
    pub to: String,
    pub port: Option<PortQuery>,
    pub protocol: QueryProtocol,
    pub allowed: bool,
    /// Extension: the command this row reproduces (e.g. `nc -zv 192.169.62.30 80`).
    pub command: Option<String>,
    /// Extension: the expected outcome through a Service (`partial`, `no-backends`);
    /// replaces `allowed`. None: `allowed` decides (allowed / denied).
    pub outcome: Option<Outcome>,
    /// Extension: per-backend expectations (`backends: {NAMESPACE/POD: true}`), one cell each.
    pub backends: Vec<(String, bool)>,
    /// Extension (exercises): the goal in words (`goal: {en, es}`); None: the connection
    /// and the verdict wanted, written out.
    pub goal: Option<Text>,
    /// Extension (exercises): the goal is not shown until the student checks their work
    /// (`hidden: true`); graded like any other.
    pub hidden: bool,
    /// Extension (lessons): what the tutorial being followed recorded for this command
    /// (`recorded: {allowed, output, note}`), which may differ from the API's verdict.
    pub recorded: Option<Recorded>,
}

/// What a tutorial recorded for a row's command: its outcome, the output exactly as
/// printed (None: the tutorial only claims the outcome), and why the API's verdict
/// differs, when it does.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Recorded {
    pub allowed: bool,
    pub output: Option<String>,
    pub note: Option<Text>,
}

/// Extension: a scenario with `exercise:` is an exercise. Its `expect` entries are the
/// goals, its `manifests` the starting point; a submission (files) replaces or extends
/// them (see [`apply_submission`]) and is graded against the goals and the constraints.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Exercise {
    /// Hints, in the order they are revealed.
    pub hints: Vec<Text>,
    pub constraints: Vec<Constraint>,
    /// The reference solution: files relative to the exercise file, applied to the
    /// starting manifests like a submission. `netpol test` grades it when no submission
    /// is given, so a course checks in CI that every exercise can be solved.
    pub solution: Vec<String>,
}

/// A rule a submission must keep besides the goals.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum Constraint {
    /// `unchanged: Namespace`: the objects of this kind (names, labels; for pods also
    /// ports and addresses) are as in the starting manifests.
    Unchanged { kind: ObjectKind },
    /// `maxPolicies: N` (and optionally `namespace: NS`): at most N NetworkPolicies in
    /// force, counted in NS only when given.
    MaxPolicies {
        count: usize,
        namespace: Option<String>,
    },
}

/// The kinds `unchanged:` compares.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum ObjectKind {
    Namespace,
    /// Pods and the workloads standing for them.
    Pod,
    Service,
}

impl ObjectKind {
    pub fn parse(text: &str) -> Option<ObjectKind> {
        Some(match text.trim().to_ascii_lowercase().as_str() {
            "namespace" | "namespaces" | "ns" => ObjectKind::Namespace,
            "pod" | "pods" | "po" | "workload" | "workloads" => ObjectKind::Pod,
            "service" | "services" | "svc" => ObjectKind::Service,
            _ => return None,
        })
    }
    pub fn as_str(self) -> &'static str {
        match self {
            ObjectKind::Namespace => "Namespace",
            ObjectKind::Pod => "Pod",
            ObjectKind::Service => "Service",
        }
    }
}

impl Connection {
    /// The outcome this row expects.
    pub fn expected_outcome(&self) -> Outcome {
        self.outcome.unwrap_or(if self.allowed {
            Outcome::Allowed
        } else {
            Outcome::Denied
        })
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MatrixExpect {
    pub port: PortQuery,
    pub protocol: QueryProtocol,
    pub columns: Vec<String>,
    /// (source, cells) where a cell is Some(allowed) or None for `-`.
    pub rows: Vec<Row>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum Expectation {
    Connection(Connection),
    Matrix(MatrixExpect),
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Scenario {
    pub name: String,
    pub description: Option<String>,
    pub title: Option<Text>,
    pub lesson: Option<Text>,
    pub manifests: Vec<Manifest>,
    pub expect: Vec<Expectation>,
    /// Extensions `hosts:`, `ingressController:`, `nodeCidr:` (see `services`).
    pub options: services::Options,
    /// Extension: the file is an exercise (goals, hints, constraints, a solution).
    pub exercise: Option<Exercise>,
}

/// What breaks a constraint (in words: `words::exercise::broken`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Broken {
    /// `maxPolicies`: there are `count` NetworkPolicies (in `namespace`).
    TooManyPolicies {
        count: usize,
        namespace: Option<String>,
    },
    /// `unchanged`: the objects changed, added and removed, by name.
    Changed {
        changed: Vec<String>,
        added: Vec<String>,
        removed: Vec<String>,
    },
}

/// `utils/utils -> webapp-balanced/webapp-balanced TCP 80`, or `(every backend)`.
pub(crate) fn label(c: &Connection) -> String {
    format!(
        "{} -> {} {}",
        c.from,
        if c.to.trim().is_empty() {
            "(every backend)"
        } else {
            c.to.as_str()
        },
        match (c.protocol, &c.port) {
            (QueryProtocol::ICMP, _) => "ICMP".to_string(),
            (p, Some(port)) => format!("{p} {port}"),
            (p, None) => p.to_string(),
        }
    )
}

#[cfg(test)]
mod inline_tests {
    use super::*;

    fn check(scenario: &str, expected: &str) {
        let s = parse(scenario).unwrap_or_else(|d| panic!("{d:?}"));
        match &s.manifests[..] {
            [Manifest::Inline(t)] => assert_eq!(t, expected),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn inline_manifests_keep_the_authors_text() {
        check(
            "name: n\nmanifests:\n  - apiVersion: v1\n    kind: Pod   # a comment\n    metadata:\n      name: a\nexpect:\n  - {from: d/a, to: d/a, port: 1, allowed: true}\n",
            "apiVersion: v1\nkind: Pod   # a comment\nmetadata:\n  name: a\n",
        );
    }

    #[test]
    fn an_alias_to_an_outer_anchor_falls_back_to_json() {
        check(
            "labels: &l {app: \"x\\\"y\"}\nname: n\nmanifests:\n  - kind: Pod\n    metadata: {name: a, labels: *l, port: 80, on: true}\nexpect:\n  - {from: d/a, to: d/a, port: 1, allowed: true}\n",
            "{\"kind\": \"Pod\", \"metadata\": {\"name\": \"a\", \"labels\": {\"app\": \"x\\\"y\"}, \"port\": 80, \"true\": true}}\n",
        );
    }
}

#[cfg(test)]
mod detect_tests {
    use super::*;

    fn is_scenario(text: &str) -> bool {
        matches!(detect(text), Detected::Scenario(_))
    }

    #[test]
    fn scenarios_are_detected_by_parsing() {
        let entry = "{from: a/b, to: a/c, port: 80, allowed: true}";
        for text in [
            format!("name: n\nmanifests: []\nexpect:\n  - {entry}\n"),
            format!("{{name: n, manifests: [], expect: [{entry}]}}\n"),
            format!("\"name\": n\n\"manifests\": []\n'expect': [{entry}]\n"),
            format!("\u{feff}name: n\r\nmanifests: []\r\nexpect: [{entry}]\r\n"),
            "{\"name\": \"n\", \"manifests\": [], \"expect\": [{\"from\": \"a/b\", \"to\": \"a/c\", \"port\": 80, \"allowed\": true}]}".to_string(),
            format!("---\n# first\nexpect: [{entry}]\nname: n\nmanifests: []\n"),
        ] {
            match detect(&text) {
                Detected::Scenario(Ok(s)) => assert_eq!(s.expect.len(), 1, "{text}"),
                other => panic!("{text:?}: {other:?}"),
            }
        }
        // Manifests and fixtures with `expect` only in comments are not scenarios.
        assert!(!is_scenario("# expect: ok\napiVersion: v1\nkind: Pod\n"));
        assert!(!is_scenario("kind: ConfigMap\ndata: {expect: x}\n"));
        assert!(!is_scenario("# expect: yaml-syntax\nkey: [unclosed\n"));
        // Broken YAML with an `expect` key is an invalid scenario, not skipped.
        for broken in [
            "name: n\nexpect: [{from: a/b\n",
            "{name: n, expect: [\n",
            "{\"name\": \"n\", \"expect\": [\n",
        ] {
            assert!(
                matches!(detect(broken), Detected::Scenario(Err(_))),
                "{broken:?}"
            );
        }
    }

    #[test]
    fn diagnostics_after_a_byte_order_mark_point_into_the_whole_text() {
        let text = "\u{feff}name: n\nmanifests: []\nexpect: [{from: a/b, to: a/c, port: 0, allowed: true}]\n";
        let Detected::Scenario(Err(d)) = detect(text) else {
            panic!()
        };
        let at = d[0].location.range.start;
        assert_eq!(&text[at..at + 1], "0", "{d:?}");
    }

    #[test]
    fn ports_are_checked() {
        assert_eq!(parse_port("80"), Ok(PortQuery::Number(80)));
        assert_eq!(parse_port(" 65535 "), Ok(PortQuery::Number(65535)));
        assert_eq!(parse_port("http"), Ok(PortQuery::Name("http".into())));
        assert_eq!(parse_port("dns-tcp"), Ok(PortQuery::Name("dns-tcp".into())));
        for bad in [
            "",
            " ",
            "0",
            "65536",
            "99999999999999999999",
            "-1",
            "+80",
            "HTTP",
            "a b",
        ] {
            assert!(parse_port(bad).is_err(), "{bad:?}");
        }
    }
}
