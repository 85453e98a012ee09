//! Why pairs changed: the objects that differ between the two versions, and which of
//! them bear on a pair.
//!
//! Objects are matched by kind and `namespace/name`. Policies (NetworkPolicy, the
//! cluster-scoped kinds, Calico policies and tiers) are compared by meaning, not by
//! text: what the loader made of them, positions left out, so moving a policy to
//! another file or reformatting it is no change. An edited NetworkPolicy or
//! cluster-scoped policy says which parts differ (`podSelector`, `policyTypes`, each
//! rule by direction and index). Endpoints are compared by labels, container ports,
//! addresses, kind, `hostNetwork` and service account; namespaces by labels.
//!
//! A changed pair's causes are the changed policies that select its source for egress
//! or its destination for ingress in either version (the only policies that can decide
//! the pair), and the changes of the two endpoints and of their namespaces. A changed
//! NetworkPolicy is kept only when it changed that endpoint's isolation or a rule's peer
//! matches the other endpoint (all are kept when that would leave no cause).
//!
//! Ingresses, Routes and Services (compared by meaning too) decide no pair of pods; they
//! are the causes of the assumed `{ingress-controller}`'s pairs (`crate::group`), with
//! the changes that bear on the destination.

use std::collections::BTreeSet;

use crate::diag::Location;
use crate::model::{Cluster, Direction, Ingress, Labels, Policy, Route, Rule, Service};
use crate::tiers::calico::{CalicoPolicy, CalicoTier};
use crate::tiers::{ClusterPolicy, TierRule};
use crate::Engine;

mod meaning;

use meaning::*;

/// How an object differs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CauseKind {
    /// Only in the after version.
    Added,
    /// Only in the before version.
    Removed,
    /// In both, with a different meaning.
    Edited,
    /// In both, only the labels differ.
    Relabelled,
}

impl CauseKind {
    pub fn as_str(self) -> &'static str {
        match self {
            CauseKind::Added => "added",
            CauseKind::Removed => "removed",
            CauseKind::Edited => "edited",
            CauseKind::Relabelled => "relabelled",
        }
    }
}

/// A part of a policy that differs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleChange {
    /// `None` for the policy's subject or types; `Some` for a rule.
    pub direction: Option<Direction>,
    /// 0-based rule index (for a rule), as in `spec.ingress[0]`.
    pub index: usize,
    /// `podSelector`, `policyTypes`, `subject`, `priority`, ... for the parts that are
    /// not rules; empty for a rule.
    pub field: &'static str,
    pub change: CauseKind,
}

impl RuleChange {
    /// `spec.ingress[1]`, `spec.podSelector`.
    pub fn path(&self) -> String {
        match self.direction {
            Some(d) => format!("spec.{}[{}]", d.as_str(), self.index),
            None => format!("spec.{}", self.field),
        }
    }
}

/// One object that differs between the versions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ObjectChange {
    /// `NetworkPolicy`, `AdminNetworkPolicy`, ..., `Pod`, `Deployment`, ..., `Namespace`.
    pub kind: &'static str,
    /// `namespace/name`, or `name` for cluster-scoped objects.
    pub name: String,
    pub change: CauseKind,
    /// Edited policies: the parts that differ.
    pub rules: Vec<RuleChange>,
    /// Endpoints and namespaces edited: the fields that differ (`labels`, `ports`, ...).
    pub fields: Vec<&'static str>,
    /// Labels before and after (endpoints and namespaces whose labels differ).
    pub labels: Option<[Labels; 2]>,
    /// Where the object is in each version's input.
    pub location: [Option<Location>; 2],
    /// Is it a policy (else an endpoint or a namespace)?
    pub policy: bool,
}

/// One cause of a pair's change: an object change, and for a policy whether it bears
/// on the pair through the source's egress, the destination's ingress, or both.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Cause {
    /// Index into [`Causes::changes`].
    pub object: usize,
    pub egress: bool,
    pub ingress: bool,
}

