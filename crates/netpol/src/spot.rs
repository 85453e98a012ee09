//! What is at a place in the input, and what it selects now: the editor's hover asks
//! [`Analysis::spot_at`] for the innermost part the loader kept a byte range for (a
//! NetworkPolicy, one of its rules, a peer or a port entry of a rule, a pod or workload,
//! a namespace), then [`Analysis::selection`] for what that part matches in the cluster.

use std::ops::Range;

use crate::analysis::Analysis;
use crate::model::{Direction, PeerKind, Policy};

/// A part of the input with a meaning in the cluster (indexes into [`crate::Cluster`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Spot {
    /// A NetworkPolicy, outside its rules (its `podSelector`, `policyTypes`, metadata).
    Policy { policy: usize },
    /// A rule of `spec.ingress` / `spec.egress`, outside its peers and ports.
    Rule {
        policy: usize,
        direction: Direction,
        rule: usize,
    },
    /// One entry of a rule's `from` / `to`.
    Peer {
        policy: usize,
        direction: Direction,
        rule: usize,
        peer: usize,
    },
    /// One entry of a rule's `ports`.
    Port {
        policy: usize,
        direction: Direction,
        rule: usize,
        port: usize,
    },
    /// A pod or a workload.
    Endpoint { endpoint: usize },
    /// A declared Namespace.
    Namespace { namespace: usize },
}

/// What a spot matches right now.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Selection {
    /// Endpoints (indexes), sorted.
    pub endpoints: Vec<usize>,
    /// Namespaces a peer's `namespaceSelector` matches (or the policy's own namespace).
    pub namespaces: Vec<String>,
    /// Every endpoint and address: a rule without `from` / `to`.
    pub everything: bool,
}

fn inside(r: &Range<usize>, offset: usize) -> bool {
    r.start <= offset && offset < r.end.max(r.start + 1)
}

impl Analysis {
    /// The innermost part at byte `offset` of source `source`, and its byte range.
    pub fn spot_at(&self, source: usize, offset: usize) -> Option<(Spot, Range<usize>)> {
        let c = self.cluster();
        let here = |l: &crate::diag::Location| l.source == source && inside(&l.range, offset);
        for (pi, p) in c.policies.iter().enumerate() {
            if here(&p.location) {
                return Some(policy_spot(pi, p, source, offset));
            }
        }
        for (i, e) in c.endpoints.iter().enumerate() {
            if let Some(l) = e.location.as_ref().filter(|l| here(l)) {
                return Some((Spot::Endpoint { endpoint: i }, l.range.clone()));
            }
        }
        for (i, n) in c.namespaces.iter().enumerate() {
            if let Some(l) = n.location.as_ref().filter(|l| here(l) && n.declared) {
                return Some((Spot::Namespace { namespace: i }, l.range.clone()));
            }
        }
        None
    }

    /// What a spot selects or matches now: a policy's pods, a rule's peers (all of them
    /// together), a peer's namespaces and pods, a namespace's pods. Empty for ports and
    /// endpoints (ask [`crate::Engine::selecting`] which policies select an endpoint).
    pub fn selection(&self, spot: Spot) -> Selection {
        let c = self.cluster();
        let e = self.engine();
        match spot {
            Spot::Policy { policy } => Selection {
                endpoints: e.policy_selection(policy),
                namespaces: c
                    .policies
                    .get(policy)
                    .map(|p| vec![p.namespace.clone()])
                    .unwrap_or_default(),
                everything: false,
            },
            Spot::Rule {
                policy,
                direction,
                rule,
            } => {
                let peers = c
                    .policies
                    .get(policy)
                    .and_then(|p| p.rules(direction).get(rule))
                    .map_or(0, |r| r.peers.len());
                if peers == 0 {
                    return Selection {
                        everything: true,
                        ..Selection::default()
                    };
                }
                let mut all: Vec<usize> = (0..peers)
                    .flat_map(|j| e.peer_endpoints(policy, direction, rule, j))
                    .collect();
                crate::sort::ord(&mut all);
                all.dedup();
                Selection {
                    endpoints: all,
                    ..Selection::default()
                }
            }
            Spot::Peer {
                policy,
                direction,
                rule,
                peer,
            } => Selection {
                endpoints: e.peer_endpoints(policy, direction, rule, peer),
                namespaces: c
                    .policies
                    .get(policy)
                    .map(|p| peer_namespaces(self, p, direction, rule, peer))
                    .unwrap_or_default(),
                everything: false,
            },
            Spot::Namespace { namespace } => {
                let name = c.namespaces.get(namespace).map(|n| n.name.as_str());
                Selection {
                    endpoints: c
                        .endpoints
                        .iter()
                        .enumerate()
                        .filter(|(_, e)| Some(e.namespace.as_str()) == name)
                        .map(|(i, _)| i)
                        .collect(),
                    namespaces: name.map(|n| vec![n.to_string()]).unwrap_or_default(),
                    everything: false,
                }
            }
            Spot::Port { .. } | Spot::Endpoint { .. } => Selection::default(),
        }
    }
}

