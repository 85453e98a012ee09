//! The Calico part of the matrix, decided per class of what Calico reads (a cluster with
//! Calico policies and no AdminNetworkPolicy, BaselineAdminNetworkPolicy or
//! ClusterNetworkPolicy; with those the matrix decides each pair of classes through
//! [`crate::tiers::chain`]).
//!
//! For one direction, [`crate::tiers::chain`] reads of a connection `i -> j`: which Calico
//! policies select the subject (`i` for egress, `j` for ingress), for each rule whether
//! its `source` matches `i` and whether its `destination` matches `j` with the port
//! entries covering what `j` receives, and the NetworkPolicy side's result. Each is a
//! bit vector per endpoint; endpoints with equal vectors share a class, and a side's
//! outcome is decided once per (row class, column class) by the walk over tiers,
//! policies and rules that decides one connection ([`crate::tiers::walk`]), on the bits.
//! `tests/properties.rs` checks every cell against per-pair queries.

#![allow(
    clippy::indexing_slicing,
    reason = "the tables are indexed by the classes this module numbers itself, each below the table's length"
)]

use std::borrow::Cow;

use super::{entity_matches, rule_ports, traffic_in};
use crate::model::Target;
use crate::model::{Cluster, Direction};
use crate::tiers::matrix::Interner;
use crate::tiers::{outcome, outcomes, slots, Facts, Slot, Tier, Traffic};

/// Above this many (row class x column class) entries per side the tables are not built.
const MAX_TABLE: usize = 1 << 26;

/// One direction.
struct Side {
    dir: Direction,
    /// The policies that apply to this direction (indexes into `calico.policies`), and
    /// per policy the position of its first rule in the rule bits.
    policies: Vec<usize>,
    first_rule: Vec<usize>,
    /// Per endpoint: its row and column class.
    row: Vec<u32>,
    col: Vec<u32>,
    /// Per subject class: which of `policies` select it.
    selected: Vec<Vec<bool>>,
    /// Per row class: (subject class or none, source bits); per column class: (subject
    /// class or none, destination bits).
    rows: Vec<(u32, Vec<bool>)>,
    cols: Vec<(u32, Vec<bool>)>,
    /// Per (row class, column class): 0 until its row is decided, then [`outcomes`].
    table: Vec<u8>,
    /// Per row class: its row of `table` is decided ([`Side::fill_row`]).
    filled: Vec<bool>,
    /// The cluster's tiers in evaluation order.
    slots: Vec<Slot>,
}

impl Side {
    /// `class_of[e]` groups endpoints Calico cannot tell apart (for this connection),
    /// `reps[c]` is one endpoint of class `c`; `traffic[e]` what `e` receives.
    fn new(
        cluster: &Cluster,
        dir: Direction,
        class_of: &[u32],
        reps: &[usize],
        traffic: &[Option<Traffic>],
    ) -> Option<Side> {
        let calico = &cluster.calico;
        let policies: Vec<usize> = (0..calico.policies.len())
            .filter(|&p| calico.policies[p].applies_to(dir))
            .collect();
        let mut first_rule = Vec::with_capacity(policies.len());
        let mut rules = Vec::new();
        for &pi in &policies {
            first_rule.push(rules.len());
            let p = &calico.policies[pi];
            rules.extend(p.rules(dir).iter().map(|r| (pi, r)));
        }
        // Per class: selection, source bits, destination bits.
        let mut subjects = Interner::new();
        let mut per_class: Vec<(u32, Vec<bool>, Vec<bool>)> = Vec::new();
        for &e in reps {
            let t = Target::Endpoint(e);
            let sel: Vec<bool> = policies
                .iter()
                .map(|&pi| calico.policies[pi].selects(cluster, e))
                .collect();
            let src: Vec<bool> = rules
                .iter()
                .map(|(pi, r)| {
                    entity_matches(
                        cluster,
                        &r.source,
                        calico.policies[*pi].namespace.as_deref(),
                        t,
                    )
                })
                .collect();
            let dst: Vec<bool> = match traffic.get(e).copied().flatten() {
                Some(tr) => rules
                    .iter()
                    .map(|(pi, r)| {
                        entity_matches(
                            cluster,
                            &r.destination,
                            calico.policies[*pi].namespace.as_deref(),
                            t,
                        ) && traffic_in(&rule_ports(cluster, r, t), tr)
                    })
                    .collect(),
                None => Vec::new(),
            };
            per_class.push((subjects.id(sel), src, dst));
        }
        let mut rows = Interner::new();
        let mut cols = Interner::new();
        let mut row_of_class = Vec::with_capacity(per_class.len());
        let mut col_of_class = Vec::with_capacity(per_class.len());
        for (subject, src, dst) in &per_class {
            let (r, c) = match dir {
                Direction::Egress => ((*subject, src.clone()), (u32::MAX, dst.clone())),
                Direction::Ingress => ((u32::MAX, src.clone()), (*subject, dst.clone())),
            };
            row_of_class.push(rows.id(r));
            col_of_class.push(cols.id(c));
        }
        let row = class_of.iter().map(|&c| row_of_class[c as usize]).collect();
        let col = class_of.iter().map(|&c| col_of_class[c as usize]).collect();
        let n_rows = rows.keys.len();
        let size = n_rows.checked_mul(cols.keys.len())?;
        (size <= MAX_TABLE).then(|| Side {
            dir,
            policies,
            first_rule,
            row,
            col,
            selected: subjects.keys,
            rows: rows.keys,
            cols: cols.keys,
            table: vec![0; size],
            filled: vec![false; n_rows],
            slots: slots(cluster),
        })
    }

