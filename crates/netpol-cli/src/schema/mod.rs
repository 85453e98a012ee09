//! The JSON the CLI writes: its own types, documented in `docs/cli-json.md` and stable.
//!
//! They are mapped from the evaluator's types field by field, so a change in the core
//! does not change the CLI's output unnoticed: every match here is exhaustive, and the
//! snapshots in `crates/netpol-cli/tests/json/` pin the result. Field names and values
//! are the ones `netpol query --format json` has always written (snake_case fields,
//! camelCase `kind` tags). `matrix --format json` (the spec's format) and
//! `connlist --format json` are streamed by `emit/json.rs`; their element types are here.

use serde::Serialize;

use netpol::eval::{Caveat, MissReason, NearMiss, PolicyRef, RuleRef, Side, SideVerdict};
use netpol::services::{
    Backend, ControllerHow, NoBackendsReason, Note, Outcome, ServiceDecision, Via,
};
use netpol::tiers::calico::CalicoAction;
use netpol::tiers::{Action, StepOutcome, StepTier, TierStep};
use netpol::{Decision, Diagnostic, Direction, Location, Protocol, QueryProtocol, Verdict};

mod diff;

pub use diff::*;

fn protocol(p: QueryProtocol) -> &'static str {
    match p {
        QueryProtocol::TCP => "TCP",
        QueryProtocol::UDP => "UDP",
        QueryProtocol::SCTP => "SCTP",
        QueryProtocol::ICMP => "ICMP",
    }
}

fn transport(p: Protocol) -> &'static str {
    match p {
        Protocol::TCP => "TCP",
        Protocol::UDP => "UDP",
        Protocol::SCTP => "SCTP",
    }
}

fn verdict(v: Verdict) -> &'static str {
    match v {
        Verdict::Allowed => "allowed",
        Verdict::Denied => "denied",
        Verdict::Unknown => "unknown",
    }
}

fn direction(d: Direction) -> &'static str {
    match d {
        Direction::Ingress => "ingress",
        Direction::Egress => "egress",
    }
}

fn not(b: &bool) -> bool {
    !b
}

/// `{source, doc, range: {start, end}}`: the input file (index in the order read), the
/// YAML document in it, and the byte range.
#[derive(Serialize)]
pub struct LocationJson {
    pub source: usize,
    pub doc: usize,
    pub range: RangeJson,
}

#[derive(Serialize)]
pub struct RangeJson {
    pub start: usize,
    pub end: usize,
}

impl From<&Location> for LocationJson {
    fn from(l: &Location) -> Self {
        LocationJson {
            source: l.source,
            doc: l.doc,
            range: RangeJson {
                start: l.range.start,
                end: l.range.end,
            },
        }
    }
}

/// `query` between two endpoints on one port (or a ping): the verdict and both sides.
#[derive(Serialize)]
pub struct DecisionJson<'a> {
    pub from: &'a str,
    pub to: &'a str,
    pub protocol: &'static str,
    pub port: Option<u16>,
    pub port_name: Option<&'a str>,
    /// `allowed`, `denied` or `unknown` (could not evaluate).
    pub verdict: &'static str,
    pub error: Option<&'a str>,
    pub self_traffic: bool,
    #[serde(skip_serializing_if = "not")]
    pub hairpin: bool,
    pub egress: SideJson<'a>,
    pub ingress: SideJson<'a>,
    pub caveats: Vec<CaveatJson<'a>>,
}

impl<'a> From<&'a Decision> for DecisionJson<'a> {
    fn from(d: &'a Decision) -> Self {
        DecisionJson {
            from: &d.from,
            to: &d.to,
            protocol: protocol(d.protocol),
            port: d.port,
            port_name: d.port_name.as_deref(),
            verdict: verdict(d.verdict),
            error: d.error.as_deref(),
            self_traffic: d.self_traffic,
            hairpin: d.hairpin,
            egress: (&d.egress).into(),
            ingress: (&d.ingress).into(),
            caveats: d.caveats.iter().map(Into::into).collect(),
        }
    }
}

#[derive(Serialize)]
pub struct SideJson<'a> {
    pub direction: &'static str,
    pub endpoint: &'a str,
    /// `notIsolated`, `allowedByRule`, `noRuleMatched`, `notApplicable`.
    pub verdict: &'static str,
    pub isolated_by: Vec<PolicyRefJson<'a>>,
    pub allowed_by: Vec<RuleRefJson<'a>>,
    pub near_misses: Vec<NearMissJson<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tiers: Vec<TierStepJson<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tier_verdict: Option<bool>,
}

