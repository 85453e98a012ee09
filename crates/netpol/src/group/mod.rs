//! The workload-level view: endpoints grouped as people name them, and the connections
//! between the groups (issue 13).
//!
//! A group is the workload that owns the pods (Deployment, StatefulSet, DaemonSet,
//! Job, CronJob, a ReplicaSet or Job whose owner is not in the input, a
//! ReplicationController, another controller named by `ownerReferences`), a bare Pod,
//! a workload whose pods were not pasted (it stands for them), or a range of addresses
//! outside the cluster ([`ranges`]). A workload's pods are collapsed into one
//! **variant** when no policy can tell them apart; when policies can (a rolling update
//! relabelled some), the group keeps one variant per kind of pod and says so
//! ([`WorkloadView::split_note`]).
//!
//! The connection set from one group to another is the union over their variants'
//! representatives of [`Engine::connections`]: an edge exists iff some pod of the
//! source may reach some pod of the destination, and with agreeing replicas it is the
//! set every pair gets. The cost grows with the number of variants, not of pods. As in
//! np-guard's netpol-analyzer, a workload to itself and an address range to another are
//! not edges.
//!
//! Names are np-guard's: `NAMESPACE/NAME[KIND]` (`default/frontend[Deployment]`,
//! `default/debug[Pod]`) and `FIRST-LAST[External]`; groups are sorted by that name.

use std::net::IpAddr;

use ipnet::IpNet;
use serde::Serialize;

use crate::diag::did_you_mean;
use crate::eval::{Engine, Target};
use crate::model::*;
use crate::portset::PortSet;
use crate::tiers::{Subject, TierPeerKind};

#[cfg(feature = "gen")]
pub mod gen;
mod matrix;
mod ranges;

pub use matrix::{WorkloadCell, WorkloadMatrix};
pub use ranges::AddrRange;

mod roles;

use roles::*;

/// The kind of an address range group.
pub const EXTERNAL: &str = "External";

/// The kind of the assumed ingress controller, the group named [`INGRESS_CONTROLLER`].
pub const INGRESS_CONTROLLER_KIND: &str = "IngressController";

/// The name (and label) of the ingress controller assumed when an Ingress of the input
/// has no controller pods in it, as np-guard's netpol-analyzer prints it.
pub const INGRESS_CONTROLLER: &str = "{ingress-controller}";

/// What a group is to the cluster besides a workload.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Role {
    /// Recognised as the ingress controller of an Ingress of the input.
    IngressController,
    /// The backends of kube-system/kube-dns (or, without that Service, the pods of
    /// kube-system labelled `k8s-app=kube-dns`).
    Dns,
}

/// A workload, a bare pod, or a range of addresses outside the cluster.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Group {
    /// `Deployment`, `StatefulSet`, `DaemonSet`, `ReplicaSet`, `ReplicationController`,
    /// `Job`, `CronJob`, `Pod`, another controller kind as `ownerReferences` names it,
    /// or `External` for an address range.
    pub kind: String,
    /// None for an address range.
    pub namespace: Option<String>,
    /// The workload's name, or the range (`10.0.0.0-10.255.255.255`).
    pub name: String,
    /// The endpoints (indexes into `Cluster::endpoints`) it stands for: its pods, or the
    /// workload itself when its pods were not pasted. Empty for a range.
    pub endpoints: Vec<usize>,
    /// How many of `endpoints` are pods in the input (0: a workload standing for pods
    /// it declares, e.g. a Deployment manifest).
    pub pods: usize,
    /// `endpoints` split by what the policies see: one variant when the replicas agree,
    /// several when they do not; the first endpoint of each stands for it. Empty for a
    /// range.
    pub variants: Vec<Vec<usize>>,
    /// `spec.replicas` of a workload standing for its pods.
    pub replicas: Option<u32>,
    pub role: Option<Role>,
    /// The addresses of a range.
    pub range: Option<AddrRange>,
    /// A range: whether it is a source (cut by ingress rules) and a destination (cut by
    /// egress rules). Always both for a workload.
    pub source: bool,
    pub destination: bool,
}

impl Group {
    /// `NAMESPACE/NAME[KIND]`, `FIRST-LAST[External]` or `{ingress-controller}`.
    pub fn label(&self) -> String {
        if self.is_assumed() {
            return self.name.clone();
        }
        match &self.namespace {
            Some(ns) => format!("{ns}/{}[{}]", self.name, self.kind),
            None => format!("{}[{}]", self.name, self.kind),
        }
    }

