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

mod peers;
mod shared;
mod walker;

use peers::*;
use shared::*;
use walker::*;

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
