//! Calico's objects as data (Tier, GlobalNetworkPolicy, namespaced NetworkPolicy,
//! ServiceAccount labels), as `load::calico` makes them; plain data, so the model
//! imports no evaluator. The selector parser and matcher, the chain and the tables stay in
//! `tiers::calico` (their `impl` blocks), which re-exports these under their old paths.

use ipnet::IpNet;
use serde::Serialize;

use super::{Labels, Protocol};
use crate::diag::Location;

/// A parsed selector.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "op", rename_all = "camelCase")]
pub enum Expr {
    All,
    Global,
    Has { key: String },
    Eq { key: String, value: String },
    Ne { key: String, value: String },
    In { key: String, values: Vec<String> },
    NotIn { key: String, values: Vec<String> },
    Contains { key: String, value: String },
    StartsWith { key: String, value: String },
    EndsWith { key: String, value: String },
    Not { expr: Box<Expr> },
    And { exprs: Vec<Expr> },
    Or { exprs: Vec<Expr> },
}

/// How `global()` evaluates: true on labels, false for a pod's namespace.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    Labels,
    PodNamespace,
}

/// A Calico `order`: its value, for sorting, and the author's spelling, for explanations
/// (`100` stays `100`, `1e3` stays `1e3`; and the page needs no float formatting code).
#[derive(Debug, Clone, PartialEq)]
pub struct Order {
    pub value: f64,
    pub text: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum CalicoAction {
    Allow,
    Deny,
    Pass,
    Log,
}

impl CalicoAction {
    pub fn as_str(self) -> &'static str {
        match self {
            CalicoAction::Allow => "Allow",
            CalicoAction::Deny => "Deny",
            CalicoAction::Pass => "Pass",
            CalicoAction::Log => "Log",
        }
    }
}

/// A `Tier` object (or the implicit `default` tier).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CalicoTier {
    pub name: String,
    pub order: Option<Order>,
    /// Deny or Pass.
    pub default_action: CalicoAction,
    pub location: Option<Location>,
}

/// A rule's protocol: one we model, or another number (never matches our traffic).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum CProto {
    Port(Protocol),
    Icmp,
    IcmpV6,
    Other(u8),
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum CPort {
    Range { start: u16, end: u16 },
    Named { name: String },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct IcmpMatch {
    #[serde(rename = "type")]
    pub icmp_type: Option<u8>,
    pub code: Option<u8>,
}

/// `serviceAccounts: {names, selector}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SaMatch {
    pub names: Vec<String>,
    pub selector: Option<Expr>,
}

/// `source` / `destination` of a rule.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct EntityRule {
    pub nets: Vec<IpNet>,
    pub not_nets: Vec<IpNet>,
    pub selector: Option<Expr>,
    pub not_selector: Option<Expr>,
    pub namespace_selector: Option<Expr>,
    pub service_accounts: Option<SaMatch>,
    pub ports: Vec<CPort>,
    pub not_ports: Vec<CPort>,
    /// `services` (not evaluated: the entity matches nothing).
    pub services: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CalicoRule {
    pub action: CalicoAction,
    pub protocol: Option<CProto>,
    pub not_protocol: Option<CProto>,
    pub icmp: Option<IcmpMatch>,
    pub not_icmp: Option<IcmpMatch>,
    pub source: EntityRule,
    pub destination: EntityRule,
    pub location: Location,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CalicoPolicy {
    /// GlobalNetworkPolicy (else a namespaced NetworkPolicy).
    pub global: bool,
    pub namespace: Option<String>,
    pub name: String,
    pub tier: String,
    pub order: Option<Order>,
    pub selector: Expr,
    /// GlobalNetworkPolicy `spec.namespaceSelector`.
    pub namespace_selector: Option<Expr>,
    pub service_account_selector: Option<Expr>,
    pub ingress_type: bool,
    pub egress_type: bool,
    pub ingress: Vec<CalicoRule>,
    pub egress: Vec<CalicoRule>,
    /// doNotTrack / preDNAT policies apply to host endpoints only.
    pub host_only: bool,
    pub location: Location,
}

// Orders are finite (the loader refuses anything else), so equality is reflexive.
impl Eq for CalicoTier {}
impl Eq for CalicoPolicy {}
impl Eq for Calico {}

/// Every Calico object of the input.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Calico {
    /// Tier objects, sorted by name (the `default` tier is implicit when absent).
    pub tiers: Vec<CalicoTier>,
    /// Valid policies, in evaluation order inside their tier.
    pub policies: Vec<CalicoPolicy>,
    /// ServiceAccounts: (namespace, name) -> labels.
    pub service_accounts: Vec<(String, String, Labels)>,
}