/// The object changes between two versions, and the index to attribute them to pairs.
pub struct Causes<'e> {
    /// Before, after.
    engines: [&'e Engine; 2],
    /// Per change: for a changed NetworkPolicy, its index in each version (`None` for
    /// any other change; policies are the first changes, the list ends after them).
    np_index: Vec<Option<[Option<usize>; 2]>>,
    /// Sorted: policies first (by kind, name), then namespaces, then endpoints, then
    /// Ingresses, Routes and Services.
    pub changes: Vec<ObjectChange>,
    /// Per version, per endpoint: changed policies selecting it for egress / ingress.
    selected: [[Vec<Vec<usize>>; 2]; 2],
    /// Per version, per endpoint: the change of the endpoint and of its namespace.
    own: [Vec<Vec<usize>>; 2],
    /// Per version, per endpoint: can a pair from it / to it have changed? (A changed
    /// policy selects it for egress / ingress, it or its namespace changed, or its
    /// address moved, even an assigned one.)
    dirty: [[Vec<bool>; 2]; 2],
    /// Something that bears on every pair changed (nodes, service accounts, a Calico
    /// tier): every pair is computed.
    global: bool,
    /// The changed Ingresses, Routes and Services (indexes into `changes`): they decide
    /// only the assumed ingress controller's pairs ([`Causes::routing`]).
    routing: Vec<usize>,
}

/// An object by meaning: a copy with every position left out, and a Calico `order`'s
/// spelling (`1e3` is `1000`), compared with `==`: moving an object to another file or
/// reformatting it is no change.
trait Meaning: Clone {
    /// Leaves out what is not meaning.
    fn forget_positions(&mut self);

    fn meaning(&self) -> Self {
        let mut m = self.clone();
        m.forget_positions();
        m
    }
}

