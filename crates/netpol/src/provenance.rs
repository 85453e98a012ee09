//! From a rule to its flows (issue 13): what a NetworkPolicy, one of its rules or one
//! peer of a rule allows between the workloads of [`crate::group`], and whether it
//! allows anything the rest does not. The page marks these flows on its Graph and
//! Matrix; `lint/rules.rs` proves the same findings per rule as lints
//! (`rule-matches-nothing`, `redundant-rule`), with the same engines.
//!
//! A part *admits* a connection when the policy with only that part, among the
//! NetworkPolicies alone, lets it through on the side the policy selects: an ingress
//! part into the pods the policy selects, an egress part out of them. What it admits is
//! *allowed* where the whole input allows it too (the other side, every tier); the rest
//! is *blocked* elsewhere (the other side's isolation, an admin tier's Deny).
//!
//! A part is *redundant* when removing it (a policy: its rules, the isolation kept; a
//! rule; a peer, or its rule when it is the rule's only peer) changes no connection set
//! between the pods the policy selects and every other workload variant and address
//! range, among the NetworkPolicies. It *matches nothing* when it admits nothing.

use crate::diag::Location;
use crate::eval::{Engine, PortQuery, Target};
use crate::group::WorkloadView;
use crate::model::*;
use crate::portset::PortSet;
use crate::spot::Spot;
use crate::words;
use crate::Lang;

/// A policy, one of its rules, or one peer of a rule (indexes into [`Cluster`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Part {
    Policy {
        policy: usize,
    },
    Rule {
        policy: usize,
        direction: Direction,
        rule: usize,
    },
    Peer {
        policy: usize,
        direction: Direction,
        rule: usize,
        peer: usize,
    },
}

impl Part {
    /// The part a spot of the editor is in: a port entry stands for its rule; endpoints
    /// and namespaces are no part.
    pub fn from_spot(s: Spot) -> Option<Part> {
        Some(match s {
            Spot::Policy { policy } => Part::Policy { policy },
            Spot::Rule {
                policy,
                direction,
                rule,
            }
            | Spot::Port {
                policy,
                direction,
                rule,
                ..
            } => Part::Rule {
                policy,
                direction,
                rule,
            },
            Spot::Peer {
                policy,
                direction,
                rule,
                peer,
            } => Part::Peer {
                policy,
                direction,
                rule,
                peer,
            },
            Spot::Endpoint { .. } | Spot::Namespace { .. } => return None,
        })
    }

    pub fn policy(&self) -> usize {
        match *self {
            Part::Policy { policy } | Part::Rule { policy, .. } | Part::Peer { policy, .. } => {
                policy
            }
        }
    }

    /// `spec.ingress[0]`, `spec.egress[1].to[0]`; "" for a policy.
    pub fn path(&self) -> String {
        match *self {
            Part::Policy { .. } => String::new(),
            Part::Rule {
                direction, rule, ..
            } => rule_path(direction, rule),
            Part::Peer {
                direction,
                rule,
                peer,
                ..
            } => {
                let field = match direction {
                    Direction::Ingress => "from",
                    Direction::Egress => "to",
                };
                format!("{}.{field}[{peer}]", rule_path(direction, rule))
            }
        }
    }

    /// Where it is written.
    pub fn location<'c>(&self, c: &'c Cluster) -> Option<&'c Location> {
        let p = c.policies.get(self.policy())?;
        match *self {
            Part::Policy { .. } => Some(&p.location),
            Part::Rule {
                direction, rule, ..
            } => Some(&p.rules(direction).get(rule)?.location),
            Part::Peer {
                direction,
                rule,
                peer,
                ..
            } => Some(&p.rules(direction).get(rule)?.peers.get(peer)?.location),
        }
    }

    /// The directions it has rules in.
    fn directions(&self, p: &Policy) -> Vec<Direction> {
        match *self {
            Part::Policy { .. } => [Direction::Ingress, Direction::Egress]
                .into_iter()
                .filter(|&d| p.isolates(d))
                .collect(),
            Part::Rule { direction, .. } | Part::Peer { direction, .. } => vec![direction],
        }
    }
}

/// `spec.ingress[2]`.
pub(crate) fn rule_path(dir: Direction, ri: usize) -> String {
    format!("spec.{}[{ri}]", dir.as_str())
}

