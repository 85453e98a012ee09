//! Output formats: one [`Emitter`] per `--format`, one method per kind of report.
//!
//! A command loads, asks the [`netpol::Analysis`], and hands the answer to the emitter of
//! its `--format`; it never matches on the format itself. A format that cannot print a
//! report does not implement its method and does not list the report in
//! [`Emitter::reports`]: [`for_report`] then refuses the command line (exit 2, naming the
//! formats that can) before anything is read. A new format is one file here and one
//! variant of [`Format`].
//!
//! Everything written goes through [`crate::escape::Sanitize`] (the caller's writer):
//! no terminal control reaches a terminal raw. Cells are escaped per format (CSV per
//! RFC 4180, Markdown table cells). Large reports are written as they are computed: the
//! matrix row by row, the connection list pair by pair.

#![allow(
    clippy::indexing_slicing,
    reason = "an emitter indexes the name and group tables of the matrix or graph it prints, by the indices that matrix or graph gives"
)]

mod csv;
mod dot;
mod github;
mod json;
mod junit;
mod md;
mod mermaid;
pub mod npguard;
mod sarif;
mod tap;
mod text;

pub use junit::Junit;
pub use text::Text;

use std::io::{self, Write};

use clap::ValueEnum;
use netpol::group::{Edge, WorkloadMatrix};
use netpol::services::ServiceDecision;
use netpol::{Answer, ClassMatrix, Decision, Diagnostic, Lang, PortSet, WorkloadView};

use netpol::diff::{Cause, Causes, Connectivity, Counts, ObjectChange, PairDiff};
use netpol::exposure::ExposureReport;

use crate::input::InputSet;

/// What a diff report needs besides the pairs: both inputs (for positions), the two
/// connection lists (for the endpoints each entry stands for), the object changes.
pub struct DiffCtx<'a> {
    /// Before, after.
    pub sets: [&'a InputSet; 2],
    pub conns: [&'a dyn Connectivity; 2],
    pub causes: &'a Causes<'a>,
    pub lang: Lang,
}

impl DiffCtx<'_> {
    /// The causes of one pair's change.
    pub fn causes(&self, p: &PairDiff) -> Vec<Cause> {
        netpol::diff::pair_causes(self.causes, self.conns, p)
    }

    /// One cause in words, with the policy rules that bear on the pair.
    pub fn cause_words(&self, c: &Cause) -> String {
        match self.causes.changes.get(c.object) {
            Some(o) => netpol::words::diff::object(o, &self.causes.relevant_rules(c), self.lang),
            None => String::new(),
        }
    }

    /// Where an object is: `file:line:col` in the after version, else in the before.
    pub fn position(&self, o: &ObjectChange) -> Option<String> {
        let [b, a] = &o.location;
        match (a, b) {
            (Some(l), _) => Some(self.sets[1].position(l)),
            (None, Some(l)) => Some(self.sets[0].position(l)),
            (None, None) => None,
        }
    }
}
/// `--format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
    Csv,
    Md,
    /// SARIF 2.1.0 (`lint`): code-scanning services.
    Sarif,
    /// GitHub Actions workflow commands (`lint`): annotations on the pull request.
    Github,
    /// JUnit XML (`test`).
    Junit,
    /// The Test Anything Protocol, version 13 (`test`).
    Tap,
    /// Graphviz (`dot -Tsvg`): namespaces as clusters, workloads as nodes.
    Dot,
    /// A Mermaid flowchart (renders in Markdown on code hosts).
    Mermaid,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Json => "json",
            Format::Csv => "csv",
            Format::Md => "md",
            Format::Sarif => "sarif",
            Format::Github => "github",
            Format::Junit => "junit",
            Format::Tap => "tap",
            Format::Dot => "dot",
            Format::Mermaid => "mermaid",
        }
    }

    /// The format's emitter.
    pub fn emitter(self) -> &'static dyn Emitter {
        match self {
            Format::Text => &text::Text,
            Format::Json => &json::Json,
            Format::Csv => &csv::Csv,
            Format::Md => &md::Md,
            Format::Sarif => &sarif::Sarif,
            Format::Github => &github::Github,
            Format::Junit => &junit::Junit,
            Format::Tap => &tap::Tap,
            Format::Dot => &dot::Dot,
            Format::Mermaid => &mermaid::Mermaid,
        }
    }
}

