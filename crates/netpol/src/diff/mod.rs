//! The connectivity diff between two versions of the input (`netpol diff BEFORE AFTER`).
//!
//! The core works over two generic connection lists ([`Connectivity`]: named endpoints
//! and the connections allowed between two of them), so any grouping of endpoints (pods
//! today; workloads, namespaces later) is one more implementation of the trait.
//! Endpoints are matched by name across the versions. For every ordered pair of
//! distinct names in either version whose connections differ, [`diff`] yields a
//! [`PairDiff`]: `added` (no connection before), `removed` (none after) or `changed`,
//! with both sets; an endpoint that exists on one side only has no connections on the
//! other. This is the set difference of the two `connlist`s, and the same semantics as
//! the independent analysers' connectivity diff (`diff-type: added|removed|changed`).
//!
//! Pairs are computed lazily in name order (source, then destination): memory does not
//! grow with the number of pairs. Why a pair changed is [`Causes`]: the policies added,
//! removed or edited that select either endpoint (with the rules that differ), and the
//! endpoints and namespaces that appeared, vanished or were relabelled.

pub(crate) mod cause;

use std::collections::BTreeMap;
use std::net::IpAddr;

pub use cause::{Cause, CauseKind, Causes, ObjectChange, RuleChange};

use crate::eval::{Engine, Target};
use crate::group::{AddrRange, Group, WorkloadView};
use crate::portset::PortSet;

/// One version's connection list: named endpoints, and the connections between two.
pub trait Connectivity {
    /// The endpoints' names (as `connlist` prints them), each once.
    fn names(&self) -> &[String];
    /// What `from` may open to `to` (indexes into [`Connectivity::names`]).
    fn connections(&self, from: usize, to: usize) -> PortSet;
    /// The cluster endpoints (indexes into `Cluster::endpoints`) an entry stands for:
    /// one for a pod, several for a group, none for an address outside the cluster.
    fn members(&self, i: usize) -> &[usize];
    /// Is entry `i` decided by more than the policies and its members (the assumed
    /// ingress controller: Ingresses, Routes and Services too)? Its pairs are then never
    /// pruned by [`Causes::may_change`].
    fn beyond_policies(&self, _i: usize) -> bool {
        false
    }
}

/// The pod-level connection list: every endpoint of the cluster, then each address
/// outside it (`--ip`), as `connlist` lists them.
pub struct PodConnectivity<'a> {
    engine: &'a Engine,
    targets: Vec<Target>,
    names: Vec<String>,
    members: Vec<[usize; 1]>,
}

impl<'a> PodConnectivity<'a> {
    /// `ips`: addresses outside the cluster (an address of a pod is that pod: the
    /// caller leaves it out).
    pub fn new(engine: &'a Engine, ips: &[IpAddr]) -> Self {
        let mut targets: Vec<Target> = (0..engine.cluster.endpoints.len())
            .map(Target::Endpoint)
            .collect();
        targets.extend(ips.iter().map(|ip| Target::External(*ip)));
        let names = targets.iter().map(|t| engine.name(*t)).collect();
        let members = targets
            .iter()
            .map(|t| match t {
                Target::Endpoint(i) => [*i],
                Target::External(_) => [usize::MAX],
            })
            .collect();
        PodConnectivity {
            engine,
            targets,
            names,
            members,
        }
    }
}

impl Connectivity for PodConnectivity<'_> {
    fn names(&self) -> &[String] {
        &self.names
    }

    fn connections(&self, from: usize, to: usize) -> PortSet {
        match (self.targets.get(from), self.targets.get(to)) {
            (Some(f), Some(t)) => self.engine.connections(*f, *t),
            _ => PortSet::none(),
        }
    }

    fn members(&self, i: usize) -> &[usize] {
        match self.members.get(i) {
            Some(m) if m[0] != usize::MAX => m,
            _ => &[],
        }
    }
}

/// The workload-level connection list (`--by workload`): the groups of a
/// [`WorkloadView`] as `connlist` names them (`ns/name[Kind]`, `FIRST-LAST[External]`).
pub struct WorkloadConnectivity<'v, 'e> {
    view: &'v WorkloadView<'e>,
    names: Vec<String>,
}

impl<'v, 'e> WorkloadConnectivity<'v, 'e> {
    /// Build both versions' views with [`WorkloadView::cut_also_by`] the other's
    /// cluster, so that address ranges have the same names on both sides.
    pub fn new(view: &'v WorkloadView<'e>) -> Self {
        let names = view.groups.iter().map(Group::label).collect();
        WorkloadConnectivity { view, names }
    }

