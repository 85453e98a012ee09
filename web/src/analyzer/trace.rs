//! From a rule to its flows (issue 13) in the worker: the NetworkPolicy, rule or peer at
//! the editor's cursor traced to the connections it allows (`netpol::provenance`), with
//! the Graph's edges and the Matrix's cells to mark.

use netpol::provenance::{Finding, Part, Provenance};
use netpol::Target;

use super::*;

/// The trace of the part at editor position `at` (None when the cursor is in no
/// NetworkPolicy, or the text changed under it). `matrix`: the Matrix tab's shown rows.
pub(super) fn trace(
    core: &netpol::Analysis,
    v: &ViewRequest,
    at: u32,
    matrix: Option<&MatrixData>,
) -> Option<TraceView> {
    let byte = POS.with(|p| p.borrow().byte(at as usize));
    let (spot, _) = core.spot_at(0, byte)?;
    let part = Part::from_spot(spot)?;
    let view = core.workloads(&[]);
    let prov = Provenance::new(&view, part)?;
    let c = core.cluster();
    let policy = c.policies.get(part.policy())?;
    let range = part
        .location(c)
        .map(|l| l.range.clone())
        .unwrap_or_default();
    let label = |g: usize| view.groups.get(g).map(|g| g.label()).unwrap_or_default();
    let words = |set: &netpol::PortSet| {
        if set.is_empty() {
            String::new()
        } else {
            crate::i18n::connections(set, v.lang)
        }
    };
    let flows = prov
        .flows
        .iter()
        .take(MAX_TRACE_FLOWS)
        .map(|f| TraceFlow {
            from: label(f.from),
            to: label(f.to),
            allowed: words(&f.allowed),
            blocked: words(&f.blocked),
        })
        .collect();
    let edges = match v.tab {
        Tab::Graph => crate::analyzer::graph_layout::trace_edges(&view, &v.graph, &prov.flows),
        _ => Vec::new(),
    };
    let cells = matrix.map_or_else(Vec::new, |m| cells(core, &view, &prov, v, m));
    Some(TraceView {
        policy: format!("NetworkPolicy `{}`", policy.full_name()),
        path: part.path(),
        finding: match prov.finding {
            Finding::Needed => "needed",
            Finding::Redundant { .. } => "redundant",
            Finding::Nothing => "nothing",
        }
        .to_string(),
        message: prov.message(v.lang).unwrap_or_default(),
        start: pos(range.start) as u32,
        end: pos(range.end) as u32,
        more: prov.flows.len().saturating_sub(MAX_TRACE_FLOWS),
        flows,
        edges,
        cells,
    })
}

/// The shown matrix cells (row, column) the part allows for the matrix's port.
fn cells(
    core: &netpol::Analysis,
    view: &netpol::group::WorkloadView<'_>,
    prov: &Provenance<'_, '_>,
    v: &ViewRequest,
    m: &MatrixData,
) -> Vec<(u32, u32)> {
    let protocol = QueryProtocol::parse(&v.matrix_protocol).unwrap_or(QueryProtocol::TCP);
    let port = PortQuery::parse(v.matrix_port.trim());
    let mut out = Vec::new();
    let mut mark = |i: usize, j: usize, yes: bool| {
        if yes {
            out.push((i as u32, j as u32));
        }
    };
    if let Some(w) = &m.workloads {
        let index = crate::changes::ByLabel::new(
            view.groups.iter().enumerate().map(|(g, x)| (x.label(), g)),
        );
        let rows: Vec<Option<usize>> = w.rows.iter().map(|h| index.get(&h.label)).collect();
        for (i, f) in rows.iter().enumerate() {
            for (j, t) in rows.iter().enumerate() {
                if let (Some(f), Some(t)) = (f, t) {
                    mark(i, j, prov.allows_groups(*f, *t, protocol, &port));
                }
            }
        }
    } else {
        let c = core.cluster();
        let targets: Vec<Option<Target>> = m
            .names
            .iter()
            .map(|n| c.endpoint_index(n).map(Target::Endpoint))
            .collect();
        for (i, f) in targets.iter().enumerate() {
            for (j, t) in targets.iter().enumerate() {
                if let (Some(f), Some(t)) = (f, t) {
                    mark(i, j, prov.allows_cell(*f, *t, protocol, &port));
                }
            }
        }
    }
    out
}
