//! [`Engine::connections`] for many pairs at once, a row at a time (the CLI's
//! `connlist --by workload`, issue 17): the rules of the row's source and of each
//! column's destination are gathered once, each distinct connection set is kept once and
//! named by a number, and unions and intersections of those numbers are remembered, so a
//! pair costs a few bitset reads and table look-ups instead of building port sets. The
//! sets equal [`Engine::connections`]' (`tests/properties.rs`); with cluster-scoped or
//! Calico policies every pair is asked of [`Engine::connections`] itself.
//!
//! The page does not call it (its wasm is at its size budget): keep it that way, or
//! measure the page.

#![allow(
    clippy::indexing_slicing,
    reason = "a policy number comes from the engine's selecting lists, a set number from `Sets::id`: both index their tables"
)]

use std::collections::HashMap;

use super::{Engine, PairHash, PeerMatch};
use crate::model::{Direction, PortValue, Protocol, Rule, Target};
use crate::portset::PortSet;

/// The number of the empty set and of the set of everything in a [`Sets`].
const NONE: u32 = 0;
const ALL: u32 = 1;

/// Connection sets, each kept once, with their unions and intersections remembered.
struct Sets {
    sets: Vec<PortSet>,
    ids: HashMap<PortSet, u32>,
    union: HashMap<(u32, u32), u32, PairHash>,
    inter: HashMap<(u32, u32), u32, PairHash>,
    /// (protocol, port) -> the set of that one port.
    ports: HashMap<(u32, u32), u32, PairHash>,
}

impl Sets {
    fn new() -> Sets {
        let mut s = Sets {
            sets: Vec::new(),
            ids: HashMap::new(),
            union: HashMap::default(),
            inter: HashMap::default(),
            ports: HashMap::default(),
        };
        s.id(PortSet::none());
        s.id(PortSet::all());
        s
    }

    fn id(&mut self, set: PortSet) -> u32 {
        let next = self.sets.len() as u32;
        let id = *self.ids.entry(set.clone()).or_insert(next);
        if id == next {
            self.sets.push(set);
        }
        id
    }

    /// The set of one port.
    fn port(&mut self, protocol: Protocol, port: u16) -> u32 {
        let key = (protocol as u32, u32::from(port));
        if let Some(&id) = self.ports.get(&key) {
            return id;
        }
        let mut set = PortSet::none();
        set.add(protocol, port, port);
        let id = self.id(set);
        self.ports.insert(key, id);
        id
    }

    fn get(&self, id: u32) -> &PortSet {
        // Every id handed out indexes `sets`.
        &self.sets[id as usize]
    }

    fn union(&mut self, a: u32, b: u32) -> u32 {
        if a == b || b == NONE || a == ALL {
            return a;
        }
        if a == NONE || b == ALL {
            return b;
        }
        let key = (a.min(b), a.max(b));
        if let Some(&id) = self.union.get(&key) {
            return id;
        }
        let mut set = self.get(a).clone();
        set.union_with(self.get(b));
        let id = self.id(set);
        self.union.insert(key, id);
        id
    }

    fn intersect(&mut self, a: u32, b: u32) -> u32 {
        if a == b || b == ALL || a == NONE {
            return a;
        }
        if a == ALL || b == NONE {
            return b;
        }
        let key = (a.min(b), a.max(b));
        if let Some(&id) = self.inter.get(&key) {
            return id;
        }
        let set = self.get(a).intersect(self.get(b));
        let id = self.id(set);
        self.inter.insert(key, id);
        id
    }
}

/// A rule of a policy selecting one end: `ports`, the set of its port entries that do
/// not depend on the destination (all of them for ingress rules, whose destination is
/// the end), and `named`, the named ports it resolves on each destination.
struct RuleAt<'e> {
    policy: usize,
    index: usize,
    rule: &'e Rule,
    ports: u32,
    named: Vec<(Protocol, &'e str)>,
}

