//! What crosses the boundary between the page (main thread) and the analysis worker
//! (`src/worker.rs`, `analyzer/`): JSON of these types, posted as strings (the
//! answers' view types as arrays of their fields: `seq_serde!` at the end). The
//! page's message is an array `[json, text]`: the editor's text travels beside the JSON
//! as the JS string it is (never escaped into JSON), and only when the worker does not
//! have that revision yet. The worker answers with view-ready data (words already in the
//! chosen language), so the main thread renders and never loads or evaluates.
//!
//! Positions (`Link`, `DiagView`, hovers) are the editor's: UTF-16 code units of the
//! text, converted by the worker from the core's UTF-8 byte ranges.

use serde::{Deserialize, Serialize};

use crate::query::Query;

/// The page's tabs (in the state and in the views' requests).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Tab {
    Query,
    Matrix,
    Cluster,
    Lesson,
    Graph,
    /// What changed since the pinned baseline.
    Changes,
}

/// What the page shows, as far as the worker must compute it.
#[derive(Clone, Debug, PartialEq)]
pub struct ViewRequest {
    pub lang: netpol::Lang,
    pub tab: Tab,
    pub query: Query,
    /// The lesson shown (a built-in id, or `src:PATH`): its rows, Service options and,
    /// for an exercise, its goals and constraints.
    pub lesson: Option<String>,
    /// The Lesson tab shows the query's verdict (a row was run).
    pub lesson_query: bool,
    /// The student pressed "Check": hidden goals are shown.
    pub checked: bool,
    pub matrix_port: String,
    pub matrix_protocol: String,
    pub matrix_filter: String,
    /// The connection walked step by step (the steps panel is open).
    pub steps: Option<Query>,
    /// The Matrix tab shows pods (else workloads).
    pub matrix_pods: bool,
    /// The Graph tab: its connections, focus and namespace filter.
    pub graph: GraphRequest,
    /// The Graph tab shows this edge's explanation (in `ViewData::query`).
    pub graph_ask: Option<Query>,
    /// The pinned baseline (its id): the Matrix and Graph mark what changed since, and
    /// the Changes tab lists it.
    pub baseline: Option<u64>,
    /// Graph and Matrix tabs: the editor position whose policy, rule or peer they trace
    /// (`ViewData::trace`).
    pub trace: Option<u32>,
}

/// What the Graph tab asks for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GraphRequest {
    /// `All` (every port), `TCP`, `UDP`, `SCTP` or `ICMP`.
    pub protocol: String,
    /// A port number or name, for TCP, UDP and SCTP.
    pub port: String,
    /// A node's id (`NAMESPACE/NAME[KIND]`): only it and its neighbours.
    pub focus: Option<String>,
    /// Only the workloads of this namespace and their neighbours ("" for all).
    pub namespace: String,
}

/// Main thread -> worker.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum ToWorker {
    /// Analyse (when the text comes along) and answer the views.
    Analyze(Box<Request>),
    /// What is under the editor's pointer.
    Hover(HoverRequest),
}

/// The page's state to answer. The text of `revision`, when the worker does not have it
/// yet, travels beside this (see the module's doc).
#[derive(Clone, Debug)]
pub struct Request {
    /// The text's revision; the answer carries it, so a stale one is recognised.
    pub revision: u64,
    pub view: ViewRequest,
    /// Panic on purpose (the end-to-end test of the restart; see `bridge.rs`).
    pub crash: bool,
    /// The lesson shown when it is not built in (`#src=`): its scenario text and the
    /// starting manifests, sent with every request while it shows.
    pub lesson_source: Option<SrcLesson>,
    /// A file fetched for `#src=`, to be read (is it a scenario? its lesson).
    pub parse: Option<ParseRequest>,
    /// The pinned baseline's id and text, when this worker does not have it yet.
    pub baseline: Option<(u64, String)>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct SrcLesson {
    /// `src:PATH`, as in `ViewRequest::lesson`.
    pub id: String,
    pub source: String,
    /// The editor text the lesson starts with (its manifests, fetched).
    pub start: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ParseRequest {
    /// The site path it was fetched from (`lessons/my-step.yaml`).
    pub path: String,
    pub text: String,
}

/// What a `#src=` file is.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Parsed {
    /// A scenario: its lesson (manifest paths resolved against the site root).
    Lesson(Box<crate::lessons::LessonInfo>),
    /// Manifests: the text is loaded as it is.
    Manifests,
    /// A scenario file that does not parse.
    Invalid(String),
}

#[derive(Clone, Debug)]
pub struct HoverRequest {
    pub id: u64,
    /// The revision the position is in: the worker answers nothing for another one.
    pub revision: u64,
    /// Editor position (UTF-16).
    pub pos: u32,
    pub lang: netpol::Lang,
}

/// Worker -> main thread.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum Response {
    /// The worker's WebAssembly runs and listens.
    Ready,
    Results(Box<Results>),
    Hover(HoverAnswer),
    /// The worker panicked (its message); it is restarted.
    Panic(String),
}

