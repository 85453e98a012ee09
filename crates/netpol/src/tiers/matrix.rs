//! The tier part of the matrix for AdminNetworkPolicy, BaselineAdminNetworkPolicy and
//! ClusterNetworkPolicy (Calico keeps the per-pair path).
//!
//! For one direction, a side's admin and baseline outcomes ([`super::walk`]) read
//! three things only: which policies of each tier select the subject, which rule peers
//! match the other end, and which port entries cover the connection at the destination.
//! Each is computed once per endpoint as a bit vector, and endpoints with equal vectors
//! share a class. A side's cell is then (row class, column class):
//!
//! - egress of `i` towards `j`: row = subject class of `i`, column = (peer class,
//!   destination class) of `j`;
//! - ingress of `j` from `i`: row = peer class of `i`, column = (subject class,
//!   destination class) of `j`;
//!
//! decided once per distinct pair from the bits by the same walk: the tier's
//! policies in evaluation order, rules in order, the first matching rule decides (Pass
//! ends the tier undecided). `crates/netpol/tests/properties.rs` checks every cell of
//! generated clusters against the per-pair chain.

#![allow(
    clippy::indexing_slicing,
    reason = "the tables are indexed by the classes this module numbers itself, each below the table's length"
)]

use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::Hash;

use super::{applying, outcome, outcomes, peer_matches, port_matches, Facts, Slot};
use super::{Tier, TierPeer, TierPeerKind, Traffic};
use crate::model::Target;
use crate::model::{Cluster, Direction, Labels};

/// Above this many (row class x column class) entries per side the tables are not built
/// and the caller takes the per-pair path.
const MAX_TABLE: usize = 1 << 26;

/// Dense class ids for keys; the key of each class is kept (both matrices' classes).
pub(crate) struct Interner<K> {
    ids: HashMap<K, u32>,
    pub(crate) keys: Vec<K>,
}

impl<K: Hash + Eq + Clone> Interner<K> {
    pub(crate) fn new() -> Self {
        Interner {
            ids: HashMap::new(),
            keys: Vec::new(),
        }
    }

    pub(crate) fn id(&mut self, key: K) -> u32 {
        if let Some(&id) = self.ids.get(&key) {
            return id;
        }
        let id = self.keys.len() as u32;
        self.ids.insert(key.clone(), id);
        self.keys.push(key);
        id
    }
}

/// The policies of each tier that select a subject, in evaluation order.
type Applying = (Vec<usize>, Vec<usize>);

/// What tier selection and the label-based peers read of an endpoint: namespace, labels
/// and hostNetwork.
type Alike<'a> = (&'a str, &'a Labels, bool);

/// One direction: where each rule's peers and port entries sit in the bit vectors, the
/// classes, and the outcome table.
struct Side {
    dir: Direction,
    /// Per cluster policy, per rule of this direction: (first peer bit, first port bit).
    offsets: Vec<Vec<(usize, usize)>>,
    subjects: Vec<Applying>,
    peers: Vec<Vec<bool>>,
    dsts: Vec<Vec<bool>>,
    /// Per endpoint: the row and column class.
    row: Vec<u32>,
    col: Vec<u32>,
    /// Per column class: (subject or peer class, destination class).
    cols: Vec<(u32, u32)>,
    /// Per endpoint as the subject: does any tier policy apply at all?
    applies: Vec<bool>,
    /// Per (row class, column class): 0 until decided, then [`outcomes`].
    table: Vec<u8>,
}

