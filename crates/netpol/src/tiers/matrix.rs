//! The tier part of the matrix for AdminNetworkPolicy, BaselineAdminNetworkPolicy and
//! ClusterNetworkPolicy (Calico keeps the per-pair path).
//!
//! For one direction, a side's admin and baseline outcomes ([`super::run_tier`]) read
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
//! decided once per distinct pair from the bits, in `run_tier`'s order: the tier's
//! policies in evaluation order, rules in order, the first matching rule decides (Pass
//! ends the tier undecided). `crates/netpol/tests/properties.rs` checks every cell of
//! generated clusters against the per-pair chain.

use std::collections::HashMap;
use std::hash::Hash;

use std::net::IpAddr;

use super::{applying, peer_matches, port_matches, Tier, TierPeerKind, Traffic};
use crate::eval::Target;
use crate::model::{Cluster, Direction, Labels};

/// Above this many (row class x column class) entries per side the tables are not built
/// and the caller takes the per-pair path.
const MAX_TABLE: usize = 1 << 26;

/// Dense class ids for keys; the key of each class is kept.
struct Interner<K> {
    ids: HashMap<K, u32>,
    keys: Vec<K>,
}

impl<K: Hash + Eq + Clone> Interner<K> {
    fn new() -> Self {
        Interner {
            ids: HashMap::new(),
            keys: Vec::new(),
        }
    }

    fn id(&mut self, key: K) -> u32 {
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

/// What tier selection and peers read of an endpoint: namespace, labels, hostNetwork and
/// (only when `networks` or `nodes` peers exist) addresses.
type Alike<'a> = (&'a str, &'a Labels, bool, &'a [IpAddr]);

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
    /// 0: not decided yet; else 1 + 3 * admin + baseline, each 0 (no decision),
    /// 1 (allowed) or 2 (denied).
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
        // Selection and peers read the namespace, the labels, hostNetwork and, for
        // `networks` and `nodes` peers, the addresses: pods alike in those share the work.
        let by_address = rules().flat_map(|r| &r.peers).any(|p| {
            matches!(
                p.kind,
                TierPeerKind::Networks { .. } | TierPeerKind::Nodes { .. }
            )
        });
        let mut alike: HashMap<Alike<'_>, (u32, u32, bool)> = HashMap::new();
        for (i, (e, t)) in cluster.endpoints.iter().zip(traffic).enumerate() {
            let ips: &[IpAddr] = if by_address { &e.ips } else { &[] };
            let (subject, peer, any) = *alike
                .entry((&e.namespace, &e.labels, e.host_network, ips))
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
                    (subjects.id(key), peers.id(bits), any)
                });
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

    /// One tier for a subject class, a peer class and a destination class: Some(allowed)
    /// when a rule decided, None when the tier passed or nothing matched.
    fn run(&self, cluster: &Cluster, tier: &[usize], peer: &[bool], dst: &[bool]) -> Option<bool> {
        for &pi in tier {
            let rules = cluster.cluster_policies[pi].rules(self.dir);
            for (r, &(po, qo)) in rules.iter().zip(&self.offsets[pi]) {
                let peer_hit = peer[po..po + r.peers.len()].iter().any(|b| *b);
                let port_hit = match &r.ports {
                    None => true,
                    Some(ports) => dst[qo..qo + ports.len()].iter().any(|b| *b),
                };
                if peer_hit && port_hit {
                    return r.action.decision();
                }
            }
        }
        None
    }
}

/// The admin and baseline outcome of every side in the endpoint block of a matrix.
pub(crate) struct TierSides<'c> {
    cluster: &'c Cluster,
    egress: Side,
    ingress: Side,
}

fn encode(d: Option<bool>) -> u8 {
    match d {
        None => 0,
        Some(true) => 1,
        Some(false) => 2,
    }
}

fn decode(v: u8) -> Option<bool> {
    match v {
        1 => Some(true),
        2 => Some(false),
        _ => None,
    }
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
    pub(crate) fn allows(
        &mut self,
        dir: Direction,
        i: usize,
        j: usize,
        np_isolated: bool,
        np_allows: bool,
    ) -> bool {
        let cluster = self.cluster;
        let side = match dir {
            Direction::Egress => &mut self.egress,
            Direction::Ingress => &mut self.ingress,
        };
        let subject = match dir {
            Direction::Egress => i,
            Direction::Ingress => j,
        };
        if !side.applies[subject] {
            return !np_isolated || np_allows;
        }
        let (r, c) = (side.row[i] as usize, side.col[j] as usize);
        let slot = r * side.cols.len() + c;
        if side.table[slot] == 0 {
            let (a, dst) = side.cols[c];
            let (subject, peer) = match dir {
                Direction::Egress => (r, a as usize),
                Direction::Ingress => (a as usize, r),
            };
            let (admin, baseline) = &side.subjects[subject];
            let (peer, dst) = (&side.peers[peer], &side.dsts[dst as usize]);
            side.table[slot] = 1
                + 3 * encode(side.run(cluster, admin, peer, dst))
                + encode(side.run(cluster, baseline, peer, dst));
        }
        let v = side.table[slot] - 1;
        match decode(v / 3) {
            Some(d) => d,
            None if np_isolated => np_allows,
            None => decode(v % 3).unwrap_or(true),
        }
    }
}