impl<'e> Causes<'e> {
    /// The changes from `before` to `after`.
    pub fn new(before: &'e Engine, after: &'e Engine) -> Causes<'e> {
        let clusters = [&before.cluster, &after.cluster];
        let mut changes: Vec<ObjectChange> = Vec::new();
        let (policy_change, np_index) = policy_changes(clusters, &mut changes);
        let ns_change = namespace_changes(clusters, &mut changes);
        let ep_change = endpoint_changes(clusters, &mut changes);
        let routing = routing_changes(clusters, &mut changes);
        // Per version and endpoint: the changed policies selecting it, and its own
        // change and its namespace's.
        let mut selected: [[Vec<Vec<usize>>; 2]; 2] = Default::default();
        let mut own: [Vec<Vec<usize>>; 2] = Default::default();
        for (side, engine) in [before, after].into_iter().enumerate() {
            let pc: &[(Family, usize, usize)] = policy_change.get(side).map_or(&[], |v| v);
            let eps = ep_change.get(side).map_or(&[][..], |v| v.as_slice());
            let (sel, o) = endpoint_causes(engine, pc, &ns_change, eps);
            if let Some(s) = selected.get_mut(side) {
                *s = sel;
            }
            if let Some(s) = own.get_mut(side) {
                *s = o;
            }
        }
        let dirty = dirty_endpoints(clusters, &selected, &own);
        let global = clusters[0].nodes != clusters[1].nodes
            || clusters[0].calico.service_accounts != clusters[1].calico.service_accounts
            || changes.iter().any(|c| c.kind == "Tier");
        Causes {
            engines: [before, after],
            np_index,
            changes,
            selected,
            own,
            dirty,
            global,
            routing,
        }
    }

    /// The changed Ingresses, Routes and Services that send to some of `to` (the
    /// destination's endpoints in the before and the after version) in either version,
    /// as causes: what else decides the pairs of the assumed `{ingress-controller}`
    /// (`crate::group`).
    pub fn routing(&self, to: [&[usize]; 2]) -> Vec<Cause> {
        self.routing
            .iter()
            .filter(|&&object| {
                let Some(o) = self.changes.get(object) else {
                    return false;
                };
                (0..2).any(|side| {
                    let (Some(engine), Some(to)) = (self.engines.get(side), to.get(side)) else {
                        return false;
                    };
                    sends_to(&engine.cluster, o.kind, &o.name, to)
                })
            })
            .map(|&object| Cause {
                object,
                egress: false,
                ingress: false,
            })
            .collect()
    }

    /// Can the pair's connections differ at all? `false` when both endpoints exist on
    /// both sides and nothing that decides the pair changed: no changed policy selects
    /// the source for egress or the destination for ingress, neither endpoint, its
    /// namespace or its address changed. Then the pair need not be computed.
    pub fn may_change(&self, from: [&[usize]; 2], to: [&[usize]; 2]) -> bool {
        if self.global {
            return true;
        }
        let flag = |side: usize, d: usize, i: usize| {
            self.dirty
                .get(side)
                .and_then(|x| x.get(d))
                .and_then(|x| x.get(i))
                .copied()
                .unwrap_or(true)
        };
        (0..2).any(|side| {
            from.get(side)
                .is_some_and(|m| m.iter().any(|&i| flag(side, 0, i)))
                || to
                    .get(side)
                    .is_some_and(|m| m.iter().any(|&i| flag(side, 1, i)))
        })
    }

    /// Is nothing different?
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// The causes of a pair's change: `from` and `to` are the endpoints each side of
    /// the pair stands for, in the before and in the after version.
    pub fn for_pair(&self, from: [&[usize]; 2], to: [&[usize]; 2]) -> Vec<Cause> {
        let mut egress: BTreeSet<usize> = BTreeSet::new();
        let mut ingress: BTreeSet<usize> = BTreeSet::new();
        // (refined below)
        let mut own: BTreeSet<usize> = BTreeSet::new();
        for side in 0..2 {
            let get = |table: &[Vec<usize>], i: usize| table.get(i).cloned().unwrap_or_default();
            let sel = self.selected.get(side);
            let own_t = self.own.get(side);
            for &i in from.get(side).copied().unwrap_or_default() {
                if let Some(t) = sel.and_then(|s| s.first()) {
                    egress.extend(get(t, i));
                }
                if let Some(t) = own_t {
                    own.extend(get(t, i));
                }
            }
            for &i in to.get(side).copied().unwrap_or_default() {
                if let Some(t) = sel.and_then(|s| s.get(1)) {
                    ingress.extend(get(t, i));
                }
                if let Some(t) = own_t {
                    own.extend(get(t, i));
                }
            }
        }
        // A changed NetworkPolicy that selects an endpoint bears on the pair only if it
        // changed the endpoint's isolation or one of its rules' peers matches the other
        // endpoint (in either version); when that leaves nothing, all are kept.
        let refined_e = crate::sort::set(
            egress
                .iter()
                .copied()
                .filter(|id| self.bears(*id, Direction::Egress, from, to)),
        );
        let refined_i = crate::sort::set(
            ingress
                .iter()
                .copied()
                .filter(|id| self.bears(*id, Direction::Ingress, to, from)),
        );
        if !refined_e.is_empty() || !refined_i.is_empty() || !own.is_empty() {
            egress = refined_e;
            ingress = refined_i;
        }
        let mut ids = crate::sort::set(egress.union(&ingress).copied());
        ids.extend(own);
        ids.into_iter()
            .map(|object| Cause {
                object,
                egress: egress.contains(&object),
                ingress: ingress.contains(&object),
            })
            .collect()
    }

    /// Does change `id`, a policy selecting `subject` for `dir`, bear on the pair with
    /// `other`? Not a NetworkPolicy, or `other` outside the cluster: yes. Otherwise:
    /// when the subject's isolation for `dir` differs between the versions, or when a
    /// rule of the policy for `dir` (in either version) has a peer matching `other`.
    fn bears(
        &self,
        id: usize,
        dir: Direction,
        subject: [&[usize]; 2],
        other: [&[usize]; 2],
    ) -> bool {
        let Some(ix) = self.np_index.get(id).copied().flatten() else {
            return true;
        };
        if other.iter().all(|m| m.is_empty()) {
            return true;
        }
        let isolated = |side: usize| -> Option<bool> {
            let e = self.engines.get(side)?;
            let m = subject.get(side)?;
            if m.is_empty() {
                return None;
            }
            Some(m.iter().any(|&i| !e.selecting(i, dir).is_empty()))
        };
        if let (Some(b), Some(a)) = (isolated(0), isolated(1)) {
            if a != b {
                return true;
            }
        }
        (0..2).any(|side| {
            let (Some(e), Some(Some(p)), Some(m)) =
                (self.engines.get(side), ix.get(side), other.get(side))
            else {
                return false;
            };
            let Some(policy) = e.cluster.policies.get(*p) else {
                return false;
            };
            m.iter().any(|&t| {
                policy.rules(dir).iter().any(|r| {
                    r.peers.is_empty()
                        || r.peers
                            .iter()
                            .any(|peer| peer_matches(&e.cluster, policy, peer, t))
                })
            })
        })
    }

    /// The parts of a policy change that bear on a pair through `cause`'s directions
    /// (the subject and types always; rules of the directions it acts through).
    pub fn relevant_rules(&self, cause: &Cause) -> Vec<&RuleChange> {
        let Some(c) = self.changes.get(cause.object) else {
            return Vec::new();
        };
        c.rules
            .iter()
            .filter(|r| match r.direction {
                None => true,
                Some(Direction::Egress) => cause.egress,
                Some(Direction::Ingress) => cause.ingress,
            })
            .collect()
    }
}

