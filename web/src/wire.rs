//! What crosses the boundary between the page (main thread) and the analysis worker
//! (`src/bin/worker.rs`, `analyzer.rs`): JSON of these types, posted as strings. The
//! worker answers with view-ready data (words already in the chosen language), so the
//! main thread renders and never loads or evaluates.

use serde::{Deserialize, Serialize};

use crate::state::{Query, Tab};

/// What the page shows, as far as the worker must compute it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ViewRequest {
    pub lang: netpol::Lang,
    pub tab: Tab,
    pub query: Query,
    /// The built-in example shown (its lesson rows and Service options).
    pub example: Option<usize>,
    /// The Lesson tab shows the query's verdict (a row was run).
    pub lesson_query: bool,
    pub matrix_port: String,
    pub matrix_protocol: String,
    pub matrix_filter: String,
    /// The Matrix tab shows pods (else workloads).
    #[serde(default)]
    pub matrix_pods: bool,
    /// The Graph tab: its connections, focus and namespace filter.
    #[serde(default)]
    pub graph: GraphRequest,
    /// The Graph tab shows this edge's explanation (in `ViewData::query`).
    #[serde(default)]
    pub graph_ask: Option<Query>,
}

/// What the Graph tab asks for.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
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
pub struct Request {
    /// The text's revision; the answer carries it, so a stale one is recognised.
    pub revision: u64,
    /// The text, when the worker does not have this revision yet.
    pub text: Option<String>,
    pub view: ViewRequest,
    /// Panic on purpose (the end-to-end test of the restart; see `bridge.rs`).
    #[serde(default)]
    pub crash: bool,
}

/// Worker -> main thread.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum Response {
    /// The worker's WebAssembly runs and listens.
    Ready,
    Results(Box<Results>),
    /// The worker panicked (its message); it is restarted.
    Panic(String),
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Results {
    pub revision: u64,
    /// What depends on the text only; sent when the worker (re)built its analysis.
    pub base: Option<Base>,
    /// The view these results are for.
    pub view: Option<ViewRequest>,
    pub data: ViewData,
}

/// What one version of the text gives, whatever the view.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Base {
    pub diagnostics: Vec<DiagView>,
    /// Load + lint + index, in the worker.
    pub millis: f64,
    /// Names a query may use, grouped by namespace.
    pub groups: Vec<(String, Vec<String>)>,
}

/// A diagnostic placed in the editor text.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DiagView {
    /// `error`, `warning` or `info`.
    pub severity: String,
    pub code: String,
    pub message: String,
    pub help: Option<String>,
    pub object: Option<String>,
    pub line: usize,
    pub col: usize,
    pub start: usize,
    pub end: usize,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ViewData {
    /// The query's verdict (Query tab, or Lesson tab once a row ran).
    pub query: Option<OutcomeView>,
    pub matrix: Option<MatrixData>,
    pub cluster: Option<ClusterData>,
    pub graph: Option<GraphData>,
    /// The verdict key of each lesson row, in order.
    pub lesson: Vec<String>,
}

/// A button that selects a byte range of the text in the editor.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
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

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
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
    pub caveats: Vec<String>,
    pub words: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
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

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BackendData {
    pub ok: bool,
    pub pod: String,
    pub verdict_word: String,
    pub sides: Option<Vec<SideData>>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FixData {
    pub title: String,
    pub yaml: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
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

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
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

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MatrixData {
    /// Endpoints in the cluster, and those the filter keeps.
    pub endpoints: usize,
    pub matching: usize,
    pub names: Vec<String>,
    /// `cells[from][to]`: allowed, denied, or None (could not evaluate).
    pub cells: Vec<Vec<Option<bool>>>,
    /// Workloads (the default; `names` and `cells` are then empty).
    pub workloads: Option<WorkloadMatrixData>,
}

/// The one-port matrix between workloads, grouped by namespace.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct WorkloadMatrixData {
    /// Workloads in the cluster, and those the filter keeps.
    pub workloads: usize,
    pub matching: usize,
    /// Rows and columns, in order; consecutive ones share a namespace.
    pub rows: Vec<WorkloadHeader>,
    /// `cells[from][to]`: `allowed`, `denied`, `partial` (some pods) or `unknown`.
    pub cells: Vec<Vec<String>>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
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
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
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
}

/// A namespace, drawn as a labelled box around its workloads.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct GraphBox {
    pub name: String,
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
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

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
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
    /// The polyline, then the label's centre.
    pub points: Vec<(f64, f64)>,
    pub label_x: f64,
    pub label_y: f64,
}

/// A focused node: what selects it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
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

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ClusterData {
    pub endpoints: usize,
    pub namespaces: Vec<NamespaceData>,
    pub policies: Vec<Link>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NamespaceData {
    pub name: String,
    pub labels: Vec<String>,
    pub endpoints: Vec<EndpointData>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
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