impl Side {
    fn new(cluster: &Cluster, dir: Direction, traffic: &[Option<Traffic>]) -> Option<Side> {
        let n = cluster.endpoints.len();
        let policies = &cluster.cluster_policies;
        let (mut peer_bits, mut port_bits) = (0, 0);
        let offsets: Vec<Vec<(usize, usize)>> = policies
            .iter()
            .map(|p| {
                p.rules(dir)
                    .iter()
                    .map(|r| {
                        let at = (peer_bits, port_bits);
                        peer_bits += r.peers.len();
                        port_bits += r.ports.as_ref().map_or(0, Vec::len);
                        at
                    })
                    .collect()
            })
            .collect();
        let rules = || policies.iter().flat_map(|p| p.rules(dir));
        let mut subjects = Interner::new();
        let mut peers = Interner::new();
        let mut dsts = Interner::new();
        let mut applies = Vec::with_capacity(n);
        let (mut subject_of, mut peer_of, mut dst_of) = (Vec::new(), Vec::new(), Vec::new());
        // Selection and peers read the namespace, the labels and hostNetwork, and
        // `networks` / `nodes` peers the addresses: pods alike in the first three share
        // that work, and address peers are looked at per pod.
        let by_address: Vec<(usize, &TierPeer)> = rules()
            .flat_map(|r| &r.peers)
            .enumerate()
            .filter(|(_, p)| {
                matches!(
                    p.kind,
                    TierPeerKind::Networks { .. } | TierPeerKind::Nodes { .. }
                )
            })
            .collect();
        let mut alike: HashMap<Alike<'_>, (u32, Vec<bool>, bool)> = HashMap::new();
        for (i, (e, t)) in cluster.endpoints.iter().zip(traffic).enumerate() {
            let (subject, bits, any) = alike
                .entry((&e.namespace, &e.labels, e.host_network))
                .or_insert_with(|| {
                    let key = (
                        applying(cluster, Tier::Admin, i, dir),
                        applying(cluster, Tier::Baseline, i, dir),
                    );
                    let any = !key.0.is_empty() || !key.1.is_empty();
                    let bits: Vec<bool> = rules()
                        .flat_map(|r| &r.peers)
                        .map(|p| peer_matches(cluster, p, Target::Endpoint(i)))
                        .collect();
                    (subjects.id(key), bits, any)
                });
            let (subject, any) = (*subject, *any);
            let peer = if by_address.is_empty() {
                peers.id(bits.clone())
            } else {
                let mut bits = bits.clone();
                for &(k, p) in &by_address {
                    bits[k] = peer_matches(cluster, p, Target::Endpoint(i));
                }
                peers.id(bits)
            };
            applies.push(any);
            subject_of.push(subject);
            peer_of.push(peer);
            let other = Target::Endpoint(i);
            // Which port entries cover what `i` receives, at `i` (named ports resolve
            // there); empty when it cannot receive the queried connection (such cells
            // are denied before any tier is asked).
            let bits: Vec<bool> = match *t {
                Some(t) => rules()
                    .flat_map(|r| r.ports.iter().flatten())
                    .map(|p| port_matches(cluster, p, other, t))
                    .collect(),
                None => Vec::new(),
            };
            dst_of.push(dsts.id(bits));
        }
        let mut cols = Interner::new();
        let (row, col) = match dir {
            Direction::Egress => {
                let col = (0..n).map(|j| cols.id((peer_of[j], dst_of[j]))).collect();
                (subject_of, col)
            }
            Direction::Ingress => {
                let col = (0..n)
                    .map(|j| cols.id((subject_of[j], dst_of[j])))
                    .collect();
                (peer_of, col)
            }
        };
        let rows = match dir {
            Direction::Egress => subjects.keys.len(),
            Direction::Ingress => peers.keys.len(),
        };
        let size = rows.checked_mul(cols.keys.len())?;
        (size <= MAX_TABLE).then(|| Side {
            dir,
            offsets,
            subjects: subjects.keys,
            peers: peers.keys,
            dsts: dsts.keys,
            row,
            col,
            cols: cols.keys,
            applies,
            table: vec![0; size],
        })
    }