fn policy_spot(pi: usize, p: &Policy, source: usize, offset: usize) -> (Spot, Range<usize>) {
    let here = |l: &crate::diag::Location| l.source == source && inside(&l.range, offset);
    for direction in [Direction::Ingress, Direction::Egress] {
        for (ri, r) in p.rules(direction).iter().enumerate() {
            if !here(&r.location) {
                continue;
            }
            for (j, peer) in r.peers.iter().enumerate() {
                if here(&peer.location) {
                    let spot = Spot::Peer {
                        policy: pi,
                        direction,
                        rule: ri,
                        peer: j,
                    };
                    return (spot, peer.location.range.clone());
                }
            }
            for (j, port) in r.ports.iter().enumerate() {
                if here(&port.location) {
                    let spot = Spot::Port {
                        policy: pi,
                        direction,
                        rule: ri,
                        port: j,
                    };
                    return (spot, port.location.range.clone());
                }
            }
            let spot = Spot::Rule {
                policy: pi,
                direction,
                rule: ri,
            };
            return (spot, r.location.range.clone());
        }
    }
    (Spot::Policy { policy: pi }, p.location.range.clone())
}

/// The namespaces a peer's pods may live in: its `namespaceSelector`'s matches, or the
/// policy's own namespace; none for an `ipBlock`.
fn peer_namespaces(
    a: &Analysis,
    p: &Policy,
    direction: Direction,
    rule: usize,
    peer: usize,
) -> Vec<String> {
    let Some(peer) = p.rules(direction).get(rule).and_then(|r| r.peers.get(peer)) else {
        return Vec::new();
    };
    match &peer.kind {
        PeerKind::IpBlock(_) => Vec::new(),
        PeerKind::Pods {
            namespace_selector: None,
            ..
        } => vec![p.namespace.clone()],
        PeerKind::Pods {
            namespace_selector: Some(sel),
            ..
        } => a
            .cluster()
            .namespaces
            .iter()
            .filter(|n| sel.matches(&n.labels))
            .map(|n| n.name.clone())
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "apiVersion: v1
kind: Namespace
metadata: {name: utils, labels: {team: u}}
---
apiVersion: v1
kind: Pod
metadata: {name: tool, namespace: utils, labels: {app: utils}}
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop, labels: {app: web}}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress:
  - from:
    - namespaceSelector: {matchLabels: {team: u}}
    ports:
    - port: 80
";

    fn at(needle: &str) -> (Spot, Selection) {
        let a = Analysis::from_text(TEXT);
        let offset = TEXT.find(needle).unwrap_or(0) + 1;
        let (spot, range) = a
            .spot_at(0, offset)
            .unwrap_or((Spot::Policy { policy: 99 }, 0..0));
        assert!(
            range.start <= offset && offset <= range.end,
            "{needle}: {range:?}"
        );
        (spot, a.selection(spot))
    }

    #[test]
    fn spots_and_what_they_select() {
        let a = Analysis::from_text(TEXT);
        let names = |s: &Selection| -> Vec<String> {
            s.endpoints
                .iter()
                .map(|&i| a.cluster().endpoints[i].full_name())
                .collect()
        };
        let (spot, sel) = at("podSelector: {matchLabels: {app: web}}");
        assert_eq!(spot, Spot::Policy { policy: 0 });
        assert_eq!(names(&sel), ["shop/web"]);
        let (spot, sel) = at("namespaceSelector");
        assert!(
            matches!(
                spot,
                Spot::Peer {
                    peer: 0,
                    rule: 0,
                    ..
                }
            ),
            "{spot:?}"
        );
        assert_eq!(names(&sel), ["utils/tool"]);
        assert_eq!(sel.namespaces, ["utils"]);
        let (spot, _) = at("port: 80");
        assert!(matches!(spot, Spot::Port { port: 0, .. }), "{spot:?}");
        let (spot, sel) = at("name: tool");
        assert_eq!(spot, Spot::Endpoint { endpoint: 1 });
        assert!(sel.endpoints.is_empty());
        let (spot, sel) = at("name: utils, labels");
        assert!(matches!(spot, Spot::Namespace { .. }), "{spot:?}");
        assert_eq!(names(&sel), ["utils/tool"]);
        assert_eq!(a.spot_at(1, 5), None);
    }
}
