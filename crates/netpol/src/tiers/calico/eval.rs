//! Calico's evaluation: what an endpoint looks like to a selector, which rules match a flow, and the chain of tiers a flow walks.

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

/// Where a tier stands among the others.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Slot {
    Admin,
    Baseline,
    Calico(String),
}

pub(super) fn slots(cluster: &Cluster) -> Vec<Slot> {
    let mut tiers: Vec<(f64, String, Slot)> = Vec::new();
    let mut names: Vec<&str> = cluster
        .calico
        .tiers
        .iter()
        .map(|t| t.name.as_str())
        .collect();
    for p in &cluster.calico.policies {
        if !names.contains(&p.tier.as_str()) {
            names.push(&p.tier);
        }
    }
    if !names.contains(&"default") {
        names.push("default");
    }
    for n in names {
        let order = match cluster.calico.tier(n) {
            Some(t) => order_key(&t.order),
            None if n == "default" => DEFAULT_TIER_ORDER,
            None => f64::INFINITY,
        };
        tiers.push((order, n.to_string(), Slot::Calico(n.to_string())));
    }
    if cluster
        .cluster_policies
        .iter()
        .any(|p| p.tier == Tier::Admin)
    {
        tiers.push((ADMIN_TIER_ORDER, "kube-admin".into(), Slot::Admin));
    }
    if cluster
        .cluster_policies
        .iter()
        .any(|p| p.tier == Tier::Baseline)
    {
        tiers.push((BASELINE_TIER_ORDER, "kube-baseline".into(), Slot::Baseline));
    }
    crate::sort::by(&mut tiers, |a, b| {
        a.0.total_cmp(&b.0).then_with(|| a.1.cmp(&b.1))
    });
    tiers.into_iter().map(|(_, _, s)| s).collect()
}

/// One entry of a tier: a Calico policy or the NetworkPolicies (default tier, order 1000).
pub(super) enum Entry {
    Policy(usize),
    NetworkPolicies,
}

pub(super) fn entries(cluster: &Cluster, tier: &str) -> Vec<Entry> {
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

pub(super) fn step(
    tier: StepTier,
    policy: String,
    outcome: StepOutcome,
    rule: Option<usize>,
    location: Option<Location>,
) -> TierStep {
    TierStep {
        tier,
        policy: Some(policy),
        rule,
        rule_name: None,
        outcome,
        location,
    }
}

/// The whole chain for one side with Calico tiers; same contract as [`super::super::chain`].
#[allow(clippy::too_many_arguments)]
#[allow(clippy::too_many_lines, reason = "issue 12: not split yet")]
pub fn chain(
    cluster: &Cluster,
    dir: Direction,
    subject: Target,
    other: Target,
    dst: Target,
    traffic: Traffic,
    np_isolated: bool,
    np_allows: bool,
    np_names: Option<String>,
    detail: bool,
) -> (bool, Vec<TierStep>) {
    let np_result = !np_isolated || np_allows;
    let Target::Endpoint(si) = subject else {
        return (np_result, Vec::new());
    };
    let mut steps: Vec<TierStep> = Vec::new();
    // Steps other than the NetworkPolicies' own and the default tier's end: without any,
    // the explanation is the plain NetworkPolicy one.
    let mut own = 0usize;
    let calico = &cluster.calico;
    let verdict = 'walk: {
        for slot in slots(cluster) {
            let tier_name = match slot {
                Slot::Admin | Slot::Baseline => {
                    let (t, st) = if slot == Slot::Admin {
                        (Tier::Admin, StepTier::Admin)
                    } else {
                        (Tier::Baseline, StepTier::Baseline)
                    };
                    let before = steps.len();
                    let d = super::super::run_tier(
                        cluster,
                        t,
                        dir,
                        si,
                        other,
                        dst,
                        traffic,
                        detail.then_some(&mut steps),
                    );
                    own += steps.len() - before;
                    let _ = st;
                    if let Some(d) = d {
                        break 'walk d;
                    }
                    continue;
                }
                Slot::Calico(n) => n,
            };
            let mut selected = false;
            let mut passed = false;
            for entry in entries(cluster, &tier_name) {
                match entry {
                    Entry::NetworkPolicies => {
                        if !np_isolated {
                            continue;
                        }
                        selected = true;
                        if detail {
                            steps.push(TierStep {
                                tier: StepTier::NetworkPolicy,
                                policy: np_names.clone(),
                                rule: None,
                                rule_name: None,
                                outcome: if np_allows {
                                    StepOutcome::NpAllowed
                                } else {
                                    StepOutcome::NpDenied
                                },
                                location: None,
                            });
                        }
                        if np_allows {
                            break 'walk true;
                        }
                    }
                    Entry::Policy(pi) => {
                        let p = &calico.policies[pi];
                        if !p.applies_to(dir) || !p.selects(cluster, si) {
                            continue;
                        }
                        selected = true;
                        let mut decided = None;
                        for (ri, r) in p.rules(dir).iter().enumerate() {
                            if !rule_matches(cluster, p, r, dir, other, subject, dst, traffic) {
                                continue;
                            }
                            if detail {
                                own += 1;
                                steps.push(step(
                                    StepTier::Calico,
                                    p.label(calico),
                                    StepOutcome::CalicoMatched(r.action),
                                    Some(ri),
                                    Some(r.location.clone()),
                                ));
                            }
                            if r.action != CalicoAction::Log {
                                decided = Some(r.action);
                                break;
                            }
                        }
                        match decided {
                            Some(CalicoAction::Allow) => break 'walk true,
                            Some(CalicoAction::Deny) => break 'walk false,
                            Some(CalicoAction::Pass) => {
                                passed = true;
                                break;
                            }
                            _ => {
                                if detail {
                                    own += 1;
                                    steps.push(step(
                                        StepTier::Calico,
                                        p.label(calico),
                                        StepOutcome::NoRuleMatched,
                                        None,
                                        Some(p.location.clone()),
                                    ));
                                }
                            }
                        }
                    }
                }
            }
            if selected && !passed {
                let t = calico.tier(&tier_name);
                let action = t.map_or(CalicoAction::Deny, |t| t.default_action);
                if detail {
                    if !(tier_name == "default" && action == CalicoAction::Deny) {
                        own += 1;
                    }
                    let mut label = format!("Calico tier {tier_name}");
                    if let Some(o) = t.and_then(|t| t.order.as_ref()) {
                        label.push_str(&format!(" order {o}"));
                    }
                    steps.push(step(
                        StepTier::Calico,
                        label,
                        StepOutcome::TierDefault(action),
                        None,
                        t.and_then(|t| t.location.clone()),
                    ));
                }
                if action == CalicoAction::Deny {
                    break 'walk false;
                }
            }
        }
        if detail && !steps.is_empty() {
            steps.push(TierStep {
                tier: StepTier::Default,
                policy: None,
                rule: None,
                rule_name: None,
                outcome: StepOutcome::DefaultAllow,
                location: None,
            });
        }
        true
    };
    if own == 0 {
        steps.clear();
    }
    (verdict, steps)
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
    let Target::Endpoint(_) = subject else {
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
    let decide = |t: Traffic| {
        let np_allows = traffic_in(&np_set, t);
        chain(
            cluster,
            dir,
            subject,
            other,
            dst,
            t,
            np_isolated,
            np_allows,
            None,
            false,
        )
        .0
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
