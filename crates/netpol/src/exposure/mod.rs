//! Exposure (issue 15): for each workload, who could reach it and whom it could reach
//! **beyond the objects in the input**, because a rule's peer would also match pods,
//! namespaces or addresses that were not pasted.
//!
//! Per endpoint and direction (ingress: who can reach it; egress: whom it can reach):
//!
//! - not selected by any NetworkPolicy for the direction: open to everything
//!   ([`PeerClass::NotIsolated`]), granted by no policy ([`Grant::NoPolicy`]);
//! - else, per rule of each selecting policy: no peers (`from`/`to` missing or `[]`):
//!   [`PeerClass::Everyone`]; per peer: the pods its selectors describe
//!   ([`PeerClass::Pods`]: any pod or pods labelled so, in any namespace, in namespaces
//!   labelled so, in one namespace named by its `kubernetes.io/metadata.name`, or in the
//!   policy's own namespace), when some label set can match (a contradictory selector
//!   exposes nothing); an `ipBlock` when its CIDR minus `except` holds an address that no
//!   pasted pod has ([`PeerClass::Addresses`]; `0.0.0.0/0`, `::/0`: the internet);
//! - the Allow/Accept rules of the admin tier (AdminNetworkPolicy, ClusterNetworkPolicy
//!   `tier: Admin`) that apply to it, which decide before any NetworkPolicy.
//!
//! Each candidate then meets the cluster-scoped rules that are evaluated before the rule
//! that grants it (the admin tier; for a non-isolated pod also the baseline tier), in
//! order, over the whole class of hypothetical peers at once: a rule whose peers match
//! every peer of the class decides its ports for the class (a Deny takes them away); a
//! rule whose peers match only some of them, or that cannot be told, makes its ports
//! "may" ([`Certainty::May`], could-not-evaluate is not deny). Calico policies are not
//! analysed for peers that do not exist: with them every exposure is "may".
//!
//! Ports are the rule's: named ports of an ingress rule resolve on the workload's own
//! pods (a name it does not declare allows nothing); of an egress rule, on the far end,
//! which does not exist yet: they stay names ([`NamedPort`]).
//!
//! [`report`] folds the endpoints into the workload view's groups; [`words`] says it in
//! English or Spanish. Checked against the evaluator by adding, to generated clusters,
//! fresh namespaces and pods built from each exposure's description
//! (`crates/netpol/tests/exposure.rs`).

pub(crate) mod labels;
pub mod words;

use std::collections::HashMap;
use std::net::IpAddr;

use ipnet::IpNet;
use serde::Serialize;

use crate::diag::Location;
use crate::eval::Engine;
use crate::group::WorkloadView;
use crate::model::{
    Cluster, Direction, Endpoint, IpBlock, Labels, PeerKind, Policy, PortValue, Protocol, Rule,
    Selector, NAMESPACE_NAME_LABEL,
};
use crate::portset::PortSet;
use crate::tiers::{self, Action, Tier, TierPeerKind, TierPortKind, TierRule};
use labels::{Relation, Space};

/// Which namespaces a class of pods lives in.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Namespaces {
    /// Every namespace (`namespaceSelector: {}`).
    Any,
    /// The namespaces whose labels match (`namespaceSelector` with labels or
    /// expressions), a new namespace included.
    Labelled { selector: Selector },
    /// One namespace of the input, picked by its `kubernetes.io/metadata.name` (new pods
    /// there, not new namespaces: the name is taken).
    Named { name: String },
    /// The policy's own namespace (a peer with only `podSelector`).
    Own { name: String },
}

/// Who the hypothetical peers are.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum PeerClass {
    /// No NetworkPolicy selects the workload for the direction: any pod anywhere and
    /// any address.
    NotIsolated,
    /// A rule without peers (`from`/`to` missing or `[]`): any pod in any namespace and
    /// any address.
    Everyone,
    /// Pods matching `pods` (empty: any pod) in `namespaces`.
    Pods {
        namespaces: Namespaces,
        pods: Selector,
    },
    /// The addresses of a CIDR minus its `except`s that are not a pasted pod's.
    Addresses { cidr: IpNet, except: Vec<IpNet> },
}

impl PeerClass {
    /// `0.0.0.0/0` or `::/0`.
    pub fn is_internet(&self) -> bool {
        matches!(self, PeerClass::Addresses { cidr, .. } if cidr.prefix_len() == 0)
    }

    /// Everything (no isolation, or a rule without peers).
    pub fn is_everyone(&self) -> bool {
        matches!(self, PeerClass::NotIsolated | PeerClass::Everyone)
    }

    /// Does a pod (its namespace's name and labels, its labels and addresses) or an
    /// address outside the cluster (`pod: None`) belong to the class?
    pub fn matches(&self, pod: Option<(&str, &Labels, &Labels)>, ips: &[IpAddr]) -> bool {
        match (self, pod) {
            (PeerClass::NotIsolated | PeerClass::Everyone, _) => true,
            (PeerClass::Pods { namespaces, pods }, Some((ns, ns_labels, labels))) => {
                pods.matches(labels)
                    && match namespaces {
                        Namespaces::Any => true,
                        Namespaces::Labelled { selector } => selector.matches(ns_labels),
                        Namespaces::Named { name } | Namespaces::Own { name } => name == ns,
                    }
            }
            (PeerClass::Pods { .. }, None) => false,
            (PeerClass::Addresses { cidr, except }, _) => ips.iter().any(|ip| {
                IpBlock {
                    cidr: *cidr,
                    except: except.clone(),
                }
                .contains(ip)
            }),
        }
    }
}

/// A peer of a class that the input does not have: a pod (in a namespace that may be
/// new) or an address. For saying "for example", and for checking an exposure against
/// the evaluator by adding it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Example {
    pub namespace: String,
    /// The namespace is not in the input: it is created with `namespace_labels`.
    pub new_namespace: bool,
    pub namespace_labels: Labels,
    pub pod_labels: Labels,
    /// For an address class: an address of the class no pasted pod has.
    pub address: Option<IpAddr>,
}