/// Does a NetworkPolicy peer select endpoint `t`? (Its namespace and pod selectors, or
/// an ipBlock holding one of its addresses.)
fn peer_matches(
    c: &Cluster,
    policy: &crate::model::Policy,
    peer: &crate::model::Peer,
    t: usize,
) -> bool {
    let Some(e) = c.endpoints.get(t) else {
        return false;
    };
    match &peer.kind {
        crate::model::PeerKind::Pods {
            namespace_selector,
            pod_selector,
        } => {
            let ns_ok = match namespace_selector {
                None => e.namespace == policy.namespace,
                Some(sel) => c
                    .namespace_labels(&e.namespace)
                    .is_some_and(|l| sel.matches(l)),
            };
            ns_ok
                && pod_selector
                    .as_ref()
                    .is_none_or(|sel| sel.matches(&e.labels))
        }
        crate::model::PeerKind::IpBlock(b) => e.ips.iter().any(|ip| b.contains(ip)),
    }
}

/// Does the Ingress, Route or Service `kind` `namespace/name` of `c` send to one of `to`
/// (through a Service of its namespace whose selector picks it)?
fn sends_to(c: &Cluster, kind: &str, name: &str, to: &[usize]) -> bool {
    let (ns, short) = name.split_once('/').unwrap_or(("", name));
    let picks = |svc: &str| {
        c.service(ns, svc).is_some_and(|svc| {
            crate::services::service_pods(c, svc)
                .is_ok_and(|pods| pods.iter().any(|p| to.contains(p)))
        })
    };
    match kind {
        "Service" => picks(short),
        "Ingress" => c
            .ingresses
            .iter()
            .filter(|i| i.namespace == ns && i.name == short)
            .any(|i| i.backends().iter().any(|b| picks(&b.service))),
        "Route" => c
            .routes
            .iter()
            .filter(|r| r.namespace == ns && r.name == short)
            .any(|r| r.backends.iter().any(|b| picks(&b.service))),
        _ => false,
    }
}