#[derive(Clone, Debug, PartialEq)]
pub struct HoverAnswer {
    pub id: u64,
    pub hover: Option<HoverView>,
}

/// What the editor shows over a policy, rule, peer, port, pod or namespace.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HoverView {
    /// The part hovered (UTF-16 positions).
    pub from: u32,
    pub to: u32,
    pub title: String,
    pub lines: Vec<String>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Results {
    pub revision: u64,
    /// What depends on the text only; sent when the worker (re)built its analysis.
    pub base: Option<Base>,
    /// The view these results are for.
    pub view: Option<ViewRequest>,
    pub data: ViewData,
    /// The answer to `Request::parse`: (path, what the file is).
    pub parsed: Option<(String, Parsed)>,
}

/// What one version of the text gives, whatever the view.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Base {
    pub diagnostics: Vec<DiagView>,
    /// Load + lint + index, in the worker.
    pub millis: f64,
    /// Names a query may use, grouped by namespace.
    pub groups: Vec<(String, Vec<String>)>,
    /// Lines of the text analysed.
    pub lines: usize,
    /// Names the editor completes from the cluster.
    pub vocab: Vocab,
}

/// What the cluster offers the editor's completion.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Vocab {
    pub namespaces: Vec<String>,
    /// Label key -> values, over pods and workloads.
    pub pod_labels: Vec<(String, Vec<String>)>,
    /// Label key -> values, over namespaces.
    pub namespace_labels: Vec<(String, Vec<String>)>,
    /// Container port names.
    pub ports: Vec<String>,
}

/// A quick fix: replace `[from, to)` by `insert` (editor positions).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EditView {
    pub label: String,
    pub from: u32,
    pub to: u32,
    pub insert: String,
    /// The namespace a seed-trap fix selects (`netpol::quickfix`): the label names it
    /// (`use_name_label`: by renaming the key); `None` for a plain replacement.
    #[serde(default)]
    pub selects: Option<(String, bool)>,
}

