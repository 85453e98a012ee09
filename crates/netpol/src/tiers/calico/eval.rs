//! Calico's evaluation: what an endpoint looks like to a selector, which rules match a
//! flow, the entries of a tier (the walk over tiers is `tiers::chain`'s).

#![allow(
    clippy::indexing_slicing,
    reason = "called by the engine only (`Engine::decide`, the matrix, `Engine::connections`), with endpoint numbers they checked or made, policy numbers from enumerating the Calico policies, and the three protocols' own cut lists"
)]

use super::*;

/// The labels Calico gives a pod's workload endpoint.
pub fn endpoint_labels(cluster: &Cluster, i: usize) -> Labels {
    let e = &cluster.endpoints[i];
    let mut l = e.labels.clone();
    l.insert(NAMESPACE_LABEL.into(), e.namespace.clone());
    l.insert(ORCHESTRATOR_LABEL.into(), "k8s".into());
    if let Some(sa) = &e.service_account {
        l.insert(SERVICE_ACCOUNT_LABEL.into(), sa.clone());
    }
    l
}

/// The labels a namespace selector sees: the namespace's, plus `projectcalico.org/name`.
pub(super) fn namespace_matches(cluster: &Cluster, sel: &Expr, ns: &str) -> bool {
    let Some(labels) = cluster.namespace_labels(ns) else {
        return false;
    };
    let mut l = labels.clone();
    l.insert(NAME_LABEL.into(), ns.to_string());
    sel.eval(&l, Scope::PodNamespace)
}

/// The endpoint's ServiceAccount labels match `sel` (a ServiceAccount object must be known).
pub(super) fn sa_selector_matches(cluster: &Cluster, sel: &Expr, i: usize) -> bool {
    let e = &cluster.endpoints[i];
    let Some(sa) = &e.service_account else {
        return false;
    };
    let mut l = cluster
        .calico
        .sa_labels(&e.namespace, sa)
        .cloned()
        .unwrap_or_default();
    l.insert(NAME_LABEL.into(), sa.clone());
    sel.matches(&l)
}

pub(super) fn ips_of(cluster: &Cluster, t: Target) -> Vec<IpAddr> {
    match t {
        Target::Endpoint(i) => cluster.endpoints[i].ips.clone(),
        Target::External(ip) => vec![ip],
    }
}

/// Does the entity (without its ports) match the far end `t`? `ns` is the policy's
/// namespace (None for a GlobalNetworkPolicy).
pub(super) fn entity_matches(
    cluster: &Cluster,
    er: &EntityRule,
    ns: Option<&str>,
    t: Target,
) -> bool {
    if er.services {
        return false;
    }
    let ips = ips_of(cluster, t);
    if !er.nets.is_empty() && !ips.iter().any(|ip| er.nets.iter().any(|n| n.contains(ip))) {
        return false;
    }
    if ips
        .iter()
        .any(|ip| er.not_nets.iter().any(|n| n.contains(ip)))
    {
        return false;
    }
    let workload = match t {
        Target::Endpoint(i) if !cluster.endpoints[i].host_network => Some(i),
        _ => None,
    };
    if let (Some(ns_sel), Some(i)) = (&er.not_selector, workload) {
        if ns_sel.matches(&endpoint_labels(cluster, i)) {
            return false;
        }
    }
    if !er.uses_selector() {
        return true;
    }
    // Selectors only ever match workload endpoints (no labels on other addresses), and
    // they are scoped: to the namespaces `namespaceSelector` picks, else to the policy's
    // own namespace (a GlobalNetworkPolicy: every namespace).
    let has_pos = er.selector.is_some()
        || er.service_accounts.is_some()
        || er.namespace_selector.is_some()
        || ns.is_some();
    if !has_pos {
        // Only `notSelector` in a GlobalNetworkPolicy: any address not excluded above.
        return true;
    }
    let Some(i) = workload else {
        return false;
    };
    let e = &cluster.endpoints[i];
    match (&er.namespace_selector, ns) {
        (Some(sel), _) => {
            if !namespace_matches(cluster, sel, &e.namespace) {
                return false;
            }
        }
        (None, Some(ns)) => {
            if e.namespace != ns {
                return false;
            }
        }
        (None, None) => {}
    }
    if let Some(sel) = &er.selector {
        if !sel.matches(&endpoint_labels(cluster, i)) {
            return false;
        }
    }
    if let Some(sa) = &er.service_accounts {
        let Some(name) = &e.service_account else {
            return false;
        };
        if !sa.names.is_empty() && !sa.names.contains(name) {
            return false;
        }
        if let Some(sel) = &sa.selector {
            if !sa_selector_matches(cluster, sel, i) {
                return false;
            }
        }
    }
    true
}