    pub fn is_external(&self) -> bool {
        self.range.is_some()
    }

    /// The assumed ingress controller (not in the input): a source only.
    pub fn is_assumed(&self) -> bool {
        self.kind == INGRESS_CONTROLLER_KIND && self.range.is_none() && self.endpoints.is_empty()
    }

    /// Do its pods differ in what the policies see?
    pub fn is_split(&self) -> bool {
        self.variants.len() > 1
    }
}

/// The connections a variant of one group gets to a variant of another.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EdgePart {
    pub from_variant: usize,
    pub to_variant: usize,
    pub set: PortSet,
}

/// Allowed connections from one group to another.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Edge {
    pub from: usize,
    pub to: usize,
    /// The union over the variants (never empty: an empty set is no edge).
    pub set: PortSet,
    /// When an end has several variants: the set of each pair of variants (empty ones
    /// included), so a viewer can say which pods get what. Empty otherwise.
    pub parts: Vec<EdgePart>,
}

impl Edge {
    /// Does every pair of pods get `set`?
    pub fn uniform(&self) -> bool {
        self.parts.iter().all(|p| p.set == self.set)
    }
}

/// Groups and edges, owned (for the page and `netpol diff`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct WorkloadGraph {
    pub groups: Vec<Group>,
    /// Sorted by (from, to): the order of the groups' names.
    pub edges: Vec<Edge>,
}

/// The groups of one engine's cluster; edges are computed as they are asked for.
pub struct WorkloadView<'e> {
    pub(crate) engine: &'e Engine,
    /// Sorted by [`Group::label`].
    pub groups: Vec<Group>,
    /// Per endpoint: its group.
    group_of: Vec<usize>,
    /// Per group: what stands for each variant in the engine's questions.
    units: Vec<Vec<Target>>,
    /// Per group: what the assumed ingress controller may open to it (empty for the
    /// others, and for every group when there is no assumed controller).
    from_assumed: Vec<PortSet>,
}

/// [`WorkloadView::edges_by_rows`]: the edges as they are pulled.
pub struct RowEdges<'v, 'e> {
    view: &'v WorkloadView<'e>,
    rows: crate::eval::ConnectionRows<'e>,
    /// Each group's first column in `rows`.
    offsets: Vec<usize>,
    /// The next (from, to).
    at: (usize, usize),
}

impl Iterator for RowEdges<'_, '_> {
    type Item = Edge;

    fn next(&mut self) -> Option<Edge> {
        let n = self.view.groups.len();
        while self.at.0 < n {
            let (f, t) = self.at;
            self.at = if t + 1 < n { (f, t + 1) } else { (f + 1, 0) };
            if let Some(e) = self.view.edge_in(&mut self.rows, &self.offsets, f, t) {
                return Some(e);
            }
        }
        None
    }
}

/// Decides whether two pods of a workload are alike for every policy.
struct Agreement<'e> {
    engine: &'e Engine,
    /// With cluster-scoped or Calico policies: the pod label keys any selector reads,
    /// and every CIDR (pod addresses can match them).
    keys: Vec<String>,
    nets: Vec<IpNet>,
}

