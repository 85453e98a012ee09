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

mod decide;
mod matrix;
mod resolve;

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
}

impl Engine {
    /// The endpoints NetworkPolicy `policy` selects (its namespace and `podSelector`),
    /// whatever its policy types.
    pub fn policy_selection(&self, policy: usize) -> Vec<usize> {
        match self.index.selected.get(policy) {
            Some(&id) => self
                .index
                .sets
                .get(id)
                .map_or(Vec::new(), |s| s.iter().collect()),
            None => Vec::new(),
        }
    }

    /// The endpoints one peer of a rule matches (as the evaluator sees it: an `ipBlock`
    /// matches the pods whose address it contains).
    pub fn peer_endpoints(
        &self,
        policy: usize,
        direction: Direction,
        rule: usize,
        peer: usize,
    ) -> Vec<usize> {
        let d = match direction {
            Direction::Ingress => 0,
            Direction::Egress => 1,
        };
        self.index
            .peer_sets
            .get(policy)
            .and_then(|dirs| dirs.get(d))
            .and_then(|rules| rules.get(rule))
            .and_then(|peers| peers.get(peer))
            .and_then(|&id| self.index.sets.get(id))
            .map_or(Vec::new(), |s| s.iter().collect())
    }
}
