//! The engine's indexes: which endpoints each selector, peer and policy matches, as
//! bitsets over endpoints.
//!
//! Selectors are evaluated once per distinct selector against the distinct pod label
//! sets (pods that no selector can tell apart share one evaluation), then expanded to
//! endpoint bitsets. A peer's set is then an AND of a namespace mask and a pod mask, and
//! a matrix row is an OR of a few peer sets: the cost grows with distinct selectors and
//! label sets, and with n^2/64 words for the matrix itself, not with pods^2 x policies.

#![allow(
    clippy::indexing_slicing,
    reason = "bitsets and memo tables are indexed by endpoint and selector numbers the index assigns itself, each below the table's length"
)]

use std::collections::HashMap;

use crate::model::*;

/// A fixed-size set of endpoint indexes.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Bitset {
    words: Vec<u64>,
}

impl Bitset {
    pub fn new(n: usize) -> Self {
        Bitset {
            words: vec![0; n.div_ceil(64)],
        }
    }
    pub fn full(n: usize) -> Self {
        let mut b = Bitset {
            words: vec![u64::MAX; n.div_ceil(64)],
        };
        if !n.is_multiple_of(64) {
            if let Some(last) = b.words.last_mut() {
                *last = (1u64 << (n % 64)) - 1;
            }
        }
        b
    }
    #[inline]
    pub fn get(&self, i: usize) -> bool {
        self.words
            .get(i / 64)
            .is_some_and(|w| w & (1 << (i % 64)) != 0)
    }
    #[inline]
    pub fn set(&mut self, i: usize) {
        if let Some(w) = self.words.get_mut(i / 64) {
            *w |= 1 << (i % 64);
        }
    }
    pub fn or_with(&mut self, other: &Bitset) {
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            *a |= b;
        }
    }
    pub fn and(&self, other: &Bitset) -> Bitset {
        Bitset {
            words: self
                .words
                .iter()
                .zip(&other.words)
                .map(|(a, b)| a & b)
                .collect(),
        }
    }
    pub fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.words.iter().enumerate().flat_map(|(wi, &w)| {
            let mut w = w;
            std::iter::from_fn(move || {
                if w == 0 {
                    return None;
                }
                let b = w.trailing_zeros() as usize;
                w &= w - 1;
                Some(wi * 64 + b)
            })
        })
    }
}

/// Index of a set in `Index::sets`.
pub type SetId = usize;

pub struct Index {
    /// All the sets; ids are stable for the index's lifetime.
    pub sets: Vec<Bitset>,
    /// Per policy, per direction (0 ingress, 1 egress), per rule, per peer: the set of
    /// endpoints the peer selects.
    pub peer_sets: Vec<[Vec<Vec<SetId>>; 2]>,
    /// Per policy: the endpoints it selects (its namespace and podSelector).
    pub selected: Vec<SetId>,
}

struct Builder<'c> {
    cluster: &'c Cluster,
    n: usize,
    sets: Vec<Bitset>,
    /// Distinct pod label sets and the endpoints that carry each.
    groups: Vec<(&'c Labels, Bitset)>,
    ns_members: HashMap<&'c str, SetId>,
    pod_memo: HashMap<&'c Selector, SetId>,
    ns_memo: HashMap<&'c Selector, SetId>,
    ip_memo: HashMap<&'c IpBlock, SetId>,
    and_memo: HashMap<(SetId, SetId), SetId>,
    empty: SetId,
}

impl<'c> Builder<'c> {
    fn add(&mut self, b: Bitset) -> SetId {
        self.sets.push(b);
        self.sets.len() - 1
    }

    fn pods(&mut self, sel: &'c Selector) -> SetId {
        if let Some(&id) = self.pod_memo.get(sel) {
            return id;
        }
        let mut b = Bitset::new(self.n);
        for (labels, members) in &self.groups {
            if sel.matches(labels) {
                b.or_with(members);
            }
        }
        let id = self.add(b);
        self.pod_memo.insert(sel, id);
        id
    }

    fn namespace(&self, ns: &str) -> SetId {
        self.ns_members.get(ns).copied().unwrap_or(self.empty)
    }

    fn namespaces(&mut self, sel: &'c Selector) -> SetId {
        if let Some(&id) = self.ns_memo.get(sel) {
            return id;
        }
        let mut b = Bitset::new(self.n);
        for ns in &self.cluster.namespaces {
            if sel.matches(&ns.labels) {
                if let Some(&m) = self.ns_members.get(ns.name.as_str()) {
                    b.or_with(&self.sets[m]);
                }
            }
        }
        let id = self.add(b);
        self.ns_memo.insert(sel, id);
        id
    }