    /// The address range entry `i` stands for, if it is one.
    pub fn range(&self, i: usize) -> Option<AddrRange> {
        self.view.groups.get(i).and_then(|g| g.range)
    }
}

impl Connectivity for WorkloadConnectivity<'_, '_> {
    fn names(&self) -> &[String] {
        &self.names
    }

    fn connections(&self, from: usize, to: usize) -> PortSet {
        self.view
            .edge(from, to)
            .map_or_else(PortSet::none, |e| e.set)
    }

    fn members(&self, i: usize) -> &[usize] {
        self.view
            .groups
            .get(i)
            .map_or(&[], |g| g.endpoints.as_slice())
    }

    fn beyond_policies(&self, i: usize) -> bool {
        self.view.groups.get(i).is_some_and(Group::is_assumed)
    }
}

/// Merges the changes of adjacent address ranges that changed alike (the same other
/// end, the same sets before and after), as the independent analysers print them:
/// `0.0.0.0-255.255.255.255 => shop/db[Deployment]` rather than its two halves when only
/// the other version cuts the space at `128.0.0.0`. `range` gives the range of a name
/// (`None`: not an address range). The order of the result is the input's, each merged
/// change in the place of its first part.
pub fn merge_ranges(
    pairs: Vec<PairDiff>,
    range: &dyn Fn(&str) -> Option<AddrRange>,
) -> Vec<PairDiff> {
    type Key = (bool, String, String, String);
    let mut out: Vec<PairDiff> = Vec::with_capacity(pairs.len());
    // (the range's side, the other end, before, after), the range, the change.
    let mut parts: Vec<(Key, AddrRange, PairDiff)> = Vec::new();
    for p in pairs {
        let (side, r, other) = match (range(&p.from), range(&p.to)) {
            (Some(r), None) => (false, r, p.to.clone()),
            (None, Some(r)) => (true, r, p.from.clone()),
            _ => {
                out.push(p);
                continue;
            }
        };
        let key = (side, other, p.before.to_string(), p.after.to_string());
        parts.push((key, r, p));
    }
    // Each key's parts in address order, runs of adjacent ranges merged.
    crate::sort::by(&mut parts, |a, b| {
        a.0.cmp(&b.0)
            .then_with(|| (a.1.first, a.1.last).cmp(&(b.1.first, b.1.last)))
    });
    let mut run: Option<(Key, AddrRange, PairDiff)> = None;
    for (key, r, p) in parts {
        match run.as_mut() {
            Some((k, qr, _)) if *k == key && next_after(qr.last) == Some(r.first) => {
                qr.last = r.last;
            }
            _ => {
                if let Some((k, qr, q)) = run.take() {
                    out.push(renamed((qr, q), k.0));
                }
                run = Some((key, r, p));
            }
        }
    }
    if let Some((k, qr, q)) = run {
        out.push(renamed((qr, q), k.0));
    }
    crate::sort::by(&mut out, |a, b| (&a.from, &a.to).cmp(&(&b.from, &b.to)));
    out
}

/// A merged change named by its whole range.
fn renamed((r, mut p): (AddrRange, PairDiff), side: bool) -> PairDiff {
    let name = format!("{r}[{}]", crate::group::EXTERNAL);
    if side {
        p.to = name;
    } else {
        p.from = name;
    }
    p
}

/// The address right after `ip`, in its family.
fn next_after(ip: IpAddr) -> Option<IpAddr> {
    match ip {
        IpAddr::V4(a) => u32::from(a)
            .checked_add(1)
            .map(|x| IpAddr::V4(std::net::Ipv4Addr::from(x))),
        IpAddr::V6(a) => u128::from(a)
            .checked_add(1)
            .map(|x| IpAddr::V6(std::net::Ipv6Addr::from(x))),
    }
}

/// How a pair's connections changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Change {
    /// Nothing was allowed before.
    Added,
    /// Nothing is allowed after.
    Removed,
    /// Something before and after, not the same.
    Changed,
}

impl Change {
    pub fn as_str(self) -> &'static str {
        match self {
            Change::Added => "added",
            Change::Removed => "removed",
            Change::Changed => "changed",
        }
    }
}