impl<'e> Agreement<'e> {
    fn new(engine: &'e Engine) -> Self {
        let c = &engine.cluster;
        let mut keys: Vec<String> = Vec::new();
        let mut nets: Vec<IpNet> = Vec::new();
        if c.has_tiers() {
            let mut add = |sel: &Selector| {
                for k in sel.keys() {
                    if !keys.iter().any(|x| x == k) {
                        keys.push(k.to_string());
                    }
                }
            };
            for p in &c.policies {
                add(&p.pod_selector);
                for rule in p.ingress.iter().chain(&p.egress) {
                    for peer in &rule.peers {
                        match &peer.kind {
                            PeerKind::Pods {
                                pod_selector: Some(s),
                                ..
                            } => add(s),
                            PeerKind::IpBlock(b) => {
                                nets.push(b.cidr);
                                nets.extend(b.except.iter().copied());
                            }
                            PeerKind::Pods { .. } => {}
                        }
                    }
                }
            }
            for cp in &c.cluster_policies {
                if let Subject::Pods { pod_selector, .. } = &cp.subject {
                    add(pod_selector);
                }
                for rule in cp.ingress.iter().chain(&cp.egress) {
                    for peer in &rule.peers {
                        match &peer.kind {
                            TierPeerKind::Pods { pod_selector, .. } => add(pod_selector),
                            TierPeerKind::Networks { cidrs } => nets.extend(cidrs.iter().copied()),
                            _ => {}
                        }
                    }
                }
            }
            for n in &c.nodes {
                nets.extend(n.ips.iter().map(|ip| IpNet::from(*ip)));
            }
            for cp in &c.calico.policies {
                cp.selector.keys(&mut keys);
                for rule in cp.ingress.iter().chain(&cp.egress) {
                    for ent in [&rule.source, &rule.destination] {
                        for e in ent.selector.iter().chain(&ent.not_selector) {
                            e.keys(&mut keys);
                        }
                        nets.extend(ent.nets.iter().chain(&ent.not_nets).copied());
                    }
                }
            }
        }
        Agreement { engine, keys, nets }
    }

    fn agree(&self, a: usize, b: usize) -> bool {
        if !self.engine.alike(a, b) {
            return false;
        }
        let c = &self.engine.cluster;
        if !c.has_tiers() {
            // `alike` compares every selector's and ipBlock's membership.
            return true;
        }
        let (Some(ea), Some(eb)) = (c.endpoints.get(a), c.endpoints.get(b)) else {
            return false;
        };
        self.keys
            .iter()
            .all(|k| ea.labels.get(k) == eb.labels.get(k))
            && self.nets.iter().all(|n| {
                ea.ips.iter().any(|ip| n.contains(ip)) == eb.ips.iter().any(|ip| n.contains(ip))
            })
    }
}

/// (namespace, name, kind).
type GroupKey = (String, String, String);
/// A group's endpoints and replicas.
type Members = (Vec<usize>, Option<u32>);

/// `ns/name` or `ns/kind/name` (a `workload_pods` key) -> (namespace, name).
fn split_key(key: &str) -> (&str, &str) {
    let ns = key.split('/').next().unwrap_or("");
    let name = key.rsplit('/').next().unwrap_or("");
    (ns, name)
}

/// The endpoints by (namespace, name, kind) of what people call them (the workload a
/// pod was pasted with, its owner, or itself), in key order, each with its replicas.
#[inline(always)]
fn keyed_members(c: &Cluster) -> Vec<(GroupKey, Members)> {
    // Pods pasted with their workload.
    // (Indexed by endpoint: no map type of its own in the page's wasm.)
    let mut owner_of: Vec<Option<(&str, &str, &str)>> = vec![None; c.endpoints.len()];
    for (key, pods) in &c.workload_pods {
        let (ns, name) = split_key(key);
        let kind = c.workload_kinds.get(key).map_or("Pod", |k| k.as_str());
        for &p in pods {
            if let Some(slot) = owner_of.get_mut(p) {
                *slot = Some((ns, name, kind));
            }
        }
    }
    // (namespace, name, kind) per endpoint, then sorted by key (stable: each group's
    // endpoints stay in index order) and cut into runs of one key.
    let mut keyed: Vec<(GroupKey, usize, Option<u32>)> = Vec::with_capacity(c.endpoints.len());
    for (i, e) in c.endpoints.iter().enumerate() {
        let key = if let Some((ns, name, kind)) = owner_of.get(i).copied().flatten() {
            (ns.to_string(), name.to_string(), kind.to_string())
        } else if e.kind != EndpointKind::Pod {
            (
                e.namespace.clone(),
                e.name.clone(),
                e.kind.as_str().to_string(),
            )
        } else {
            match e.owner.as_deref().and_then(|o| o.split_once(' ')) {
                Some((kind, name)) if kind != "Node" && !kind.is_empty() && !name.is_empty() => {
                    (e.namespace.clone(), name.to_string(), kind.to_string())
                }
                _ => (e.namespace.clone(), e.name.clone(), "Pod".to_string()),
            }
        };
        let replicas = if e.kind != EndpointKind::Pod {
            e.replicas
        } else {
            None
        };
        keyed.push((key, i, replicas));
    }
    crate::sort::by(&mut keyed, |a, b| a.0.cmp(&b.0));
    // (namespace, name, kind) -> endpoints, replicas, in key order.
    let mut by_key: Vec<(GroupKey, Members)> = Vec::new();
    for (key, i, replicas) in keyed {
        let slot = match by_key.last_mut() {
            Some((k, slot)) if *k == key => slot,
            _ => {
                by_key.push((key, (Vec::new(), None)));
                match by_key.last_mut() {
                    Some((_, slot)) => slot,
                    None => continue,
                }
            }
        };
        slot.0.push(i);
        slot.1 = slot.1.or(replicas);
    }
    by_key
}

