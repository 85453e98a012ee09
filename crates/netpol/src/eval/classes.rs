//! Classes of endpoints: endpoints that no selector, port or address of the cluster's
//! policies can tell apart. Every verdict and connection set between two different
//! endpoints depends only on their classes, so the matrix and the connection sets are
//! computed once per pair of classes and expanded only for output.
//!
//! What the evaluator reads of an endpoint for a verdict (NetworkPolicy, the
//! cluster-scoped tiers and Calico alike): its namespace (and through it the namespace's
//! labels), its labels, its ServiceAccount, whether it uses the host network, its
//! addresses and its named container ports. The class key keeps the namespace, the
//! ServiceAccount and hostNetwork as they are, and of the rest only what some policy
//! looks at: the labels whose keys a selector names, per address which of the policies'
//! CIDRs contain it, the container ports whose names a rule names. Equal keys give equal
//! answers; the name and kind of an endpoint only matter for traffic to itself, which
//! the callers decide apart.

use std::collections::{HashMap, HashSet};

use ipnet::IpNet;

use crate::model::*;
use crate::tiers::calico::selector::Expr;
use crate::tiers::{Subject, TierPeerKind, TierPortKind};

/// The endpoints of a cluster grouped into classes (see the module documentation).
#[derive(Clone, Debug, Default)]
pub struct Classes {
    of: Vec<u32>,
    members: Vec<Vec<u32>>,
}

impl Classes {
    /// The number of classes.
    pub fn len(&self) -> usize {
        self.members.len()
    }

    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }

    /// The class of endpoint `i` (an index into `Cluster::endpoints`).
    pub fn class_of(&self, i: usize) -> usize {
        self.of.get(i).map_or(0, |&c| c as usize)
    }

    /// The endpoints of a class, in endpoint order.
    pub fn members(&self, class: usize) -> &[u32] {
        self.members.get(class).map_or(&[], Vec::as_slice)
    }

    /// The first endpoint of a class: it stands for the class.
    pub fn representative(&self, class: usize) -> usize {
        self.members(class).first().map_or(0, |&i| i as usize)
    }

    /// Two different endpoints of the class, when it has two: what is decided between
    /// two members (the diagonal of the class matrix).
    pub fn pair(&self, class: usize) -> Option<(usize, usize)> {
        match self.members(class) {
            [a, b, ..] => Some((*a as usize, *b as usize)),
            _ => None,
        }
    }

    /// Groups the endpoints of `cluster`.
    pub fn new(cluster: &Cluster) -> Classes {
        let seen = Seen::of(cluster);
        let mut ids: HashMap<Key<'_>, u32> = HashMap::new();
        let mut of = Vec::with_capacity(cluster.endpoints.len());
        let mut members: Vec<Vec<u32>> = Vec::new();
        for (i, e) in cluster.endpoints.iter().enumerate() {
            let key = seen.key(e);
            let next = members.len() as u32;
            let id = *ids.entry(key).or_insert(next);
            if id == next {
                members.push(Vec::new());
            }
            if let Some(m) = members.get_mut(id as usize) {
                m.push(i as u32);
            }
            of.push(id);
        }
        Classes { of, members }
    }
}

/// What an endpoint's class keeps (see the module documentation).
#[derive(Hash, PartialEq, Eq)]
struct Key<'c> {
    namespace: &'c str,
    labels: Vec<(&'c str, &'c str)>,
    service_account: Option<&'c str>,
    host_network: bool,
    ports: Vec<&'c ContainerPort>,
    /// Per address, which of the policies' CIDRs contain it (sorted).
    addresses: Vec<Vec<bool>>,
}

/// What the policies look at: label keys (None: all of them), CIDRs, port names (None:
/// all of them).
struct Seen<'c> {
    keys: Option<HashSet<&'c str>>,
    nets: Vec<IpNet>,
    port_names: Option<HashSet<&'c str>>,
}