impl PeerClass {
    /// An example peer of the class beyond the input (`fresh`: the name for a new
    /// namespace), or None when none could be built.
    pub fn example(&self, cluster: &Cluster, fresh: &str) -> Option<Example> {
        let new_ns = |name: &str, mut labels: Labels| -> Example {
            labels.insert(NAMESPACE_NAME_LABEL.to_string(), name.to_string());
            Example {
                namespace: name.to_string(),
                new_namespace: cluster.namespace(name).is_none(),
                namespace_labels: labels,
                pod_labels: Labels::new(),
                address: None,
            }
        };
        let existing_ns = |name: &str| -> Example {
            match cluster.namespace(name) {
                Some(ns) => Example {
                    namespace: name.to_string(),
                    new_namespace: false,
                    namespace_labels: ns.labels.clone(),
                    pod_labels: Labels::new(),
                    address: None,
                },
                None => new_ns(name, Labels::new()),
            }
        };
        match self {
            PeerClass::NotIsolated | PeerClass::Everyone => Some(new_ns(fresh, Labels::new())),
            PeerClass::Pods { namespaces, pods } => {
                let mut ex = match namespaces {
                    Namespaces::Any => new_ns(fresh, Labels::new()),
                    Namespaces::Named { name } | Namespaces::Own { name } => existing_ns(name),
                    Namespaces::Labelled { selector } => {
                        let space = Space::of_namespace(selector);
                        let labels = space.witness()?;
                        let name = space.forced(NAMESPACE_NAME_LABEL).unwrap_or(fresh);
                        if cluster.namespace(name).is_some() {
                            existing_ns(name)
                        } else {
                            new_ns(name, labels)
                        }
                    }
                };
                ex.pod_labels = Space::of(pods).witness()?;
                let ok = self.matches(
                    Some((&ex.namespace, &ex.namespace_labels, &ex.pod_labels)),
                    &[],
                );
                ok.then_some(ex)
            }
            PeerClass::Addresses { cidr, except } => {
                let block = IpBlock {
                    cidr: *cidr,
                    except: except.clone(),
                };
                let taken = |ip: &IpAddr| cluster.endpoints.iter().any(|e| e.ips.contains(ip));
                let address = candidates(cidr)
                    .into_iter()
                    .find(|ip| block.contains(ip) && !taken(ip))?;
                Some(Example {
                    namespace: String::new(),
                    new_namespace: false,
                    namespace_labels: Labels::new(),
                    pod_labels: Labels::new(),
                    address: Some(address),
                })
            }
        }
    }
}

/// Addresses of a network to try: every one of a small network, else from the middle
/// of each sixteenth, then its ends.
fn candidates(n: &IpNet) -> Vec<IpAddr> {
    let (lo, hi, v4) = match n {
        IpNet::V4(v) => (
            u128::from(u32::from(v.network())),
            u128::from(u32::from(v.broadcast())),
            true,
        ),
        IpNet::V6(v) => (u128::from(v.network()), u128::from(v.broadcast()), false),
    };
    let span = hi - lo;
    let mut out: Vec<u128> = if span < 4096 {
        (lo..=hi).collect()
    } else {
        let mut v: Vec<u128> = (0..16u128)
            .map(|k| lo + span / 16 * k + span / 32)
            .collect();
        v.extend([lo, hi, lo + 1]);
        v
    };
    out.dedup();
    out.into_iter()
        .filter_map(|x| {
            if v4 {
                u32::try_from(x)
                    .ok()
                    .map(|x| IpAddr::V4(std::net::Ipv4Addr::from(x)))
            } else {
                Some(IpAddr::V6(std::net::Ipv6Addr::from(x)))
            }
        })
        .collect()
}

/// A port given by name.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct NamedPort {
    /// None: any protocol (a cluster-scoped `namedPort`).
    pub protocol: Option<Protocol>,
    pub name: String,
}

/// The connections an exposure is for.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Ports {
    /// Numbers and ranges (with ICMP when the rule lists no ports).
    pub set: PortSet,
    /// Port names resolved on a destination that does not exist yet (egress).
    pub named: Vec<NamedPort>,
}

impl Ports {
    pub fn all() -> Ports {
        Ports {
            set: PortSet::all(),
            named: Vec::new(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.set.is_empty() && self.named.is_empty()
    }
}

/// What grants an exposure.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum Grant {
    /// A NetworkPolicy rule (`peer`: None when the rule has no peers).
    NetworkPolicy {
        namespace: String,
        name: String,
        direction: Direction,
        rule: usize,
        peer: Option<usize>,
        /// The peer's bytes, or the rule's when it has no peers.
        location: Location,
    },
    /// An Allow/Accept rule of the admin tier.
    ClusterPolicy {
        /// `AdminNetworkPolicy`, `ClusterNetworkPolicy`.
        kind: String,
        name: String,
        /// As the tier steps name it: `ANP allow-monitoring prio 10`.
        label: String,
        direction: Direction,
        rule: usize,
        rule_name: Option<String>,
        peer: usize,
        location: Location,
    },
    /// No NetworkPolicy selects the workload for the direction.
    NoPolicy { direction: Direction },
}

impl Grant {
    /// `spec.ingress[0].from[1]` (None for [`Grant::NoPolicy`]).
    pub fn path(&self) -> Option<String> {
        let (direction, rule, peer) = match self {
            Grant::NetworkPolicy {
                direction,
                rule,
                peer,
                ..
            } => (*direction, *rule, *peer),
            Grant::ClusterPolicy {
                direction,
                rule,
                peer,
                ..
            } => (*direction, *rule, Some(*peer)),
            Grant::NoPolicy { .. } => return None,
        };
        let (field, peers) = match direction {
            Direction::Ingress => ("ingress", "from"),
            Direction::Egress => ("egress", "to"),
        };
        let mut p = format!("spec.{field}[{rule}]");
        if let Some(k) = peer {
            p.push_str(&format!(".{peers}[{k}]"));
        }
        Some(p)
    }