/// A diagnostic placed in the editor text.
#[derive(Clone, Debug, PartialEq)]
pub struct DiagView {
    /// `error`, `warning` or `info`.
    pub severity: String,
    pub code: String,
    pub message: String,
    pub help: Option<String>,
    pub object: Option<String>,
    pub line: usize,
    pub col: usize,
    /// Editor positions (UTF-16) of the range.
    pub start: usize,
    pub end: usize,
    pub fixes: Vec<EditView>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct ViewData {
    /// The query's verdict (Query tab, or Lesson tab once a row ran).
    pub query: Option<OutcomeView>,
    pub matrix: Option<MatrixData>,
    pub cluster: Option<ClusterData>,
    pub graph: Option<GraphData>,
    /// Each lesson row, in order: its verdict and its simulated console.
    pub lesson: Vec<RowView>,
    /// The exercise graded on the current text.
    pub exercise: Option<ExerciseView>,
    /// The connection of `ViewRequest::steps`, step by step.
    pub steps: Option<StepsView>,
    /// What changed since the pinned baseline (the Changes tab).
    pub changes: Option<ChangesData>,
    /// The policy, rule or peer at `ViewRequest::trace`, traced to its connections.
    pub trace: Option<TraceView>,
}

/// A NetworkPolicy, one of its rules or one peer, traced to the connections it allows
/// between workloads (`netpol::provenance`), for the Graph and Matrix tabs.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TraceView {
    /// `NetworkPolicy `default/web``.
    pub policy: String,
    /// `spec.ingress[0].from[1]`; "" for the whole policy.
    pub path: String,
    /// `needed`, `redundant` or `nothing`.
    pub finding: String,
    /// Why it is redundant or matches nothing (the lint's words); "" when needed.
    pub message: String,
    /// Where it is written (editor positions).
    pub start: u32,
    pub end: u32,
    /// Its connections by workload, at most `MAX_TRACE_FLOWS`.
    pub flows: Vec<TraceFlow>,
    /// Flows left out past the limit.
    pub more: usize,
    /// Graph tab: the edges (from id, to id) drawn for its filter that it allows.
    pub edges: Vec<(String, String)>,
    /// Matrix tab: the shown cells (row, column) it allows.
    pub cells: Vec<(u32, u32)>,
}

/// Flows listed under a trace.
pub const MAX_TRACE_FLOWS: usize = 60;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct TraceFlow {
    /// `NAMESPACE/NAME[KIND]` (or a range), as `netpol connlist` prints it.
    pub from: String,
    pub to: String,
    /// What it admits and the whole input allows (`connlist` words), "" for nothing.
    pub allowed: String,
    /// What it admits but something else denies (the other side's isolation, an admin
    /// tier), "" for nothing.
    pub blocked: String,
}