impl<'a> From<&'a Side> for SideJson<'a> {
    fn from(s: &'a Side) -> Self {
        SideJson {
            direction: direction(s.direction),
            endpoint: &s.endpoint,
            verdict: match s.verdict {
                SideVerdict::NotIsolated => "notIsolated",
                SideVerdict::AllowedByRule => "allowedByRule",
                SideVerdict::NoRuleMatched => "noRuleMatched",
                SideVerdict::NotApplicable => "notApplicable",
            },
            isolated_by: s.isolated_by.iter().map(Into::into).collect(),
            allowed_by: s.allowed_by.iter().map(Into::into).collect(),
            near_misses: s.near_misses.iter().map(Into::into).collect(),
            tiers: s.tiers.iter().map(Into::into).collect(),
            tier_verdict: s.tier_verdict,
        }
    }
}

#[derive(Serialize)]
pub struct PolicyRefJson<'a> {
    pub namespace: &'a str,
    pub name: &'a str,
    pub location: LocationJson,
}

impl<'a> From<&'a PolicyRef> for PolicyRefJson<'a> {
    fn from(p: &'a PolicyRef) -> Self {
        PolicyRefJson {
            namespace: &p.namespace,
            name: &p.name,
            location: (&p.location).into(),
        }
    }
}

#[derive(Serialize)]
pub struct RuleRefJson<'a> {
    pub policy: PolicyRefJson<'a>,
    pub direction: &'static str,
    pub rule: usize,
    pub peer: Option<usize>,
    pub port: Option<usize>,
    pub location: LocationJson,
}

impl<'a> From<&'a RuleRef> for RuleRefJson<'a> {
    fn from(r: &'a RuleRef) -> Self {
        RuleRefJson {
            policy: (&r.policy).into(),
            direction: direction(r.direction),
            rule: r.rule,
            peer: r.peer,
            port: r.port,
            location: (&r.location).into(),
        }
    }
}

#[derive(Serialize)]
pub struct NearMissJson<'a> {
    pub rule: RuleRefJson<'a>,
    pub reason: MissReasonJson<'a>,
}

impl<'a> From<&'a NearMiss> for NearMissJson<'a> {
    fn from(m: &'a NearMiss) -> Self {
        NearMissJson {
            rule: (&m.rule).into(),
            reason: (&m.reason).into(),
        }
    }
}

#[derive(Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum MissReasonJson<'a> {
    Port {
        allows: &'a str,
    },
    Peer,
    PeerOwnNamespaceOnly {
        policy_namespace: &'a str,
        other_namespace: &'a str,
        peer: usize,
    },
    IcmpNeedsPortlessRule,
}

impl<'a> From<&'a MissReason> for MissReasonJson<'a> {
    fn from(r: &'a MissReason) -> Self {
        match r {
            MissReason::Port { allows } => MissReasonJson::Port { allows },
            MissReason::Peer => MissReasonJson::Peer,
            MissReason::PeerOwnNamespaceOnly {
                policy_namespace,
                other_namespace,
                peer,
            } => MissReasonJson::PeerOwnNamespaceOnly {
                policy_namespace,
                other_namespace,
                peer: *peer,
            },
            MissReason::IcmpNeedsPortlessRule => MissReasonJson::IcmpNeedsPortlessRule,
        }
    }
}

#[derive(Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum CaveatJson<'a> {
    Icmp,
    IpBlockMatchesPodIp { policy: &'a str },
    AssignedAddress { endpoint: &'a str, ip: &'a str },
    HostNetwork { endpoint: &'a str },
    Replicas { endpoint: &'a str },
}

impl<'a> From<&'a Caveat> for CaveatJson<'a> {
    fn from(c: &'a Caveat) -> Self {
        match c {
            Caveat::Icmp => CaveatJson::Icmp,
            Caveat::IpBlockMatchesPodIp { policy } => CaveatJson::IpBlockMatchesPodIp { policy },
            Caveat::AssignedAddress { endpoint, ip } => {
                CaveatJson::AssignedAddress { endpoint, ip }
            }
            Caveat::HostNetwork { endpoint } => CaveatJson::HostNetwork { endpoint },
            Caveat::Replicas { endpoint } => CaveatJson::Replicas { endpoint },
        }
    }
}

/// One step of the tier chain (AdminNetworkPolicy, NetworkPolicy, baseline, Calico
/// tiers, default).
#[derive(Serialize)]
pub struct TierStepJson<'a> {
    /// `Admin`, `NetworkPolicy`, `Baseline`, `Default`, `Calico`.
    pub tier: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub policy: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule_name: Option<&'a str>,
    pub outcome: StepOutcomeJson,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<LocationJson>,
}