    pub fn location(&self) -> Option<&Location> {
        match self {
            Grant::NetworkPolicy { location, .. } | Grant::ClusterPolicy { location, .. } => {
                Some(location)
            }
            Grant::NoPolicy { .. } => None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Certainty {
    /// The evaluator would allow every such peer on these ports.
    Certain,
    /// A cluster-scoped rule may deny some of them (or Calico policies apply).
    May,
}

/// A cluster-scoped rule that may deny some peers of a "may" exposure.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct TierRuleRef {
    /// `ANP deny-all prio 5`.
    pub policy: String,
    pub direction: Direction,
    pub rule: usize,
    pub rule_name: Option<String>,
    pub action: Action,
    pub location: Location,
}

/// Shared list of names.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Existing(pub std::sync::Arc<Vec<String>>);
impl std::ops::Deref for Existing {
    type Target = [String];
    fn deref(&self) -> &[String] {
        &self.0
    }
}
impl Serialize for Existing {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

/// One exposure of a workload for one direction.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Exposure {
    pub peer: PeerClass,
    pub ports: Ports,
    pub grant: Grant,
    pub certainty: Certainty,
    /// Why "may": the cluster-scoped rules that may deny some of these peers.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub may_deny: Vec<TierRuleRef>,
    /// What of the input the peer matches now (workload names in a [`report`],
    /// endpoint names from [`endpoint_exposures`]); empty for everyone.
    pub existing: Existing,
    /// The endpoints behind `existing` (indexes into `Cluster::endpoints`).
    #[serde(skip)]
    pub existing_endpoints: Vec<usize>,
    /// True when only some pods of the workload have it (its pods differ in what the
    /// policies see).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub some_pods: bool,
}

/// The exposures of one direction.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DirectionExposure {
    pub direction: Direction,
    /// Does a NetworkPolicy select it for this direction?
    pub isolated: bool,
    pub exposures: Vec<Exposure>,
}

/// The exposures of one workload.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct WorkloadExposure {
    /// `NAMESPACE/NAME[KIND]`, as `connlist` names it.
    pub workload: String,
    pub namespace: String,
    pub name: String,
    pub kind: String,
    /// Index of the group in the [`WorkloadView`].
    pub group: usize,
    pub ingress: DirectionExposure,
    pub egress: DirectionExposure,
}

impl WorkloadExposure {
    pub fn direction(&self, dir: Direction) -> &DirectionExposure {
        match dir {
            Direction::Ingress => &self.ingress,
            Direction::Egress => &self.egress,
        }
    }
}

/// Every workload's exposures.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ExposureReport {
    pub workloads: Vec<WorkloadExposure>,
    /// Calico policies are in the input (not analysed for hypothetical peers: every
    /// exposure is "may").
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub calico: bool,
}

/// The exposures of the workloads of `view` (with `focus`, only those groups).
pub fn report(view: &WorkloadView<'_>, focus: Option<&[usize]>) -> ExposureReport {
    let engine = view.engine();
    let mut shared = Shared::new(engine);
    let mut names = Names::new(view);
    let mut workloads = Vec::new();
    for (g, group) in view.groups.iter().enumerate() {
        if group.is_external() || group.is_assumed() || group.endpoints.is_empty() {
            continue;
        }
        if focus.is_some_and(|f| !f.contains(&g)) {
            continue;
        }
        let reps: Vec<usize> = group
            .variants
            .iter()
            .filter_map(|v| v.first().copied())
            .collect();
        let ingress = fold(&mut shared, &mut names, &reps, Direction::Ingress);
        let egress = fold(&mut shared, &mut names, &reps, Direction::Egress);
        workloads.push(WorkloadExposure {
            workload: names.label(g).to_string(),
            namespace: group.namespace.clone().unwrap_or_default(),
            name: group.name.clone(),
            kind: group.kind.clone(),
            group: g,
            ingress,
            egress,
        });
    }
    ExposureReport {
        workloads,
        calico: !engine.cluster.calico.is_empty(),
    }
}

/// One workload's exposures for `dir`: those of its variants' representatives, each
/// once (`some_pods` when not every variant has it), `existing` named by workload.
fn fold(
    shared: &mut Shared<'_>,
    names: &mut Names,
    reps: &[usize],
    dir: Direction,
) -> DirectionExposure {
    let parts: Vec<Found> = reps.iter().map(|&i| shared.found(i, dir)).collect();
    let mut out = DirectionExposure {
        direction: dir,
        isolated: !parts.is_empty() && parts.iter().all(|p| p.isolated),
        exposures: Vec::new(),
    };
    for part in &parts {
        for e in &part.exposures {
            let same = |x: &Exposure| {
                x.peer == e.peer
                    && x.ports == e.ports
                    && x.grant == e.grant
                    && x.certainty == e.certainty
            };
            if out.exposures.iter().any(same) {
                continue;
            }
            let alike = |x: &Pending| {
                x.peer == e.peer
                    && x.ports == e.ports
                    && x.grant == e.grant
                    && x.certainty == e.certainty
            };
            let some_pods = !parts.iter().all(|p| p.exposures.iter().any(alike));
            out.exposures.push(Exposure {
                peer: e.peer.clone(),
                ports: e.ports.clone(),
                grant: e.grant.clone(),
                certainty: e.certainty,
                may_deny: e.may_deny.clone(),
                existing: names.of(shared, e.matched),
                existing_endpoints: shared.endpoints(e.matched),
                some_pods,
            });
        }
    }
    out
}

/// The exposures of endpoint `i` for `dir` (`existing` named by endpoint).
pub fn endpoint_exposures(engine: &Engine, i: usize, dir: Direction) -> DirectionExposure {
    let mut shared = Shared::new(engine);
    let found = shared.found(i, dir);
    DirectionExposure {
        direction: dir,
        isolated: found.isolated,
        exposures: found
            .exposures
            .into_iter()
            .map(|e| {
                let endpoints = shared.endpoints(e.matched);
                Exposure {
                    existing: Existing(std::sync::Arc::new(
                        endpoints
                            .iter()
                            .filter_map(|&j| {
                                engine.cluster.endpoints.get(j).map(Endpoint::full_name)
                            })
                            .collect(),
                    )),
                    existing_endpoints: endpoints,
                    peer: e.peer,
                    ports: e.ports,
                    grant: e.grant,
                    certainty: e.certainty,
                    may_deny: e.may_deny,
                    some_pods: false,
                }
            })
            .collect(),
    }
}

/// Every address of a pasted endpoint, sorted, each once (a Vec: no B-tree set of
/// addresses in the page's wasm).
fn pod_ips(c: &Cluster) -> Vec<IpAddr> {
    let mut ips: Vec<IpAddr> = c
        .endpoints
        .iter()
        .flat_map(|e| e.ips.iter())
        .copied()
        .collect();
    crate::sort::ord(&mut ips);
    ips.dedup();
    ips
}

/// What a peer matches now: a list of endpoints ([`Shared::lists`]), without the
/// subject for a cluster-scoped grant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Matched {
    list: usize,
    without: Option<usize>,
}

impl Matched {
    /// Nothing (everyone, and the parts of everyone).
    const NONE: Matched = Matched {
        list: 0,
        without: None,
    };
}

/// An exposure before what it matches now is named.
struct Pending {
    peer: PeerClass,
    ports: Ports,
    grant: Grant,
    certainty: Certainty,
    may_deny: Vec<TierRuleRef>,
    matched: Matched,
}

/// One endpoint's exposures for one direction, before naming.
struct Found {
    isolated: bool,
    exposures: Vec<Pending>,
}

/// A cluster-scoped peer of an Allow rule: its classes beyond the input and the list
/// of the endpoints it matches now.
type TierPeerClasses = (std::rc::Rc<Vec<PeerClass>>, usize);

/// A peer of a rule: (policy, direction, rule, peer), indexes as in the policy.
type PeerKey = (usize, Direction, usize, usize);

