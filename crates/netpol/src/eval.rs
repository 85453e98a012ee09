//! Deciding connections: one query with its explanation, the matrix for one port, and
//! the set of allowed connections for a pair.
//!
//! Semantics (Kubernetes API reference; the e2e NetworkPolicy suite is the test):
//! - a pod is isolated for a direction when a policy of its namespace selects it and has
//!   that policy type; policies are additive; a connection needs the source's egress and
//!   the destination's ingress to allow it;
//! - a peer with only `podSelector` selects pods of the policy's own namespace;
//!   `podSelector` + `namespaceSelector` in one peer are ANDed; peers are ORed;
//! - `ipBlock` matches external addresses and, as the e2e suite requires, pod IPs
//!   (CNI-dependent: flagged as a caveat);
//! - named ports resolve on the destination pod by name and protocol;
//! - ICMP (not defined by NetworkPolicy) follows Calico: a non-isolated direction allows
//!   it; an isolated one only through a matching rule without `ports`;
//! - traffic from a pod to itself is always allowed.

use std::net::IpAddr;

use serde::Serialize;

use crate::diag::{did_you_mean, Location};
use crate::index::{Bitset, Index};
use crate::model::*;
use crate::portset::PortSet;
use crate::tiers::{self, TierStep, Traffic};

/// One end of a connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Target {
    /// Index into `Cluster::endpoints`.
    Endpoint(usize),
    /// An address outside the cluster (no pod has it).
    External(IpAddr),
}

/// The port of a query: a number, or a name resolved on the destination pod.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(untagged)]
pub enum PortQuery {
    Number(u16),
    Name(String),
}

impl PortQuery {
    pub fn parse(s: &str) -> PortQuery {
        match s.parse::<u16>() {
            Ok(n) => PortQuery::Number(n),
            Err(_) => PortQuery::Name(s.to_string()),
        }
    }
}

impl std::fmt::Display for PortQuery {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PortQuery::Number(n) => write!(f, "{n}"),
            PortQuery::Name(s) => f.write_str(s),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Allowed,
    Denied,
    /// Could not evaluate (e.g. a named port the destination does not declare).
    Unknown,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PolicyRef {
    pub namespace: String,
    pub name: String,
    pub location: Location,
}

/// A rule that matched (or nearly matched) a connection.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RuleRef {
    pub policy: PolicyRef,
    pub direction: Direction,
    /// Index of the rule in `spec.ingress` / `spec.egress`.
    pub rule: usize,
    /// Index of the peer that matched; None when the rule has no peers (all match).
    pub peer: Option<usize>,
    /// Index of the port entry that matched; None when the rule has no ports.
    pub port: Option<usize>,
    pub location: Location,
}