    /// The table entry for row class `r` and column class `c`: the tier walk
    /// ([`crate::tiers::walk`]) on their bits, for each NetworkPolicy outcome.
    fn decide(&self, cluster: &Cluster, r: usize, c: usize) -> u8 {
        let (a, dst) = self.cols[c];
        let (subject, peer) = match self.dir {
            Direction::Egress => (r, a as usize),
            Direction::Ingress => (a as usize, r),
        };
        let bits = Bits {
            cluster,
            side: self,
            applying: &self.subjects[subject],
            peer: &self.peers[peer],
            dst: &self.dsts[dst as usize],
        };
        outcomes(&bits, &PLAIN)
    }
}

/// The tiers without Calico.
const PLAIN: [Slot; 3] = [Slot::Admin, Slot::NetworkPolicies, Slot::Baseline];

/// What the tier walk reads of one side, from a row class's and a column class's bits.
struct Bits<'a> {
    cluster: &'a Cluster,
    side: &'a Side,
    applying: &'a Applying,
    peer: &'a [bool],
    dst: &'a [bool],
}

impl Facts for Bits<'_> {
    fn cluster(&self) -> &Cluster {
        self.cluster
    }

    fn dir(&self) -> Direction {
        self.side.dir
    }

    fn cluster_policies(&self, tier: Tier) -> Cow<'_, [usize]> {
        Cow::Borrowed(match tier {
            Tier::Admin => &self.applying.0,
            Tier::Baseline => &self.applying.1,
        })
    }

    fn cluster_rule(&self, pi: usize, ri: usize) -> bool {
        let Some(r) = self.cluster.cluster_policies[pi]
            .rules(self.side.dir)
            .get(ri)
        else {
            return false;
        };
        let (po, qo) = self.side.offsets[pi][ri];
        self.peer[po..po + r.peers.len()].iter().any(|b| *b)
            && match &r.ports {
                None => true,
                Some(ports) => self.dst[qo..qo + ports.len()].iter().any(|b| *b),
            }
    }

    // No Calico policies here (the Calico matrix takes those clusters).
    fn calico_selects(&self, _: usize) -> bool {
        false
    }

    fn calico_rule(&self, _: usize, _: usize) -> bool {
        false
    }
}

/// The admin and baseline outcome of every side in the endpoint block of a matrix.
pub(crate) struct TierSides<'c> {
    cluster: &'c Cluster,
    egress: Side,
    ingress: Side,
}

impl<'c> TierSides<'c> {
    /// Classes for the endpoints of `cluster`; `traffic[j]` is what endpoint `j` receives
    /// (None: it cannot receive the queried connection). None when the classes are too
    /// many for tables (then every cell goes through the per-pair chain).
    pub(crate) fn new(cluster: &'c Cluster, traffic: &[Option<Traffic>]) -> Option<Self> {
        Some(TierSides {
            cluster,
            egress: Side::new(cluster, Direction::Egress, traffic)?,
            ingress: Side::new(cluster, Direction::Ingress, traffic)?,
        })
    }

    /// Whether one side allows `i -> j` (endpoints, `i != j`), given the NetworkPolicy
    /// side's result: the admin tier decides first, then NetworkPolicy when it isolates
    /// the subject, then the baseline tier, then allow.
    #[inline]
    pub(crate) fn allows(
        &mut self,
        dir: Direction,
        i: usize,
        j: usize,
        np_isolated: bool,
        np_allows: bool,
    ) -> bool {
        let (side, subject) = match dir {
            Direction::Egress => (&mut self.egress, i),
            Direction::Ingress => (&mut self.ingress, j),
        };
        if !side.applies[subject] {
            return !np_isolated || np_allows;
        }
        let (r, c) = (side.row[i] as usize, side.col[j] as usize);
        let slot = r * side.cols.len() + c;
        let mut v = side.table[slot];
        if v == 0 {
            v = side.decide(self.cluster, r, c);
            side.table[slot] = v;
        }
        outcome(v, np_isolated.then_some(np_allows))
    }
}
