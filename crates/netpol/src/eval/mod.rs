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

mod classes;
mod decide;
mod matrix;
mod resolve;
mod rows;

pub use rows::ConnectionRows;

pub use classes::Classes;
pub use matrix::CONNECTION_MEMO;

// One end of a connection: data of the model (the tiers read it too).
pub use crate::model::Target;

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

/// The truth table for one port, per pair of classes of endpoints
/// ([`Engine::matrix_classes`]): a cell between two different targets is the cell of
/// their classes, a target's cell with itself is kept apart. Its size grows with the
/// classes, not the endpoints; [`ClassMatrix::expand`] makes the full [`Matrix`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClassMatrix {
    pub port: PortQuery,
    pub protocol: QueryProtocol,
    /// The targets: every endpoint (sorted by name), then the external addresses.
    pub endpoints: Vec<String>,
    /// Per target: its class (external addresses have one each).
    class_of: Vec<u32>,
    classes: usize,
    /// `classes x classes`, row-major: the cell from a member of the row class to a
    /// different member of the column class.
    cells: Vec<Cell>,
    /// Per target: the cell to itself.
    diagonal: Vec<Cell>,
}

impl ClassMatrix {
    /// The number of targets (rows and columns).
    pub fn len(&self) -> usize {
        self.class_of.len()
    }

    pub fn is_empty(&self) -> bool {
        self.class_of.is_empty()
    }

    /// The number of classes.
    pub fn classes(&self) -> usize {
        self.classes
    }

    /// The class of target `i`.
    pub fn class_of(&self, i: usize) -> usize {
        self.class_of.get(i).map_or(0, |&c| c as usize)
    }

    /// The cell from target `from` to target `to`.
    #[inline]
    pub fn get(&self, from: usize, to: usize) -> Cell {
        if from == to {
            return self.diagonal.get(from).copied().flatten();
        }
        let (a, b) = (self.class_of(from), self.class_of(to));
        self.cells.get(a * self.classes + b).copied().flatten()
    }

    /// The cell between members of two classes (different members when the classes are
    /// the same).
    pub fn class_cell(&self, from_class: usize, to_class: usize) -> Cell {
        self.cells
            .get(from_class * self.classes + to_class)
            .copied()
            .flatten()
    }

    /// Row `from`: the cells to every target, in order.
    pub fn row(&self, from: usize) -> impl Iterator<Item = Cell> + '_ {
        let base = self.class_of(from) * self.classes;
        let row = self.cells.get(base..base + self.classes).unwrap_or(&[]);
        self.class_of.iter().enumerate().map(move |(to, &c)| {
            if to == from {
                self.diagonal.get(from).copied().flatten()
            } else {
                row.get(c as usize).copied().flatten()
            }
        })
    }

    /// Row `from` into `out` (cleared first): what [`ClassMatrix::row`] gives, faster.
    pub fn row_into(&self, from: usize, out: &mut Vec<Cell>) {
        out.clear();
        let base = self.class_of(from) * self.classes;
        let Some(row) = self.cells.get(base..base + self.classes) else {
            out.resize(self.len(), None);
            return;
        };
        if self.classes == self.len() {
            // One class per target (in order): the class row is the row.
            out.extend_from_slice(row);
        } else {
            out.extend(
                self.class_of
                    .iter()
                    .map(|&c| row.get(c as usize).copied().flatten()),
            );
        }
        if let Some(cell) = out.get_mut(from) {
            *cell = self.diagonal.get(from).copied().flatten();
        }
    }

    /// The full table.
    pub fn expand(self) -> Matrix {
        let allowed = (0..self.len())
            .map(|i| {
                let mut row = Vec::with_capacity(self.len());
                self.row_into(i, &mut row);
                row
            })
            .collect();
        Matrix {
            port: self.port,
            protocol: self.protocol,
            endpoints: self.endpoints,
            allowed,
        }
    }
}

/// The connection sets [`Engine::connections`] computed, per pair of classes: each
/// distinct set stored once.
#[derive(Default)]
pub(crate) struct ConnectionMemo {
    pairs: std::collections::HashMap<(u32, u32), u32, PairHash>,
    sets: Vec<PortSet>,
    ids: std::collections::HashMap<PortSet, u32>,
}

impl ConnectionMemo {
    fn get(&self, key: (u32, u32)) -> Option<&PortSet> {
        self.sets.get(*self.pairs.get(&key)? as usize)
    }

    fn insert(&mut self, key: (u32, u32), set: &PortSet) {
        if self.pairs.len() >= matrix::CONNECTION_MEMO {
            *self = ConnectionMemo::default();
        }
        let next = self.sets.len() as u32;
        let id = *self.ids.entry(set.clone()).or_insert(next);
        if id == next {
            self.sets.push(set.clone());
        }
        self.pairs.insert(key, id);
    }
}

/// A cheap hash for pairs of class ids.
#[derive(Clone, Copy, Default)]
pub(crate) struct PairHash;

impl std::hash::BuildHasher for PairHash {
    type Hasher = PairHasher;
    fn build_hasher(&self) -> PairHasher {
        PairHasher(0)
    }
}

pub(crate) struct PairHasher(u64);

impl std::hash::Hasher for PairHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }
    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(29) ^ n).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
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
    /// The classes of endpoints, computed on first use.
    classes: std::sync::OnceLock<Classes>,
    /// Connection sets between classes (row class, column class), as computed.
    class_connections: std::sync::Mutex<ConnectionMemo>,
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
            let Some(set) = index.selected.get(pi).and_then(|&s| index.sets.get(s)) else {
                continue;
            };
            for ei in set.iter() {
                for (on, by) in [
                    (p.ingress_isolating, &mut selected_ingress),
                    (p.egress_isolating, &mut selected_egress),
                ] {
                    if let Some(list) = by.get_mut(ei).filter(|_| on) {
                        list.push(pi);
                    }
                }
            }
        }
        Engine {
            cluster,
            selected_ingress,
            selected_egress,
            index,
            classes: std::sync::OnceLock::new(),
            class_connections: Default::default(),
        }
    }

    /// The endpoints grouped into classes that no policy can tell apart (see
    /// [`Classes`]): verdicts and connection sets between different endpoints depend only
    /// on their classes.
    pub fn classes(&self) -> &Classes {
        self.classes.get_or_init(|| Classes::new(&self.cluster))
    }

    /// `t` is an address, or an endpoint of this engine's cluster: what the public
    /// questions check before the evaluation indexes `cluster.endpoints` by it.
    pub fn has(&self, t: Target) -> bool {
        match t {
            Target::Endpoint(i) => i < self.cluster.endpoints.len(),
            Target::External(_) => true,
        }
    }

    /// Policies selecting endpoint `i` for a direction.
    pub fn selecting(&self, i: usize, dir: Direction) -> &[usize] {
        let by = match dir {
            Direction::Ingress => &self.selected_ingress,
            Direction::Egress => &self.selected_egress,
        };
        by.get(i).map_or(&[], Vec::as_slice)
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