/// `--conn-style`: whose text `connlist` and `diff` print (the edges are the same).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum ConnStyle {
    /// Ours: `All connections`, `TCP 80,443; UDP 53; ICMP`, `FIRST-LAST[External]`.
    #[default]
    Netpol,
    /// np-guard's netpol-analyzer: `All Connections`, `TCP 80,443,UDP 53` (protocols
    /// sorted, no ICMP), its column names and its diff layout; ranges
    /// `FIRST-LAST[External]` and a line per ingress controller (`{ingress-nginx}`,
    /// `{openshift-ingress-operator}`), as its current outputs.
    #[value(name = "np-guard")]
    NpGuard,
    /// As `np-guard`, with ranges `FIRST-LAST` and the ingress controller once,
    /// `{ingress-controller}`, as np-guard wrote them before.
    #[value(name = "np-guard-legacy")]
    NpGuardLegacy,
}

impl ConnStyle {
    /// The emitter of `format` for `report` in this style, or the usage error.
    pub fn emitter(self, format: Format, report: Report) -> Result<&'static dyn Emitter, String> {
        match self {
            ConnStyle::Netpol => for_report(format, report),
            ConnStyle::NpGuard => npguard::for_report(format, report, false),
            ConnStyle::NpGuardLegacy => npguard::for_report(format, report, true),
        }
    }
}

/// `--by`: what the rows of `connlist` and `matrix` are.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum By {
    /// Workloads as people name them (`default/frontend[Deployment]`), bare pods
    /// (`[Pod]`) and address ranges (`[External]`).
    Workload,
    /// Every pod or workload endpoint, by name, and each `--ip`.
    Pod,
}

/// What a command prints; named as the command is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Report {
    /// `query`: a decision, a routed decision, or a connection set.
    Query,
    Matrix,
    Connlist,
    /// `lint`: diagnostics.
    Lint,
    /// `test`: scenario results.
    Test,
    /// `diff`: the pairs whose connections differ between two versions.
    Diff,
    /// `exposure`: who could reach each workload, and whom it could reach, beyond the
    /// input.
    Exposure,
}

impl Report {
    pub fn command(self) -> &'static str {
        match self {
            Report::Query => "query",
            Report::Matrix => "matrix",
            Report::Connlist => "connlist",
            Report::Lint => "lint",
            Report::Test => "test",
            Report::Diff => "diff",
            Report::Exposure => "exposure",
        }
    }
}

/// What text explanations need besides the answer: the language, and the input (to say
/// where each named policy is, as `file:line:col`).
pub struct Ctx<'a> {
    pub set: &'a InputSet,
    pub lang: Lang,
    /// Where `docs/lints.md` is (SARIF `helpUri`s point at its anchors).
    pub docs_url: &'a str,
}

/// Where the lint documentation is when `--docs-url` is not given: relative to the
/// repository root.
pub const DOCS_URL: &str = "docs/lints.md";

/// The pairs of a connection list: (from, to) as indexes into the names, and the
/// connections allowed, computed as the emitter pulls them.
pub type Pairs<'a> = dyn Iterator<Item = (usize, usize, PortSet)> + 'a;

/// One output format. Each method writes one kind of report to `out`; a format that
/// cannot write a report leaves the default, which is never reached through
/// [`for_report`].
pub trait Emitter: Sync {
    /// The reports this format writes.
    fn reports(&self) -> &'static [Report];

    /// `query` between two endpoints on one port, or a ping.
    fn decision(&self, _out: &mut dyn Write, _d: &Decision, _ctx: &Ctx<'_>) -> io::Result<()> {
        Err(unavailable())
    }

    /// `query` through a Service, an Ingress, a NodePort/LoadBalancer or DNS.
    fn routed(&self, _out: &mut dyn Write, _d: &ServiceDecision, _ctx: &Ctx<'_>) -> io::Result<()> {
        Err(unavailable())
    }

    /// `query` without a port: every connection allowed from `from` to `to`.
    fn connections(
        &self,
        _out: &mut dyn Write,
        _from: &str,
        _to: &str,
        _set: &PortSet,
    ) -> io::Result<()> {
        Err(unavailable())
    }

    /// `matrix`: the truth table for one port.
    fn matrix(&self, _out: &mut dyn Write, _m: &ClassMatrix) -> io::Result<()> {
        Err(unavailable())
    }