impl<'c> Seen<'c> {
    fn of(cluster: &'c Cluster) -> Seen<'c> {
        let mut keys: HashSet<&str> = HashSet::new();
        let mut nets: Vec<IpNet> = Vec::new();
        let mut names: HashSet<&str> = HashSet::new();
        let selector = |s: &'c Selector, keys: &mut HashSet<&'c str>| {
            keys.extend(s.match_labels.iter().map(|(k, _)| k.as_str()));
            keys.extend(s.match_expressions.iter().map(|r| r.key.as_str()));
        };
        for p in &cluster.policies {
            selector(&p.pod_selector, &mut keys);
            for r in p.ingress.iter().chain(&p.egress) {
                for peer in &r.peers {
                    match &peer.kind {
                        PeerKind::Pods {
                            pod_selector: Some(s),
                            ..
                        } => selector(s, &mut keys),
                        PeerKind::Pods { .. } => {}
                        PeerKind::IpBlock(b) => {
                            nets.push(b.cidr);
                            nets.extend(b.except.iter().copied());
                        }
                    }
                }
                for port in &r.ports {
                    if let Some(PortValue::Name(n)) = &port.port {
                        names.insert(n);
                    }
                }
            }
        }
        for p in &cluster.cluster_policies {
            if let Subject::Pods { pod_selector, .. } = &p.subject {
                selector(pod_selector, &mut keys);
            }
            for r in p.ingress.iter().chain(&p.egress) {
                for peer in &r.peers {
                    match &peer.kind {
                        TierPeerKind::Pods { pod_selector, .. } => {
                            selector(pod_selector, &mut keys)
                        }
                        TierPeerKind::Networks { cidrs } => nets.extend(cidrs.iter().copied()),
                        TierPeerKind::Namespaces { .. }
                        | TierPeerKind::Nodes { .. }
                        | TierPeerKind::DomainNames { .. } => {}
                    }
                }
                for port in r.ports.iter().flatten() {
                    if let TierPortKind::Named { name } = &port.kind {
                        names.insert(name);
                    }
                }
            }
        }
        // `nodes` peers match a host-network pod by a node's address.
        for n in &cluster.nodes {
            nets.extend(n.ips.iter().map(|&ip| IpNet::from(ip)));
        }
        let calico = &cluster.calico;
        for p in &calico.policies {
            expr_keys(&p.selector, &mut keys);
            for r in p.ingress.iter().chain(&p.egress) {
                for e in [&r.source, &r.destination] {
                    nets.extend(e.nets.iter().chain(&e.not_nets).copied());
                    for s in [&e.selector, &e.not_selector].into_iter().flatten() {
                        expr_keys(s, &mut keys);
                    }
                    for port in e.ports.iter().chain(&e.not_ports) {
                        if let crate::tiers::calico::CPort::Named { name } = port {
                            names.insert(name);
                        }
                    }
                }
            }
        }
        crate::sort::ord(&mut nets);
        nets.dedup();
        Seen {
            keys: Some(keys),
            nets,
            port_names: Some(names),
        }
    }

    fn key(&self, e: &'c Endpoint) -> Key<'c> {
        let labels = e
            .labels
            .iter()
            .filter(|(k, _)| {
                self.keys
                    .as_ref()
                    .is_none_or(|keys| keys.contains(k.as_str()))
            })
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let ports = e
            .ports
            .iter()
            .filter(|p| {
                p.name.as_deref().is_some_and(|n| {
                    self.port_names
                        .as_ref()
                        .is_none_or(|names| names.contains(n))
                })
            })
            .collect();
        let mut addresses: Vec<Vec<bool>> = e
            .ips
            .iter()
            .map(|ip| self.nets.iter().map(|n| n.contains(ip)).collect())
            .collect();
        crate::sort::ord(&mut addresses);
        addresses.dedup();
        Key {
            namespace: &e.namespace,
            labels,
            service_account: e.service_account.as_deref(),
            host_network: e.host_network,
            ports,
            addresses,
        }
    }
}

/// The label keys a Calico selector looks at.
fn expr_keys<'c>(e: &'c Expr, keys: &mut HashSet<&'c str>) {
    match e {
        Expr::All | Expr::Global => {}
        Expr::Has { key }
        | Expr::Eq { key, .. }
        | Expr::Ne { key, .. }
        | Expr::In { key, .. }
        | Expr::NotIn { key, .. }
        | Expr::Contains { key, .. }
        | Expr::StartsWith { key, .. }
        | Expr::EndsWith { key, .. } => {
            keys.insert(key);
        }
        Expr::Not { expr } => expr_keys(expr, keys),
        Expr::And { exprs } | Expr::Or { exprs } => {
            for x in exprs {
                expr_keys(x, keys);
            }
        }
    }
}