/// The changed policies (matched by kind and name) as changes; per version the changed
/// policies (family, index in its list, change), and per change of a NetworkPolicy its
/// index in each version.
#[allow(clippy::type_complexity)]
#[inline(always)]
fn policy_changes(
    clusters: [&Cluster; 2],
    changes: &mut Vec<ObjectChange>,
) -> (
    [Vec<(Family, usize, usize)>; 2],
    Vec<Option<[Option<usize>; 2]>>,
) {
    let mut policy_change: [Vec<(Family, usize, usize)>; 2] = Default::default();
    let mut np_index: Vec<Option<[Option<usize>; 2]>> = Vec::new();
    let lists = [policies(clusters[0]), policies(clusters[1])];
    let keys = |list: &[PolicyEntry]| list.iter().map(|p| (p.kind, p.name.clone())).collect();
    for (kind, name, [b, a]) in match_up([keys(&lists[0]), keys(&lists[1])]) {
        let pb = b.and_then(|k| lists[0].get(k));
        let pa = a.and_then(|k| lists[1].get(k));
        let (change, rules) = match (pb, pa) {
            (Some(x), Some(y)) if x.meaning == y.meaning => continue,
            (Some(x), Some(y)) => (CauseKind::Edited, edited_parts(&x.meaning, &y.meaning)),
            (None, Some(_)) => (CauseKind::Added, Vec::new()),
            (Some(_), None) => (CauseKind::Removed, Vec::new()),
            (None, None) => continue,
        };
        let id = changes.len();
        let mut np = None;
        for (side, p) in [pb, pa].into_iter().enumerate() {
            if let (Some(p), Some(list)) = (p, policy_change.get_mut(side)) {
                let family = p.meaning.family();
                list.push((family, p.index, id));
                if family == Family::Np {
                    if let Some(slot) = np.get_or_insert([None, None]).get_mut(side) {
                        *slot = Some(p.index);
                    }
                }
            }
        }
        np_index.push(np);
        changes.push(ObjectChange {
            kind,
            name,
            change,
            rules,
            fields: Vec::new(),
            labels: None,
            location: [
                pb.and_then(|p| p.location.clone()),
                pa.and_then(|p| p.location.clone()),
            ],
            policy: true,
        });
    }
    (policy_change, np_index)
}

/// The changed namespaces (by name) as changes: (name, change), sorted by name.
#[inline(always)]
fn namespace_changes(
    clusters: [&Cluster; 2],
    changes: &mut Vec<ObjectChange>,
) -> Vec<(String, usize)> {
    let mut ns_change: Vec<(String, usize)> = Vec::new();
    let keys = |c: &Cluster| c.namespaces.iter().map(|n| ("", n.name.clone())).collect();
    for (_, name, [b, a]) in match_up([keys(clusters[0]), keys(clusters[1])]) {
        let b = b.and_then(|i| clusters[0].namespaces.get(i));
        let a = a.and_then(|i| clusters[1].namespaces.get(i));
        let (change, labels) = match (b, a) {
            (Some(x), Some(y)) if x.labels == y.labels => continue,
            (Some(x), Some(y)) => (
                CauseKind::Relabelled,
                Some([x.labels.clone(), y.labels.clone()]),
            ),
            (None, Some(_)) => (CauseKind::Added, None),
            (Some(_), None) => (CauseKind::Removed, None),
            (None, None) => continue,
        };
        ns_change.push((name.clone(), changes.len()));
        changes.push(ObjectChange {
            kind: "Namespace",
            name,
            change,
            rules: Vec::new(),
            fields: if labels.is_some() {
                vec!["labels"]
            } else {
                Vec::new()
            },
            labels,
            location: [
                b.and_then(|n| n.location.clone()),
                a.and_then(|n| n.location.clone()),
            ],
            policy: false,
        });
    }
    ns_change
}

/// The changed endpoints (by full name) as changes: per version and endpoint, its change.
#[inline(always)]
fn endpoint_changes(
    clusters: [&Cluster; 2],
    changes: &mut Vec<ObjectChange>,
) -> [Vec<Option<usize>>; 2] {
    let keys = |c: &Cluster| c.endpoints.iter().map(|e| ("", e.full_name())).collect();
    let ep = match_up([keys(clusters[0]), keys(clusters[1])]);
    let mut ep_change: [Vec<Option<usize>>; 2] = [
        vec![None; clusters[0].endpoints.len()],
        vec![None; clusters[1].endpoints.len()],
    ];
    for (_, name, [b, a]) in ep {
        let eb = b.and_then(|i| clusters[0].endpoints.get(i));
        let ea = a.and_then(|i| clusters[1].endpoints.get(i));
        let (kind, change, fields, labels) = match (eb, ea) {
            (Some(x), Some(y)) => {
                let fields = endpoint_fields(x, y);
                if fields.is_empty() {
                    continue;
                }
                let labels = (x.labels != y.labels).then(|| [x.labels.clone(), y.labels.clone()]);
                (y.kind.as_str(), kind_of(&fields), fields, labels)
            }
            (None, Some(y)) => (y.kind.as_str(), CauseKind::Added, Vec::new(), None),
            (Some(x), None) => (x.kind.as_str(), CauseKind::Removed, Vec::new(), None),
            (None, None) => continue,
        };
        let id = changes.len();
        for (side, i) in [b, a].into_iter().enumerate() {
            if let Some(slot) = i.and_then(|i| ep_change.get_mut(side)?.get_mut(i)) {
                *slot = Some(id);
            }
        }
        changes.push(ObjectChange {
            kind,
            name,
            change,
            rules: Vec::new(),
            fields,
            labels,
            location: [
                eb.and_then(|e| e.location.clone()),
                ea.and_then(|e| e.location.clone()),
            ],
            policy: false,
        });
    }
    ep_change
}