/// The outside, cut at every CIDR and `except` of the policies (of `c` and of
/// `others`) and at the `extra` addresses: one group per range, with the directions it
/// is cut in.
#[inline(always)]
fn outside_groups(c: &Cluster, extra: &[IpAddr], others: &[&Cluster]) -> Vec<Group> {
    let (mut src, mut dst) = ranges::cuts(c, extra);
    for o in others {
        let (s, d) = ranges::cuts(o, &[]);
        src.extend(&s);
        dst.extend(&d);
    }
    let v6 = src.mentions_v6() || dst.mentions_v6();
    // Each range with the directions it is cut in, sorted, a range of both merged.
    let mut cut: Vec<(AddrRange, bool, bool)> = src
        .ranges(v6)
        .into_iter()
        .map(|r| (r, true, false))
        .collect();
    cut.extend(dst.ranges(v6).into_iter().map(|r| (r, false, true)));
    crate::sort::by(&mut cut, |a, b| a.0.cmp(&b.0));
    let mut outside: Vec<(AddrRange, bool, bool)> = Vec::with_capacity(cut.len());
    for (r, s, d) in cut {
        match outside.last_mut() {
            Some(last) if last.0 == r => {
                last.1 |= s;
                last.2 |= d;
            }
            _ => outside.push((r, s, d)),
        }
    }
    let mut out = Vec::with_capacity(outside.len());
    for (range, source, destination) in outside {
        out.push(Group {
            kind: EXTERNAL.to_string(),
            namespace: None,
            name: range.to_string(),
            endpoints: Vec::new(),
            pods: 0,
            variants: Vec::new(),
            replicas: None,
            role: None,
            range: Some(range),
            source,
            destination,
        });
    }
    out
}

impl<'e> WorkloadView<'e> {
    /// Groups the cluster's endpoints and cuts the outside at the policies' CIDRs and
    /// the `extra` addresses.
    pub fn new(engine: &'e Engine, extra: &[IpAddr]) -> WorkloadView<'e> {
        Self::cut_also_by(engine, extra, &[])
    }

    /// [`WorkloadView::new`] with the outside also cut where the policies of `others`
    /// cut it: two versions of the input then name the same ranges (`netpol diff`).
    pub fn cut_also_by(
        engine: &'e Engine,
        extra: &[IpAddr],
        others: &[&Cluster],
    ) -> WorkloadView<'e> {
        let c = &engine.cluster;
        let by_key = keyed_members(c);
        let agreement = Agreement::new(engine);
        let roles = roles(engine);
        let mut groups: Vec<Group> = Vec::with_capacity(by_key.len());
        for ((ns, name, kind), (endpoints, replicas)) in by_key {
            let mut variants: Vec<Vec<usize>> = Vec::new();
            for &i in &endpoints {
                match variants
                    .iter_mut()
                    .find(|v| v.first().is_some_and(|&r| agreement.agree(r, i)))
                {
                    Some(v) => v.push(i),
                    None => variants.push(vec![i]),
                }
            }
            let pods = endpoints
                .iter()
                .filter(|&&i| {
                    c.endpoints
                        .get(i)
                        .is_some_and(|e| e.kind == EndpointKind::Pod)
                })
                .count();
            let role = endpoints
                .iter()
                .find_map(|&i| roles.get(i).copied().flatten());
            groups.push(Group {
                kind,
                namespace: Some(ns),
                name,
                endpoints,
                pods,
                variants,
                replicas,
                role,
                range: None,
                source: true,
                destination: true,
            });
        }
        groups.extend(outside_groups(c, extra, others));
        let assumed = assumed_ingress(engine);
        if assumed.is_some() {
            groups.push(Group {
                kind: INGRESS_CONTROLLER_KIND.to_string(),
                namespace: None,
                name: INGRESS_CONTROLLER.to_string(),
                endpoints: Vec::new(),
                pods: 0,
                variants: Vec::new(),
                replicas: None,
                role: Some(Role::IngressController),
                range: None,
                source: true,
                destination: false,
            });
        }
        crate::sort::by_cached_key(&mut groups, Group::label);
        let mut group_of = vec![0; c.endpoints.len()];
        for (g, group) in groups.iter().enumerate() {
            for &i in &group.endpoints {
                if let Some(slot) = group_of.get_mut(i) {
                    *slot = g;
                }
            }
        }
        let units = groups
            .iter()
            .map(|g| match g.range {
                Some(r) => vec![Target::External(r.first)],
                None => g
                    .variants
                    .iter()
                    .filter_map(|v| v.first().map(|&i| Target::Endpoint(i)))
                    .collect(),
            })
            .collect();
        let mut from_assumed = vec![PortSet::none(); groups.len()];
        for (i, set) in assumed.unwrap_or_default() {
            if let Some(slot) = group_of.get(i).and_then(|&g| from_assumed.get_mut(g)) {
                slot.union_with(&set);
            }
        }
        WorkloadView {
            engine,
            groups,
            group_of,
            units,
            from_assumed,
        }
    }