    /// `connlist`: every ordered pair of `names` with its connections, written as
    /// `pairs` yields them (memory does not grow with the number of pairs).
    fn connlist(
        &self,
        _out: &mut dyn Write,
        _names: &[String],
        _pairs: &mut Pairs<'_>,
    ) -> io::Result<()> {
        Err(unavailable())
    }

    /// `connlist --by workload`: the edges of `view`, written as `edges` yields them
    /// (sorted by source, then destination, as named); `focus`: the groups `--focus`
    /// named (`edges` are already theirs).
    fn workloads(
        &self,
        _out: &mut dyn Write,
        _view: &WorkloadView<'_>,
        _focus: Option<&[usize]>,
        _edges: &mut dyn Iterator<Item = Edge>,
    ) -> io::Result<()> {
        Err(unavailable())
    }

    /// `matrix --by workload`: the truth table for one port between workloads.
    fn workload_matrix(&self, _out: &mut dyn Write, _m: &WorkloadMatrix) -> io::Result<()> {
        Err(unavailable())
    }

    /// `lint`: diagnostics and lints, in order.
    fn diagnostics(
        &self,
        _out: &mut dyn Write,
        _diags: &[Diagnostic],
        _ctx: &Ctx<'_>,
    ) -> io::Result<()> {
        Err(unavailable())
    }

    /// `diff`: the object changes, then each pair as `pairs` yields it (sorted by
    /// source, then destination); returns the counts.
    fn diff(
        &self,
        _out: &mut dyn Write,
        _ctx: &DiffCtx<'_>,
        _pairs: &mut dyn Iterator<Item = PairDiff>,
    ) -> io::Result<Counts> {
        Err(unavailable())
    }

    /// `exposure`: each workload's exposures, per direction, with the rules.
    fn exposure(
        &self,
        _out: &mut dyn Write,
        _report: &ExposureReport,
        _ctx: &Ctx<'_>,
    ) -> io::Result<()> {
        Err(unavailable())
    }

    /// `test`: one scenario file's result, as soon as it has run (formats that write
    /// the whole report at the end leave this empty).
    fn scenario(&self, _out: &mut dyn Write, _case: &ScenarioCase) -> io::Result<()> {
        Ok(())
    }

    /// `test`: the end of the run, with every case (those that ran and the files that
    /// could not be read or parsed).
    fn scenarios(
        &self,
        _out: &mut dyn Write,
        _cases: &[ScenarioCase],
        _totals: &Totals,
    ) -> io::Result<()> {
        Err(unavailable())
    }
}

/// One scenario file's result in `netpol test`.
pub struct ScenarioCase {
    pub file: String,
    /// The scenario's `name` (empty when the file could not be read or parsed).
    pub name: String,
    pub passed: usize,
    /// One message per failed cell (explanations on the following lines).
    pub failures: Vec<String>,
    /// An exercise's graded checklist (goals, constraints, hints), one line each; empty
    /// for a plain scenario.
    pub checklist: Vec<String>,
}

/// The counts of a `netpol test` run.
pub struct Totals {
    pub scenarios: usize,
    pub passed: usize,
    pub failed: usize,
}

fn unavailable() -> io::Error {
    io::Error::new(
        io::ErrorKind::Unsupported,
        "this format cannot print this report",
    )
}

/// The emitter of `format` for `report`, or the usage error that names the formats
/// that can print it.
pub fn for_report(format: Format, report: Report) -> Result<&'static dyn Emitter, String> {
    let e = format.emitter();
    if e.reports().contains(&report) {
        return Ok(e);
    }
    let can: Vec<&str> = Format::value_variants()
        .iter()
        .filter(|f| f.emitter().reports().contains(&report))
        .map(|f| f.name())
        .collect();
    let list = one_of(&can);
    Err(format!(
        "`--format {}` is not available for `{}`; use {list}",
        format.name(),
        report.command()
    ))
}

/// A `query` answer: a decision, a routed decision, or a connection set. An invalid
/// question is the caller's error (exit 2), never printed as a verdict.
pub fn answer(
    e: &dyn Emitter,
    out: &mut dyn Write,
    answer: &Answer,
    ctx: &Ctx<'_>,
) -> io::Result<()> {
    match answer {
        Answer::Decision(d) => e.decision(out, d, ctx),
        Answer::Routed(d) => e.routed(out, d, ctx),
        Answer::Connections { from, to, set } => {
            let engine = ctx.set.analysis.engine();
            e.connections(out, &engine.name(*from), &engine.name(*to), set)
        }
        Answer::Invalid(_) => Ok(()),
    }
}