impl<'a> From<&'a TierStep> for TierStepJson<'a> {
    fn from(s: &'a TierStep) -> Self {
        TierStepJson {
            tier: match s.tier {
                StepTier::Admin => "Admin",
                StepTier::NetworkPolicy => "NetworkPolicy",
                StepTier::Baseline => "Baseline",
                StepTier::Default => "Default",
                StepTier::Calico => "Calico",
            },
            policy: s.policy.as_deref(),
            rule: s.rule,
            rule_name: s.rule_name.as_deref(),
            outcome: s.outcome.into(),
            location: s.location.as_ref().map(Into::into),
        }
    }
}

/// `{"kind": "matched", "action": "Allow"}`, `{"kind": "npDenied"}`, ...
#[derive(Serialize)]
#[serde(tag = "kind", content = "action", rename_all = "camelCase")]
pub enum StepOutcomeJson {
    Matched(&'static str),
    NoRuleMatched,
    NpAllowed,
    NpDenied,
    NpNotIsolated,
    DefaultAllow,
    CalicoMatched(&'static str),
    TierDefault(&'static str),
}

fn action(a: Action) -> &'static str {
    match a {
        Action::Allow => "Allow",
        Action::Accept => "Accept",
        Action::Deny => "Deny",
        Action::Pass => "Pass",
    }
}

fn calico_action(a: CalicoAction) -> &'static str {
    match a {
        CalicoAction::Allow => "Allow",
        CalicoAction::Deny => "Deny",
        CalicoAction::Pass => "Pass",
        CalicoAction::Log => "Log",
    }
}

impl From<StepOutcome> for StepOutcomeJson {
    fn from(o: StepOutcome) -> Self {
        match o {
            StepOutcome::Matched(a) => StepOutcomeJson::Matched(action(a)),
            StepOutcome::NoRuleMatched => StepOutcomeJson::NoRuleMatched,
            StepOutcome::NpAllowed => StepOutcomeJson::NpAllowed,
            StepOutcome::NpDenied => StepOutcomeJson::NpDenied,
            StepOutcome::NpNotIsolated => StepOutcomeJson::NpNotIsolated,
            StepOutcome::DefaultAllow => StepOutcomeJson::DefaultAllow,
            StepOutcome::CalicoMatched(a) => StepOutcomeJson::CalicoMatched(calico_action(a)),
            StepOutcome::TierDefault(a) => StepOutcomeJson::TierDefault(calico_action(a)),
        }
    }
}

/// `query` through a Service, an Ingress, a NodePort or LoadBalancer, or DNS.
#[derive(Serialize)]
pub struct RoutedJson<'a> {
    pub from: &'a str,
    pub to: &'a str,
    /// `direct`, `service`, `ingress`, `nodePort`, `loadBalancer`, `dns`.
    pub via: &'static str,
    pub protocol: &'static str,
    pub port: Option<&'a str>,
    /// `allowed`, `denied`, `partial`, `no-backends`, `unknown`.
    pub outcome: &'static str,
    pub error: Option<&'a str>,
    pub notes: Vec<NoteJson<'a>>,
    pub backends: Vec<BackendJson<'a>>,
}

impl<'a> From<&'a ServiceDecision> for RoutedJson<'a> {
    fn from(d: &'a ServiceDecision) -> Self {
        RoutedJson {
            from: &d.from,
            to: &d.to,
            via: match d.via {
                Via::Direct => "direct",
                Via::Service => "service",
                Via::Ingress => "ingress",
                Via::NodePort => "nodePort",
                Via::LoadBalancer => "loadBalancer",
                Via::Dns => "dns",
            },
            protocol: protocol(d.protocol),
            port: d.port.as_deref(),
            outcome: match d.outcome {
                Outcome::Allowed => "allowed",
                Outcome::Denied => "denied",
                Outcome::Partial => "partial",
                Outcome::NoBackends => "no-backends",
                Outcome::Unknown => "unknown",
            },
            error: d.error.as_deref(),
            notes: d.notes.iter().map(Into::into).collect(),
            backends: d.backends.iter().map(Into::into).collect(),
        }
    }
}