    fn ip_block(&mut self, block: &'c IpBlock) -> SetId {
        if let Some(&id) = self.ip_memo.get(block) {
            return id;
        }
        let mut b = Bitset::new(self.n);
        for (i, e) in self.cluster.endpoints.iter().enumerate() {
            // An address the playground made up (the input gave none) is no evidence:
            // an ipBlock never matches it (ipBlocks are meant for addresses outside the
            // cluster; the API leaves pod IPs to the CNI, and np-guard never matches them).
            if !e.ip_assigned && e.ips.iter().any(|ip| block.contains(ip)) {
                b.set(i);
            }
        }
        let id = self.add(b);
        self.ip_memo.insert(block, id);
        id
    }

    fn and(&mut self, a: SetId, b: SetId) -> SetId {
        if let Some(&id) = self.and_memo.get(&(a, b)) {
            return id;
        }
        let set = self.sets[a].and(&self.sets[b]);
        let id = self.add(set);
        self.and_memo.insert((a, b), id);
        id
    }

    fn peer(&mut self, policy: &'c Policy, peer: &'c Peer) -> SetId {
        match &peer.kind {
            PeerKind::IpBlock(b) => self.ip_block(b),
            PeerKind::Pods {
                namespace_selector,
                pod_selector,
            } => {
                let ns = match namespace_selector {
                    None => self.namespace(&policy.namespace),
                    Some(sel) => self.namespaces(sel),
                };
                match pod_selector {
                    None => ns,
                    Some(sel) => {
                        let pods = self.pods(sel);
                        self.and(ns, pods)
                    }
                }
            }
        }
    }
}

impl Index {
    pub fn new(cluster: &Cluster) -> Index {
        let n = cluster.endpoints.len();
        let mut group_of: HashMap<&Labels, usize> = HashMap::new();
        let mut groups: Vec<(&Labels, Bitset)> = Vec::new();
        let mut ns_bits: HashMap<&str, Bitset> = HashMap::new();
        for (i, e) in cluster.endpoints.iter().enumerate() {
            let g = *group_of.entry(&e.labels).or_insert_with(|| {
                groups.push((&e.labels, Bitset::new(n)));
                groups.len() - 1
            });
            groups[g].1.set(i);
            ns_bits
                .entry(e.namespace.as_str())
                .or_insert_with(|| Bitset::new(n))
                .set(i);
        }
        let mut b = Builder {
            cluster,
            n,
            sets: vec![Bitset::new(n)],
            groups,
            ns_members: HashMap::new(),
            pod_memo: HashMap::new(),
            ns_memo: HashMap::new(),
            ip_memo: HashMap::new(),
            and_memo: HashMap::new(),
            empty: 0,
        };
        for (ns, bits) in ns_bits {
            let id = b.add(bits);
            b.ns_members.insert(ns, id);
        }
        let mut peer_sets = Vec::with_capacity(cluster.policies.len());
        let mut selected = Vec::with_capacity(cluster.policies.len());
        for p in &cluster.policies {
            let ns = b.namespace(&p.namespace);
            let pods = b.pods(&p.pod_selector);
            selected.push(b.and(ns, pods));
            let mut dirs: [Vec<Vec<SetId>>; 2] = [Vec::new(), Vec::new()];
            for (d, dir) in [Direction::Ingress, Direction::Egress]
                .into_iter()
                .enumerate()
            {
                dirs[d] = p
                    .rules(dir)
                    .iter()
                    .map(|r| r.peers.iter().map(|peer| b.peer(p, peer)).collect())
                    .collect();
            }
            peer_sets.push(dirs);
        }
        Index {
            sets: b.sets,
            peer_sets,
            selected,
        }
    }

    pub fn peer_set(&self, policy: usize, dir: Direction, rule: usize, peer: usize) -> &Bitset {
        let d = match dir {
            Direction::Ingress => 0,
            Direction::Egress => 1,
        };
        &self.sets[self.peer_sets[policy][d][rule][peer]]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bitset_basics() {
        let mut b = Bitset::new(130);
        b.set(0);
        b.set(64);
        b.set(129);
        assert_eq!(b.iter().collect::<Vec<_>>(), vec![0, 64, 129]);
        assert!(b.get(129) && !b.get(128) && !b.get(500));
        let f = Bitset::full(130);
        assert_eq!(f.iter().count(), 130);
        assert_eq!(f.and(&b), b);
    }
}