/// What the endpoints' exposures share: the pods' addresses, and per peer of a rule
/// (a NetworkPolicy's or a cluster-scoped Allow's) its class and what it matches now,
/// decided once, not once per endpoint the rule applies to.
struct Shared<'e> {
    engine: &'e Engine,
    pod_ips: Vec<IpAddr>,
    /// Lists of endpoints (ascending); 0 is the empty list.
    lists: Vec<Vec<usize>>,
    /// NetworkPolicy peers by (false, (policy, direction, rule, peer)): the class when
    /// it reaches beyond the input, and its list; admin peers by (true, (cluster policy,
    /// direction, rule, peer)). One table for both: one hash table type in the wasm.
    memo: HashMap<(bool, PeerKey), Memo>,
}

/// What [`Shared`] remembers of a peer.
enum Memo {
    Np(Option<(PeerClass, usize)>),
    Tier(TierPeerClasses),
}

impl<'e> Shared<'e> {
    fn new(engine: &'e Engine) -> Self {
        Shared {
            engine,
            pod_ips: pod_ips(&engine.cluster),
            lists: vec![Vec::new()],
            memo: HashMap::new(),
        }
    }

    fn list(&mut self, endpoints: Vec<usize>) -> usize {
        if endpoints.is_empty() {
            return 0;
        }
        self.lists.push(endpoints);
        self.lists.len() - 1
    }

    /// The endpoints of a [`Matched`].
    fn endpoints(&self, m: Matched) -> Vec<usize> {
        let list = self.lists.get(m.list).map_or(&[][..], Vec::as_slice);
        match m.without {
            Some(i) if list.binary_search(&i).is_ok() => {
                list.iter().copied().filter(|&j| j != i).collect()
            }
            _ => list.to_vec(),
        }
    }

    /// Peer `k` of rule `ri` of NetworkPolicy `pi` for `dir`.
    fn np_peer(
        &mut self,
        pi: usize,
        dir: Direction,
        ri: usize,
        k: usize,
        peer: &PeerKind,
    ) -> Option<(PeerClass, usize)> {
        if let Some(Memo::Np(found)) = self.memo.get(&(false, (pi, dir, ri, k))) {
            return found.clone();
        }
        let c = &self.engine.cluster;
        let found = match c.policies.get(pi) {
            Some(policy) => np_class(c, policy, peer, &self.pod_ips).map(|class| {
                let endpoints = self.engine.peer_endpoints(pi, dir, ri, k);
                (class, self.list(endpoints))
            }),
            None => None,
        };
        self.memo
            .insert((false, (pi, dir, ri, k)), Memo::Np(found.clone()));
        found
    }

    /// Peer `k` of rule `index` of cluster-scoped policy `policy` for `dir`.
    fn tier_peer(
        &mut self,
        policy: usize,
        dir: Direction,
        index: usize,
        k: usize,
        peer: &tiers::TierPeer,
    ) -> TierPeerClasses {
        if let Some(Memo::Tier(found)) = self.memo.get(&(true, (policy, dir, index, k))) {
            return found.clone();
        }
        let c = &self.engine.cluster;
        let endpoints: Vec<usize> = (0..c.endpoints.len())
            .filter(|&j| tiers::peer_matches(c, peer, crate::eval::Target::Endpoint(j)))
            .collect();
        let classes = std::rc::Rc::new(tier_classes(c, &peer.kind, &self.pod_ips));
        let found = (classes, self.list(endpoints));
        self.memo
            .insert((true, (policy, dir, index, k)), Memo::Tier(found.clone()));
        found
    }

    /// The exposures of endpoint `i` for `dir`.
    fn found(&mut self, i: usize, dir: Direction) -> Found {
        let engine = self.engine;
        let c = &engine.cluster;
        let selecting = engine.selecting(i, dir);
        let mut out = Found {
            isolated: !selecting.is_empty(),
            exposures: Vec::new(),
        };
        let Some(subject) = c.endpoints.get(i) else {
            return out;
        };
        let walker = Walker::new(c, i, subject, dir);
        let push = |out: &mut Vec<Pending>,
                    peer: PeerClass,
                    ports: Ports,
                    grant: Grant,
                    matched: Matched,
                    until| {
            let mut results = vec![(peer.clone(), walker.walk(&peer, &ports, until), matched)];
            let whole = matches!(
                results.first().map(|r| r.1.as_slice()),
                Some([(Certainty::Certain, p, _)]) if *p == ports
            );
            if peer.is_everyone() && !whole {
                // Said of the pods and of the addresses apart, a cluster-scoped rule that
                // matches one part only decides that part.
                results = everyone_parts()
                    .into_iter()
                    .map(|part| {
                        let w = walker.walk(&part, &without_names(&part, &ports), until);
                        (part, w, Matched::NONE)
                    })
                    .collect();
            }
            for (peer, list, matched) in results {
                for (certainty, ports, may_deny) in list {
                    out.push(Pending {
                        peer: peer.clone(),
                        ports,
                        grant: grant.clone(),
                        certainty,
                        may_deny,
                        matched,
                    });
                }
            }
        };
        if selecting.is_empty() {
            push(
                &mut out.exposures,
                PeerClass::NotIsolated,
                Ports::all(),
                Grant::NoPolicy { direction: dir },
                Matched::NONE,
                Until::Default,
            );
        }
        for &pi in selecting {
            let Some(policy) = c.policies.get(pi) else {
                continue;
            };
            for (ri, rule) in policy.rules(dir).iter().enumerate() {
                let ports = np_ports(rule, subject, dir);
                if ports.is_empty() {
                    continue;
                }
                let grant = |peer: Option<usize>, location: &Location| Grant::NetworkPolicy {
                    namespace: policy.namespace.clone(),
                    name: policy.name.clone(),
                    direction: dir,
                    rule: ri,
                    peer,
                    location: location.clone(),
                };
                if rule.peers.is_empty() {
                    push(
                        &mut out.exposures,
                        PeerClass::Everyone,
                        ports.clone(),
                        grant(None, &rule.location),
                        Matched::NONE,
                        Until::NetworkPolicy,
                    );
                    continue;
                }
                for (k, peer) in rule.peers.iter().enumerate() {
                    let Some((class, list)) = self.np_peer(pi, dir, ri, k, &peer.kind) else {
                        continue;
                    };
                    let ports = without_names(&class, &ports);
                    if ports.is_empty() {
                        continue;
                    }
                    push(
                        &mut out.exposures,
                        class,
                        ports,
                        grant(Some(k), &peer.location),
                        Matched {
                            list,
                            without: None,
                        },
                        Until::NetworkPolicy,
                    );
                }
            }
        }
        // The admin tier's own grants (what they match now: the others).
        for (n, step) in walker.rules.iter().enumerate() {
            if step.tier != Tier::Admin || step.rule.action.decision() != Some(true) {
                continue;
            }
            let Some(cp) = c.cluster_policies.get(step.policy) else {
                continue;
            };
            let ports = tier_ports(step.rule, subject, dir);
            for (k, peer) in step.rule.peers.iter().enumerate() {
                let (classes, list) = self.tier_peer(step.policy, dir, step.index, k, peer);
                for class in classes.iter() {
                    push(
                        &mut out.exposures,
                        class.clone(),
                        ports.clone(),
                        Grant::ClusterPolicy {
                            kind: cp.api.kind().to_string(),
                            name: cp.name.clone(),
                            label: cp.label(),
                            direction: dir,
                            rule: step.index,
                            rule_name: step.rule.name.clone(),
                            peer: k,
                            location: peer.location.clone(),
                        },
                        Matched {
                            list,
                            without: Some(i),
                        },
                        Until::Rule(n),
                    );
                }
            }
        }
        out
    }
}

