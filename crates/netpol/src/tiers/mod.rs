//! Cluster-scoped policies and the tier chain they form around NetworkPolicy.
//!
//! - AdminNetworkPolicy and BaselineAdminNetworkPolicy (policy.networking.k8s.io/v1alpha1)
//! - ClusterNetworkPolicy (policy.networking.k8s.io/v1alpha2, `tier: Admin | Baseline`)
//!
//! Per direction (egress of the source, ingress of the destination; a connection needs
//! both), for a pod:
//!
//! 1. admin tier: policies selecting the pod, lower `priority` first (ties by name, which
//!    the API leaves undefined and the lints flag), rules in order, first match wins:
//!    Allow/Accept -> allowed, Deny -> denied, Pass -> skip the rest of the tier;
//! 2. NetworkPolicy: when NetworkPolicies isolate the pod for the direction, they decide;
//! 3. baseline tier: the BaselineAdminNetworkPolicy and `tier: Baseline` policies, first
//!    match wins (Pass -> on to the default);
//! 4. default: allowed.
//!
//! Host-network pods are neither subjects nor `namespaces`/`pods` peers (the API excludes
//! them). External addresses have no policies of their own.

pub mod calico;
mod chain;
pub(crate) mod matrix;

use std::net::IpAddr;

use serde::Serialize;

use crate::diag::Location;
use crate::model::{Cluster, Direction, Protocol, Target};
use crate::portset::PortSet;

pub(crate) use chain::{chain, outcome, outcomes, slots, walk, Ask, Facts, Slot, Steps};

// The cluster-scoped policies as data live in the model (`model/cluster_policy.rs`);
// their paths here stay as they were.
pub use crate::model::{
    Action, Api, ClusterPolicy, NodeInfo, Subject, Tier, TierPeer, TierPeerKind, TierPort,
    TierPortKind, TierRule,
};

/// What is asked: a transport connection or a ping.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Traffic {
    Port(Protocol, u16),
    Icmp,
}

/// Where a step of the chain stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum StepTier {
    Admin,
    NetworkPolicy,
    Baseline,
    Default,
    /// A Calico tier (its policies and its default action).
    Calico,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "action", rename_all = "camelCase")]
pub enum StepOutcome {
    /// A rule matched and applied its action.
    Matched(Action),
    /// The policy selects the pod but none of its rules for this direction matched.
    NoRuleMatched,
    /// NetworkPolicies isolate the pod and one of their rules allows the connection.
    NpAllowed,
    /// NetworkPolicies isolate the pod and none of their rules allows it.
    NpDenied,
    /// No NetworkPolicy isolates the pod for this direction: evaluation goes on.
    NpNotIsolated,
    /// Nothing decided: Kubernetes allows by default.
    DefaultAllow,
    /// A Calico rule matched and applied its action (Log: evaluation goes on).
    CalicoMatched(calico::CalicoAction),
    /// A Calico tier selected the endpoint and nothing decided: its `defaultAction`.
    TierDefault(calico::CalicoAction),
}

/// One step of the chain for one side of a connection.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TierStep {
    pub tier: StepTier,
    /// `ANP allow-monitoring prio 10`, or the NetworkPolicies (`ns/name`, comma-separated).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub policy: Option<String>,
    /// Index of the rule in `spec.ingress` / `spec.egress`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule_name: Option<String>,
    pub outcome: StepOutcome,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
}

impl TierStep {
    fn np(outcome: StepOutcome, policies: Option<String>) -> TierStep {
        TierStep {
            tier: StepTier::NetworkPolicy,
            policy: policies,
            rule: None,
            rule_name: None,
            outcome,
            location: None,
        }
    }
}