/// `connlist --by pod`: the endpoints, then each `--ip`; every ordered pair but an
/// endpoint to itself (with `focus`, only pairs with a marked end), computed lazily as
/// the emitter writes.
pub fn connlist(
    e: &dyn Emitter,
    out: &mut dyn Write,
    engine: &netpol::Engine,
    ips: &[std::net::IpAddr],
    focus: Option<&[bool]>,
) -> io::Result<()> {
    use netpol::Target;
    let mut targets: Vec<Target> = (0..engine.cluster.endpoints.len())
        .map(Target::Endpoint)
        .collect();
    targets.extend(ips.iter().map(|ip| Target::External(*ip)));
    let names: Vec<String> = targets.iter().map(|t| engine.name(*t)).collect();
    let n = targets.len();
    let targets = &targets;
    let mut pairs = (0..n)
        .flat_map(|i| (0..n).map(move |j| (i, j)))
        .filter(|(i, j)| targets[*i] != targets[*j])
        .filter(|(i, j)| focus.is_none_or(|f| marked(f, *i) || marked(f, *j)))
        .map(|(i, j)| (i, j, engine.connections(targets[i], targets[j])));
    e.connlist(out, &names, &mut pairs)
}

fn marked(focus: &[bool], i: usize) -> bool {
    focus.get(i).copied().unwrap_or(false)
}

/// The text of each connection set met (`TCP 80,443; UDP 53`), kept for the sets a long
/// list repeats: the 20,000-pod dump's `connlist` prints a few hundred distinct sets on
/// 20 M lines. At most [`SetTexts::MAX`] are kept (then forgotten all at once), so memory
/// does not grow with the output.
struct SetTexts {
    texts: std::collections::HashMap<PortSet, String>,
    /// The most common set, told without hashing.
    all: PortSet,
}

impl Default for SetTexts {
    fn default() -> Self {
        SetTexts {
            texts: std::collections::HashMap::new(),
            all: PortSet::all(),
        }
    }
}

impl SetTexts {
    const MAX: usize = 4096;

    fn text(&mut self, set: &PortSet) -> &str {
        if *set == self.all {
            return "All connections";
        }
        if !self.texts.contains_key(set) {
            if self.texts.len() >= Self::MAX {
                self.texts.clear();
            }
            self.texts.insert(set.clone(), set.to_string());
        }
        self.texts.get(set).map_or("", String::as_str)
    }
}

/// The names of a view's groups, as the text prints them.
fn labels(view: &WorkloadView<'_>) -> Vec<String> {
    view.groups
        .iter()
        .map(netpol::group::Group::label)
        .collect()
}

/// A cell of the workload matrix in words, per format: allowed, denied, partial,
/// unknown.
fn wcell(c: netpol::group::WorkloadCell, words: [&str; 4]) -> &str {
    use netpol::group::WorkloadCell as W;
    match c {
        W::Allowed => words[0],
        W::Denied => words[1],
        W::Partial => words[2],
        W::Unknown => words[3],
    }
}

/// How a graph format draws a node.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// A workload (or a pod, by pod).
    Workload,
    /// A bare pod.
    Pod,
    /// Addresses outside the cluster.
    External,
    IngressController,
    Dns,
}

/// A node of a graph format.
pub struct GraphNode {
    /// None outside the cluster.
    pub namespace: Option<String>,
    /// What is drawn: the name without its namespace.
    pub label: String,
    /// The kind (`Deployment`, `Pod`, `External`), drawn under the label; empty by pod.
    pub kind: String,
    /// The name as the text output prints it.
    pub full: String,
    pub shape: Shape,
}

/// A graph format's input: the nodes (workloads grouped by namespace, in name order),
/// then the edges with some connection, collected (graphs are for reading; their size is
/// that of the picture).
pub struct Graph {
    pub nodes: Vec<GraphNode>,
    /// (from, to) into `nodes`, the connection set as the text prints it, and whether
    /// only some pods of an end get it.
    pub edges: Vec<(usize, usize, String, bool)>,
}