    pub fn engine(&self) -> &'e Engine {
        self.engine
    }

    /// What stands for each variant of group `g` in the engine's questions (a range:
    /// its first address; the assumed ingress controller: nothing).
    pub fn units(&self, g: usize) -> &[Target] {
        self.units.get(g).map_or(&[], Vec::as_slice)
    }

    /// The group of endpoint `i`.
    pub fn group_of(&self, i: usize) -> Option<usize> {
        self.group_of.get(i).copied()
    }

    /// The edge from group `from` to group `to`, if any connection is allowed.
    pub fn edge(&self, from: usize, to: usize) -> Option<Edge> {
        let (f, t) = (self.groups.get(from)?, self.groups.get(to)?);
        if from == to || (f.is_external() && t.is_external()) || !f.source || !t.destination {
            return None;
        }
        if f.is_assumed() {
            let set = self.from_assumed.get(to)?.clone();
            return (!set.is_empty()).then_some(Edge {
                from,
                to,
                set,
                parts: Vec::new(),
            });
        }
        let (fu, tu) = (self.units.get(from)?, self.units.get(to)?);
        assemble(from, to, fu, tu, |_, u, v| self.engine.connections(u, v))
    }

    /// Every edge, sorted by (from, to), computed as the iterator is pulled (memory does
    /// not grow with the number of edges).
    pub fn edges(&self) -> impl Iterator<Item = Edge> + '_ {
        let n = self.groups.len();
        (0..n).flat_map(move |f| (0..n).filter_map(move |t| self.edge(f, t)))
    }

    /// [`WorkloadView::edges`], each row's sets computed together
    /// ([`crate::eval::ConnectionRows`]): the same edges in the same order, for the CLI's
    /// whole lists (20,000 pods). The page does not call it.
    pub fn edges_by_rows(&self) -> RowEdges<'_, 'e> {
        let mut offsets = Vec::with_capacity(self.units.len());
        let mut columns = 0;
        for u in &self.units {
            offsets.push(columns);
            columns += u.len();
        }
        RowEdges {
            view: self,
            rows: crate::eval::ConnectionRows::new(self.engine, columns),
            offsets,
            at: (0, 0),
        }
    }

    /// [`WorkloadView::edge`] through `rows`; `offsets`: each group's first column.
    fn edge_in(
        &self,
        rows: &mut crate::eval::ConnectionRows<'e>,
        offsets: &[usize],
        from: usize,
        to: usize,
    ) -> Option<Edge> {
        let (f, t) = (self.groups.get(from)?, self.groups.get(to)?);
        if f.is_assumed()
            || from == to
            || (f.is_external() && t.is_external())
            || !f.source
            || !t.destination
        {
            return self.edge(from, to);
        }
        let (fu, tu) = (self.units.get(from)?, self.units.get(to)?);
        let first = *offsets.get(to)?;
        assemble(from, to, fu, tu, |b, u, v| {
            rows.row(u);
            rows.get(first + b, v).clone()
        })
    }

    /// The edges into and out of the groups `focus`, sorted by (from, to).
    pub fn edges_touching<'a>(&'a self, focus: &'a [usize]) -> impl Iterator<Item = Edge> + 'a {
        let n = self.groups.len();
        let mut mark = vec![false; n];
        for &g in focus {
            if let Some(m) = mark.get_mut(g) {
                *m = true;
            }
        }
        (0..n).flat_map(move |f| {
            let mark = mark.clone();
            let row = mark.get(f).copied().unwrap_or(false);
            (0..n)
                .filter(move |&t| row || mark.get(t).copied().unwrap_or(false))
                .filter_map(move |t| self.edge(f, t))
        })
    }

    /// Everything, owned.
    pub fn graph(&self) -> WorkloadGraph {
        WorkloadGraph {
            groups: self.groups.clone(),
            edges: self.edges().collect(),
        }
    }

    /// The groups a `--focus` names: `NAMESPACE/NAME` (every kind of that name),
    /// `NAMESPACE/KIND/NAME`, `NAMESPACE/NAME[KIND]` (as printed), a pod's name (its
    /// workload), `NAME` in any namespace, or a range as printed.
    pub fn find(&self, text: &str) -> Result<Vec<usize>, String> {
        let t = text.trim();
        let (base, kind) = match t.strip_suffix(']').and_then(|s| s.rsplit_once('[')) {
            Some((b, k)) => (b, Some(k.to_string())),
            None => (t, None),
        };
        let parts: Vec<&str> = base.split('/').collect();
        let (ns, name, kind) = match parts.as_slice() {
            [ns, k, name] if kind.is_none() => {
                let k = EndpointKind::parse_word(k).map_or(k.to_string(), |k| k.as_str().into());
                (Some(*ns), *name, Some(k))
            }
            [ns, name] => (Some(*ns), *name, kind),
            [name] => (None, *name, kind),
            _ => (None, "", None),
        };
        let kind_ok = |g: &Group| {
            kind.as_deref()
                .is_none_or(|k| g.kind.eq_ignore_ascii_case(k))
        };
        let mut found: Vec<usize> = self
            .groups
            .iter()
            .enumerate()
            .filter(|(_, g)| {
                g.name == name
                    && kind_ok(g)
                    && ns.is_none_or(|ns| g.namespace.as_deref() == Some(ns))
            })
            .map(|(i, _)| i)
            .collect();
        if found.is_empty() {
            if let Ok(Target::Endpoint(i)) = self.engine.resolve(base) {
                found.extend(self.group_of(i));
            }
        }
        if !found.is_empty() {
            return Ok(found);
        }
        let names: Vec<String> = self
            .groups
            .iter()
            .map(|g| match &g.namespace {
                Some(ns) => format!("{ns}/{}", g.name),
                None => g.name.clone(),
            })
            .collect();
        let mut msg = format!("unknown workload `{t}`");
        if let Some(s) = did_you_mean(t, names.iter().map(String::as_str)) {
            msg.push_str(&format!("; did you mean `{s}`?"));
        } else {
            msg.push_str(" (use NAMESPACE/NAME, as `connlist` prints it)");
        }
        Err(msg)
    }
}

#[cfg(test)]
mod tests;

/// The edge `from -> to` from the connection sets between their variants' representatives
/// (`set_of(b, u, v)`: `b` the destination variant's index): one part per pair of
/// variants, none where each group has one variant; no edge where nothing is allowed.
#[inline(always)]
fn assemble(
    from: usize,
    to: usize,
    fu: &[Target],
    tu: &[Target],
    mut set_of: impl FnMut(usize, Target, Target) -> PortSet,
) -> Option<Edge> {
    if let ([u], [v]) = (fu, tu) {
        let set = set_of(0, *u, *v);
        return (!set.is_empty()).then_some(Edge {
            from,
            to,
            set,
            parts: Vec::new(),
        });
    }
    let mut set = PortSet::none();
    let mut parts = Vec::new();
    for (a, &u) in fu.iter().enumerate() {
        for (b, &v) in tu.iter().enumerate() {
            let s = set_of(b, u, v);
            set.union_with(&s);
            parts.push(EdgePart {
                from_variant: a,
                to_variant: b,
                set: s,
            });
        }
    }
    (!set.is_empty()).then_some(Edge {
        from,
        to,
        set,
        parts,
    })
}
