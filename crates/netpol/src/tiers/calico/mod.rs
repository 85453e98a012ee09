//! Calico policies: projectcalico.org/v3 (and crd.projectcalico.org/v1) `NetworkPolicy`,
//! `GlobalNetworkPolicy` and `Tier`.
//!
//! Per endpoint and direction, tiers run in `order` (lower first, tiers without one last,
//! ties by name). The implicit `default` tier has order 1,000,000 and holds the
//! Kubernetes NetworkPolicies at order 1000; the cluster-scoped policies keep the places
//! Calico gives them: the admin tier (AdminNetworkPolicy, `tier: Admin`) at order 1000,
//! the baseline tier at 10,000,000. Inside a tier, policies run by `order` (none last, ties
//! by name; at order 1000 Calico policies come before the NetworkPolicies, whose Calico
//! names start with `knp.`). The first matching rule decides: Allow, Deny, Pass (on to the
//! next tier), Log (go on). When some policy of a tier selected the endpoint and none
//! decided, the tier's `defaultAction` applies (Deny unless the Tier says Pass). When no
//! policy of any tier decides, the Kubernetes profile allows.
//!
//! Endpoints carry, besides their labels, `projectcalico.org/namespace`,
//! `projectcalico.org/orchestrator: k8s` and `projectcalico.org/serviceaccount`; namespace
//! selectors see the namespace's labels plus `projectcalico.org/name`. Host-network pods
//! are not workload endpoints: no policy selects them and rule selectors do not match
//! them (their address can still match `nets`).

pub(crate) mod matrix;
pub mod selector;

use std::net::IpAddr;

use serde::Serialize;

use super::Traffic;
use crate::model::Target;
use crate::model::{Cluster, Direction, Labels, Protocol};
use crate::portset::PortSet;
// The objects as data live in the model (`model/calico.rs`); their paths here stay.
pub use crate::model::calico::{
    CPort, CProto, Calico, CalicoAction, CalicoPolicy, CalicoRule, CalicoTier, EntityRule,
    IcmpMatch, Order, SaMatch,
};
pub use selector::{Expr, Scope};

mod eval;

use eval::*;
pub use eval::{endpoint_labels, rule_matches, rule_ports, side_set};
pub(crate) use eval::{entries, Entry};

/// The order Calico gives the tier of the Kubernetes NetworkPolicies.
pub const DEFAULT_TIER_ORDER: f64 = 1_000_000.0;
/// The order of the Kubernetes NetworkPolicies inside the default tier.
pub const KNP_ORDER: f64 = 1000.0;
/// Calico's `kube-admin` tier (AdminNetworkPolicy, ClusterNetworkPolicy Admin).
pub const ADMIN_TIER_ORDER: f64 = 1000.0;
/// Calico's `kube-baseline` tier (BaselineAdminNetworkPolicy, ClusterNetworkPolicy Baseline).
pub const BASELINE_TIER_ORDER: f64 = 10_000_000.0;

pub const NAMESPACE_LABEL: &str = "projectcalico.org/namespace";
pub const ORCHESTRATOR_LABEL: &str = "projectcalico.org/orchestrator";
pub const SERVICE_ACCOUNT_LABEL: &str = "projectcalico.org/serviceaccount";
pub const NAME_LABEL: &str = "projectcalico.org/name";

impl IcmpMatch {
    /// Does it match a ping (echo request: type 8, or 128 for ICMPv6, code 0)?
    fn matches_ping(&self) -> bool {
        self.icmp_type.is_none_or(|t| t == 8 || t == 128) && self.code.is_none_or(|c| c == 0)
    }
}

impl EntityRule {
    fn uses_selector(&self) -> bool {
        self.selector.is_some()
            || self.not_selector.is_some()
            || self.namespace_selector.is_some()
            || self.service_accounts.is_some()
    }
}

impl Calico {
    /// No tier and no policy: the chain is the one without Calico.
    pub fn is_empty(&self) -> bool {
        self.tiers.is_empty() && self.policies.is_empty()
    }

    /// Nothing at all (for serialization).
    pub fn is_unset(&self) -> bool {
        self.is_empty() && self.service_accounts.is_empty()
    }

    pub fn tier(&self, name: &str) -> Option<&CalicoTier> {
        self.tiers.iter().find(|t| t.name == name)
    }

    /// Tiers by name; policies by tier, order (none last), then name (namespaced ones by
    /// `namespace/name`), the order Calico walks them in.
    pub fn sort(&mut self) {
        crate::sort::by(&mut self.tiers, |a, b| a.name.cmp(&b.name));
        crate::sort::by(&mut self.policies, |a, b| {
            a.tier
                .cmp(&b.tier)
                .then(order_key(&a.order).total_cmp(&order_key(&b.order)))
                .then_with(|| a.full_name().cmp(&b.full_name()))
        });
    }

    fn sa_labels(&self, ns: &str, name: &str) -> Option<&Labels> {
        self.service_accounts
            .iter()
            .find(|(n, s, _)| n == ns && s == name)
            .map(|(_, _, l)| l)
    }
}

pub(crate) fn order_key(o: &Option<Order>) -> f64 {
    o.as_ref().map_or(f64::INFINITY, |o| o.value)
}

impl Serialize for Order {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(self.value)
    }
}

impl std::fmt::Display for Order {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

impl CalicoPolicy {
    pub fn rules(&self, dir: Direction) -> &[CalicoRule] {
        match dir {
            Direction::Ingress => &self.ingress,
            Direction::Egress => &self.egress,
        }
    }

    pub fn applies_to(&self, dir: Direction) -> bool {
        match dir {
            Direction::Ingress => self.ingress_type,
            Direction::Egress => self.egress_type,
        }
    }

    /// `ns/name` or `name` for a GlobalNetworkPolicy.
    pub fn full_name(&self) -> String {
        match &self.namespace {
            Some(ns) => format!("{ns}/{}", self.name),
            None => self.name.clone(),
        }
    }

    pub fn kind(&self) -> &'static str {
        if self.global {
            "GlobalNetworkPolicy"
        } else {
            "NetworkPolicy"
        }
    }

    /// `Calico tier security order 100 policy deny-egress order 10`.
    pub fn label(&self, calico: &Calico) -> String {
        let mut s = format!("Calico tier {}", self.tier);
        if let Some(o) = calico.tier(&self.tier).and_then(|t| t.order.as_ref()) {
            s.push_str(&format!(" order {o}"));
        }
        s.push_str(&format!(" policy {}", self.full_name()));
        if let Some(o) = &self.order {
            s.push_str(&format!(" order {o}"));
        }
        s
    }

    /// Does the policy select endpoint `i` (for any direction)?
    pub fn selects(&self, cluster: &Cluster, i: usize) -> bool {
        let Some(e) = cluster.endpoints.get(i) else {
            return false;
        };
        if e.host_network || self.host_only {
            return false;
        }
        if let Some(ns) = &self.namespace {
            if &e.namespace != ns {
                return false;
            }
        }
        if let Some(nsel) = &self.namespace_selector {
            if !namespace_matches(cluster, nsel, &e.namespace) {
                return false;
            }
        }
        if let Some(sa) = &self.service_account_selector {
            if !sa_selector_matches(cluster, sa, i) {
                return false;
            }
        }
        self.selector.matches(&endpoint_labels(cluster, i))
    }
}