/// One pair whose connections differ.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PairDiff {
    pub from: String,
    pub to: String,
    pub before: PortSet,
    pub after: PortSet,
    pub change: Change,
    /// Indexes of `from` and `to` in the before and after lists (`None`: not there).
    pub from_index: [Option<usize>; 2],
    pub to_index: [Option<usize>; 2],
}

/// Every name of either version, sorted, with its index in each.
pub struct Union {
    pub entries: Vec<(String, [Option<usize>; 2])>,
}

impl Union {
    pub fn new(before: &dyn Connectivity, after: &dyn Connectivity) -> Self {
        let mut map: BTreeMap<&str, [Option<usize>; 2]> = BTreeMap::new();
        for (side, c) in [before, after].into_iter().enumerate() {
            for (i, n) in c.names().iter().enumerate() {
                if let Some(slot) = map.entry(n.as_str()).or_default().get_mut(side) {
                    slot.get_or_insert(i);
                }
            }
        }
        Union {
            entries: map.into_iter().map(|(n, ix)| (n.to_string(), ix)).collect(),
        }
    }
}

/// The pairs whose connections differ, sorted by source then destination name,
/// computed as the iterator is pulled.
pub fn diff<'a>(
    before: &'a dyn Connectivity,
    after: &'a dyn Connectivity,
) -> impl Iterator<Item = PairDiff> + 'a {
    diff_pruned(before, after, None)
}

/// [`diff`] computing only the pairs [`Causes::may_change`] says can differ (a pair
/// with an endpoint on one side only is always computed): the same pairs, far fewer
/// connection sets when a change touches few endpoints.
pub fn diff_with_causes<'a>(
    before: &'a dyn Connectivity,
    after: &'a dyn Connectivity,
    causes: &'a Causes<'a>,
) -> impl Iterator<Item = PairDiff> + 'a {
    diff_pruned(before, after, Some(causes))
}

fn diff_pruned<'a>(
    before: &'a dyn Connectivity,
    after: &'a dyn Connectivity,
    causes: Option<&'a Causes<'a>>,
) -> impl Iterator<Item = PairDiff> + 'a {
    let union = Union::new(before, after);
    let n = union.entries.len();
    let entries = std::rc::Rc::new(union.entries);
    (0..n).flat_map(move |i| {
        let entries = entries.clone();
        (0..n).filter_map(move |j| {
            let (fname, fi) = entries.get(i)?;
            let (tname, ti) = entries.get(j)?;
            if i == j {
                return None;
            }
            if let Some(c) = causes {
                let members = |ix: [Option<usize>; 2], k: usize| -> &[usize] {
                    match (ix.get(k).copied().flatten(), [before, after].get(k)) {
                        (Some(x), Some(conn)) => conn.members(x),
                        _ => &[],
                    }
                };
                let both = fi.iter().chain(ti.iter()).all(Option::is_some);
                let beyond = [(fi, 0), (fi, 1), (ti, 0), (ti, 1)].iter().any(|(ix, k)| {
                    match (ix.get(*k).copied().flatten(), [before, after].get(*k)) {
                        (Some(x), Some(conn)) => conn.beyond_policies(x),
                        _ => false,
                    }
                });
                if both
                    && !beyond
                    && !c.may_change(
                        [members(*fi, 0), members(*fi, 1)],
                        [members(*ti, 0), members(*ti, 1)],
                    )
                {
                    return None;
                }
            }
            // Each end's index before and after.
            let ([f_before, f_after], [t_before, t_after]) = (*fi, *ti);
            let side = |c: &dyn Connectivity, f: Option<usize>, t: Option<usize>| match (f, t) {
                (Some(f), Some(t)) => c.connections(f, t),
                _ => PortSet::none(),
            };
            let b = side(before, f_before, t_before);
            let a = side(after, f_after, t_after);
            let change = match (b.is_empty(), a.is_empty()) {
                _ if a == b => return None,
                (true, _) => Change::Added,
                (_, true) => Change::Removed,
                _ => Change::Changed,
            };
            Some(PairDiff {
                from: fname.clone(),
                to: tname.clone(),
                before: b,
                after: a,
                change,
                from_index: *fi,
                to_index: *ti,
            })
        })
    })
}

