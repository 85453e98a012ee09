//! What each kind of object means for the verdicts (`Meaning`, positions forgotten), and how two versions of a policy, a rule or an endpoint differ (fields, rules matched up).

use super::*;

impl Meaning for Rule {
    fn forget_positions(&mut self) {
        self.location = Location::default();
        for p in &mut self.peers {
            p.location = Location::default();
        }
        for p in &mut self.ports {
            p.location = Location::default();
        }
    }
}

impl Meaning for Policy {
    fn forget_positions(&mut self) {
        self.location = Location::default();
        self.ingress
            .iter_mut()
            .chain(&mut self.egress)
            .for_each(Rule::forget_positions);
    }
}

impl Meaning for TierRule {
    fn forget_positions(&mut self) {
        self.location = Location::default();
        for p in &mut self.peers {
            p.location = Location::default();
        }
        for p in self.ports.iter_mut().flatten() {
            p.location = Location::default();
        }
    }
}

impl Meaning for ClusterPolicy {
    fn forget_positions(&mut self) {
        self.location = Location::default();
        self.ingress
            .iter_mut()
            .chain(&mut self.egress)
            .for_each(TierRule::forget_positions);
    }
}

impl Meaning for CalicoPolicy {
    fn forget_positions(&mut self) {
        self.location = Location::default();
        if let Some(o) = &mut self.order {
            o.text.clear();
        }
        for r in self.ingress.iter_mut().chain(&mut self.egress) {
            r.location = Location::default();
        }
    }
}

impl Meaning for CalicoTier {
    fn forget_positions(&mut self) {
        self.location = None;
        if let Some(o) = &mut self.order {
            o.text.clear();
        }
    }
}

impl Meaning for Ingress {
    fn forget_positions(&mut self) {
        self.location = None;
    }
}

impl Meaning for Route {
    fn forget_positions(&mut self) {
        self.location = None;
    }
}

impl Meaning for Service {
    fn forget_positions(&mut self) {
        self.location = None;
    }
}

/// Per index, how two lists of rules (by meaning) differ.
pub(super) fn rule_changes<T: PartialEq>(
    dir: Direction,
    a: &[T],
    b: &[T],
    out: &mut Vec<RuleChange>,
) {
    for k in 0..a.len().max(b.len()) {
        let change = match (a.get(k), b.get(k)) {
            (Some(x), Some(y)) if x == y => continue,
            (Some(_), Some(_)) => CauseKind::Edited,
            (None, Some(_)) => CauseKind::Added,
            (Some(_), None) => CauseKind::Removed,
            (None, None) => continue,
        };
        out.push(RuleChange {
            direction: Some(dir),
            index: k,
            field: "",
            change,
        });
    }
}

pub(super) fn field_change(field: &'static str) -> RuleChange {
    RuleChange {
        direction: None,
        index: 0,
        field,
        change: CauseKind::Edited,
    }
}

/// A policy by meaning ([`Meaning`]), of one of the four lists of policies.
#[derive(PartialEq)]
pub(super) enum Meant {
    Np(Policy),
    Cluster(ClusterPolicy),
    Calico(CalicoPolicy),
    Tier(CalicoTier),
}

/// Which list of a cluster's policies a [`Meant`] comes from.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Family {
    Np,
    Cluster,
    Calico,
    Tier,
}

impl Meant {
    pub(super) fn family(&self) -> Family {
        match self {
            Meant::Np(_) => Family::Np,
            Meant::Cluster(_) => Family::Cluster,
            Meant::Calico(_) => Family::Calico,
            Meant::Tier(_) => Family::Tier,
        }
    }
}

/// The parts of an edited policy that differ: what it selects and its types (or
/// priority), then each rule by direction and index. Calico policies and tiers: none.
pub(super) fn edited_parts(x: &Meant, y: &Meant) -> Vec<RuleChange> {
    let mut out = Vec::new();
    match (x, y) {
        (Meant::Np(x), Meant::Np(y)) => {
            if x.pod_selector != y.pod_selector {
                out.push(field_change("podSelector"));
            }
            if (x.ingress_isolating, x.egress_isolating)
                != (y.ingress_isolating, y.egress_isolating)
            {
                out.push(field_change("policyTypes"));
            }
            rule_changes(Direction::Ingress, &x.ingress, &y.ingress, &mut out);
            rule_changes(Direction::Egress, &x.egress, &y.egress, &mut out);
        }
        (Meant::Cluster(x), Meant::Cluster(y)) => {
            if x.subject != y.subject {
                out.push(field_change("subject"));
            }
            if x.priority != y.priority {
                out.push(field_change("priority"));
            }
            rule_changes(Direction::Ingress, &x.ingress, &y.ingress, &mut out);
            rule_changes(Direction::Egress, &x.egress, &y.egress, &mut out);
        }
        _ => {}
    }
    out
}