/// The workloads a list of endpoints is in, by label: each group's label made once,
/// each list's workloads found once.
struct Names {
    /// Per group of the view: its label and its rank among the labels (sorted).
    labels: Vec<String>,
    rank: Vec<usize>,
    /// Groups by rank.
    by_rank: Vec<usize>,
    /// Per endpoint: its group.
    group_of: Vec<Option<usize>>,
    /// Per list (once asked for): its workloads.
    lists: Vec<Option<ListNames>>,
}

/// The workloads of a list of endpoints.
struct ListNames {
    /// Groups by rank, with how many of the list's endpoints each has.
    groups: Vec<(usize, usize)>,
    /// Their labels (sorted, without repeats).
    names: Existing,
}

impl Names {
    fn new(view: &WorkloadView<'_>) -> Names {
        let labels: Vec<String> = view.groups.iter().map(|g| g.label()).collect();
        let mut by_rank: Vec<usize> = (0..labels.len()).collect();
        crate::sort::by(&mut by_rank, |&a, &b| labels.get(a).cmp(&labels.get(b)));
        let mut rank = vec![0; labels.len()];
        for (r, &g) in by_rank.iter().enumerate() {
            if let Some(x) = rank.get_mut(g) {
                *x = r;
            }
        }
        let n = view.engine().cluster.endpoints.len();
        Names {
            labels,
            rank,
            by_rank,
            group_of: (0..n).map(|j| view.group_of(j)).collect(),
            lists: Vec::new(),
        }
    }

    fn label(&self, g: usize) -> &str {
        self.labels.get(g).map_or("", String::as_str)
    }

    /// The labels of the workloads of `m`'s endpoints, sorted, each once.
    fn of(&mut self, shared: &Shared<'_>, m: Matched) -> Existing {
        if self.lists.len() <= m.list {
            self.lists.resize_with(m.list + 1, || None);
        }
        if self.lists.get(m.list).is_some_and(Option::is_none) {
            let endpoints = shared.lists.get(m.list).map_or(&[][..], Vec::as_slice);
            let mut ranks: Vec<usize> = endpoints
                .iter()
                .filter_map(|&j| self.group_of.get(j).copied().flatten())
                .filter(|&g| g < self.labels.len())
                .filter_map(|g| self.rank.get(g).copied())
                .collect();
            crate::sort::ord(&mut ranks);
            let mut groups: Vec<(usize, usize)> = Vec::new();
            for r in ranks {
                let g = self.by_rank.get(r).copied().unwrap_or(0);
                match groups.last_mut() {
                    Some((last, count)) if *last == g => *count += 1,
                    _ => groups.push((g, 1)),
                }
            }
            let names = Existing(std::sync::Arc::new(
                self.names(groups.iter().map(|&(g, _)| g)),
            ));
            if let Some(slot) = self.lists.get_mut(m.list) {
                *slot = Some(ListNames { groups, names });
            }
        }
        let Some(Some(ListNames { groups, names })) = self.lists.get(m.list) else {
            return Existing::default();
        };
        // Without the subject: its workload goes when no other endpoint of the list
        // is in it.
        let gone = m.without.and_then(|i| {
            let endpoints = shared.lists.get(m.list)?;
            endpoints.binary_search(&i).ok()?;
            let g = self.group_of.get(i).copied().flatten()?;
            groups
                .iter()
                .any(|&(h, count)| h == g && count == 1)
                .then_some(g)
        });
        match gone {
            None => names.clone(),
            Some(g) => Existing(std::sync::Arc::new(
                self.names(groups.iter().map(|&(h, _)| h).filter(|&h| h != g)),
            )),
        }
    }

    /// The labels of `groups` (in rank order), each once.
    fn names(&self, groups: impl Iterator<Item = usize>) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for g in groups {
            let label = self.label(g);
            if out.last().map(String::as_str) != Some(label) {
                out.push(label.to_string());
            }
        }
        out
    }
}

/// The ports of an exposure to `class`: a named port never resolves on an address
/// outside the cluster.
fn without_names(class: &PeerClass, ports: &Ports) -> Ports {
    match class {
        PeerClass::Addresses { .. } => Ports {
            set: ports.set.clone(),
            named: Vec::new(),
        },
        _ => ports.clone(),
    }
}

/// Everyone as its parts: any pod in any namespace, the IPv4 and the IPv6 internet.
fn everyone_parts() -> Vec<PeerClass> {
    vec![
        PeerClass::Pods {
            namespaces: Namespaces::Any,
            pods: Selector::default(),
        },
        PeerClass::Addresses {
            cidr: IpNet::V4(ipnet::Ipv4Net::default()),
            except: Vec::new(),
        },
        PeerClass::Addresses {
            cidr: IpNet::V6(ipnet::Ipv6Net::default()),
            except: Vec::new(),
        },
    ]
}

/// The ports of a NetworkPolicy rule as an exposure states them.
fn np_ports(rule: &Rule, subject: &Endpoint, dir: Direction) -> Ports {
    if rule.ports.is_empty() {
        return Ports::all();
    }
    let mut out = Ports {
        set: PortSet::none(),
        named: Vec::new(),
    };
    for pr in &rule.ports {
        match &pr.port {
            None => out.set.add_all(pr.protocol),
            Some(PortValue::Number(n)) => {
                out.set
                    .add(pr.protocol, *n, pr.end_port.unwrap_or(*n).max(*n))
            }
            Some(PortValue::Name(name)) => match dir {
                Direction::Ingress => {
                    if let Some(p) = subject.named_port(name, pr.protocol) {
                        out.set.add(pr.protocol, p, p);
                    }
                }
                Direction::Egress => {
                    let np = NamedPort {
                        protocol: Some(pr.protocol),
                        name: name.clone(),
                    };
                    if !out.named.contains(&np) {
                        out.named.push(np);
                    }
                }
            },
        }
    }
    out
}