/// The ports of a list resolved at `dst` for `proto`.
pub(super) fn ports_set(
    cluster: &Cluster,
    ports: &[CPort],
    proto: Protocol,
    dst: Target,
    out: &mut PortSet,
) {
    for p in ports {
        match p {
            CPort::Range { start, end } => out.add(proto, *start, *end),
            CPort::Named { name } => {
                if let Target::Endpoint(i) = dst {
                    if let Some(n) = cluster.endpoints[i].named_port(name, proto) {
                        out.add(proto, n, n);
                    }
                }
            }
        }
    }
}

pub(super) fn proto_set(p: CProto) -> PortSet {
    let mut s = PortSet::none();
    match p {
        CProto::Port(p) => s.add_all(p),
        CProto::Icmp | CProto::IcmpV6 => s.set_icmp(true),
        CProto::Other(_) => {}
    }
    s
}

/// The traffic (ports and ping) a rule's non-peer conditions cover towards `dst`.
pub fn rule_ports(cluster: &Cluster, r: &CalicoRule, dst: Target) -> PortSet {
    // Source ports are not modelled (a client picks them): such a rule matches nothing.
    if !r.source.ports.is_empty() {
        return PortSet::none();
    }
    let mut set = match r.protocol {
        Some(p) => proto_set(p),
        None => PortSet::all(),
    };
    if let Some(p) = r.not_protocol {
        set = super::super::minus(&set, &proto_set(p));
    }
    if let Some(m) = r.icmp {
        set.set_icmp(set.icmp() && m.matches_ping());
    }
    if let Some(m) = r.not_icmp {
        if m.matches_ping() {
            set.set_icmp(false);
        }
    }
    let restrict = |set: &PortSet, ports: &[CPort], not: bool| {
        let mut listed = PortSet::none();
        for p in Protocol::ALL {
            ports_set(cluster, ports, p, dst, &mut listed);
        }
        if not {
            super::super::minus(set, &listed)
        } else {
            let mut out = set.intersect(&listed);
            out.set_icmp(false);
            out
        }
    };
    if !r.destination.ports.is_empty() {
        set = restrict(&set, &r.destination.ports, false);
    }
    if !r.destination.not_ports.is_empty() {
        let mut s = restrict(&set, &r.destination.not_ports, true);
        s.set_icmp(set.icmp());
        set = s;
    }
    set
}

pub(super) fn traffic_in(set: &PortSet, traffic: Traffic) -> bool {
    match traffic {
        Traffic::Port(p, n) => set.contains(p, n),
        Traffic::Icmp => set.icmp(),
    }
}

/// Does the rule match? `subject` is the endpoint the policy applies to; `other` the far
/// end; `dst` the destination.
#[allow(clippy::too_many_arguments)]
pub fn rule_matches(
    cluster: &Cluster,
    p: &CalicoPolicy,
    r: &CalicoRule,
    dir: Direction,
    other: Target,
    subject: Target,
    dst: Target,
    traffic: Traffic,
) -> bool {
    let ns = p.namespace.as_deref();
    let (src, dest) = match dir {
        Direction::Ingress => (other, subject),
        Direction::Egress => (subject, other),
    };
    // Both entity rules are checked: e.g. an egress rule's `source.selector` narrows the
    // pods of the policy it applies to.
    entity_matches(cluster, &r.source, ns, src)
        && entity_matches(cluster, &r.destination, ns, dest)
        && traffic_in(&rule_ports(cluster, r, dst), traffic)
}