/// Does `peer` select the far end `other`?
pub fn peer_matches(cluster: &Cluster, peer: &TierPeer, other: Target) -> bool {
    match (&peer.kind, other) {
        (TierPeerKind::Networks { cidrs }, Target::External(ip)) => {
            cidrs.iter().any(|c| c.contains(&ip))
        }
        (TierPeerKind::Networks { cidrs }, Target::Endpoint(i)) => cluster
            .endpoints
            .get(i)
            .is_some_and(|e| e.ips.iter().any(|ip| cidrs.iter().any(|c| c.contains(ip)))),
        (TierPeerKind::Nodes { selector }, t) => {
            let ips: &[IpAddr] = match t {
                Target::External(ref ip) => std::slice::from_ref(ip),
                // A host-network pod has its node's address.
                Target::Endpoint(i) => match cluster.endpoints.get(i) {
                    Some(e) if e.host_network => &e.ips,
                    _ => &[],
                },
            };
            cluster
                .nodes
                .iter()
                .any(|n| selector.matches(&n.labels) && n.ips.iter().any(|a| ips.contains(a)))
        }
        (TierPeerKind::DomainNames { .. }, _) => false,
        (_, Target::External(_)) => false,
        (TierPeerKind::Namespaces { selector }, Target::Endpoint(i)) => {
            cluster.endpoints.get(i).is_some_and(|e| {
                !e.host_network
                    && cluster
                        .namespace_labels(&e.namespace)
                        .is_some_and(|l| selector.matches(l))
            })
        }
        (
            TierPeerKind::Pods {
                namespace_selector,
                pod_selector,
            },
            Target::Endpoint(i),
        ) => cluster.endpoints.get(i).is_some_and(|e| {
            !e.host_network
                && pod_selector.matches(&e.labels)
                && cluster
                    .namespace_labels(&e.namespace)
                    .is_some_and(|l| namespace_selector.matches(l))
        }),
    }
}

/// Does a port entry cover the traffic at destination `dst`?
pub fn port_matches(cluster: &Cluster, port: &TierPort, dst: Target, traffic: Traffic) -> bool {
    let Traffic::Port(proto, n) = traffic else {
        return false;
    };
    match &port.kind {
        TierPortKind::Number { protocol, port } => *protocol == proto && *port == n,
        TierPortKind::Range {
            protocol,
            start,
            end,
        } => *protocol == proto && *start <= n && n <= *end,
        TierPortKind::Named { name } => match dst {
            Target::Endpoint(i) => {
                cluster
                    .endpoints
                    .get(i)
                    .and_then(|e| e.named_port(name, proto))
                    == Some(n)
            }
            Target::External(_) => false,
        },
    }
}

/// Does the rule match the traffic (a peer selects `other`, a port covers it)?
pub fn rule_matches(
    cluster: &Cluster,
    rule: &TierRule,
    other: Target,
    dst: Target,
    traffic: Traffic,
) -> bool {
    rule.peers.iter().any(|p| peer_matches(cluster, p, other))
        && match &rule.ports {
            None => true,
            Some(ports) => ports.iter().any(|p| port_matches(cluster, p, dst, traffic)),
        }
}

/// The connections a rule's ports cover towards `dst` (named ports resolved there).
pub fn rule_ports(cluster: &Cluster, rule: &TierRule, dst: Target) -> PortSet {
    let Some(ports) = &rule.ports else {
        return PortSet::all();
    };
    let mut set = PortSet::none();
    for p in ports {
        match &p.kind {
            TierPortKind::Number { protocol, port } => set.add(*protocol, *port, *port),
            TierPortKind::Range {
                protocol,
                start,
                end,
            } => set.add(*protocol, *start, *end),
            TierPortKind::Named { name } => {
                if let Target::Endpoint(i) = dst {
                    for cp in cluster.endpoints.get(i).into_iter().flat_map(|e| &e.ports) {
                        if cp.name.as_deref() == Some(name.as_str()) {
                            set.add(cp.protocol, cp.port, cp.port);
                        }
                    }
                }
            }
        }
    }
    set
}