/// The cluster with only its NetworkPolicies (the layer a part belongs to).
pub(crate) fn np_only(cluster: &Cluster) -> Cluster {
    let mut c = cluster.clone();
    c.cluster_policies.clear();
    c.calico = Default::default();
    c
}

/// The NetworkPolicies with only `rules` of `p` in direction `dir` (that direction
/// isolating, the other not).
pub(crate) fn alone(cluster: &Cluster, p: &Policy, dir: Direction, rules: Vec<Rule>) -> Engine {
    let mut c = np_only(cluster);
    let (ingress, egress) = match dir {
        Direction::Ingress => (rules, Vec::new()),
        Direction::Egress => (Vec::new(), rules),
    };
    c.policies = vec![Policy {
        ingress,
        egress,
        ingress_isolating: dir == Direction::Ingress,
        egress_isolating: dir == Direction::Egress,
        ..p.clone()
    }];
    Engine::new(c)
}

/// The connections a part allows between two groups.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Flow {
    /// Groups of the view (`from == to`: between the replicas of one workload).
    pub from: usize,
    pub to: usize,
    /// What the part admits and the whole input allows.
    pub allowed: PortSet,
    /// What the part admits and something else denies.
    pub blocked: PortSet,
}

/// Whether the part is needed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Finding {
    /// Removing it takes some connection away.
    Needed,
    /// Removing it changes no connection: `example` (`from` -> `to` ports) is one it
    /// admits, `by` other rules that allow it too.
    Redundant { example: String, by: Vec<String> },
    /// It admits nothing.
    Nothing,
}

/// What one part allows, over a workload view.
pub struct Provenance<'v, 'e> {
    pub part: Part,
    /// Sorted by (from, to); only pairs with something admitted.
    pub flows: Vec<Flow>,
    pub finding: Finding,
    view: &'v WorkloadView<'e>,
    /// Per direction of the part: the policy with only the part.
    alone: Vec<(Direction, Engine)>,
    /// Per endpoint: the policy selects it.
    selected: Vec<bool>,
}

/// The pairs of targets that stand for group `f` to group `t`: every variant's, and
/// within one group the first two pods of a variant (pods no policy tells apart).
fn unit_pairs(view: &WorkloadView<'_>, f: usize, t: usize) -> Vec<(Target, Target)> {
    let (fu, tu) = (view.units(f), view.units(t));
    let mut out = Vec::new();
    for (a, &u) in fu.iter().enumerate() {
        for (b, &v) in tu.iter().enumerate() {
            if f != t || a != b {
                out.push((u, v));
            } else if let Some(&second) = view
                .groups
                .get(f)
                .and_then(|g| g.variants.get(a))
                .and_then(|v| v.get(1))
            {
                out.push((u, Target::Endpoint(second)));
            }
        }
    }
    out
}

impl<'v, 'e> Provenance<'v, 'e> {
    /// The flows and finding of `part` (None when it names no NetworkPolicy).
    pub fn new(view: &'v WorkloadView<'e>, part: Part) -> Option<Provenance<'v, 'e>> {
        let full = view.engine();
        let c = &full.cluster;
        let p = c.policies.get(part.policy())?;
        part.location(c)?;
        let mut selected = vec![false; c.endpoints.len()];
        for i in full.policy_selection(part.policy()) {
            if let Some(s) = selected.get_mut(i) {
                *s = true;
            }
        }
        let alone_engines = part
            .directions(p)
            .into_iter()
            .map(|dir| {
                let rules = match part {
                    Part::Policy { .. } => p.rules(dir).to_vec(),
                    Part::Rule { rule, .. } => {
                        p.rules(dir).get(rule).cloned().into_iter().collect()
                    }
                    Part::Peer { rule, peer, .. } => (p.rules(dir).get(rule).cloned())
                        .map(|mut r| {
                            r.peers = r.peers.get(peer).cloned().into_iter().collect();
                            r
                        })
                        .into_iter()
                        .collect(),
                };
                (dir, alone(c, p, dir, rules))
            })
            .collect();
        let mut prov = Provenance {
            part,
            flows: Vec::new(),
            finding: Finding::Needed,
            view,
            alone: alone_engines,
            selected,
        };
        // Only the groups with a selected pod can be a subject.
        let subject_groups: Vec<usize> = (0..view.groups.len())
            .filter(|&g| {
                view.units(g)
                    .iter()
                    .any(|&u| matches!(u, Target::Endpoint(i) if prov.is_selected(i)))
            })
            .collect();
        let n = view.groups.len();
        let mut example: Option<(Target, Target, PortSet)> = None;
        for f in 0..n {
            for t in 0..n {
                if !subject_groups.contains(&f) && !subject_groups.contains(&t) {
                    continue;
                }
                let (Some(gf), Some(gt)) = (view.groups.get(f), view.groups.get(t)) else {
                    continue;
                };
                if (gf.is_external() && gt.is_external()) || !gf.source || !gt.destination {
                    continue;
                }
                let mut flow = Flow {
                    from: f,
                    to: t,
                    allowed: PortSet::none(),
                    blocked: PortSet::none(),
                };
                for (u, v) in unit_pairs(view, f, t) {
                    let admitted = prov.admits(u, v);
                    if admitted.is_empty() {
                        continue;
                    }
                    let now = full.connections(u, v);
                    flow.allowed.union_with(&admitted.intersect(&now));
                    flow.blocked.union_with(&admitted.minus(&now));
                    if example.is_none() {
                        example = Some((u, v, admitted));
                    }
                }
                if !flow.allowed.is_empty() || !flow.blocked.is_empty() {
                    prov.flows.push(flow);
                }
            }
        }
        prov.finding = match example {
            None => Finding::Nothing,
            Some(ex) => prov.redundancy(p, &subject_groups, ex),
        };
        Some(prov)
    }