/// One entry of a tier: a Calico policy or the NetworkPolicies (default tier, order 1000).
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Entry {
    Policy(usize),
    NetworkPolicies,
}

pub(crate) fn entries(cluster: &Cluster, tier: &str) -> Vec<Entry> {
    let mut out: Vec<(f64, u8, Entry)> = cluster
        .calico
        .policies
        .iter()
        .enumerate()
        .filter(|(_, p)| p.tier == tier)
        .map(|(i, p)| (order_key(&p.order), 0, Entry::Policy(i)))
        .collect();
    if tier == "default" {
        out.push((KNP_ORDER, 1, Entry::NetworkPolicies));
    }
    // Stable: policies are already sorted by (order, name) at load time.
    crate::sort::by(&mut out, |a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    out.into_iter().map(|(_, _, e)| e).collect()
}

/// Over the whole port space: what one side allows (`np`: the NetworkPolicy side's set,
/// None when no NetworkPolicy isolates the subject). The chain is evaluated once per
/// class of traffic no rule tells apart.
pub fn side_set(
    cluster: &Cluster,
    dir: Direction,
    subject: Target,
    other: Target,
    dst: Target,
    np: Option<PortSet>,
) -> PortSet {
    let Target::Endpoint(subject) = subject else {
        return np.unwrap_or_else(PortSet::all);
    };
    // The cut points 0..=65536, each as its (high, low) 16-bit halves: ordered as the
    // numbers are, and sorted by the one copy of ipnsort the page's wasm already has
    // (`portset`'s, over `(u16, u16)`) instead of a copy for u32.
    let cut = |x: u32| ((x >> 16) as u16, x as u16);
    let point = |(high, low): (u16, u16)| (u32::from(high) << 16) | u32::from(low);
    let mut cuts: [Vec<(u16, u16)>; 3] = [
        vec![cut(1), cut(65536)],
        vec![cut(1), cut(65536)],
        vec![cut(1), cut(65536)],
    ];
    let mut add_set = |s: &PortSet| {
        for p in Protocol::ALL {
            for &(lo, hi) in s.ranges(p) {
                cuts[p.index()].push(cut(u32::from(lo)));
                cuts[p.index()].push(cut(u32::from(hi) + 1));
            }
        }
    };
    if let Some(np) = &np {
        add_set(np);
    }
    for p in &cluster.calico.policies {
        for r in p.ingress.iter().chain(&p.egress) {
            add_set(&rule_ports(cluster, r, dst));
        }
    }
    for p in &cluster.cluster_policies {
        for r in p.ingress.iter().chain(&p.egress) {
            add_set(&super::super::rule_ports(cluster, r, dst));
        }
    }
    let np_isolated = np.is_some();
    let np_set = np.unwrap_or_else(PortSet::all);
    let slots = crate::tiers::slots(cluster);
    let decide = |traffic: Traffic| {
        let ask = crate::tiers::Ask {
            cluster,
            dir,
            subject,
            other,
            dst,
            traffic,
        };
        let np = np_isolated.then(|| traffic_in(&np_set, traffic));
        crate::tiers::walk(&ask, np, &slots, &mut crate::tiers::Steps::none())
    };
    let mut out = PortSet::none();
    for p in Protocol::ALL {
        let c = &mut cuts[p.index()];
        c.sort_unstable();
        c.dedup();
        for w in c.windows(2) {
            let (lo, hi) = (point(w[0]), point(w[1]) - 1);
            if lo == 0 || lo > 65535 {
                continue;
            }
            if decide(Traffic::Port(p, lo as u16)) {
                out.add(p, lo as u16, hi.min(65535) as u16);
            }
        }
    }
    out.set_icmp(decide(Traffic::Icmp));
    out
}