/// A policy of either version: its kind, name, meaning and location, and its index in
/// its version's list of its family (to find what it selects).
pub(super) struct PolicyEntry {
    pub(super) kind: &'static str,
    pub(super) name: String,
    pub(super) meaning: Meant,
    pub(super) location: Option<Location>,
    pub(super) index: usize,
}

pub(super) fn policies(c: &Cluster) -> Vec<PolicyEntry> {
    let mut out = Vec::new();
    for (i, p) in c.policies.iter().enumerate() {
        out.push(PolicyEntry {
            kind: "NetworkPolicy",
            name: p.full_name(),
            meaning: Meant::Np(p.meaning()),
            location: Some(p.location.clone()),
            index: i,
        });
    }
    for (i, p) in c.cluster_policies.iter().enumerate() {
        out.push(PolicyEntry {
            kind: p.api.kind(),
            name: p.name.clone(),
            meaning: Meant::Cluster(p.meaning()),
            location: Some(p.location.clone()),
            index: i,
        });
    }
    for (i, p) in c.calico.policies.iter().enumerate() {
        out.push(PolicyEntry {
            kind: if p.global {
                "GlobalNetworkPolicy"
            } else {
                "Calico NetworkPolicy"
            },
            name: p.full_name(),
            meaning: Meant::Calico(p.meaning()),
            location: None,
            index: i,
        });
    }
    for (i, t) in c.calico.tiers.iter().enumerate() {
        out.push(PolicyEntry {
            kind: "Tier",
            name: t.name.clone(),
            meaning: Meant::Tier(t.meaning()),
            location: t.location.clone(),
            index: i,
        });
    }
    out
}

/// The objects of both versions matched by key (kind, name): every key once, sorted,
/// with the index of its object in each version (the last one should a version repeat
/// the key).
pub(super) fn match_up(
    keys: [Vec<(&'static str, String)>; 2],
) -> Vec<(&'static str, String, [Option<usize>; 2])> {
    let mut all: Vec<(&'static str, String, usize, usize)> = Vec::new();
    for (side, list) in keys.into_iter().enumerate() {
        for (i, (kind, name)) in list.into_iter().enumerate() {
            all.push((kind, name, side, i));
        }
    }
    // Stable: a key's entries stay in version, then index order.
    crate::sort::by(&mut all, |a, b| a.0.cmp(b.0).then_with(|| a.1.cmp(&b.1)));
    let mut out: Vec<(&'static str, String, [Option<usize>; 2])> = Vec::new();
    for (kind, name, side, i) in all {
        let slots = match out.last_mut() {
            Some((k, n, slots)) if *k == kind && *n == name => slots,
            _ => {
                out.push((kind, name, [None, None]));
                match out.last_mut() {
                    Some((_, _, slots)) => slots,
                    None => continue,
                }
            }
        };
        if let Some(slot) = slots.get_mut(side) {
            *slot = Some(i);
        }
    }
    out
}

/// An Ingress, Route or Service by meaning ([`Meaning`]).
#[derive(PartialEq)]
pub(super) enum Routed {
    Ingress(Ingress),
    Route(Route),
    Service(Service),
}

pub(super) fn endpoint_fields(
    a: &crate::model::Endpoint,
    b: &crate::model::Endpoint,
) -> Vec<&'static str> {
    let mut f = Vec::new();
    if a.kind != b.kind {
        f.push("kind");
    }
    if a.labels != b.labels {
        f.push("labels");
    }
    if a.ports != b.ports {
        f.push("ports");
    }
    // Addresses the playground assigned (the input gave none) shift as pods come and
    // go: only declared ones are compared.
    if a.ips != b.ips && !(a.ip_assigned && b.ip_assigned) {
        f.push("addresses");
    }
    if a.host_network != b.host_network {
        f.push("hostNetwork");
    }
    if a.service_account != b.service_account {
        f.push("serviceAccount");
    }
    f
}

pub(super) fn kind_of(fields: &[&str]) -> CauseKind {
    if fields == ["labels"] {
        CauseKind::Relabelled
    } else {
        CauseKind::Edited
    }
}