#[derive(Serialize)]
pub struct BackendJson<'a> {
    pub pod: &'a str,
    pub source: &'a str,
    pub protocol: &'static str,
    pub target_port: Option<u16>,
    pub target_port_name: Option<&'a str>,
    pub verdict: &'static str,
    pub decision: Option<DecisionJson<'a>>,
    pub not_serving: Option<&'a str>,
}

impl<'a> From<&'a Backend> for BackendJson<'a> {
    fn from(b: &'a Backend) -> Self {
        BackendJson {
            pod: &b.pod,
            source: &b.source,
            protocol: protocol(b.protocol),
            target_port: b.target_port,
            target_port_name: b.target_port_name.as_deref(),
            verdict: verdict(b.verdict),
            decision: b.decision.as_ref().map(Into::into),
            not_serving: b.not_serving.as_deref(),
        }
    }
}

#[derive(Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum NoteJson<'a> {
    HostMapped {
        host: &'a str,
        ip: &'a str,
    },
    Dnat {
        service: &'a str,
        cluster_ip: Option<&'a str>,
        protocol: &'static str,
        port: u16,
        target_port: &'a str,
    },
    Headless {
        service: &'a str,
        port: u16,
    },
    SourceNode {
        client: &'a str,
        node: &'a str,
        via: &'a str,
    },
    SourceClient {
        client: &'a str,
        via: &'a str,
    },
    Controller {
        pods: &'a [String],
        how: ControllerHowJson<'a>,
    },
    IngressRoute {
        ingress: &'a str,
        service: &'a str,
        port: &'a str,
    },
    DnsDeclared {
        service: &'a str,
        ip: Option<&'a str>,
    },
    DnsAssumed {
        found: usize,
    },
    DnsAssumedPod {
        name: &'a str,
    },
    NoBackends {
        service: &'a str,
        reason: NoBackendsReasonJson<'a>,
    },
    PodsDiffer {
        workload: &'a str,
        pods: usize,
    },
}

impl<'a> From<&'a Note> for NoteJson<'a> {
    fn from(n: &'a Note) -> Self {
        match n {
            Note::HostMapped { host, ip } => NoteJson::HostMapped { host, ip },
            Note::Dnat {
                service,
                cluster_ip,
                protocol,
                port,
                target_port,
            } => NoteJson::Dnat {
                service,
                cluster_ip: cluster_ip.as_deref(),
                protocol: transport(*protocol),
                port: *port,
                target_port,
            },
            Note::Headless { service, port } => NoteJson::Headless {
                service,
                port: *port,
            },
            Note::SourceNode { client, node, via } => NoteJson::SourceNode { client, node, via },
            Note::SourceClient { client, via } => NoteJson::SourceClient { client, via },
            Note::Controller { pods, how } => NoteJson::Controller {
                pods,
                how: match how {
                    ControllerHow::Label { controller, label } => {
                        ControllerHowJson::Label { controller, label }
                    }
                    ControllerHow::Chosen => ControllerHowJson::Chosen,
                },
            },
            Note::IngressRoute {
                ingress,
                service,
                port,
            } => NoteJson::IngressRoute {
                ingress,
                service,
                port,
            },
            Note::DnsDeclared { service, ip } => NoteJson::DnsDeclared {
                service,
                ip: ip.as_deref(),
            },
            Note::DnsAssumed { found } => NoteJson::DnsAssumed { found: *found },
            Note::DnsAssumedPod { name } => NoteJson::DnsAssumedPod { name },
            Note::PodsDiffer { workload, pods } => NoteJson::PodsDiffer {
                workload,
                pods: *pods,
            },
            Note::NoBackends { service, reason } => NoteJson::NoBackends {
                service,
                reason: match reason {
                    NoBackendsReason::SelectorMatchesNothing {
                        selector,
                        namespace,
                    } => NoBackendsReasonJson::SelectorMatchesNothing {
                        selector,
                        namespace,
                    },
                    NoBackendsReason::NoSelector => NoBackendsReasonJson::NoSelector,
                    NoBackendsReason::NoPodDeclaresPort { name, protocol } => {
                        NoBackendsReasonJson::NoPodDeclaresPort {
                            name,
                            protocol: transport(*protocol),
                        }
                    }
                },
            },
        }
    }
}