impl RuleRef {
    /// `spec.ingress[0].from[1]` style path of the matching part.
    pub fn path(&self) -> String {
        let (field, peers) = match self.direction {
            Direction::Ingress => ("ingress", "from"),
            Direction::Egress => ("egress", "to"),
        };
        let mut p = format!("spec.{field}[{}]", self.rule);
        if let Some(i) = self.peer {
            p.push_str(&format!(".{peers}[{i}]"));
        }
        if let Some(i) = self.port {
            p.push_str(&format!(" ports[{i}]"));
        }
        p
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum MissReason {
    /// The peer matched but no port entry covers the connection; `ports` lists what the
    /// rule allows to this peer.
    Port { allows: String },
    /// The ports match but no peer selects the other end.
    Peer,
    /// A peer with only `podSelector` matches the other end's labels, but it selects pods
    /// of the policy's own namespace only (the seed tutorial's trap).
    PeerOwnNamespaceOnly {
        policy_namespace: String,
        other_namespace: String,
        peer: usize,
    },
    /// ICMP is only allowed by a matching rule without `ports`.
    IcmpNeedsPortlessRule,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NearMiss {
    pub rule: RuleRef,
    pub reason: MissReason,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum SideVerdict {
    /// Not isolated: everything is allowed.
    NotIsolated,
    /// Isolated, and a rule allows the connection.
    AllowedByRule,
    /// Isolated, and no rule allows it.
    NoRuleMatched,
    /// The endpoint is outside the cluster: no NetworkPolicy applies here.
    NotApplicable,
}

impl SideVerdict {
    pub fn allows(self) -> bool {
        !matches!(self, SideVerdict::NoRuleMatched)
    }
}

/// One side of a connection: the source's egress or the destination's ingress.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Side {
    pub direction: Direction,
    pub endpoint: String,
    pub verdict: SideVerdict,
    /// The policies that select this endpoint for this direction.
    pub isolated_by: Vec<PolicyRef>,
    /// Every rule that allows the connection.
    pub allowed_by: Vec<RuleRef>,
    /// When denied: rules that came close (peer matched but not the port, and so on).
    pub near_misses: Vec<NearMiss>,
    /// The tier chain, when cluster-scoped policies (AdminNetworkPolicy,
    /// BaselineAdminNetworkPolicy, ClusterNetworkPolicy) apply to this side.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tiers: Vec<TierStep>,
    /// Some(allowed) when the cluster has cluster-scoped policies: the verdict of the whole
    /// chain, which overrides `verdict` (that one stays the NetworkPolicy tier's result).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tier_verdict: Option<bool>,
}

impl Side {
    /// Does this side let the connection through (tiers included)?
    pub fn allows(&self) -> bool {
        self.tier_verdict.unwrap_or_else(|| self.verdict.allows())
    }

    /// A side with a verdict and nothing else (no policies, rules or tiers).
    fn bare(direction: Direction, endpoint: String, verdict: SideVerdict) -> Side {
        Side {
            direction,
            endpoint,
            verdict,
            isolated_by: Vec::new(),
            allowed_by: Vec::new(),
            near_misses: Vec::new(),
            tiers: Vec::new(),
            tier_verdict: None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Caveat {
    /// ICMP is outside NetworkPolicy; modelled on Calico.
    Icmp,
    /// An ipBlock matched a pod IP; CNIs differ on whether this works.
    IpBlockMatchesPodIp { policy: String },
    /// The endpoint's address was assigned by the playground, not read from the input.
    AssignedAddress { endpoint: String, ip: String },
    /// A host-network pod: most CNIs do not apply NetworkPolicy to it.
    HostNetwork { endpoint: String },
    /// A workload with several replicas to itself: traffic between different replicas is
    /// subject to policies (only a pod to itself is always allowed).
    Replicas { endpoint: String },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Decision {
    pub from: String,
    pub to: String,
    /// The endpoints `from` and `to` name, typed (not in the JSON output, whose names
    /// say the same). Indexes are into the cluster of the engine that decided: a `dns:`
    /// query that assumes a CoreDNS pod decides in a copy with that pod appended, so
    /// users look endpoints up with `get`, never by indexing.
    #[serde(skip)]
    pub source: Target,
    #[serde(skip)]
    pub destination: Target,
    pub protocol: QueryProtocol,
    /// The port number (after resolving a named port).
    pub port: Option<u16>,
    /// The port name asked for, if any.
    pub port_name: Option<String>,
    pub verdict: Verdict,
    /// Why the verdict is unknown.
    pub error: Option<String>,
    pub self_traffic: bool,
    /// A pod load-balanced back to itself by a Service: NetworkPolicy still never blocks
    /// it, but cluster-scoped policies apply (only a pod's own IP is exempt from them).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub hairpin: bool,
    pub egress: Side,
    pub ingress: Side,
    pub caveats: Vec<Caveat>,
}

impl Decision {
    pub fn allowed(&self) -> bool {
        self.verdict == Verdict::Allowed
    }
}

/// One cell of a [`Matrix`]: `Some(true)` allowed, `Some(false)` denied, `None` could not
/// be evaluated (the port does not resolve at the destination: a named port it does not
/// declare, a named port towards an address, port 0), exactly where [`Engine::query`]
/// gives [`Verdict::Unknown`]. Serialized as `true`, `false` or `null`.
pub type Cell = Option<bool>;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Matrix {
    pub port: PortQuery,
    pub protocol: QueryProtocol,
    pub endpoints: Vec<String>,
    /// `allowed[from][to]`; see [`Cell`].
    pub allowed: Vec<Vec<Cell>>,
}

/// What makes two destinations' ingress columns equal: selecting policies, the port
/// the connection reaches, and the container ports (for named ports).
type ColumnKey<'a> = (&'a [usize], Option<u16>, &'a [ContainerPort]);

/// The evaluator over one cluster. Building it indexes which policies select which
/// endpoints; queries are then cheap.
pub struct Engine {
    pub cluster: Cluster,
    /// Per endpoint: indexes of policies selecting it for ingress / egress.
    selected_ingress: Vec<Vec<usize>>,
    selected_egress: Vec<Vec<usize>>,
    index: Index,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum PeerMatch {
    No,
    Yes,
    /// Matched through an ipBlock containing a pod IP.
    PodIp,
}

/// What a query's protocol/port are after resolution.
#[derive(Clone, Copy)]
enum Conn {
    Port(Protocol, u16),
    Icmp,
}

impl Engine {
    pub fn new(cluster: Cluster) -> Self {
        let n = cluster.endpoints.len();
        let index = Index::new(&cluster);
        let mut selected_ingress = vec![Vec::new(); n];
        let mut selected_egress = vec![Vec::new(); n];
        for (pi, p) in cluster.policies.iter().enumerate() {
            for ei in index.sets[index.selected[pi]].iter() {
                if p.ingress_isolating {
                    selected_ingress[ei].push(pi);
                }
                if p.egress_isolating {
                    selected_egress[ei].push(pi);
                }
            }
        }
        Engine {
            cluster,
            selected_ingress,
            selected_egress,
            index,
        }
    }

    /// Policies selecting endpoint `i` for a direction.
    pub fn selecting(&self, i: usize, dir: Direction) -> &[usize] {
        match dir {
            Direction::Ingress => &self.selected_ingress[i],
            Direction::Egress => &self.selected_egress[i],
        }
    }

    /// Resolves an endpoint name: `NAMESPACE/NAME` (pod or workload), a workload whose
    /// pods were pasted (its first pod), a bare name when unique, or an IP address.
    pub fn resolve(&self, text: &str) -> Result<Target, String> {
        let c = &self.cluster;
        let text = text.trim();
        if let Ok(ip) = text.parse::<IpAddr>() {
            return Ok(match c.endpoint_by_ip(&ip) {
                Some(i) => Target::Endpoint(i),
                None => Target::External(ip),
            });
        }
        if let Some(i) = c.endpoint_index(text) {
            return Ok(Target::Endpoint(i));
        }
        if let Some((key, pods)) = self.find_workload(text) {
            return self.workload_target(key, pods);
        }
        let parts: Vec<&str> = text.split('/').collect();
        match parts.as_slice() {
            // NAMESPACE/KIND/NAME names any endpoint, qualified or not.
            [ns, kind, name] => {
                if let Some(kind) = EndpointKind::parse_word(kind) {
                    if let Some(i) = c
                        .endpoints
                        .iter()
                        .position(|e| e.namespace == *ns && e.kind == kind && e.name == *name)
                    {
                        return Ok(Target::Endpoint(i));
                    }
                }
            }
            // NAMESPACE/NAME shared by several kinds: say which.
            [ns, name] => {
                let mut found: Vec<String> = c
                    .endpoints
                    .iter()
                    .filter(|e| e.qualified && e.namespace == *ns && e.name == *name)
                    .map(Endpoint::full_name)
                    .collect();
                found.extend(
                    c.workload_pods
                        .keys()
                        .filter(|k| {
                            k.strip_prefix(ns)
                                .and_then(|r| r.strip_prefix('/'))
                                .and_then(|r| r.split_once('/'))
                                .is_some_and(|(_, n)| n == *name)
                        })
                        .cloned(),
                );
                if !found.is_empty() {
                    found.sort();
                    let names: Vec<String> = found.iter().map(|n| format!("`{n}`")).collect();
                    return Err(format!(
                        "`{text}` is ambiguous: {} share the name; say which",
                        names.join(", ")
                    ));
                }
            }
            _ => {}
        }
        if !text.contains('/') {
            let found: Vec<usize> = c
                .endpoints
                .iter()
                .enumerate()
                .filter(|(_, e)| e.name == text)
                .map(|(i, _)| i)
                .collect();
            if found.len() == 1 {
                return Ok(Target::Endpoint(found[0]));
            }
            if found.len() > 1 {
                let names: Vec<String> = found
                    .iter()
                    .map(|&i| format!("`{}`", c.endpoints[i].full_name()))
                    .collect();
                return Err(format!("`{text}` is ambiguous: {}", names.join(", ")));
            }
        }
        let names: Vec<String> = c
            .endpoints
            .iter()
            .map(Endpoint::full_name)
            .chain(c.workload_pods.keys().cloned())
            .collect();
        let mut msg = format!("unknown endpoint `{text}`");
        if let Some(s) = did_you_mean(text, names.iter().map(String::as_str)) {
            msg.push_str(&format!("; did you mean `{s}`?"));
        } else if names.is_empty() {
            msg.push_str("; the input has no pods or workloads");
        } else {
            msg.push_str(" (use NAMESPACE/NAME or an IP address)");
        }
        Err(msg)
    }

    /// The pods of workload `text` when the policies tell them apart (then no one pod
    /// can answer for the workload, see [`Engine::resolve`]); None for anything else.
    pub fn differing_pods(&self, text: &str) -> Option<&[usize]> {
        let (_, pods) = self.find_workload(text.trim())?;
        let first = *pods.first()?;
        (!pods.iter().all(|&p| self.alike(first, p))).then_some(pods.as_slice())
    }

    /// A workload whose pods were pasted, by its name (`NS/NAME`, or `NS/KIND/NAME`).
    fn find_workload(&self, text: &str) -> Option<(&str, &Vec<usize>)> {
        let c = &self.cluster;
        if let Some((k, pods)) = c.workload_pods.get_key_value(text) {
            return Some((k.as_str(), pods));
        }
        let [ns, kind, name] = text.split('/').collect::<Vec<_>>()[..] else {
            return None;
        };
        let kind = EndpointKind::parse_word(kind)?;
        let qualified = format!("{ns}/{}/{name}", kind.word());
        if let Some((k, pods)) = c.workload_pods.get_key_value(&qualified) {
            return Some((k.as_str(), pods));
        }
        let (k, pods) = c.workload_pods.get_key_value(&format!("{ns}/{name}"))?;
        (c.workload_kinds.get(k) == Some(&kind)).then_some((k.as_str(), pods))
    }

    /// A workload whose pods were pasted stands for its pods when no policy can tell them
    /// apart; pods that differ (a rolling update relabelled them) are asked about one by
    /// one, so the answer is never that of the first pod alone.
    fn workload_target(&self, name: &str, pods: &[usize]) -> Result<Target, String> {
        let c = &self.cluster;
        let Some(&first) = pods.first() else {
            return Err(format!("workload `{name}` has no pods"));
        };
        if pods.iter().all(|&p| self.alike(first, p)) {
            return Ok(Target::Endpoint(first));
        }
        let list: Vec<String> = pods
            .iter()
            .map(|&p| {
                let e = &c.endpoints[p];
                let labels: Vec<String> =
                    e.labels.iter().map(|(k, v)| format!("{k}={v}")).collect();
                format!("`{}` ({})", e.full_name(), labels.join(","))
            })
            .collect();
        Err(format!(
            "the pods of `{name}` differ in what the policies see (a rolling update?), so one pod cannot answer for all: ask about each of {}",
            list.join(", ")
        ))
    }

    /// Can no policy tell endpoints `a` and `b` apart? Same namespace, ports, host
    /// network and service account, and in every selector's set or in none (with
    /// cluster-scoped policies, which the index does not cover: the same labels).
    pub fn alike(&self, a: usize, b: usize) -> bool {
        let c = &self.cluster;
        let (Some(ea), Some(eb)) = (c.endpoints.get(a), c.endpoints.get(b)) else {
            return false;
        };
        if ea.namespace != eb.namespace
            || ea.ports != eb.ports
            || ea.host_network != eb.host_network
            || ea.service_account != eb.service_account
        {
            return false;
        }
        if c.has_tiers() {
            // The labels controllers set per pod or per revision tell no policy anything
            // a person writes; every other label must agree.
            const PER_POD: &[&str] = &[
                "pod-template-hash",
                "controller-revision-hash",
                "pod-template-generation",
                "statefulset.kubernetes.io/pod-name",
                "apps.kubernetes.io/pod-index",
            ];
            fn meaningful(e: &Endpoint) -> Vec<(&String, &String)> {
                e.labels
                    .iter()
                    .filter(|(k, _)| !PER_POD.contains(&k.as_str()))
                    .collect()
            }
            return meaningful(ea) == meaningful(eb);
        }
        self.index.sets.iter().all(|s| s.get(a) == s.get(b))
    }

    pub fn name(&self, t: Target) -> String {
        match t {
            Target::Endpoint(i) => self.cluster.endpoints[i].full_name(),
            Target::External(ip) => ip.to_string(),
        }
    }

    /// Does peer `k` of rule `ri` of policy `pi` select `t`?
    fn peer_matches(
        &self,
        pi: usize,
        dir: Direction,
        ri: usize,
        k: usize,
        peer: &Peer,
        t: Target,
    ) -> PeerMatch {
        match (&peer.kind, t) {
            (PeerKind::IpBlock(b), Target::External(ip)) => {
                if b.contains(&ip) {
                    PeerMatch::Yes
                } else {
                    PeerMatch::No
                }
            }
            (PeerKind::Pods { .. }, Target::External(_)) => PeerMatch::No,
            (kind, Target::Endpoint(i)) => {
                if !self.index.peer_set(pi, dir, ri, k).get(i) {
                    PeerMatch::No
                } else if matches!(kind, PeerKind::IpBlock(_)) {
                    PeerMatch::PodIp
                } else {
                    PeerMatch::Yes
                }
            }
        }
    }

    /// Does a port entry cover the connection? Named ports resolve on `dst`.
    fn port_matches(&self, pr: &PortRule, dst: Target, conn: Conn) -> bool {
        let Conn::Port(proto, port) = conn else {
            return false;
        };
        if pr.protocol != proto {
            return false;
        }
        match &pr.port {
            None => true,
            Some(PortValue::Number(n)) => match pr.end_port {
                Some(end) => *n <= port && port <= end,
                None => *n == port,
            },
            Some(PortValue::Name(name)) => match dst {
                Target::Endpoint(i) => {
                    self.cluster.endpoints[i].named_port(name, proto) == Some(port)
                }
                Target::External(_) => false,
            },
        }
    }

    /// The ports a rule allows towards `dst` (named ports resolved), for explanations and
    /// connection sets.
    fn rule_ports(&self, rule: &Rule, dst: Target) -> PortSet {
        if rule.ports.is_empty() {
            return PortSet::all();
        }
        let mut set = PortSet::none();
        for pr in &rule.ports {
            match &pr.port {
                None => set.add_all(pr.protocol),
                Some(PortValue::Number(n)) => {
                    set.add(pr.protocol, *n, pr.end_port.unwrap_or(*n).max(*n))
                }
                Some(PortValue::Name(name)) => {
                    if let Target::Endpoint(i) = dst {
                        if let Some(p) = self.cluster.endpoints[i].named_port(name, pr.protocol) {
                            set.add(pr.protocol, p, p);
                        }
                    }
                }
            }
        }
        set
    }

    /// A `podSelector`-only peer that would match `other` if it were in the policy's
    /// namespace.
    fn own_namespace_trap(
        &self,
        policy: &Policy,
        rule: &Rule,
        other: Target,
    ) -> Option<MissReason> {
        let Target::Endpoint(i) = other else {
            return None;
        };
        let e = &self.cluster.endpoints[i];
        if e.namespace == policy.namespace {
            return None;
        }
        rule.peers
            .iter()
            .enumerate()
            .find_map(|(k, p)| match &p.kind {
                PeerKind::Pods {
                    namespace_selector: None,
                    pod_selector: Some(sel),
                } if sel.matches(&e.labels) => Some(MissReason::PeerOwnNamespaceOnly {
                    policy_namespace: policy.namespace.clone(),
                    other_namespace: e.namespace.clone(),
                    peer: k,
                }),
                _ => None,
            })
    }

    /// Evaluates one side.
    #[allow(clippy::too_many_arguments)]
    // the connection's parts; a struct would only rename them `subject` is the endpoint whose policies apply (the source for
    /// egress, the destination for ingress); `other` the far end; `dst` the destination.
    fn side(
        &self,
        dir: Direction,
        subject: Target,
        other: Target,
        dst: Target,
        conn: Conn,
        detail: bool,
        caveats: &mut Vec<Caveat>,
    ) -> Side {
        let mut side = Side {
            direction: dir,
            endpoint: if detail {
                self.name(subject)
            } else {
                String::new()
            },
            verdict: SideVerdict::NotApplicable,
            isolated_by: Vec::new(),
            allowed_by: Vec::new(),
            near_misses: Vec::new(),
            tiers: Vec::new(),
            tier_verdict: None,
        };
        let Target::Endpoint(si) = subject else {
            return side;
        };
        let selecting = self.selecting(si, dir);
        if selecting.is_empty() {
            side.verdict = SideVerdict::NotIsolated;
            return side;
        }
        side.verdict = SideVerdict::NoRuleMatched;
        for &pi in selecting {
            let policy = &self.cluster.policies[pi];
            let pref = || PolicyRef {
                namespace: policy.namespace.clone(),
                name: policy.name.clone(),
                location: policy.location.clone(),
            };
            if detail {
                side.isolated_by.push(pref());
            }
            for (ri, rule) in policy.rules(dir).iter().enumerate() {
                // Which peer matches?
                let (peer_idx, pm) = if rule.peers.is_empty() {
                    (None, PeerMatch::Yes)
                } else {
                    rule.peers
                        .iter()
                        .enumerate()
                        .map(|(k, p)| (Some(k), self.peer_matches(pi, dir, ri, k, p, other)))
                        .find(|(_, m)| *m != PeerMatch::No)
                        .unwrap_or((None, PeerMatch::No))
                };
                let port_idx: Option<Option<usize>> = match conn {
                    Conn::Icmp => {
                        if rule.ports.is_empty() {
                            Some(None)
                        } else {
                            None
                        }
                    }
                    Conn::Port(..) => {
                        if rule.ports.is_empty() {
                            Some(None)
                        } else {
                            rule.ports
                                .iter()
                                .position(|pr| self.port_matches(pr, dst, conn))
                                .map(Some)
                        }
                    }
                };
                let rref = |peer: Option<usize>, port: Option<usize>| RuleRef {
                    policy: pref(),
                    direction: dir,
                    rule: ri,
                    peer,
                    port,
                    location: rule.location.clone(),
                };
                match (pm, port_idx) {
                    (PeerMatch::No, None) => {}
                    (PeerMatch::No, Some(port)) => {
                        if detail {
                            let reason = self
                                .own_namespace_trap(policy, rule, other)
                                .unwrap_or(MissReason::Peer);
                            side.near_misses.push(NearMiss {
                                rule: rref(None, port),
                                reason,
                            });
                        }
                    }
                    (_, None) => {
                        if detail {
                            let reason = match conn {
                                Conn::Icmp => MissReason::IcmpNeedsPortlessRule,
                                Conn::Port(..) => MissReason::Port {
                                    allows: self.rule_ports(rule, dst).to_string(),
                                },
                            };
                            side.near_misses.push(NearMiss {
                                rule: rref(peer_idx, None),
                                reason,
                            });
                        }
                    }
                    (m, Some(port)) => {
                        side.verdict = SideVerdict::AllowedByRule;
                        if !detail {
                            return side;
                        }
                        if m == PeerMatch::PodIp {
                            let c = Caveat::IpBlockMatchesPodIp {
                                policy: policy.full_name(),
                            };
                            if !caveats.contains(&c) {
                                caveats.push(c);
                            }
                        }
                        side.allowed_by.push(rref(peer_idx, port));
                    }
                }
            }
        }
        if side.verdict == SideVerdict::AllowedByRule {
            side.near_misses.clear();
        }
        side
    }

    /// Runs the tier chain of the cluster-scoped policies around a side's NetworkPolicy
    /// result (nothing to do in a cluster without them).
    #[allow(clippy::too_many_arguments)]
    fn tier_hook(
        &self,
        mut side: Side,
        dir: Direction,
        subject: Target,
        other: Target,
        dst: Target,
        conn: Conn,
        detail: bool,
    ) -> Side {
        if !self.cluster.has_tiers() || !matches!(subject, Target::Endpoint(_)) {
            return side;
        }
        let traffic = match conn {
            Conn::Port(p, n) => Traffic::Port(p, n),
            Conn::Icmp => Traffic::Icmp,
        };
        let isolated = matches!(
            side.verdict,
            SideVerdict::AllowedByRule | SideVerdict::NoRuleMatched
        );
        let names = (!side.isolated_by.is_empty()).then(|| {
            side.isolated_by
                .iter()
                .map(|p| format!("{}/{}", p.namespace, p.name))
                .collect::<Vec<_>>()
                .join(", ")
        });
        let chain = if self.cluster.calico.is_empty() {
            tiers::chain
        } else {
            tiers::calico::chain
        };
        let (allowed, steps) = chain(
            &self.cluster,
            dir,
            subject,
            other,
            dst,
            traffic,
            isolated,
            side.verdict.allows(),
            names,
            detail,
        );
        side.tier_verdict = Some(allowed);
        side.tiers = steps;
        side
    }

    /// Decides one connection and explains it.
    pub fn query(
        &self,
        from: Target,
        to: Target,
        protocol: QueryProtocol,
        port: Option<&PortQuery>,
    ) -> Decision {
        self.decide(from, to, protocol, port, true, false)
    }

    /// Like [`Engine::query`] for a connection that reaches `to` through a Service (after
    /// DNAT). The one difference is a pod load-balanced back to itself ("hairpin"):
    /// cluster-scoped policies (AdminNetworkPolicy, BaselineAdminNetworkPolicy,
    /// ClusterNetworkPolicy) apply to it, as network-policy-api's API overview says (only
    /// a pod connecting to its own Pod IP is exempt); NetworkPolicy still never blocks it.
    pub fn query_via_service(
        &self,
        from: Target,
        to: Target,
        protocol: QueryProtocol,
        port: Option<&PortQuery>,
    ) -> Decision {
        self.decide(from, to, protocol, port, true, true)
    }

    fn unknown(
        &self,
        from: Target,
        to: Target,
        protocol: QueryProtocol,
        port_name: Option<String>,
        error: String,
    ) -> Decision {
        let blank = |dir, t| Side::bare(dir, self.name(t), SideVerdict::NotApplicable);
        Decision {
            from: self.name(from),
            to: self.name(to),
            source: from,
            destination: to,
            protocol,
            port: None,
            port_name,
            verdict: Verdict::Unknown,
            error: Some(error),
            self_traffic: false,
            hairpin: false,
            egress: blank(Direction::Egress, from),
            ingress: blank(Direction::Ingress, to),
            caveats: Vec::new(),
        }
    }

    fn decide(
        &self,
        from: Target,
        to: Target,
        protocol: QueryProtocol,
        port: Option<&PortQuery>,
        detail: bool,
        via_service: bool,
    ) -> Decision {
        let port_name = match port {
            Some(PortQuery::Name(n)) => Some(n.clone()),
            _ => None,
        };
        let conn = match (protocol.transport(), port) {
            (None, _) => Conn::Icmp,
            (Some(_), None) => {
                return self.unknown(
                    from,
                    to,
                    protocol,
                    port_name,
                    format!("a {protocol} connection needs a port"),
                );
            }
            (Some(p), Some(PortQuery::Number(0))) => {
                return self.unknown(
                    from,
                    to,
                    protocol,
                    port_name,
                    format!("port 0 is not a valid {p} port"),
                );
            }
            (Some(p), Some(PortQuery::Number(n))) => Conn::Port(p, *n),
            (Some(p), Some(PortQuery::Name(name))) => match to {
                Target::Endpoint(i) => match self.cluster.endpoints[i].named_port(name, p) {
                    Some(n) => Conn::Port(p, n),
                    None => {
                        let e = &self.cluster.endpoints[i];
                        let mut msg =
                            format!("`{}` declares no {p} port named `{name}`", e.full_name());
                        let names: Vec<&str> = e
                            .ports
                            .iter()
                            .filter(|cp| cp.protocol == p)
                            .filter_map(|cp| cp.name.as_deref())
                            .collect();
                        if let Some(s) = did_you_mean(name, names.iter().copied()) {
                            msg.push_str(&format!("; did you mean `{s}`?"));
                        }
                        return self.unknown(from, to, protocol, port_name, msg);
                    }
                },
                Target::External(ip) => {
                    return self.unknown(from, to, protocol, port_name, format!("a named port (`{name}`) needs a pod destination, not the address `{ip}`"));
                }
            },
        };
        let port_num = match conn {
            Conn::Port(_, n) => Some(n),
            Conn::Icmp => None,
        };
        let mut caveats = Vec::new();
        if detail {
            if matches!(conn, Conn::Icmp) {
                caveats.push(Caveat::Icmp);
            }
            for t in [from, to] {
                if let Target::Endpoint(i) = t {
                    let e = &self.cluster.endpoints[i];
                    if e.host_network {
                        caveats.push(Caveat::HostNetwork {
                            endpoint: e.full_name(),
                        });
                    }
                }
            }
        }
        let self_traffic = from == to;
        let hairpin = self_traffic
            && via_service
            && !self.cluster.cluster_policies.is_empty()
            && self.cluster.calico.is_empty();
        let (egress, ingress) = if self_traffic {
            if detail {
                if let Target::Endpoint(i) = from {
                    let e = &self.cluster.endpoints[i];
                    if e.kind == EndpointKind::DaemonSet
                        || (e.kind != EndpointKind::Pod && e.replicas.unwrap_or(1) > 1)
                    {
                        caveats.push(Caveat::Replicas {
                            endpoint: e.full_name(),
                        });
                    }
                }
            }
            let s = |dir, t| Side::bare(dir, self.name(t), SideVerdict::NotIsolated);
            let (eg, ing) = (s(Direction::Egress, from), s(Direction::Ingress, to));
            if hairpin {
                (
                    self.tier_hook(eg, Direction::Egress, from, to, to, conn, detail),
                    self.tier_hook(ing, Direction::Ingress, to, from, to, conn, detail),
                )
            } else {
                (eg, ing)
            }
        } else {
            let eg = self.side(Direction::Egress, from, to, to, conn, detail, &mut caveats);
            let eg = self.tier_hook(eg, Direction::Egress, from, to, to, conn, detail);
            let ing = if detail || eg.allows() {
                let ing = self.side(Direction::Ingress, to, from, to, conn, detail, &mut caveats);
                self.tier_hook(ing, Direction::Ingress, to, from, to, conn, detail)
            } else {
                Side::bare(
                    Direction::Ingress,
                    String::new(),
                    SideVerdict::NotApplicable,
                )
            };
            (eg, ing)
        };
        if detail {
            let relevant = |side: &Side| {
                side.verdict == SideVerdict::AllowedByRule
                    || side.verdict == SideVerdict::NoRuleMatched
            };
            // An assigned address matters only when an ipBlock could have looked at it.
            let any_ipblock = self.cluster.policies.iter().any(|p| {
                p.ingress.iter().chain(p.egress.iter()).any(|r| {
                    r.peers
                        .iter()
                        .any(|x| matches!(x.kind, PeerKind::IpBlock(_)))
                })
            });
            if any_ipblock && (relevant(&egress) || relevant(&ingress)) {
                for t in [from, to] {
                    if let Target::Endpoint(i) = t {
                        let e = &self.cluster.endpoints[i];
                        if e.ip_assigned {
                            if let Some(ip) = e.ips.first() {
                                caveats.push(Caveat::AssignedAddress {
                                    endpoint: e.full_name(),
                                    ip: ip.to_string(),
                                });
                            }
                        }
                    }
                }
            }
        }
        let allowed = (self_traffic && !hairpin) || (egress.allows() && ingress.allows());
        Decision {
            from: if detail {
                self.name(from)
            } else {
                String::new()
            },
            to: if detail { self.name(to) } else { String::new() },
            source: from,
            destination: to,
            protocol,
            port: port_num,
            port_name,
            verdict: if allowed {
                Verdict::Allowed
            } else {
                Verdict::Denied
            },
            error: None,
            self_traffic,
            hairpin,
            egress,
            ingress,
            caveats,
        }
    }

    /// Just the verdict (no explanation): what the matrix uses.
    pub fn allowed(
        &self,
        from: Target,
        to: Target,
        protocol: QueryProtocol,
        port: &PortQuery,
    ) -> bool {
        self.decide(from, to, protocol, Some(port), false, false)
            .verdict
            == Verdict::Allowed
    }

    /// Just the verdict as a matrix [`Cell`]: `None` where [`Engine::query`] gives
    /// [`Verdict::Unknown`].
    pub fn cell(
        &self,
        from: Target,
        to: Target,
        protocol: QueryProtocol,
        port: &PortQuery,
    ) -> Cell {
        match self
            .decide(from, to, protocol, Some(port), false, false)
            .verdict
        {
            Verdict::Allowed => Some(true),
            Verdict::Denied => Some(false),
            Verdict::Unknown => None,
        }
    }

    /// Every cell through [`Engine::cell`] (the diagonal is allowed where the port resolves).
    fn matrix_per_pair(
        &self,
        targets: &[Target],
        protocol: QueryProtocol,
        port: &PortQuery,
    ) -> Vec<Vec<Cell>> {
        targets
            .iter()
            .map(|&f| {
                targets
                    .iter()
                    .map(|&t| self.cell(f, t, protocol, port))
                    .collect()
            })
            .collect()
    }

    /// The truth table for one port and protocol over every endpoint (sorted by name),
    /// then the given external addresses.
    ///
    /// Computed with bitsets: one egress row per source and one ingress column per
    /// destination, each an OR of precomputed peer sets, shared between endpoints that
    /// policies cannot tell apart; a cell is then two bit tests. It agrees with
    /// [`Engine::query`] on every cell (a property test checks this).
    pub fn matrix(&self, protocol: QueryProtocol, port: &PortQuery, extra: &[IpAddr]) -> Matrix {
        let c = &self.cluster;
        let n = c.endpoints.len();
        let mut targets: Vec<Target> = (0..n).map(Target::Endpoint).collect();
        targets.extend(extra.iter().map(|ip| Target::External(*ip)));
        let endpoints = targets.iter().map(|t| self.name(*t)).collect();

        // The connection each destination receives (a named port resolves per pod).
        let conn_of = |t: Target| -> Option<Conn> {
            match (protocol.transport(), port) {
                (None, _) => Some(Conn::Icmp),
                (Some(_), PortQuery::Number(0)) => None,
                (Some(p), PortQuery::Number(n)) => Some(Conn::Port(p, *n)),
                (Some(p), PortQuery::Name(name)) => match t {
                    Target::Endpoint(i) => {
                        c.endpoints[i].named_port(name, p).map(|n| Conn::Port(p, n))
                    }
                    Target::External(_) => None,
                },
            }
        };
        let conns: Vec<Option<Conn>> = targets.iter().map(|t| conn_of(*t)).collect();

        // Calico: decide each cell through the per-pair path (its tiers, selectors and
        // profiles are not indexed as classes).
        if !c.calico.is_empty() {
            return Matrix {
                port: port.clone(),
                protocol,
                endpoints,
                allowed: self.matrix_per_pair(&targets, protocol, port),
            };
        }

        // Egress rows (over endpoint destinations), shared by sources with the same
        // selecting policies. `cov` memoizes, per egress rule, which destinations its
        // ports cover.
        let mut cov_memo: std::collections::HashMap<(usize, usize), Bitset> = Default::default();
        let mut named_memo: std::collections::HashMap<(&str, Protocol), Bitset> =
            Default::default();
        let uniform: Option<Conn> = match (protocol.transport(), port) {
            (None, _) => Some(Conn::Icmp),
            (Some(p), PortQuery::Number(n)) if *n > 0 => Some(Conn::Port(p, *n)),
            _ => None,
        };
        let mut row_memo: std::collections::HashMap<&[usize], Bitset> = Default::default();
        let mut egress_rows: Vec<Option<Bitset>> = Vec::with_capacity(n);
        for i in 0..n {
            let sel = self.selecting(i, Direction::Egress);
            if sel.is_empty() {
                egress_rows.push(None);
                continue;
            }
            if let Some(row) = row_memo.get(sel) {
                egress_rows.push(Some(row.clone()));
                continue;
            }
            let mut row = Bitset::new(n);
            for &pi in sel {
                for (ri, rule) in c.policies[pi].egress.iter().enumerate() {
                    let cov = cov_memo.entry((pi, ri)).or_insert_with(|| match uniform {
                        // Every destination receives the same connection: numeric port
                        // entries cover all of them or none; named ones cover the pods
                        // declaring that name with that number.
                        Some(conn) => {
                            let numeric = Rule {
                                peers: Vec::new(),
                                ports: rule
                                    .ports
                                    .iter()
                                    .filter(|p| !matches!(p.port, Some(PortValue::Name(_))))
                                    .cloned()
                                    .collect(),
                                location: rule.location.clone(),
                            };
                            let all_named = !rule.ports.is_empty() && numeric.ports.is_empty();
                            if !all_named
                                && self.rule_covers(
                                    &numeric,
                                    Target::External(IpAddr::from([0, 0, 0, 0])),
                                    conn,
                                )
                            {
                                return Bitset::full(n);
                            }
                            let mut b = Bitset::new(n);
                            if let Conn::Port(proto, port) = conn {
                                for pr in &rule.ports {
                                    if let (Some(PortValue::Name(name)), true) =
                                        (&pr.port, pr.protocol == proto)
                                    {
                                        let set = named_memo
                                            .entry((name.as_str(), proto))
                                            .or_insert_with(|| {
                                                let mut s = Bitset::new(n);
                                                for (j, e) in c.endpoints.iter().enumerate() {
                                                    if e.named_port(name, proto) == Some(port) {
                                                        s.set(j);
                                                    }
                                                }
                                                s
                                            });
                                        b.or_with(set);
                                    }
                                }
                            }
                            b
                        }
                        None => {
                            let mut b = Bitset::new(n);
                            for (j, conn) in conns.iter().enumerate().take(n) {
                                if let Some(conn) = *conn {
                                    if self.rule_covers(rule, Target::Endpoint(j), conn) {
                                        b.set(j);
                                    }
                                }
                            }
                            b
                        }
                    });
                    if rule.peers.is_empty() {
                        row.or_with(cov);
                    } else {
                        for k in 0..rule.peers.len() {
                            row.or_with(
                                &self.index.peer_set(pi, Direction::Egress, ri, k).and(cov),
                            );
                        }
                    }
                }
            }
            row_memo.insert(sel, row.clone());
            egress_rows.push(Some(row));
        }

        // Distinct ingress columns (over endpoint sources): 0 allows every source (not
        // isolated), 1 none (the destination cannot receive this connection: its cells
        // are unknown); the rest
        // are shared by destinations with the same selecting policies, connection and
        // container ports.
        let mut cols: Vec<Bitset> = vec![Bitset::full(n), Bitset::new(n)];
        let mut col_memo: std::collections::HashMap<ColumnKey<'_>, usize> = Default::default();
        let mut col_id: Vec<usize> = Vec::with_capacity(n);
        for (j, conn) in conns.iter().enumerate().take(n) {
            let Some(conn) = *conn else {
                col_id.push(1);
                continue;
            };
            let sel = self.selecting(j, Direction::Ingress);
            if sel.is_empty() {
                col_id.push(0);
                continue;
            }
            let port_key = match conn {
                Conn::Port(_, p) => Some(p),
                Conn::Icmp => None,
            };
            // Container ports only matter to rules with named ports.
            let named = sel.iter().any(|&pi| {
                c.policies[pi].ingress.iter().any(|r| {
                    r.ports
                        .iter()
                        .any(|p| matches!(p.port, Some(PortValue::Name(_))))
                })
            });
            let ports: &[ContainerPort] = if named { &c.endpoints[j].ports } else { &[] };
            let key = (sel, port_key, ports);
            if let Some(&id) = col_memo.get(&key) {
                col_id.push(id);
                continue;
            }
            let mut col = Bitset::new(n);
            'rules: for &pi in sel {
                for (ri, rule) in c.policies[pi].ingress.iter().enumerate() {
                    if !self.rule_covers(rule, Target::Endpoint(j), conn) {
                        continue;
                    }
                    if rule.peers.is_empty() {
                        col = Bitset::full(n);
                        break 'rules;
                    }
                    for k in 0..rule.peers.len() {
                        col.or_with(self.index.peer_set(pi, Direction::Ingress, ri, k));
                    }
                }
            }
            cols.push(col);
            col_memo.insert(key, cols.len() - 1);
            col_id.push(cols.len() - 1);
        }

        // AdminNetworkPolicy, BaselineAdminNetworkPolicy, ClusterNetworkPolicy: each side's
        // NetworkPolicy result (from the rows and columns above) goes through the tiers,
        // decided once per class of endpoints the tiers cannot tell apart.
        if !c.cluster_policies.is_empty() {
            let traffic: Vec<Option<Traffic>> = conns[..n]
                .iter()
                .map(|conn| {
                    conn.map(|conn| match conn {
                        Conn::Port(p, n) => Traffic::Port(p, n),
                        Conn::Icmp => Traffic::Icmp,
                    })
                })
                .collect();
            let Some(mut tiers) = tiers::matrix::TierSides::new(c, &traffic) else {
                return Matrix {
                    port: port.clone(),
                    protocol,
                    endpoints,
                    allowed: self.matrix_per_pair(&targets, protocol, port),
                };
            };
            let total = targets.len();
            let mut allowed: Vec<Vec<Cell>> = vec![vec![None; total]; total];
            let mut col_bit = vec![false; cols.len()];
            for (i, row) in allowed.iter_mut().enumerate() {
                if i < n {
                    for (b, col) in col_bit.iter_mut().zip(&cols) {
                        *b = col.get(i);
                    }
                }
                for (j, cell) in row.iter_mut().enumerate() {
                    *cell = if i >= n || j >= n {
                        self.cell(targets[i], targets[j], protocol, port)
                    } else if traffic[j].is_none() {
                        // The port does not resolve at the destination: unknown, as in
                        // `query` (the diagonal too).
                        None
                    } else if i == j {
                        Some(true)
                    } else {
                        let eg = egress_rows[i].as_ref();
                        let col = col_id[j];
                        let allowed =
                            tiers.allows(
                                Direction::Egress,
                                i,
                                j,
                                eg.is_some(),
                                eg.is_some_and(|r| r.get(j)),
                            ) && tiers.allows(Direction::Ingress, i, j, col != 0, col_bit[col]);
                        Some(allowed)
                    };
                }
            }
            return Matrix {
                port: port.clone(),
                protocol,
                endpoints,
                allowed,
            };
        }

        let total = targets.len();
        let full_row = Bitset::full(n);
        let mut allowed: Vec<Vec<Cell>> = vec![vec![None; total]; total];
        let mut col_bit = vec![false; cols.len()];
        for (i, row) in allowed.iter_mut().enumerate() {
            if i < n {
                // Per row: which distinct columns admit source i; then a cell is two
                // lookups.
                for (b, col) in col_bit.iter_mut().zip(&cols) {
                    *b = col.get(i);
                }
                let eg = egress_rows[i].as_ref().unwrap_or(&full_row);
                // A word of the egress row at a time: 64 cells per load.
                for ((cells, ids), &word) in row[..n]
                    .chunks_mut(64)
                    .zip(col_id.chunks(64))
                    .zip(eg.words())
                {
                    let mut w = word;
                    for (cell, &id) in cells.iter_mut().zip(ids) {
                        // Column 1: the destination cannot receive this connection (its
                        // port does not resolve): unknown, not denied.
                        *cell = (id != 1).then_some(w & 1 != 0 && col_bit[id]);
                        w >>= 1;
                    }
                }
                if conns[i].is_some() {
                    row[i] = Some(true);
                }
            }
            for (j, cell) in row.iter_mut().enumerate() {
                if i >= n || j >= n {
                    // External addresses are few: decide those cells directly.
                    *cell = self.cell(targets[i], targets[j], protocol, port);
                }
            }
        }
        Matrix {
            port: port.clone(),
            protocol,
            endpoints,
            allowed,
        }
    }

    /// Does any port entry of `rule` cover `conn` at destination `dst`? (ICMP: only a
    /// rule without ports.)
    fn rule_covers(&self, rule: &Rule, dst: Target, conn: Conn) -> bool {
        match conn {
            Conn::Icmp => rule.ports.is_empty(),
            Conn::Port(..) => {
                rule.ports.is_empty()
                    || rule.ports.iter().any(|pr| self.port_matches(pr, dst, conn))
            }
        }
    }

    /// What one side allows between `subject` and `other`, over the whole port space.
    fn side_set(&self, dir: Direction, subject: Target, other: Target, dst: Target) -> PortSet {
        let Target::Endpoint(si) = subject else {
            return PortSet::all();
        };
        let selecting = self.selecting(si, dir);
        if selecting.is_empty() {
            return PortSet::all();
        }
        let mut set = PortSet::none();
        for &pi in selecting {
            let policy = &self.cluster.policies[pi];
            for (ri, rule) in policy.rules(dir).iter().enumerate() {
                let peer_ok =
                    rule.peers.is_empty()
                        || rule.peers.iter().enumerate().any(|(k, p)| {
                            self.peer_matches(pi, dir, ri, k, p, other) != PeerMatch::No
                        });
                if peer_ok {
                    set.union_with(&self.rule_ports(rule, dst));
                    if set.is_all() {
                        return set;
                    }
                }
            }
        }
        set
    }

    /// Every connection allowed from `from` to `to`: e.g. `TCP 80,443; UDP 53`.
    pub fn connections(&self, from: Target, to: Target) -> PortSet {
        if from == to {
            return PortSet::all();
        }
        if self.cluster.has_tiers() {
            let side_set = if self.cluster.calico.is_empty() {
                tiers::side_set
            } else {
                tiers::calico::side_set
            };
            let side = |dir, subject: Target, other| {
                let np = match subject {
                    Target::Endpoint(i) if !self.selecting(i, dir).is_empty() => {
                        Some(self.side_set(dir, subject, other, to))
                    }
                    _ => None,
                };
                side_set(&self.cluster, dir, subject, other, to, np)
            };
            return side(Direction::Egress, from, to).intersect(&side(
                Direction::Ingress,
                to,
                from,
            ));
        }
        let eg = self.side_set(Direction::Egress, from, to, to);
        if eg.is_empty() {
            return eg;
        }
        eg.intersect(&self.side_set(Direction::Ingress, to, from, to))
    }
}