    fn is_selected(&self, i: usize) -> bool {
        self.selected.get(i).copied().unwrap_or(false)
    }

    /// What the part admits from `from` to `to`, on the side its policy selects.
    pub fn admits(&self, from: Target, to: Target) -> PortSet {
        let mut set = PortSet::none();
        if from == to {
            return set;
        }
        for (dir, engine) in &self.alone {
            let subject = match dir {
                Direction::Ingress => to,
                Direction::Egress => from,
            };
            if matches!(subject, Target::Endpoint(i) if self.is_selected(i)) {
                set.union_with(&engine.connections(from, to));
            }
        }
        set
    }

    /// Whether the part admits one port and protocol and the whole input allows it (a
    /// matrix cell).
    pub fn allows_cell(
        &self,
        from: Target,
        to: Target,
        protocol: QueryProtocol,
        port: &PortQuery,
    ) -> bool {
        from != to
            && self.alone.iter().any(|(dir, engine)| {
                let subject = match dir {
                    Direction::Ingress => to,
                    Direction::Egress => from,
                };
                matches!(subject, Target::Endpoint(i) if self.is_selected(i))
                    && engine.cell(from, to, protocol, port) == Some(true)
            })
            && self.view.engine().cell(from, to, protocol, port) == Some(true)
    }

    /// Whether the part admits one port and protocol from workload group `f` to group
    /// `t` for some pair of their variants (a workload matrix cell), the whole input
    /// allowing it too.
    pub fn allows_groups(
        &self,
        f: usize,
        t: usize,
        protocol: QueryProtocol,
        port: &PortQuery,
    ) -> bool {
        let (Some(gf), Some(gt)) = (self.view.groups.get(f), self.view.groups.get(t)) else {
            return false;
        };
        // As the flows: a range is a source or a destination of the partition it is in.
        !(gf.is_external() && gt.is_external())
            && gf.source
            && gt.destination
            && unit_pairs(self.view, f, t)
                .into_iter()
                .any(|(u, v)| self.allows_cell(u, v, protocol, port))
    }

    /// Redundant, or needed: the NetworkPolicies without the part compared with them all
    /// over every pair with a subject.
    fn redundancy(
        &self,
        p: &Policy,
        subjects: &[usize],
        (ef, et, eset): (Target, Target, PortSet),
    ) -> Finding {
        let c = &self.view.engine().cluster;
        let mut without = np_only(c);
        let pi = self.part.policy();
        if let Some(wp) = without.policies.get_mut(pi) {
            match self.part {
                Part::Policy { .. } => {
                    wp.ingress.clear();
                    wp.egress.clear();
                }
                Part::Rule {
                    direction, rule, ..
                } => remove(wp, direction, rule, None),
                Part::Peer {
                    direction,
                    rule,
                    peer,
                    ..
                } => remove(wp, direction, rule, Some(peer)),
            }
        }
        let np = (c.cluster_policies.is_empty() && c.calico.is_empty()).then(|| self.view.engine());
        let owned;
        let with = match np {
            Some(e) => e,
            None => {
                owned = Engine::new(np_only(c));
                &owned
            }
        };
        let without = Engine::new(without);
        let n = self.view.groups.len();
        for &s in subjects {
            for o in 0..n {
                for (f, t) in [(s, o), (o, s)] {
                    for (u, v) in unit_pairs(self.view, f, t) {
                        if u != v && with.connections(u, v) != without.connections(u, v) {
                            return Finding::Needed;
                        }
                    }
                }
            }
        }
        let by = also_allowed_by(with, p, self.part, (ef, et), &eset);
        Finding::Redundant {
            example: format!("`{}` -> `{}` {}", with.name(ef), with.name(et), eset),
            by,
        }
    }