/// The ports of a cluster-scoped rule as an exposure states them.
fn tier_ports(rule: &TierRule, subject: &Endpoint, dir: Direction) -> Ports {
    let Some(ports) = &rule.ports else {
        return Ports::all();
    };
    let mut out = Ports {
        set: PortSet::none(),
        named: Vec::new(),
    };
    for p in ports {
        match &p.kind {
            TierPortKind::Number { protocol, port } => out.set.add(*protocol, *port, *port),
            TierPortKind::Range {
                protocol,
                start,
                end,
            } => out.set.add(*protocol, *start, (*end).max(*start)),
            TierPortKind::Named { name } => match dir {
                Direction::Ingress => {
                    for cp in &subject.ports {
                        if cp.name.as_deref() == Some(name.as_str()) {
                            out.set.add(cp.protocol, cp.port, cp.port);
                        }
                    }
                }
                Direction::Egress => out.named.push(NamedPort {
                    protocol: None,
                    name: name.clone(),
                }),
            },
        }
    }
    out
}

/// The class of hypothetical peers of a NetworkPolicy peer, when it reaches beyond the
/// input.
fn np_class(
    c: &Cluster,
    policy: &Policy,
    peer: &PeerKind,
    pod_ips: &[IpAddr],
) -> Option<PeerClass> {
    match peer {
        PeerKind::Pods {
            namespace_selector,
            pod_selector,
        } => {
            let pods = pod_selector.clone().unwrap_or_default();
            if !Space::of(&pods).satisfiable() {
                return None;
            }
            let namespaces = match namespace_selector {
                None => Namespaces::Own {
                    name: policy.namespace.clone(),
                },
                Some(s) => namespaces_of(c, s)?,
            };
            Some(PeerClass::Pods { namespaces, pods })
        }
        PeerKind::IpBlock(b) => addresses_beyond(b, pod_ips).then(|| PeerClass::Addresses {
            cidr: b.cidr,
            except: b.except.clone(),
        }),
    }
}

/// The namespaces a `namespaceSelector` can match, when any can.
fn namespaces_of(c: &Cluster, s: &Selector) -> Option<Namespaces> {
    if s.is_empty() {
        return Some(Namespaces::Any);
    }
    let space = Space::of_namespace(s);
    if !space.satisfiable() {
        return None;
    }
    // A name of the input: its pods only (a new namespace cannot take the name).
    if let Some(name) = space.forced(NAMESPACE_NAME_LABEL) {
        if let Some(ns) = c.namespace(name) {
            return s.matches(&ns.labels).then(|| Namespaces::Named {
                name: name.to_string(),
            });
        }
    }
    Some(Namespaces::Labelled {
        selector: s.clone(),
    })
}

/// The classes of a cluster-scoped peer (Allow rules) that reach beyond the input (one
/// per CIDR of a `networks` peer). Nodes and domain names are not analysed.
fn tier_classes(c: &Cluster, peer: &TierPeerKind, pod_ips: &[IpAddr]) -> Vec<PeerClass> {
    let pods = |ns: &Selector, pods: &Selector| -> Vec<PeerClass> {
        if !Space::of(pods).satisfiable() {
            return Vec::new();
        }
        let Some(namespaces) = namespaces_of(c, ns) else {
            return Vec::new();
        };
        vec![PeerClass::Pods {
            namespaces,
            pods: pods.clone(),
        }]
    };
    match peer {
        TierPeerKind::Namespaces { selector } => pods(selector, &Selector::default()),
        TierPeerKind::Pods {
            namespace_selector,
            pod_selector,
        } => pods(namespace_selector, pod_selector),
        TierPeerKind::Networks { cidrs } => cidrs
            .iter()
            .filter(|n| {
                let b = IpBlock {
                    cidr: **n,
                    except: Vec::new(),
                };
                addresses_beyond(&b, pod_ips)
            })
            .map(|n| PeerClass::Addresses {
                cidr: *n,
                except: Vec::new(),
            })
            .collect(),
        TierPeerKind::Nodes { .. } | TierPeerKind::DomainNames { .. } => Vec::new(),
    }
}

/// The first and last address of a network.
fn bounds(n: &IpNet) -> (u128, u128) {
    match n {
        IpNet::V4(v) => (
            u128::from(u32::from(v.network())),
            u128::from(u32::from(v.broadcast())),
        ),
        IpNet::V6(v) => (u128::from(v.network()), u128::from(v.broadcast())),
    }
}

/// The number of addresses of a network, saturated.
fn size(n: &IpNet) -> u128 {
    let bits = u32::from(n.max_prefix_len().saturating_sub(n.prefix_len()));
    1u128.checked_shl(bits).unwrap_or(u128::MAX)
}

/// How many addresses of the block its excepts take out.
fn excepted(b: &IpBlock) -> u128 {
    // The addresses the excepts inside the block take out, each once (nested and
    // repeated excepts overlap): their ranges in order, swept. (Not `IpNet::aggregate`,
    // whose sorts are copies of their own in the page's wasm.)
    let mut spans: Vec<(u128, u128)> = b
        .except
        .iter()
        .filter(|e| b.cidr.contains(*e))
        .map(bounds)
        .collect();
    crate::sort::ord(&mut spans);
    let mut cut = 0u128;
    let mut counted: Option<u128> = None; // the last address counted
    for (lo, hi) in spans {
        let from = match counted {
            Some(c) if c >= hi => continue,
            Some(c) if c >= lo => c + 1,
            _ => lo,
        };
        cut = cut.saturating_add(hi - from).saturating_add(1);
        counted = Some(hi);
    }
    cut
}

/// Does the block hold an address no pasted pod has?
fn addresses_beyond(b: &IpBlock, pod_ips: &[IpAddr]) -> bool {
    let cut = excepted(b);
    let total = size(&b.cidr).saturating_sub(cut);
    let taken = pod_ips.iter().filter(|ip| b.contains(ip)).count() as u128;
    total > taken
}

/// Where the walk of the cluster-scoped rules stops.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Until {
    /// A NetworkPolicy rule grants: the admin tier decides before it.
    NetworkPolicy,
    /// No NetworkPolicy isolates: the admin tier, then the baseline, then allow.
    Default,
    /// An admin rule grants: the rules before it (its index in `Walker::rules`).
    Rule(usize),
}

/// One cluster-scoped rule that applies to the subject for the direction.
struct Step<'c> {
    tier: Tier,
    /// Index into `Cluster::cluster_policies`.
    policy: usize,
    /// Index of the rule in the policy's direction.
    index: usize,
    rule: &'c TierRule,
}