impl Graph {
    /// The namespaces in order, each with its nodes, then the nodes outside any.
    pub fn by_namespace(&self) -> (Vec<(&str, Vec<usize>)>, Vec<usize>) {
        let mut groups: Vec<(&str, Vec<usize>)> = Vec::new();
        let mut outside = Vec::new();
        for (i, n) in self.nodes.iter().enumerate() {
            match &n.namespace {
                Some(ns) => match groups.iter_mut().find(|(g, _)| g == ns) {
                    Some((_, v)) => v.push(i),
                    None => groups.push((ns, vec![i])),
                },
                None => outside.push(i),
            }
        }
        netpol::sort::by(&mut groups, |a, b| a.0.cmp(b.0));
        (groups, outside)
    }

    /// From a workload view: every workload (with `focus`, the focused ones and those
    /// they connect with), the address ranges some edge has, and the edges.
    pub fn of_view(
        view: &WorkloadView<'_>,
        focus: Option<&[usize]>,
        edges: &mut dyn Iterator<Item = Edge>,
    ) -> Graph {
        let edges: Vec<Edge> = edges.collect();
        let mut used = vec![false; view.groups.len()];
        for e in &edges {
            used[e.from] = true;
            used[e.to] = true;
        }
        if let Some(f) = focus {
            for &g in f {
                if let Some(u) = used.get_mut(g) {
                    *u = true;
                }
            }
        }
        let mut index = vec![usize::MAX; view.groups.len()];
        let mut nodes = Vec::new();
        for (g, group) in view.groups.iter().enumerate() {
            if !used[g] && (group.is_external() || group.is_assumed() || focus.is_some()) {
                continue;
            }
            let shape = match (group.role, group.is_external(), group.kind.as_str()) {
                (_, true, _) => Shape::External,
                (Some(netpol::group::Role::IngressController), _, _) => Shape::IngressController,
                (Some(netpol::group::Role::Dns), _, _) => Shape::Dns,
                (None, _, "Pod") => Shape::Pod,
                _ => Shape::Workload,
            };
            index[g] = nodes.len();
            nodes.push(GraphNode {
                namespace: group.namespace.clone(),
                label: group.name.clone(),
                // `{ingress-controller}` says what it is.
                kind: if group.is_assumed() {
                    String::new()
                } else {
                    group.kind.clone()
                },
                full: group.label(),
                shape,
            });
        }
        let edges = edges
            .into_iter()
            .map(|e| (index[e.from], index[e.to], e.set.to_string(), !e.uniform()))
            .collect();
        Graph { nodes, edges }
    }

    /// From the pod list: every name (`NAMESPACE/...` in its namespace, an address
    /// outside when some edge has it) and the pairs with some connection.
    pub fn of_pairs(names: &[String], pairs: &mut Pairs<'_>) -> Graph {
        let edges: Vec<(usize, usize, String, bool)> = pairs
            .filter(|(_, _, set)| !set.is_empty())
            .map(|(i, j, set)| (i, j, set.to_string(), false))
            .collect();
        let mut used = vec![false; names.len()];
        for (i, j, _, _) in &edges {
            used[*i] = true;
            used[*j] = true;
        }
        let mut index = vec![usize::MAX; names.len()];
        let mut nodes = Vec::new();
        for (k, name) in names.iter().enumerate() {
            let node = match name.split_once('/') {
                Some((ns, rest)) => GraphNode {
                    namespace: Some(ns.to_string()),
                    label: rest.to_string(),
                    kind: String::new(),
                    full: name.clone(),
                    shape: Shape::Workload,
                },
                None if used[k] => GraphNode {
                    namespace: None,
                    label: name.clone(),
                    kind: String::new(),
                    full: name.clone(),
                    shape: Shape::External,
                },
                None => continue,
            };
            index[k] = nodes.len();
            nodes.push(node);
        }
        let edges = edges
            .into_iter()
            .map(|(i, j, set, p)| (index[i], index[j], set, p))
            .collect();
        Graph { nodes, edges }
    }
}

/// Where an exposure's rule is: `file:line:col` (None for "no policy").
pub fn grant_position(g: &netpol::exposure::Grant, ctx: &Ctx<'_>) -> Option<String> {
    g.location().map(|l| ctx.set.position(l))
}

/// A cell of the matrix in words, per format.
fn cell<'a>(c: netpol::eval::Cell, yes: &'a str, no: &'a str, unknown: &'a str) -> &'a str {
    match c {
        Some(true) => yes,
        Some(false) => no,
        None => unknown,
    }
}

/// `a`, `a or b`, `a, b or c`: the formats a usage error offers.
pub(crate) fn one_of(names: &[&str]) -> String {
    match names.split_last() {
        Some((last, [])) => last.to_string(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    }
}