/// The changed Ingresses, Routes and Services (by kind and name, compared by meaning) as
/// changes: their indices.
#[inline(always)]
fn routing_changes(clusters: [&Cluster; 2], changes: &mut Vec<ObjectChange>) -> Vec<usize> {
    let mut routing = Vec::new();
    let objs = |c: &Cluster| {
        let mut out: Vec<(&'static str, String, Routed, Option<Location>)> = Vec::new();
        for i in &c.ingresses {
            let at = i.location.clone();
            out.push(("Ingress", i.full_name(), Routed::Ingress(i.meaning()), at));
        }
        for r in &c.routes {
            let name = format!("{}/{}", r.namespace, r.name);
            let at = r.location.clone();
            out.push(("Route", name, Routed::Route(r.meaning()), at));
        }
        for svc in &c.services {
            let name = format!("{}/{}", svc.namespace, svc.name);
            out.push(("Service", name, Routed::Service(svc.meaning()), None));
        }
        out
    };
    let objs = [objs(clusters[0]), objs(clusters[1])];
    let keys = |list: &[(&'static str, String, Routed, Option<Location>)]| {
        list.iter().map(|o| (o.0, o.1.clone())).collect()
    };
    for (kind, name, [b, a]) in match_up([keys(&objs[0]), keys(&objs[1])]) {
        let b = b.and_then(|k| objs[0].get(k));
        let a = a.and_then(|k| objs[1].get(k));
        let change = match (b, a) {
            (Some(x), Some(y)) if x.2 == y.2 => continue,
            (Some(_), Some(_)) => CauseKind::Edited,
            (None, Some(_)) => CauseKind::Added,
            (Some(_), None) => CauseKind::Removed,
            (None, None) => continue,
        };
        routing.push(changes.len());
        changes.push(ObjectChange {
            kind,
            name,
            change,
            rules: Vec::new(),
            fields: Vec::new(),
            labels: None,
            location: [b.and_then(|x| x.3.clone()), a.and_then(|x| x.3.clone())],
            policy: false,
        });
    }
    routing
}

/// Per endpoint of one version: the changes of the policies selecting it, per direction
/// (egress, ingress), and its own change and its namespace's.
#[allow(clippy::type_complexity)]
#[inline(always)]
fn endpoint_causes(
    engine: &Engine,
    pc: &[(Family, usize, usize)],
    ns_change: &[(String, usize)],
    ep_change: &[Option<usize>],
) -> ([Vec<Vec<usize>>; 2], Vec<Vec<usize>>) {
    let c = &engine.cluster;
    let n = c.endpoints.len();
    // The change of each NetworkPolicy of this version.
    let mut np_change: Vec<Option<usize>> = vec![None; c.policies.len()];
    for &(family, index, id) in pc {
        if let Some(slot) = np_change.get_mut(index).filter(|_| family == Family::Np) {
            *slot = Some(id);
        }
    }
    let mut sel = [vec![Vec::new(); n], vec![Vec::new(); n]];
    for (d, dir) in [Direction::Egress, Direction::Ingress]
        .into_iter()
        .enumerate()
    {
        for i in 0..n {
            let list: Vec<usize> = engine
                .selecting(i, dir)
                .iter()
                .filter_map(|p| np_change.get(*p).copied().flatten())
                .collect();
            if let Some(slot) = sel.get_mut(d).and_then(|s| s.get_mut(i)) {
                *slot = list;
            }
        }
    }
    // Cluster-scoped and Calico policies that changed: by their own selection.
    for &(family, index, id) in pc {
        if matches!(family, Family::Np | Family::Tier) {
            continue;
        }
        for i in 0..n {
            let (selects, dirs) = match family {
                Family::Calico => c.calico.policies.get(index).map(|p| {
                    (
                        p.selects(c, i),
                        [
                            p.applies_to(Direction::Egress),
                            p.applies_to(Direction::Ingress),
                        ],
                    )
                }),
                Family::Cluster => c.cluster_policies.get(index).map(|p| {
                    (
                        p.selects(c, i),
                        [
                            !p.rules(Direction::Egress).is_empty(),
                            !p.rules(Direction::Ingress).is_empty(),
                        ],
                    )
                }),
                Family::Np | Family::Tier => None,
            }
            .unwrap_or((false, [false, false]));
            if !selects {
                continue;
            }
            for (d, on) in dirs.into_iter().enumerate() {
                if let Some(slot) = sel.get_mut(d).and_then(|s| s.get_mut(i)) {
                    if on {
                        slot.push(id);
                    }
                }
            }
        }
    }
    // A Tier changed: every policy of it may decide otherwise; it bears on
    // every endpoint its policies select (kept simple: every endpoint).
    for &(family, _, id) in pc {
        if family == Family::Tier {
            for d in &mut sel {
                for slot in d.iter_mut() {
                    slot.push(id);
                }
            }
        }
    }
    let mut o = vec![Vec::new(); n];
    for (i, e) in c.endpoints.iter().enumerate() {
        if let Some(slot) = o.get_mut(i) {
            if let Ok(k) = ns_change.binary_search_by(|(n, _)| n.cmp(&e.namespace)) {
                if let Some((_, id)) = ns_change.get(k) {
                    slot.push(*id);
                }
            }
            if let Some(Some(id)) = ep_change.get(i) {
                slot.push(*id);
            }
        }
    }
    (sel, o)
}

/// Per version, direction and endpoint: may a pair with it differ (a changed policy
/// selects it, it or its namespace changed, or its address moved)?
#[inline(always)]
fn dirty_endpoints(
    clusters: [&Cluster; 2],
    selected: &[[Vec<Vec<usize>>; 2]; 2],
    own: &[Vec<Vec<usize>>; 2],
) -> [[Vec<bool>; 2]; 2] {
    // Which endpoints a changed pair can involve; an address that moved counts even
    // when assigned (an ipBlock may match it).
    let mut moved: [Vec<bool>; 2] = [
        vec![false; clusters[0].endpoints.len()],
        vec![false; clusters[1].endpoints.len()],
    ];
    for (i, e) in clusters[0].endpoints.iter().enumerate() {
        let other = clusters[1]
            .endpoint_index(&e.full_name())
            .and_then(|j| clusters[1].endpoints.get(j).map(|f| (j, f)));
        if let Some((j, f)) = other {
            if f.ips != e.ips {
                for (side, k) in [(0, i), (1, j)] {
                    if let Some(m) = moved.get_mut(side).and_then(|v| v.get_mut(k)) {
                        *m = true;
                    }
                }
            }
        }
    }
    let mut dirty: [[Vec<bool>; 2]; 2] = Default::default();
    for side in 0..2 {
        for d in 0..2 {
            let n = clusters.get(side).map_or(0, |c| c.endpoints.len());
            let flags = (0..n)
                .map(|i| {
                    let sel = selected
                        .get(side)
                        .and_then(|s| s.get(d))
                        .and_then(|s| s.get(i))
                        .is_some_and(|v| !v.is_empty());
                    let o = own
                        .get(side)
                        .and_then(|o| o.get(i))
                        .is_some_and(|v| !v.is_empty());
                    let m = moved
                        .get(side)
                        .and_then(|m| m.get(i))
                        .copied()
                        .unwrap_or(false);
                    sel || o || m
                })
                .collect();
            if let Some(slot) = dirty.get_mut(side).and_then(|x| x.get_mut(d)) {
                *slot = flags;
            }
        }
    }
    dirty
}