/// The cluster-scoped rules that apply to one endpoint for one direction, in order.
struct Walker<'c> {
    cluster: &'c Cluster,
    subject: &'c Endpoint,
    dir: Direction,
    rules: Vec<Step<'c>>,
}

impl<'c> Walker<'c> {
    fn new(cluster: &'c Cluster, i: usize, subject: &'c Endpoint, dir: Direction) -> Self {
        let mut rules = Vec::new();
        if cluster.calico.is_empty() {
            for tier in [Tier::Admin, Tier::Baseline] {
                for pi in tiers::applying(cluster, tier, i, dir) {
                    if let Some(p) = cluster.cluster_policies.get(pi) {
                        for (index, rule) in p.rules(dir).iter().enumerate() {
                            rules.push(Step {
                                tier,
                                policy: pi,
                                index,
                                rule,
                            });
                        }
                    }
                }
            }
        }
        Walker {
            cluster,
            subject,
            dir,
            rules,
        }
    }

    /// What a grant of `ports` to `class` comes to after the rules before it: the
    /// certain ports and the "may" ports (with the rules that may deny), each only when
    /// not empty.
    fn walk(
        &self,
        class: &PeerClass,
        ports: &Ports,
        until: Until,
    ) -> Vec<(Certainty, Ports, Vec<TierRuleRef>)> {
        let calico = !self.cluster.calico.is_empty();
        let (set_certain, set_may, mut because) = self.walk_set(class, &ports.set, until);
        let mut certain = Ports {
            set: set_certain,
            named: Vec::new(),
        };
        let mut may = Ports {
            set: set_may,
            named: Vec::new(),
        };
        for np in &ports.named {
            let mut all = PortSet::none();
            match np.protocol {
                Some(p) => all.add_all(p),
                None => Protocol::ALL.iter().for_each(|p| all.add_all(*p)),
            }
            let (c, m, b) = self.walk_set(class, &all, until);
            if c == all {
                certain.named.push(np.clone());
            } else if !c.is_empty() || !m.is_empty() {
                may.named.push(np.clone());
                because.extend(b);
            }
        }
        if calico {
            may.set.union_with(&certain.set);
            may.named.append(&mut certain.named);
            certain = Ports {
                set: PortSet::none(),
                named: Vec::new(),
            };
        }
        let mut refs: Vec<TierRuleRef> = Vec::new();
        for n in because {
            if let Some(r) = self.reference(n) {
                if !refs.contains(&r) {
                    refs.push(r);
                }
            }
        }
        let mut out = Vec::new();
        if !certain.is_empty() {
            out.push((Certainty::Certain, certain, Vec::new()));
        }
        if !may.is_empty() {
            out.push((Certainty::May, may, refs));
        }
        out
    }

    fn reference(&self, n: usize) -> Option<TierRuleRef> {
        let step = self.rules.get(n)?;
        let p = self.cluster.cluster_policies.get(step.policy)?;
        Some(TierRuleRef {
            policy: p.label(),
            direction: self.dir,
            rule: step.index,
            rule_name: step.rule.name.clone(),
            action: step.rule.action,
            location: step.rule.location.clone(),
        })
    }

    /// [`Walker::walk`] over one port set: (certain, may, the steps that make "may").
    fn walk_set(
        &self,
        class: &PeerClass,
        set: &PortSet,
        until: Until,
    ) -> (PortSet, PortSet, Vec<usize>) {
        let mut open = set.clone();
        let mut allowed = PortSet::none();
        let mut denied = PortSet::none();
        // Ports some peers of the class had decided otherwise than the rest.
        let mut mixed_deny = PortSet::none();
        let mut mixed_allow = PortSet::none();
        // Ports a covering Pass sent past the rest of the admin tier.
        let mut passed = PortSet::none();
        let mut because: Vec<usize> = Vec::new();
        let mut deniers: Vec<(usize, PortSet)> = Vec::new();
        for (n, step) in self.rules.iter().enumerate() {
            match until {
                Until::NetworkPolicy if step.tier != Tier::Admin => break,
                Until::Rule(m) if n >= m => break,
                _ => {}
            }
            if open.is_empty() {
                break;
            }
            let mut rel = self.relation(step.rule, class);
            if rel == Relation::Disjoint {
                continue;
            }
            let (rule_ports, unknown) = self.rule_ports(step.rule);
            if unknown {
                rel = Relation::Overlaps;
            }
            let avail = if step.tier == Tier::Admin {
                tiers::minus(&open, &passed)
            } else {
                open.clone()
            };
            let hit = rule_ports.intersect(&avail);
            if hit.is_empty() {
                continue;
            }
            // Some(true): the peers it matches get the ports; Some(false): they do not
            // (by this grant); None: on to the baseline tier.
            let outcome = match (step.rule.action, until) {
                (Action::Allow | Action::Accept, _) => Some(true),
                (Action::Deny, _) => Some(false),
                (Action::Pass, Until::NetworkPolicy) => Some(true),
                (Action::Pass, Until::Rule(_)) => Some(false),
                (Action::Pass, Until::Default) if step.tier == Tier::Admin => None,
                (Action::Pass, Until::Default) => Some(true),
            };
            match rel {
                Relation::Covers => match outcome {
                    Some(true) => {
                        open = tiers::minus(&open, &hit);
                        allowed.union_with(&hit);
                    }
                    Some(false) => {
                        open = tiers::minus(&open, &hit);
                        denied.union_with(&hit);
                        deniers.push((n, hit));
                    }
                    None => passed.union_with(&hit),
                },
                _ => match outcome {
                    Some(true) => mixed_allow.union_with(&hit),
                    Some(false) => {
                        mixed_deny.union_with(&hit);
                        because.push(n);
                    }
                    // Some peers skip the rest of the admin tier: the baseline or the
                    // default decides them, either way.
                    None => {
                        mixed_allow.union_with(&hit);
                        mixed_deny.union_with(&hit);
                        because.push(n);
                    }
                },
            }
        }
        allowed.union_with(&open);
        let certain = tiers::minus(&allowed, &mixed_deny);
        let mut may = allowed.intersect(&mixed_deny);
        let denied_mixed = denied.intersect(&mixed_allow);
        if !denied_mixed.is_empty() {
            may.union_with(&denied_mixed);
            for (n, hit) in deniers {
                if !hit.intersect(&denied_mixed).is_empty() {
                    because.push(n);
                }
            }
        }
        (certain, may, because)
    }