/// `a` without `b`.
pub fn minus(a: &PortSet, b: &PortSet) -> PortSet {
    let mut out = PortSet::none();
    for p in Protocol::ALL {
        let cut = b.ranges(p);
        for &(lo, hi) in a.ranges(p) {
            let mut start = u32::from(lo);
            let hi = u32::from(hi);
            for &(clo, chi) in cut {
                let (clo, chi) = (u32::from(clo), u32::from(chi));
                if chi < start || clo > hi {
                    continue;
                }
                if clo > start {
                    out.add(p, start as u16, (clo - 1) as u16);
                }
                start = chi + 1;
                if start > hi {
                    break;
                }
            }
            if start <= hi {
                out.add(p, start as u16, hi as u16);
            }
        }
    }
    out.set_icmp(a.icmp() && !b.icmp());
    out
}

/// Indexes (into `cluster.cluster_policies`, already in evaluation order) of the policies of
/// `tier` that select endpoint `subject` and have rules for `dir`.
pub fn applying(cluster: &Cluster, tier: Tier, subject: usize, dir: Direction) -> Vec<usize> {
    cluster
        .cluster_policies
        .iter()
        .enumerate()
        .filter(|(_, p)| p.tier == tier && !p.rules(dir).is_empty() && p.selects(cluster, subject))
        .map(|(i, _)| i)
        .collect()
}

/// Over the whole port space: what one side allows, given the NetworkPolicy side's set
/// (`np`, None when no NetworkPolicy isolates the subject).
pub fn side_set(
    cluster: &Cluster,
    dir: Direction,
    subject: Target,
    other: Target,
    dst: Target,
    np: Option<PortSet>,
) -> PortSet {
    let Target::Endpoint(si) = subject else {
        return np.unwrap_or_else(PortSet::all);
    };
    let mut allowed = PortSet::none();
    let mut undecided = PortSet::all();
    // Admin tier: per policy, per rule; Pass takes the rest of the policy's tier away.
    let mut passed = PortSet::none();
    for pi in applying(cluster, Tier::Admin, si, dir) {
        let Some(p) = cluster.cluster_policies.get(pi) else {
            continue;
        };
        for r in p.rules(dir) {
            if !r.peers.iter().any(|x| peer_matches(cluster, x, other)) {
                continue;
            }
            let hit = rule_ports(cluster, r, dst).intersect(&undecided);
            undecided = minus(&undecided, &hit);
            match r.action.decision() {
                Some(true) => allowed.union_with(&hit),
                Some(false) => {}
                None => passed.union_with(&hit),
            }
        }
    }
    undecided.union_with(&passed);
    if let Some(np) = np {
        allowed.union_with(&np.intersect(&undecided));
        return allowed;
    }
    for pi in applying(cluster, Tier::Baseline, si, dir) {
        let Some(p) = cluster.cluster_policies.get(pi) else {
            continue;
        };
        for r in p.rules(dir) {
            if !r.peers.iter().any(|x| peer_matches(cluster, x, other)) {
                continue;
            }
            let hit = rule_ports(cluster, r, dst).intersect(&undecided);
            undecided = minus(&undecided, &hit);
            if r.action.decision() != Some(false) {
                allowed.union_with(&hit);
            }
        }
    }
    allowed.union_with(&undecided);
    allowed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minus_cuts_ranges_and_icmp() {
        let mut a = PortSet::none();
        a.add(Protocol::TCP, 1, 100);
        a.set_icmp(true);
        let mut b = PortSet::none();
        b.add(Protocol::TCP, 10, 20);
        b.add(Protocol::TCP, 100, 200);
        b.set_icmp(true);
        let m = minus(&a, &b);
        assert_eq!(m.ranges(Protocol::TCP), &[(1, 9), (21, 99)]);
        assert!(!m.icmp());
        assert_eq!(minus(&PortSet::all(), &PortSet::all()), PortSet::none());
    }
}
