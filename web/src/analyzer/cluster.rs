//! The Cluster tab's data: the endpoints with their labels and what exposes them.

use super::*;

/// Rendering thousands of endpoint cards would make the page sluggish.
pub const MAX_ENDPOINTS: usize = 150;

pub(super) fn labels(l: &netpol::model::Labels) -> Vec<String> {
    l.iter().map(|(k, v)| format!("{k}={v}")).collect()
}

/// At most this many workloads' exposures in the Cluster tab (about 2.5 ms each at
/// 5,000 pods natively: only these are computed).
pub const MAX_EXPOSED: usize = 100;

/// Every workload's exposure beyond the input, in words (`netpol exposure`'s).
pub(super) fn exposure(core: &netpol::Analysis, lang: netpol::Lang) -> (Vec<ExposureData>, usize) {
    use netpol::exposure::{Certainty, PeerClass};
    use netpol::words::exposure as words;
    let view = core.workloads(&[]);
    let workloads: Vec<usize> = view
        .groups
        .iter()
        .enumerate()
        .filter(|(_, g)| !g.is_external() && !g.is_assumed() && !g.endpoints.is_empty())
        .map(|(i, _)| i)
        .collect();
    let total = workloads.len();
    let first: Vec<usize> = workloads.into_iter().take(MAX_EXPOSED).collect();
    let report = netpol::exposure::report(&view, Some(&first));
    let data = report
        .workloads
        .iter()
        .map(|w| {
            let dirs = [Direction::Ingress, Direction::Egress];
            let items = dirs
                .iter()
                .flat_map(|&dir| {
                    w.direction(dir)
                        .exposures
                        .iter()
                        .map(move |e| ExposureItem {
                            direction: words::direction(dir).to_string(),
                            text: words::exposure(e, dir, lang),
                            certain: e.certainty == Certainty::Certain,
                            wide: e.peer.is_internet()
                                || e.peer.is_everyone()
                                || matches!(e.peer, PeerClass::NotIsolated),
                            rule: e
                                .grant
                                .location()
                                .map(|l| link(words::grant(&e.grant, lang), &l.range)),
                        })
                })
                .collect();
            ExposureData {
                workload: w.workload.clone(),
                summaries: dirs.iter().map(|&d| words::summary(w, d, lang)).collect(),
                items,
            }
        })
        .collect();
    (data, total)
}

pub(super) fn cluster(core: &netpol::Analysis, lang: netpol::Lang) -> ClusterData {
    let c = core.cluster();
    let engine = core.engine();
    let policy = |p: &netpol::model::Policy| link(p.full_name(), &p.location.range);
    let namespaces = c
        .namespaces
        .iter()
        .map(|ns| NamespaceData {
            name: ns.name.clone(),
            labels: labels(&ns.labels),
            endpoints: c
                .endpoints
                .iter()
                .enumerate()
                .filter(|(i, e)| *i < MAX_ENDPOINTS && e.namespace == ns.name)
                .map(|(i, e)| {
                    let ing = engine.selecting(i, Direction::Ingress);
                    let eg = engine.selecting(i, Direction::Egress);
                    let mut sel: Vec<usize> = ing.iter().chain(eg.iter()).copied().collect();
                    netpol::sort::ord(&mut sel);
                    sel.dedup();
                    let ports = e
                        .ports
                        .iter()
                        .map(|p| match &p.name {
                            Some(n) => format!("{}/{} ({n})", p.port, p.protocol.as_str()),
                            None => format!("{}/{}", p.port, p.protocol.as_str()),
                        })
                        .collect::<Vec<_>>()
                        .join(", ");
                    EndpointData {
                        name: e.name.clone(),
                        kind: e.kind.as_str().to_string(),
                        ingress_isolated: !ing.is_empty(),
                        egress_isolated: !eg.is_empty(),
                        ips: e
                            .ips
                            .iter()
                            .map(|ip| ip.to_string())
                            .collect::<Vec<_>>()
                            .join(", "),
                        labels: labels(&e.labels),
                        ports,
                        selected_by: sel
                            .into_iter()
                            .filter_map(|pi| c.policies.get(pi))
                            .map(policy)
                            .collect(),
                    }
                })
                .collect(),
        })
        .collect();
    let (exposure, workloads) = exposure(core, lang);
    ClusterData {
        endpoints: c.endpoints.len(),
        namespaces,
        policies: c.policies.iter().map(policy).collect(),
        exposure,
        workloads,
    }
}