    /// A rule's ports towards the far end (the subject for ingress); `true` when they
    /// cannot be told (named ports of a destination that does not exist).
    fn rule_ports(&self, rule: &TierRule) -> (PortSet, bool) {
        let p = tier_ports(rule, self.subject, self.dir);
        let unknown = !p.named.is_empty();
        if unknown {
            return (PortSet::all(), true);
        }
        (p.set, false)
    }

    /// How a rule's peers relate to the class.
    fn relation(&self, rule: &TierRule, class: &PeerClass) -> Relation {
        rule.peers
            .iter()
            .map(|p| self.peer_relation(&p.kind, class))
            .fold(Relation::Disjoint, Relation::any)
    }

    fn peer_relation(&self, peer: &TierPeerKind, class: &PeerClass) -> Relation {
        match class {
            PeerClass::NotIsolated | PeerClass::Everyone => {
                let any = Selector::default();
                let v4: IpNet = IpNet::V4(ipnet::Ipv4Net::default());
                let v6: IpNet = IpNet::V6(ipnet::Ipv6Net::default());
                self.pods_relation(peer, &Namespaces::Any, &any)
                    .union(addresses_relation(peer, &v4, &[]))
                    .union(addresses_relation(peer, &v6, &[]))
            }
            PeerClass::Pods { namespaces, pods } => self.pods_relation(peer, namespaces, pods),
            PeerClass::Addresses { cidr, except } => addresses_relation(peer, cidr, except),
        }
    }

    fn pods_relation(&self, peer: &TierPeerKind, ns: &Namespaces, pods: &Selector) -> Relation {
        let (tns, tpods) = match peer {
            TierPeerKind::Namespaces { selector } => (selector, None),
            TierPeerKind::Pods {
                namespace_selector,
                pod_selector,
            } => (namespace_selector, Some(pod_selector)),
            // Pod addresses are unknown until the pod exists.
            TierPeerKind::Networks { cidrs } => {
                let all = |v6: bool| {
                    cidrs
                        .iter()
                        .any(|n| n.prefix_len() == 0 && matches!(n, IpNet::V6(_)) == v6)
                };
                return if all(false) && all(true) {
                    Relation::Covers
                } else {
                    Relation::Overlaps
                };
            }
            TierPeerKind::Nodes { .. } | TierPeerKind::DomainNames { .. } => {
                return Relation::Disjoint
            }
        };
        let ns_rel = match ns {
            Namespaces::Any => {
                Relation::of(&Space::of_namespace(&Selector::default()), &Space::of(tns))
            }
            Namespaces::Labelled { selector } => {
                Relation::of(&Space::of_namespace(selector), &Space::of(tns))
            }
            Namespaces::Named { name } | Namespaces::Own { name } => {
                let mut fallback = Labels::new();
                fallback.insert(NAMESPACE_NAME_LABEL.to_string(), name.clone());
                let labels = self.cluster.namespace_labels(name).unwrap_or(&fallback);
                if tns.matches(labels) {
                    Relation::Covers
                } else {
                    Relation::Disjoint
                }
            }
        };
        let pod_rel = match tpods {
            None => Relation::Covers,
            Some(p) => Relation::of(&Space::of(pods), &Space::of(p)),
        };
        ns_rel.and(pod_rel)
    }
}

/// A cluster-scoped peer against the addresses of `cidr` minus `except` (not pods').
fn addresses_relation(peer: &TierPeerKind, cidr: &IpNet, except: &[IpNet]) -> Relation {
    match peer {
        TierPeerKind::Networks { cidrs } => {
            if cidrs.iter().any(|n| n.contains(cidr)) {
                Relation::Covers
            } else if cidrs.iter().all(|n| {
                !(n.contains(cidr) || cidr.contains(n)) || except.iter().any(|e| e.contains(n))
            }) {
                Relation::Disjoint
            } else {
                Relation::Overlaps
            }
        }
        // A node's address may be among them (nodes may join).
        TierPeerKind::Nodes { .. } => Relation::Overlaps,
        _ => Relation::Disjoint,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The sweep in `excepted` counts what `IpNet::aggregate` would.
    #[test]
    fn excepts_counted_as_aggregate_would() {
        let net = |s: &str| s.parse::<IpNet>().unwrap();
        let cases: &[(&str, &[&str])] = &[
            ("10.0.0.0/8", &[]),
            ("10.0.0.0/8", &["10.1.0.0/16", "10.1.2.0/24", "10.1.0.0/16"]),
            ("10.0.0.0/8", &["10.0.0.0/9", "10.128.0.0/9"]),
            ("10.0.0.0/8", &["10.0.0.0/8", "11.0.0.0/8", "10.3.0.0/16"]),
            (
                "10.0.0.0/8",
                &["10.2.0.0/16", "10.0.0.0/16", "10.1.0.0/16", "10.0.0.7/32"],
            ),
            ("0.0.0.0/0", &["0.0.0.0/1", "128.0.0.0/1"]),
            ("::/0", &["::/1", "8000::/1"]),
            ("::/0", &["::/0", "fd00::/8"]),
            (
                "fd00::/8",
                &["fd00::/16", "fd01::/16", "fd00:1::/32", "fd02::1/128"],
            ),
        ];
        for &(cidr, except) in cases {
            let b = IpBlock {
                cidr: net(cidr),
                except: except.iter().map(|e| net(e)).collect(),
            };
            let inside: Vec<IpNet> = b
                .except
                .iter()
                .copied()
                .filter(|e| b.cidr.contains(e))
                .collect();
            let want = IpNet::aggregate(&inside)
                .iter()
                .map(size)
                .fold(0u128, u128::saturating_add);
            assert_eq!(excepted(&b), want, "{cidr} {except:?}");
        }
    }

    #[test]
    fn blocks_reach_beyond_the_pods_they_hold() {
        let pods: Vec<IpAddr> = ["10.0.0.1", "10.0.0.2"]
            .iter()
            .map(|s| s.parse().unwrap())
            .collect();
        let b = |cidr: &str, except: &[&str]| IpBlock {
            cidr: cidr.parse().unwrap(),
            except: except.iter().map(|e| e.parse().unwrap()).collect(),
        };
        assert!(!addresses_beyond(&b("10.0.0.1/32", &[]), &pods));
        assert!(!addresses_beyond(
            &b("10.0.0.2/31", &["10.0.0.3/32"]),
            &pods
        ));
        assert!(addresses_beyond(&b("10.0.0.0/30", &[]), &pods));
        assert!(addresses_beyond(&b("0.0.0.0/0", &["10.0.0.0/8"]), &pods));
        assert!(addresses_beyond(&b("::/0", &[]), &pods));
        assert!(!addresses_beyond(
            &b("10.0.0.0/30", &["10.0.0.0/31", "10.0.0.2/31"]),
            &pods
        ));
    }
}