#[derive(Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum ControllerHowJson<'a> {
    Label { controller: &'a str, label: &'a str },
    Chosen,
}

#[derive(Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum NoBackendsReasonJson<'a> {
    SelectorMatchesNothing {
        selector: &'a str,
        namespace: &'a str,
    },
    NoSelector,
    NoPodDeclaresPort {
        name: &'a str,
        protocol: &'static str,
    },
}

/// `query` without `--port`: every allowed connection between two endpoints, and one
/// element of `connlist --format json`. Fields in this order (alphabetical, as always).
#[derive(Serialize)]
pub struct ConnectionsJson<'a> {
    /// `TCP 80,443; UDP 53`; empty when nothing is allowed.
    pub connections: &'a str,
    pub from: &'a str,
    pub to: &'a str,
}

/// One element of `connlist --by workload --format json`: the names as the text
/// prints them, then each end's kind, name and namespace (`null` for an address
/// range). Fields in alphabetical order, as [`ConnectionsJson`].
#[derive(Serialize)]
pub struct WorkloadConnectionJson<'a> {
    pub connections: &'a str,
    pub from: &'a str,
    pub from_kind: &'a str,
    pub from_name: &'a str,
    pub from_namespace: Option<&'a str>,
    /// Only when `true`: an end's pods differ and not every pair of pods gets
    /// `connections` (some get less).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub partial: bool,
    pub to: &'a str,
    pub to_kind: &'a str,
    pub to_name: &'a str,
    pub to_namespace: Option<&'a str>,
}

impl<'a> WorkloadConnectionJson<'a> {
    pub fn new(
        from: (&'a str, &'a netpol::group::Group),
        to: (&'a str, &'a netpol::group::Group),
        connections: &'a str,
        partial: bool,
    ) -> Self {
        WorkloadConnectionJson {
            connections,
            from: from.0,
            from_kind: &from.1.kind,
            from_name: &from.1.name,
            from_namespace: from.1.namespace.as_deref(),
            partial,
            to: to.0,
            to_kind: &to.1.kind,
            to_name: &to.1.name,
            to_namespace: to.1.namespace.as_deref(),
        }
    }
}

/// A location in `lint --format json`: the same fields as [`LocationJson`], keys in
/// alphabetical order (`doc`, `range: {end, start}`, `source`), as that output always had.
#[derive(Serialize)]
pub struct SortedLocationJson {
    pub doc: usize,
    pub range: SortedRangeJson,
    pub source: usize,
}

#[derive(Serialize)]
pub struct SortedRangeJson {
    pub end: usize,
    pub start: usize,
}

impl From<&Location> for SortedLocationJson {
    fn from(l: &Location) -> Self {
        SortedLocationJson {
            doc: l.doc,
            range: SortedRangeJson {
                end: l.range.end,
                start: l.range.start,
            },
            source: l.source,
        }
    }
}

/// One diagnostic of `lint --format json`. Keys in alphabetical order, as always; `file`,
/// `line` and `column` (1-based) say where, `location` the same as a byte range.
#[derive(Serialize)]
pub struct DiagnosticJson<'a> {
    pub code: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    pub location: SortedLocationJson,
    pub message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub object: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub related: Option<SortedLocationJson>,
    /// `error`, `warning` or `info`.
    pub severity: &'static str,
}

impl<'a> DiagnosticJson<'a> {
    /// `position`: (file, line, column) when the diagnostic's source is known.
    pub fn new(d: &'a Diagnostic, position: Option<(&'a str, usize, usize)>) -> Self {
        DiagnosticJson {
            code: d.code,
            column: position.map(|p| p.2),
            file: position.map(|p| p.0),
            help: d.help.as_deref(),
            line: position.map(|p| p.1),
            location: (&d.location).into(),
            message: &d.message,
            object: d.object.as_deref(),
            path: d.path.as_deref(),
            related: d.related.as_ref().map(Into::into),
            severity: d.severity.as_str(),
        }
    }
}