    /// Decides row class `r` for every column class, once: the matrix visits each row's
    /// columns (nearly) all, so the cells then read the table without a check.
    fn fill_row(&mut self, cluster: &Cluster, r: usize) {
        if self.filled.get(r).copied().unwrap_or(true) {
            return;
        }
        self.filled[r] = true;
        let base = r * self.cols.len();
        for c in 0..self.cols.len() {
            self.table[base + c] = self.decide(cluster, r, c);
        }
    }

    /// The tier walk ([`crate::tiers::walk`]) on the bits of a row class and a column
    /// class, for each NetworkPolicy outcome.
    fn decide(&self, cluster: &Cluster, r: usize, c: usize) -> u8 {
        let ((rs, src), (cs, dst)) = (&self.rows[r], &self.cols[c]);
        let subject = match self.dir {
            Direction::Egress => *rs,
            Direction::Ingress => *cs,
        };
        let selected = &self.selected[subject as usize];
        let bits = Bits {
            cluster,
            side: self,
            selected,
            src,
            dst,
        };
        outcomes(&bits, &self.slots)
    }
}

/// What the tier walk reads of one side, from a row class's and a column class's bits.
struct Bits<'a> {
    cluster: &'a Cluster,
    side: &'a Side,
    selected: &'a [bool],
    src: &'a [bool],
    dst: &'a [bool],
}

impl Bits<'_> {
    /// The position of Calico policy `pi` among the side's policies.
    fn of(&self, pi: usize) -> Option<usize> {
        self.side.policies.iter().position(|&p| p == pi)
    }
}

impl Facts for Bits<'_> {
    fn cluster(&self) -> &Cluster {
        self.cluster
    }

    fn dir(&self) -> Direction {
        self.side.dir
    }

    // No cluster-scoped policies here ([`CalicoSides::new`]).
    fn cluster_policies(&self, _: Tier) -> Cow<'_, [usize]> {
        Cow::Borrowed(&[])
    }

    fn cluster_rule(&self, _: usize, _: usize) -> bool {
        false
    }

    fn calico_selects(&self, pi: usize) -> bool {
        self.of(pi)
            .is_some_and(|k| self.selected.get(k).copied().unwrap_or(false))
    }

    fn calico_rule(&self, pi: usize, ri: usize) -> bool {
        self.of(pi).is_some_and(|k| {
            let b = self.side.first_rule[k] + ri;
            self.src.get(b).copied().unwrap_or(false) && self.dst.get(b).copied().unwrap_or(false)
        })
    }
}

/// Both sides of the endpoint block of a matrix in a Calico cluster.
pub(crate) struct CalicoSides<'c> {
    cluster: &'c Cluster,
    egress: Side,
    ingress: Side,
    /// The row of the source of the cells being decided ([`CalicoSides::begin_row`]):
    /// where its table rows start, per side.
    base: [usize; 2],
}

impl<'c> CalicoSides<'c> {
    /// None when the cluster also has cluster-scoped policies, or the classes are too
    /// many for tables.
    pub(crate) fn new(
        cluster: &'c Cluster,
        class_of: &[u32],
        reps: &[usize],
        traffic: &[Option<Traffic>],
    ) -> Option<Self> {
        if !cluster.cluster_policies.is_empty() {
            return None;
        }
        Some(CalicoSides {
            cluster,
            egress: Side::new(cluster, Direction::Egress, class_of, reps, traffic)?,
            ingress: Side::new(cluster, Direction::Ingress, class_of, reps, traffic)?,
            base: [0, 0],
        })
    }

    /// The cells from source `i` come next: its table rows, decided if they are not yet,
    /// and where they start.
    #[inline]
    pub(crate) fn begin_row(&mut self, i: usize) {
        let (er, ir) = (self.egress.row[i] as usize, self.ingress.row[i] as usize);
        self.egress.fill_row(self.cluster, er);
        self.ingress.fill_row(self.cluster, ir);
        self.base = [er * self.egress.cols.len(), ir * self.ingress.cols.len()];
    }

    /// The column of destination `j` in a side's table.
    #[inline]
    pub(crate) fn column(&self, dir: Direction, j: usize) -> usize {
        match dir {
            Direction::Egress => self.egress.col[j] as usize,
            Direction::Ingress => self.ingress.col[j] as usize,
        }
    }

    /// Whether one side allows the connection from the source of the last
    /// [`CalicoSides::begin_row`] to a destination in column `c`
    /// ([`CalicoSides::column`]), given the NetworkPolicy side's result.
    #[inline]
    pub(crate) fn allows_column(
        &self,
        dir: Direction,
        c: usize,
        np_isolated: bool,
        np_allows: bool,
    ) -> bool {
        let (side, base) = match dir {
            Direction::Egress => (&self.egress, self.base[0]),
            Direction::Ingress => (&self.ingress, self.base[1]),
        };
        outcome(side.table[base + c], np_isolated.then_some(np_allows))
    }
}