    /// The finding in the lints' words (`redundant-rule`, `rule-matches-nothing`); None
    /// when the part is needed.
    pub fn message(&self, lang: Lang) -> Option<String> {
        let c = &self.view.engine().cluster;
        let p = c.policies.get(self.part.policy())?;
        let path = self.part.path();
        let dir = match self.part {
            Part::Rule { direction, .. } | Part::Peer { direction, .. } => Some(direction),
            Part::Policy { .. } => None,
        };
        match &self.finding {
            Finding::Needed => None,
            Finding::Redundant { example, by } => Some(words::lint::redundant_rule(
                p.full_name(),
                &path,
                example,
                by,
                lang,
            )),
            Finding::Nothing => Some(match dir {
                Some(d) => words::lint::rule_matches_nothing(p.full_name(), &path, d, lang),
                None => words::lint::policy_allows_nothing(p.full_name(), lang),
            }),
        }
    }
}

/// Removes rule `ri` of `dir` from `p`, or only its peer `peer` (the rule when that is
/// its only peer: a rule without peers admits everything).
fn remove(p: &mut Policy, dir: Direction, ri: usize, peer: Option<usize>) {
    let rules = match dir {
        Direction::Ingress => &mut p.ingress,
        Direction::Egress => &mut p.egress,
    };
    match (peer, rules.get_mut(ri)) {
        (Some(j), Some(r)) if r.peers.len() > 1 && j < r.peers.len() => {
            r.peers.remove(j);
        }
        (_, Some(_)) => {
            rules.remove(ri);
        }
        (_, None) => {}
    }
}

/// One port of a set, to ask a query about: the first of TCP, UDP, SCTP, else ICMP.
fn some_port(set: &PortSet) -> Option<(QueryProtocol, Option<PortQuery>)> {
    for p in Protocol::ALL {
        if let Some(&(lo, _)) = set.ranges(p).first() {
            return Some((p.into(), Some(PortQuery::Number(lo))));
        }
    }
    set.icmp().then_some((QueryProtocol::ICMP, None))
}

/// The rules other than `part` that allow a redundant part's example connection (a
/// peer's own rule counts: its other peers may allow it).
pub(crate) fn also_allowed_by(
    full: &Engine,
    p: &Policy,
    part: Part,
    (ef, et): (Target, Target),
    eset: &PortSet,
) -> Vec<String> {
    let mut by: Vec<String> = Vec::new();
    let Some((proto, port)) = some_port(eset) else {
        return by;
    };
    let d = full.query(ef, et, proto, port.as_ref());
    let dirs: &[Direction] = match part {
        Part::Policy { .. } => &[Direction::Ingress, Direction::Egress],
        Part::Rule { direction, .. } | Part::Peer { direction, .. } => match direction {
            Direction::Ingress => &[Direction::Ingress],
            Direction::Egress => &[Direction::Egress],
        },
    };
    let sides = dirs.iter().map(|dir| match dir {
        Direction::Ingress => &d.ingress,
        Direction::Egress => &d.egress,
    });
    for r in sides.flat_map(|s| &s.allowed_by) {
        let own = r.policy.namespace == p.namespace && r.policy.name == p.name;
        let same = own
            && match part {
                Part::Policy { .. } => true,
                Part::Rule {
                    direction, rule, ..
                } => r.direction == direction && r.rule == rule,
                Part::Peer {
                    direction,
                    rule,
                    peer,
                    ..
                } => r.direction == direction && r.rule == rule && r.peer == Some(peer),
            };
        let name = format!(
            "`{}/{}` {}",
            r.policy.namespace,
            r.policy.name,
            rule_path(r.direction, r.rule)
        );
        if !same && !by.contains(&name) {
            by.push(name);
        }
    }
    by
}