/// The rules of the policies selecting `subject` for `dir`, or None when none selects
/// it (the side allows everything).
fn rules_of<'e>(
    engine: &'e Engine,
    sets: &mut Sets,
    dir: Direction,
    subject: Target,
) -> Option<Vec<RuleAt<'e>>> {
    let Target::Endpoint(si) = subject else {
        return None;
    };
    let selecting = engine.selecting(si, dir);
    if selecting.is_empty() {
        return None;
    }
    let mut out = Vec::new();
    for &pi in selecting {
        let policy = &engine.cluster.policies[pi];
        for (index, rule) in policy.rules(dir).iter().enumerate() {
            let mut named = Vec::new();
            let ports = match dir {
                Direction::Ingress => sets.id(engine.rule_ports(rule, subject)),
                Direction::Egress if rule.ports.is_empty() => ALL,
                Direction::Egress => {
                    // As `rule_ports`: the union of its entries' sets, the fixed ones
                    // here, the named ones at each destination.
                    let mut fixed = PortSet::none();
                    for pr in &rule.ports {
                        match &pr.port {
                            None => fixed.add_all(pr.protocol),
                            Some(PortValue::Number(n)) => {
                                fixed.add(pr.protocol, *n, pr.end_port.unwrap_or(*n).max(*n))
                            }
                            Some(PortValue::Name(name)) => named.push((pr.protocol, name.as_str())),
                        }
                    }
                    sets.id(fixed)
                }
            };
            out.push(RuleAt {
                policy: pi,
                index,
                rule,
                ports,
                named,
            });
        }
    }
    Some(out)
}

/// [`Engine::connections`] from one source to many destinations.
pub struct ConnectionRows<'e> {
    engine: &'e Engine,
    sets: Sets,
    /// Per column (a destination as the caller numbers them): its ingress rules.
    columns: Vec<Option<Option<Vec<RuleAt<'e>>>>>,
    from: Option<Target>,
    egress: Option<Vec<RuleAt<'e>>>,
}

impl<'e> ConnectionRows<'e> {
    /// `columns`: how many destinations the caller numbers.
    pub fn new(engine: &'e Engine, columns: usize) -> ConnectionRows<'e> {
        let mut empty = Vec::new();
        empty.resize_with(columns, || None);
        ConnectionRows {
            engine,
            sets: Sets::new(),
            columns: empty,
            from: None,
            egress: None,
        }
    }

    /// The source of the next [`ConnectionRows::get`]s.
    pub fn row(&mut self, from: Target) {
        if self.from != Some(from) {
            self.egress = if self.engine.cluster.has_tiers() {
                None
            } else {
                rules_of(self.engine, &mut self.sets, Direction::Egress, from)
            };
            self.from = Some(from);
        }
    }

    /// What one side's rules allow between the row's source and `to` (`other` is the
    /// far end of the side's subject).
    fn side(
        engine: &Engine,
        sets: &mut Sets,
        dir: Direction,
        rules: &[RuleAt<'_>],
        other: Target,
        to: Target,
    ) -> u32 {
        let mut acc = NONE;
        for r in rules {
            let peer_ok = r.rule.peers.is_empty()
                || r.rule.peers.iter().enumerate().any(|(k, p)| {
                    engine.peer_matches(r.policy, dir, r.index, k, p, other) != PeerMatch::No
                });
            if peer_ok {
                acc = sets.union(acc, r.ports);
                if let Target::Endpoint(j) = to {
                    for &(protocol, name) in &r.named {
                        if let Some(p) = engine.cluster.endpoints[j].named_port(name, protocol) {
                            let one = sets.port(protocol, p);
                            acc = sets.union(acc, one);
                        }
                    }
                }
                if acc == ALL {
                    break;
                }
            }
        }
        acc
    }

    /// [`Engine::connections`] from the row's source to `to`, the caller's column
    /// `column` (the same target each time it is named).
    pub fn get(&mut self, column: usize, to: Target) -> &PortSet {
        let Some(from) = self.from else {
            return self.sets.get(NONE);
        };
        let engine = self.engine;
        if engine.cluster.has_tiers() || !engine.has(from) || !engine.has(to) || from == to {
            let set = engine.connections(from, to);
            let id = self.sets.id(set);
            return self.sets.get(id);
        }
        let eg = match &self.egress {
            Some(rules) => Self::side(engine, &mut self.sets, Direction::Egress, rules, to, to),
            None => ALL,
        };
        if eg == NONE {
            return self.sets.get(NONE);
        }
        let Some(slot) = self.columns.get_mut(column) else {
            let set = engine.connections(from, to);
            let id = self.sets.id(set);
            return self.sets.get(id);
        };
        let ingress =
            slot.get_or_insert_with(|| rules_of(engine, &mut self.sets, Direction::Ingress, to));
        let ing = match ingress {
            Some(rules) => Self::side(engine, &mut self.sets, Direction::Ingress, rules, from, to),
            None => ALL,
        };
        let id = self.sets.intersect(eg, ing);
        self.sets.get(id)
    }
}