/// The connectivity diff from the pinned baseline to the current text, at the level of
/// workloads (`netpol diff --by workload`), words in the chosen language.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ChangesData {
    /// `3 pairs changed: 1 added, 1 removed, 1 changed` / `no connectivity change`.
    pub summary: String,
    pub added: usize,
    pub removed: usize,
    pub changed: usize,
    /// The objects that differ (policies first), each linked to the current text when it
    /// is there.
    pub objects: Vec<ChangeObject>,
    /// The pairs whose connections differ, at most `changes::MAX_PAIRS`.
    pub pairs: Vec<ChangePair>,
    /// Pairs left out past the limit.
    pub more: usize,
    /// Why there is no diff (the baseline is not in this worker).
    pub error: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct ChangeObject {
    /// `NetworkPolicy `shop/web` edited: `spec.ingress[0]` edited`.
    pub text: String,
    /// `NetworkPolicy `shop/web``: how a pair's cause names it.
    pub title: String,
    /// `added`, `removed`, `edited` or `relabelled`.
    pub change: String,
    pub policy: bool,
    /// Where it is in the current text (an object only in the baseline has none).
    pub link: Option<Link>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct ChangePair {
    pub from: String,
    pub to: String,
    /// `added`, `removed` or `changed`.
    pub change: String,
    /// Connections before and after, as `netpol connlist` prints them.
    pub before: String,
    pub after: String,
    /// Why: indexes into `ChangesData::objects`, and for a policy whether it acts on the
    /// source's egress (`egress`), the destination's ingress, or both.
    pub causes: Vec<(usize, bool, bool)>,
}

/// A decision walked step by step (`netpol::trace`): the source's egress, the
/// destination's ingress, then the verdict; words in the chosen language.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StepsView {
    /// `allowed`, `denied` or `unknown`: the evaluator's verdict, which the last step says.
    pub verdict: String,
    /// `from → to · TCP 80`.
    pub title: String,
    /// The two sides' headings (`Egress of the source: `utils/utils-…``).
    pub sides: Vec<String>,
    pub steps: Vec<StepView>,
    /// Why there are no steps (several backends, a question that cannot be evaluated).
    pub error: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct StepView {
    /// 0: the source's egress, 1: the destination's ingress, 2: the verdict.
    pub side: u8,
    /// 0: the side; 1: a policy or rule; 2: a peer or port.
    pub depth: u8,
    pub ok: bool,
    pub text: String,
    /// The YAML it reads (editor positions).
    pub range: Option<(u32, u32)>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct RowView {
    /// `allowed`, `denied`, `partial`, `no-backends` or `unknown`.
    pub key: String,
    pub console: Option<ConsoleView>,
}

/// `netpol::console::Console`, words in the chosen language.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ConsoleView {
    pub prompt: String,
    pub command: String,
    pub output: Vec<String>,
    pub notes: Vec<String>,
    pub recorded: Option<RecordedView>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct RecordedView {
    pub agrees: bool,
    pub allowed: bool,
    pub output: Vec<String>,
    /// The tutorial only claims the outcome (the output is what it would print).
    pub claimed: bool,
    pub note: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct ExerciseView {
    pub goals: Vec<GoalView>,
    pub constraints: Vec<CheckView>,
    /// Errors in the manifests (the work is not graded as solved while there are any).
    pub errors: Vec<String>,
    pub solved: bool,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct GoalView {
    /// The lesson row of this goal (a connection), for its console.
    pub row: Option<usize>,
    /// Empty for a hidden goal before "Check".
    pub text: String,
    pub passed: bool,
    pub hidden: bool,
    /// What the work gives, in words (`ALLOWED`).
    pub got: String,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct CheckView {
    pub text: String,
    pub passed: bool,
    pub detail: Option<String>,
}

/// A button that selects a range of the text in the editor (UTF-16 positions).
#[derive(Clone, Debug, PartialEq)]
pub struct Link {
    pub label: String,
    pub start: usize,
    pub end: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum OutcomeView {
    Decision(Box<DecisionData>),
    Service(Box<ServiceData>),
    Error(String),
}

impl OutcomeView {
    /// `allowed`, `denied`, `partial`, `no-backends` or `unknown`.
    pub fn key(&self) -> &str {
        match self {
            OutcomeView::Decision(d) => &d.verdict,
            OutcomeView::Service(d) => &d.outcome,
            OutcomeView::Error(_) => "unknown",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct DecisionData {
    /// `allowed`, `denied` or `unknown`.
    pub verdict: String,
    pub verdict_word: String,
    pub from: String,
    pub to: String,
    pub connection: String,
    pub error: Option<String>,
    pub self_traffic: bool,
    /// Egress of the source, ingress of the destination.
    pub sides: Vec<SideData>,
    pub fixes: Vec<FixData>,
    /// The smallest edits of existing rules that would allow it (`netpol::fix::rule_changes`).
    pub edits: Vec<EditData>,
    pub caveats: Vec<String>,
    pub words: Vec<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ServiceData {
    /// `allowed`, `denied`, `partial`, `no-backends` or `unknown`.
    pub outcome: String,
    pub outcome_word: String,
    pub headline: String,
    pub error: Option<String>,
    pub notes: Vec<String>,
    /// Straight to one pod (an address that is a pod): its sides, unless it is itself.
    pub direct: bool,
    pub direct_sides: Option<Vec<SideData>>,
    pub backends: Vec<BackendData>,
    pub fixes: Vec<FixData>,
    pub words: Vec<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct BackendData {
    pub ok: bool,
    pub pod: String,
    pub verdict_word: String,
    pub sides: Option<Vec<SideData>>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct FixData {
    pub title: String,
    pub yaml: String,
}

/// An edit of an existing rule, shown as a diff of the lines it changes, applied in the
/// editor at `from..to` (editor positions of the text this answer is for).
#[derive(Clone, Debug, PartialEq)]
pub struct EditData {
    pub title: String,
    /// What else it opens (a port added to a rule opens it to all of the rule's peers).
    pub note: Option<String>,
    /// The 1-based line of the first changed line.
    pub line: u32,
    pub removed: Vec<String>,
    pub added: Vec<String>,
    pub from: u32,
    pub to: u32,
    pub insert: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct SideData {
    /// `side-egress` or `side-ingress`.
    pub id: String,
    pub egress: bool,
    pub endpoint: String,
    pub ok: bool,
    pub summary: String,
    pub steps: Vec<StepData>,
    pub final_word: String,
    pub isolated_by: Vec<Link>,
    pub allowed_by: Vec<Link>,
    pub near: Vec<(Link, String)>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct StepData {
    /// `Admin`, `NetworkPolicy`, `Baseline`, `Default`, `Calico`.
    pub tier: String,
    pub tier_label: String,
    /// `allow`, `deny` or `pass`.
    pub effect: String,
    pub policy: StepPolicy,
    pub what: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum StepPolicy {
    None,
    Link(Link),
    /// The NetworkPolicy step: the side's isolating policies.
    Isolating,
    Code(String),
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct MatrixData {
    /// Endpoints in the cluster, and those the filter keeps.
    pub endpoints: usize,
    pub matching: usize,
    pub names: Vec<String>,
    /// `cells[from][to]`: allowed, denied, or None (could not evaluate).
    pub cells: Vec<Vec<Option<bool>>>,
    /// Workloads (the default; `names` and `cells` are then empty).
    pub workloads: Option<WorkloadMatrixData>,
    /// Cells that differ from the pinned baseline: (row, column, the baseline's value:
    /// `allowed`, `denied`, `partial`, `unknown`, or `absent` when the row or column
    /// was not in the baseline).
    pub since: Vec<(u32, u32, String)>,
}

/// A pod matrix cell (`MatrixData::cells`) in the words of the workload cells and of
/// `MatrixData::since`: `allowed`, `denied`, `unknown`.
pub fn pod_cell_word(cell: Option<bool>) -> &'static str {
    match cell {
        Some(true) => "allowed",
        Some(false) => "denied",
        None => "unknown",
    }
}

/// The one-port matrix between workloads, grouped by namespace.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct WorkloadMatrixData {
    /// Workloads in the cluster, and those the filter keeps.
    pub workloads: usize,
    pub matching: usize,
    /// Rows and columns, in order; consecutive ones share a namespace.
    pub rows: Vec<WorkloadHeader>,
    /// `cells[from][to]`: `allowed`, `denied`, `partial` (some pods) or `unknown`.
    pub cells: Vec<Vec<String>>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct WorkloadHeader {
    pub namespace: String,
    pub name: String,
    pub kind: String,
    /// `NAMESPACE/NAME[KIND]`.
    pub label: String,
    /// The endpoint a query about it names (its first pod).
    pub query: String,
}

/// The Graph tab: the workload view laid out in the worker (coordinates in SVG units).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct GraphData {
    /// Groups before and after the filter and focus.
    pub total: usize,
    pub shown: usize,
    /// More nodes than a readable picture holds: nothing was laid out.
    pub too_big: bool,
    /// Every namespace with a workload (the filter's choices).
    pub namespaces: Vec<String>,
    /// Every workload's id (the focus picker's choices).
    pub choices: Vec<String>,
    /// The label the edges are for (`TCP 80`, `All ports`).
    pub showing: String,
    pub width: f64,
    pub height: f64,
    pub boxes: Vec<GraphBox>,
    pub nodes: Vec<GraphNode>,
    pub edges: Vec<GraphEdge>,
    pub focus: Option<GraphFocus>,
    /// A focus or port that could not be used.
    pub error: Option<String>,
    /// Layout time in the worker, in milliseconds.
    pub millis: f64,
    /// Edges marked as changed since the pinned baseline (added, removed, changed).
    pub since: (usize, usize, usize),
}

/// A namespace, drawn as a labelled box around its workloads.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct GraphBox {
    pub name: String,
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct GraphNode {
    /// `NAMESPACE/NAME[KIND]` or `FIRST-LAST[External]`, as `netpol connlist` prints it.
    pub id: String,
    pub name: String,
    /// `Deployment`, ..., `Pod`, `External`.
    pub kind: String,
    pub namespace: Option<String>,
    /// `workload`, `external`, `ingress` (the ingress controller) or `dns`.
    pub shape: String,
    /// `3 pods`, `1 pod`, `replicas: 2` (declared, no pod pasted), or "" for a range.
    pub pods: String,
    pub ingress_isolated: bool,
    pub egress_isolated: bool,
    /// Its pods differ in what the policies see.
    pub split: bool,
    /// Centre and size.
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct GraphEdge {
    pub from: String,
    pub to: String,
    /// What is drawn on it: `TCP 80`, `All`, `TCP 80 ✗`.
    pub label: String,
    /// Every connection allowed, as `netpol connlist` prints it (`All connections`).
    pub connections: String,
    /// A query asked about this pair and it was denied: drawn dashed.
    pub denied: bool,
    /// The question its explanation asks (endpoint names, protocol, port).
    pub ask: Query,
    /// The same connections are allowed back (`to` -> `from`): one line, two arrowheads.
    pub both: bool,
    /// Then the question of the way back.
    pub back: Option<Query>,
    /// Since the pinned baseline: `added`, `removed` (drawn from the baseline: nothing
    /// is allowed now) or `changed`; "" when it is the same or nothing is pinned.
    pub change: String,
    /// Then what the baseline allowed (`connlist` words).
    pub before: String,
    /// The polyline, then the label's centre.
    pub points: Vec<(f64, f64)>,
    pub label_x: f64,
    pub label_y: f64,
}

/// A focused node: what selects it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct GraphFocus {
    pub id: String,
    pub ingress_policies: Vec<Link>,
    pub egress_policies: Vec<Link>,
    pub pods: Vec<String>,
    /// How its pods differ, when they do.
    pub note: Option<String>,
    pub ins: usize,
    pub outs: usize,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct ClusterData {
    pub endpoints: usize,
    pub namespaces: Vec<NamespaceData>,
    pub policies: Vec<Link>,
    /// Who could reach each workload, and whom it could reach, beyond the input
    /// (`netpol::exposure`), at most `MAX_EXPOSED` workloads.
    pub exposure: Vec<ExposureData>,
    /// How many workloads there are (more than `exposure` holds when over the limit).
    pub workloads: usize,
}

/// One workload's exposure, in words of the chosen language.
#[derive(Clone, Debug, PartialEq)]
pub struct ExposureData {
    pub workload: String,
    /// The summary sentence per direction (ingress, egress).
    pub summaries: Vec<String>,
    pub items: Vec<ExposureItem>,
}

/// One exposure: its sentence, whether it is certain or only possible ("may"), and the
/// rule that grants it.
#[derive(Clone, Debug, PartialEq)]
pub struct ExposureItem {
    /// `ingress` or `egress`.
    pub direction: String,
    pub text: String,
    pub certain: bool,
    /// Everyone (no selector narrows it) or the internet.
    pub wide: bool,
    pub rule: Option<Link>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct NamespaceData {
    pub name: String,
    pub labels: Vec<String>,
    pub endpoints: Vec<EndpointData>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct EndpointData {
    pub name: String,
    pub kind: String,
    pub ingress_isolated: bool,
    pub egress_isolated: bool,
    pub ips: String,
    pub labels: Vec<String>,
    pub ports: String,
    pub selected_by: Vec<Link>,
}

/// A message between the page and its worker, in postcard's encoding of its serde form
/// (both ends are this build: no field names, no self-description, no float printing).
pub fn encode<T: Serialize>(v: &T) -> Vec<u8> {
    postcard::to_allocvec(v).unwrap_or_default()
}

/// The message [`encode`] wrote. Both ends are one build, so a message that does not
/// read is a bug, not input: one fixed message, and postcard's error texts stay out of
/// the .wasm.
pub fn decode<'a, T: Deserialize<'a>>(bytes: &'a [u8]) -> Result<T, &'static str> {
    postcard::from_bytes(bytes)
        .map_err(|_| "a message between the page and its worker did not read")
}

/// Serialize and Deserialize as a tuple of the fields in order, not a map: the page and the worker are the same build, so no field names are needed
/// on the wire, and the derive's map visitors and field-name matching are left out of
/// the .wasm (issue 12's budget). `EditView` and `HoverView` keep their names: the
/// editor's JavaScript reads them.
macro_rules! seq_serde {
    ($($t:ident { $($f:ident),* $(,)? })*) => {$(
        impl Serialize for $t {
            #[inline(never)]
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeTuple;
                let mut t = s.serialize_tuple([$(stringify!($f)),*].len())?;
                $(t.serialize_element(&self.$f)?;)*
                t.end()
            }
        }
        impl<'de> Deserialize<'de> for $t {
            #[inline(never)]
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V;
                impl<'de> serde::de::Visitor<'de> for V {
                    type Value = $t;
                    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                        f.write_str(stringify!($t))
                    }
                    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut a: A) -> Result<$t, A::Error> {
                        Ok($t {
                            $($f: a
                                .next_element()?
                                .ok_or_else(|| serde::de::Error::custom(stringify!($f)))?,)*
                        })
                    }
                }
                d.deserialize_tuple([$(stringify!($f)),*].len(), V)
            }
        }
    )*};
}

seq_serde! {
    ViewRequest { lang, tab, query, lesson, lesson_query, checked, matrix_port, matrix_protocol, matrix_filter, steps, matrix_pods, graph, graph_ask, baseline, trace }
    GraphRequest { protocol, port, focus, namespace }
    Request { revision, view, crash, lesson_source, parse, baseline }
    SrcLesson { id, source, start }
    ParseRequest { path, text }
    HoverRequest { id, revision, pos, lang }
    Results { revision, base, view, data, parsed }
    GraphData { total, shown, too_big, namespaces, choices, showing, width, height, boxes, nodes, edges, focus, error, millis, since }
    GraphBox { name, x, y, w, h }
    GraphNode { id, name, kind, namespace, shape, pods, ingress_isolated, egress_isolated, split, x, y, w, h }
    GraphEdge { from, to, label, connections, denied, ask, both, back, change, before, points, label_x, label_y }
    GraphFocus { id, ingress_policies, egress_policies, pods, note, ins, outs }
    WorkloadMatrixData { workloads, matching, rows, cells }
    WorkloadHeader { namespace, name, kind, label, query }
    MatrixData { endpoints, matching, names, cells, workloads, since }
    ClusterData { endpoints, namespaces, policies, exposure, workloads }
    ExposureData { workload, summaries, items }
    ExposureItem { direction, text, certain, wide, rule }
    NamespaceData { name, labels, endpoints }
    EndpointData { name, kind, ingress_isolated, egress_isolated, ips, labels, ports, selected_by }
    ViewData { query, matrix, cluster, graph, lesson, exercise, steps, changes, trace }
    TraceView { policy, path, finding, message, start, end, flows, more, edges, cells }
    TraceFlow { from, to, allowed, blocked }
    ChangesData { summary, added, removed, changed, objects, pairs, more, error }
    ChangeObject { text, title, change, policy, link }
    ChangePair { from, to, change, before, after, causes }
    StepsView { verdict, title, sides, steps, error }
    StepView { side, depth, ok, text, range }
    RowView { key, console }
    ConsoleView { prompt, command, output, notes, recorded }
    RecordedView { agrees, allowed, output, claimed, note }
    ExerciseView { goals, constraints, errors, solved }
    GoalView { row, text, passed, hidden, got }
    CheckView { text, passed, detail }
    Link { label, start, end }
    DecisionData { verdict, verdict_word, from, to, connection, error, self_traffic, sides, fixes, edits, caveats, words }
    ServiceData { outcome, outcome_word, headline, error, notes, direct, direct_sides, backends, fixes, words }
    BackendData { ok, pod, verdict_word, sides }
    FixData { title, yaml }
    EditData { title, note, line, removed, added, from, to, insert }
    SideData { id, egress, endpoint, ok, summary, steps, final_word, isolated_by, allowed_by, near }
    StepData { tier, tier_label, effect, policy, what }
    Base { diagnostics, millis, groups, lines, vocab }
    Vocab { namespaces, pod_labels, namespace_labels, ports }
    DiagView { severity, code, message, help, object, line, col, start, end, fixes }
    HoverAnswer { id, hover }
}
