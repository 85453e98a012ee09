//! The Matrix tab's data: by pod and by workload, and the cells changed since the baseline.

use super::*;

pub(super) const MATRIX_MAX: usize = 40;

/// Whether `needle` occurs in `hay`, ASCII case ignored (Kubernetes names are ASCII).
pub(super) fn contains_ignore_case(hay: &[u8], needle: &[u8]) -> bool {
    needle.is_empty()
        || hay
            .windows(needle.len())
            .any(|w| w.eq_ignore_ascii_case(needle))
}

pub(super) fn matrix(core: &netpol::Analysis, v: &ViewRequest) -> MatrixData {
    if !v.matrix_pods {
        return MatrixData {
            endpoints: core.cluster().endpoints.len(),
            workloads: Some(workload_matrix(core, v)),
            ..MatrixData::default()
        };
    }
    let protocol = QueryProtocol::parse(&v.matrix_protocol).unwrap_or(QueryProtocol::TCP);
    let cluster = core.cluster();
    let n = cluster.endpoints.len();
    let filter = v.matrix_filter.trim().as_bytes();
    let matching: Vec<usize> = (cluster.endpoints.iter().enumerate())
        .filter(|(_, e)| contains_ignore_case(e.full_name().as_bytes(), filter))
        .map(|(i, _)| i)
        .collect();
    let shown = matching.get(..MATRIX_MAX).unwrap_or(&matching);
    let port = PortQuery::parse(v.matrix_port.trim());
    let engine = core.engine();
    let cells = shown
        .iter()
        .map(|&f| {
            shown
                .iter()
                .map(|&to| {
                    // Unknown (the port does not resolve at the destination) is its own
                    // cell, never "denied"; the diagonal too, as in `query`.
                    engine.cell(
                        netpol::Target::Endpoint(f),
                        netpol::Target::Endpoint(to),
                        protocol,
                        &port,
                    )
                })
                .collect()
        })
        .collect();
    MatrixData {
        endpoints: n,
        matching: matching.len(),
        names: shown
            .iter()
            .filter_map(|&i| {
                cluster
                    .endpoints
                    .get(i)
                    .map(netpol::model::Endpoint::full_name)
            })
            .collect(),
        cells,
        workloads: None,
        since: Vec::new(),
    }
}

/// The one-port matrix between workloads (`netpol::group`), the filter applied to
/// `NAMESPACE/NAME[KIND]`.
pub(super) fn workload_matrix(core: &netpol::Analysis, v: &ViewRequest) -> WorkloadMatrixData {
    let protocol = QueryProtocol::parse(&v.matrix_protocol).unwrap_or(QueryProtocol::TCP);
    let port = PortQuery::parse(v.matrix_port.trim());
    let view = core.workloads(&[]);
    let c = core.cluster();
    let filter = v.matrix_filter.trim().as_bytes();
    let workloads = view.groups.iter().filter(|g| !g.is_external()).count();
    let matching: Vec<usize> = (view.groups.iter().enumerate())
        .filter(|(_, g)| !g.is_external() && contains_ignore_case(g.label().as_bytes(), filter))
        .map(|(g, _)| g)
        .collect();
    let shown = matching.get(..MATRIX_MAX).unwrap_or(&matching);
    // The pod matrix is computed once for every endpoint; folding reads only the shown.
    let m = view.matrix(protocol, &port, &[]);
    let row_of = |g: usize| m.groups.iter().position(|x| *x == Some(g));
    let rows = shown
        .iter()
        .filter_map(|&g| {
            let group = view.groups.get(g)?;
            let query = group
                .variants
                .first()
                .and_then(|v| v.first())
                .and_then(|&i| c.endpoints.get(i))
                .map(netpol::model::Endpoint::full_name)
                .unwrap_or_default();
            Some(WorkloadHeader {
                namespace: group.namespace.clone().unwrap_or_default(),
                name: group.name.clone(),
                kind: group.kind.clone(),
                label: group.label(),
                query,
            })
        })
        .collect();
    let cells = shown
        .iter()
        .map(|&f| {
            shown
                .iter()
                .map(|&t| {
                    let cell = row_of(f)
                        .zip(row_of(t))
                        .and_then(|(i, j)| m.cells.get(i).and_then(|r| r.get(j)).copied());
                    cell_word(cell).to_string()
                })
                .collect()
        })
        .collect();
    WorkloadMatrixData {
        workloads,
        matching: matching.len(),
        rows,
        cells,
    }
}

pub(super) fn cell_word(cell: Option<netpol::group::WorkloadCell>) -> &'static str {
    use netpol::group::WorkloadCell;
    match cell {
        Some(WorkloadCell::Allowed) => "allowed",
        Some(WorkloadCell::Denied) => "denied",
        Some(WorkloadCell::Partial) => "partial",
        Some(WorkloadCell::Unknown) | None => "unknown",
    }
}

/// The shown matrix cells that differ from the pinned baseline's (`base`) for the same
/// port: the baseline's word, or `absent` where its row or column was not in the
/// baseline and something is allowed now.
pub(super) fn since(
    base: &netpol::Analysis,
    v: &ViewRequest,
    now: &MatrixData,
) -> Vec<(u32, u32, String)> {
    let protocol = QueryProtocol::parse(&v.matrix_protocol).unwrap_or(QueryProtocol::TCP);
    let port = PortQuery::parse(v.matrix_port.trim());
    let mut out = Vec::new();
    let mut mark = |i: usize, j: usize, before: Option<&'static str>, now: &str| {
        let before = match before {
            Some(b) if b != now => b,
            None if now == "allowed" || now == "partial" => "absent",
            _ => return,
        };
        out.push((i as u32, j as u32, before.to_string()));
    };
    if let Some(w) = &now.workloads {
        let view = base.workloads(&[]);
        let m = view.matrix(protocol, &port, &[]);
        let index = crate::changes::ByLabel::new(
            m.groups
                .iter()
                .enumerate()
                .filter_map(|(row, g)| Some((view.groups.get((*g)?)?.label(), row))),
        );
        let rows: Vec<Option<usize>> = w.rows.iter().map(|h| index.get(&h.label)).collect();
        for (i, r) in rows.iter().enumerate() {
            for (j, c) in rows.iter().enumerate() {
                let before = r
                    .zip(*c)
                    .map(|(a, b)| cell_word(m.cells.get(a).and_then(|x| x.get(b)).copied()));
                let cell = w.cells.get(i).and_then(|x| x.get(j));
                mark(i, j, before, cell.map_or("unknown", String::as_str));
            }
        }
    } else {
        let c = base.cluster();
        let engine = base.engine();
        let targets: Vec<Option<netpol::Target>> = now
            .names
            .iter()
            .map(|n| c.endpoint_index(n).map(netpol::Target::Endpoint))
            .collect();
        for (i, f) in targets.iter().enumerate() {
            for (j, t) in targets.iter().enumerate() {
                let before = f
                    .zip(*t)
                    .map(|(f, t)| crate::wire::pod_cell_word(engine.cell(f, t, protocol, &port)));
                let cell = now.cells.get(i).and_then(|x| x.get(j)).copied().flatten();
                mark(i, j, before, crate::wire::pod_cell_word(cell));
            }
        }
    }
    out
}
