//! The cluster-scoped policies as data (AdminNetworkPolicy, BaselineAdminNetworkPolicy,
//! ClusterNetworkPolicy), as the loader makes them (`load::cluster_policy`) and the tier chain
//! reads them (`tiers`); plain data, so the model imports no evaluator.

use std::net::IpAddr;

use ipnet::IpNet;
use serde::Serialize;

use super::{Cluster, Direction, Labels, Protocol, Selector};
use crate::diag::Location;

/// Which API an object comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Api {
    AdminNetworkPolicy,
    BaselineAdminNetworkPolicy,
    ClusterNetworkPolicy,
}

impl Api {
    pub fn kind(self) -> &'static str {
        match self {
            Api::AdminNetworkPolicy => "AdminNetworkPolicy",
            Api::BaselineAdminNetworkPolicy => "BaselineAdminNetworkPolicy",
            Api::ClusterNetworkPolicy => "ClusterNetworkPolicy",
        }
    }
    /// `ANP`, `BANP`, `CNP`.
    pub fn short(self) -> &'static str {
        match self {
            Api::AdminNetworkPolicy => "ANP",
            Api::BaselineAdminNetworkPolicy => "BANP",
            Api::ClusterNetworkPolicy => "CNP",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Tier {
    Admin,
    Baseline,
}

impl Tier {
    pub fn as_str(self) -> &'static str {
        match self {
            Tier::Admin => "Admin",
            Tier::Baseline => "Baseline",
        }
    }
}

/// A rule's action, spelled as its API spells it (v1alpha1 `Allow`, v1alpha2 `Accept`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum Action {
    Allow,
    Accept,
    Deny,
    Pass,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Allow => "Allow",
            Action::Accept => "Accept",
            Action::Deny => "Deny",
            Action::Pass => "Pass",
        }
    }
    /// Some(true) allows, Some(false) denies, None passes.
    pub fn decision(self) -> Option<bool> {
        match self {
            Action::Allow | Action::Accept => Some(true),
            Action::Deny => Some(false),
            Action::Pass => None,
        }
    }
}

/// `spec.subject`: the pods the policy applies to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum Subject {
    /// Every pod of the namespaces the selector matches.
    Namespaces { selector: Selector },
    /// Pods matching `pod_selector` in namespaces matching `namespace_selector`.
    Pods {
        namespace_selector: Selector,
        pod_selector: Selector,
    },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum TierPeerKind {
    Namespaces {
        selector: Selector,
    },
    Pods {
        namespace_selector: Selector,
        pod_selector: Selector,
    },
    /// Egress only: the addresses of the Nodes the selector matches.
    Nodes {
        selector: Selector,
    },
    /// Egress only: CIDRs (pod addresses included, as the API warns).
    Networks {
        cidrs: Vec<IpNet>,
    },
    /// Egress only, experimental: domain names. Not evaluated: matches nothing.
    DomainNames {
        names: Vec<String>,
    },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TierPeer {
    pub kind: TierPeerKind,
    pub location: Location,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum TierPortKind {
    Number {
        protocol: Protocol,
        port: u16,
    },
    Range {
        protocol: Protocol,
        start: u16,
        end: u16,
    },
    /// A container port name on the destination pod (any protocol).
    Named {
        name: String,
    },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TierPort {
    pub kind: TierPortKind,
    pub location: Location,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TierRule {
    pub name: Option<String>,
    pub action: Action,
    /// ORed; never empty in a valid policy.
    pub peers: Vec<TierPeer>,
    /// None: every port and protocol (ICMP included).
    pub ports: Option<Vec<TierPort>>,
    pub location: Location,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ClusterPolicy {
    pub api: Api,
    pub name: String,
    pub tier: Tier,
    /// None for the BaselineAdminNetworkPolicy, which has no priority.
    pub priority: Option<i32>,
    pub subject: Subject,
    pub ingress: Vec<TierRule>,
    pub egress: Vec<TierRule>,
    pub location: Location,
}

impl ClusterPolicy {
    pub fn rules(&self, dir: Direction) -> &[TierRule] {
        match dir {
            Direction::Ingress => &self.ingress,
            Direction::Egress => &self.egress,
        }
    }

    /// Evaluation order: tier, priority (the BANP after every baseline CNP), name.
    pub fn sort_key(&self) -> (Tier, i64, &str) {
        (
            self.tier,
            self.priority.map_or(i64::MAX, i64::from),
            self.name.as_str(),
        )
    }

    /// `ANP allow-monitoring prio 10`, `BANP default`, `CNP baseline-deny (Baseline) prio 5`.
    pub fn label(&self) -> String {
        let mut s = format!("{} {}", self.api.short(), self.name);
        if self.api == Api::ClusterNetworkPolicy && self.tier == Tier::Baseline {
            s.push_str(" (Baseline)");
        }
        if let Some(p) = self.priority {
            s.push_str(&format!(" prio {p}"));
        }
        s
    }

    /// `ClusterNetworkPolicy name`, for diagnostics.
    pub fn object(&self) -> String {
        format!("{} {}", self.api.kind(), self.name)
    }

    /// Does the subject select endpoint `i`?
    pub fn selects(&self, cluster: &Cluster, i: usize) -> bool {
        let Some(e) = cluster.endpoints.get(i) else {
            return false;
        };
        if e.host_network {
            return false;
        }
        let ns_labels = cluster.namespace_labels(&e.namespace);
        let ns_ok = |sel: &Selector| ns_labels.is_some_and(|l| sel.matches(l));
        match &self.subject {
            Subject::Namespaces { selector } => ns_ok(selector),
            Subject::Pods {
                namespace_selector,
                pod_selector,
            } => ns_ok(namespace_selector) && pod_selector.matches(&e.labels),
        }
    }
}

/// A Node: its labels and addresses (`status.addresses`), for `nodes` peers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NodeInfo {
    pub name: String,
    pub labels: Labels,
    pub ips: Vec<IpAddr>,
    pub location: Location,
}