/// The workload-level diff of two views, as `netpol diff --by workload` lists it and the
/// page's Changes view shows it: the pairs that differ (computed where [`Causes`] says a
/// pair may change), adjacent address ranges that changed alike merged. Build the views
/// with [`WorkloadView::cut_also_by`] the other version's cluster.
pub fn workload_pairs(
    before: &WorkloadView<'_>,
    after: &WorkloadView<'_>,
    causes: &Causes<'_>,
) -> Vec<PairDiff> {
    let (cb, ca) = (
        WorkloadConnectivity::new(before),
        WorkloadConnectivity::new(after),
    );
    let pairs: Vec<PairDiff> = diff_with_causes(&cb, &ca, causes).collect();
    // Ranges have the same names on both sides (both cut alike).
    let ranges: BTreeMap<String, AddrRange> = crate::sort::map(
        before
            .groups
            .iter()
            .chain(&after.groups)
            .filter_map(|g| Some((g.label(), g.range?))),
    );
    merge_ranges(pairs, &|n: &str| ranges.get(n).copied())
}

/// Why one pair changed: the object changes that bear on it (`conns`: the before and
/// after connection lists the pair's indexes point into). The assumed ingress
/// controller's pairs also follow the Ingresses, Routes and Services.
pub fn pair_causes(causes: &Causes<'_>, conns: [&dyn Connectivity; 2], p: &PairDiff) -> Vec<Cause> {
    let members = |ix: [Option<usize>; 2], k: usize| -> &[usize] {
        match (ix.get(k).copied().flatten(), conns.get(k)) {
            (Some(i), Some(c)) => c.members(i),
            _ => &[],
        }
    };
    let mut out = causes.for_pair(
        [members(p.from_index, 0), members(p.from_index, 1)],
        [members(p.to_index, 0), members(p.to_index, 1)],
    );
    if p.from == crate::group::INGRESS_CONTROLLER {
        out.extend(causes.routing([members(p.to_index, 0), members(p.to_index, 1)]));
    }
    out
}

/// Counts of a diff by kind of change.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub added: usize,
    pub removed: usize,
    pub changed: usize,
}

impl Counts {
    pub fn add(&mut self, c: Change) {
        match c {
            Change::Added => self.added += 1,
            Change::Removed => self.removed += 1,
            Change::Changed => self.changed += 1,
        }
    }
    pub fn total(&self) -> usize {
        self.added + self.removed + self.changed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pd(from: &str, to: &str, before: &str, after: &str) -> PairDiff {
        let set = |s: &str| match s {
            "" => PortSet::none(),
            _ => PortSet::all(),
        };
        PairDiff {
            from: from.to_string(),
            to: to.to_string(),
            before: set(before),
            after: set(after),
            change: Change::Added,
            from_index: [None, None],
            to_index: [None, None],
        }
    }

    #[test]
    fn adjacent_ranges_that_changed_alike_are_merged_in_numeric_order() {
        let r = |name: &str| -> Option<AddrRange> {
            let core = name.strip_suffix("[External]")?;
            let (a, b) = core.split_once('-')?;
            Some(AddrRange {
                first: a.parse().ok()?,
                last: b.parse().ok()?,
            })
        };
        let pairs = vec![
            // String order puts 100.* before 11.*: the merge must not care.
            pd(
                "0.0.0.0-10.255.255.255[External]",
                "a/db[Deployment]",
                "",
                "all",
            ),
            pd(
                "100.0.0.0-255.255.255.255[External]",
                "a/db[Deployment]",
                "",
                "all",
            ),
            pd(
                "11.0.0.0-99.255.255.255[External]",
                "a/db[Deployment]",
                "",
                "all",
            ),
            // Adjacent but changed differently: kept apart.
            pd(
                "a/db[Deployment]",
                "0.0.0.0-127.255.255.255[External]",
                "all",
                "",
            ),
            pd(
                "a/db[Deployment]",
                "128.0.0.0-255.255.255.255[External]",
                "",
                "all",
            ),
            pd("a/db[Deployment]", "a/web[Deployment]", "", "all"),
        ];
        let got: Vec<(String, String)> = merge_ranges(pairs, &r)
            .into_iter()
            .map(|p| (p.from, p.to))
            .collect();
        let want = [
            ("0.0.0.0-255.255.255.255[External]", "a/db[Deployment]"),
            ("a/db[Deployment]", "0.0.0.0-127.255.255.255[External]"),
            ("a/db[Deployment]", "128.0.0.0-255.255.255.255[External]"),
            ("a/db[Deployment]", "a/web[Deployment]"),
        ];
        let want: Vec<(String, String)> = want
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        assert_eq!(got, want);
    }
}
