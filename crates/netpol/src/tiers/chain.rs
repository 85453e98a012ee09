//! The tier chain: one walk over ordered tiers, for one side of one connection.
//!
//! The cluster-scoped tiers (admin, baseline), the NetworkPolicies and Calico's tiers
//! plug into it as [`Slot`]s; what the walk reads of the traffic (which policies select
//! the subject, which rules match) comes from a [`Facts`]: [`Ask`] reads it from the
//! objects for one connection (`Engine::query`, connection sets), the matrices read it
//! from their per-class bit tables (`tiers::matrix`, `tiers::calico::matrix`). So the
//! order of tiers, policies and rules, and what Pass, Log and a tier's default action do,
//! are written once.

use std::borrow::Cow;

use super::calico::{
    entries, CalicoAction, Entry, ADMIN_TIER_ORDER, BASELINE_TIER_ORDER, DEFAULT_TIER_ORDER,
};
use super::{StepOutcome, StepTier, Tier, TierStep, Traffic};
use crate::model::Target;
use crate::model::{Cluster, Direction};

/// Where a tier stands among the others.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Slot {
    /// AdminNetworkPolicy and `tier: Admin` ClusterNetworkPolicies.
    Admin,
    /// The NetworkPolicies on their own (no Calico): they decide when they isolate.
    NetworkPolicies,
    /// BaselineAdminNetworkPolicy and `tier: Baseline` ClusterNetworkPolicies.
    Baseline,
    /// A Calico tier and its entries in order; the `default` one holds the
    /// NetworkPolicies at order 1000.
    Calico(String, Vec<Entry>),
}

/// The tiers of `cluster` in evaluation order: admin, NetworkPolicy, baseline; with
/// Calico policies, Calico's tiers by `order` (ties by name), the cluster-scoped ones at
/// the places Calico gives them.
pub(crate) fn slots(cluster: &Cluster) -> Vec<Slot> {
    if cluster.calico.is_empty() {
        return vec![Slot::Admin, Slot::NetworkPolicies, Slot::Baseline];
    }
    let mut names: Vec<&str> = cluster
        .calico
        .tiers
        .iter()
        .map(|t| t.name.as_str())
        .collect();
    for p in &cluster.calico.policies {
        if !names.contains(&p.tier.as_str()) {
            names.push(&p.tier);
        }
    }
    if !names.contains(&"default") {
        names.push("default");
    }
    let mut tiers: Vec<(f64, String, Slot)> = Vec::new();
    for n in names {
        let order = match cluster.calico.tier(n) {
            Some(t) => super::calico::order_key(&t.order),
            None if n == "default" => DEFAULT_TIER_ORDER,
            None => f64::INFINITY,
        };
        let slot = Slot::Calico(n.to_string(), entries(cluster, n));
        tiers.push((order, n.to_string(), slot));
    }
    let has = |tier| cluster.cluster_policies.iter().any(|p| p.tier == tier);
    if has(Tier::Admin) {
        tiers.push((ADMIN_TIER_ORDER, "kube-admin".into(), Slot::Admin));
    }
    if has(Tier::Baseline) {
        tiers.push((BASELINE_TIER_ORDER, "kube-baseline".into(), Slot::Baseline));
    }
    crate::sort::by(&mut tiers, |a, b| {
        a.0.total_cmp(&b.0).then_with(|| a.1.cmp(&b.1))
    });
    tiers.into_iter().map(|(_, _, s)| s).collect()
}

/// What the walk reads of one side of one connection.
pub(crate) trait Facts {
    fn cluster(&self) -> &Cluster;
    fn dir(&self) -> Direction;
    /// The cluster-scoped policies of `tier` that select the subject and have rules for
    /// the direction (indexes into `cluster.cluster_policies`, in evaluation order).
    fn cluster_policies(&self, tier: Tier) -> Cow<'_, [usize]>;
    /// Does rule `rule` of cluster-scoped policy `policy` match (a peer selects the far
    /// end, a port covers the traffic)?
    fn cluster_rule(&self, policy: usize, rule: usize) -> bool;
    /// Does Calico policy `policy` apply to the direction and select the subject?
    fn calico_selects(&self, policy: usize) -> bool;
    /// Does rule `rule` of Calico policy `policy` match?
    fn calico_rule(&self, policy: usize, rule: usize) -> bool;
}

/// The steps of a walk, kept when an explanation is asked for.
pub(crate) struct Steps {
    keep: bool,
    steps: Vec<TierStep>,
    /// Steps other than the NetworkPolicies' own and the default tier's end: without any,
    /// the explanation is the plain NetworkPolicy one.
    own: usize,
    /// The isolating NetworkPolicies (`ns/name`, comma-separated), for their step.
    np_names: Option<String>,
}

impl Steps {
    /// No steps kept: the verdict only.
    pub(crate) fn none() -> Steps {
        Steps {
            keep: false,
            steps: Vec::new(),
            own: 0,
            np_names: None,
        }
    }

    /// Steps kept for an explanation; `np_names` names the isolating NetworkPolicies.
    pub(crate) fn kept(np_names: Option<String>) -> Steps {
        Steps {
            keep: true,
            steps: Vec::new(),
            own: 0,
            np_names,
        }
    }

    /// Records a step (built only when steps are kept); `own` counts it as a
    /// cluster-scoped or Calico step.
    fn push(&mut self, own: bool, step: impl FnOnce() -> TierStep) {
        if self.keep {
            self.own += usize::from(own);
            self.steps.push(step());
        }
    }

    fn np(&mut self, outcome: StepOutcome) {
        if self.keep {
            let names = self.np_names.clone();
            self.steps.push(TierStep::np(outcome, names));
        }
    }

    /// The steps; none when only the NetworkPolicies (and the default) took part.
    pub(crate) fn finish(self) -> Vec<TierStep> {
        if self.own == 0 {
            Vec::new()
        } else {
            self.steps
        }
    }
}

/// Walks `slots` in order: the first tier that decides gives the verdict; when none
/// does, Kubernetes allows. `np` is the NetworkPolicy side's result: None when no
/// NetworkPolicy isolates the subject, else whether one of them allows.
pub(crate) fn walk(f: &dyn Facts, np: Option<bool>, slots: &[Slot], steps: &mut Steps) -> bool {
    if let Some(d) = run(f, np, slots, steps) {
        return d;
    }
    steps.push(false, || TierStep {
        tier: StepTier::Default,
        policy: None,
        rule: None,
        rule_name: None,
        outcome: StepOutcome::DefaultAllow,
        location: None,
    });
    true
}

/// The first verdict of `slots`, None when none decides.
fn run(f: &dyn Facts, np: Option<bool>, slots: &[Slot], steps: &mut Steps) -> Option<bool> {
    slots.iter().find_map(|slot| match slot {
        Slot::Admin => cluster_tier(f, Tier::Admin, steps),
        Slot::Baseline => cluster_tier(f, Tier::Baseline, steps),
        Slot::NetworkPolicies => network_policies(np, steps),
        Slot::Calico(name, entries) => calico_tier(f, np, name, entries, steps),
    })
}

/// The walk's verdict for each NetworkPolicy outcome, in one byte (the matrices'
/// tables): bit 0 set (decided), bit 1 when NetworkPolicy does not isolate the subject,
/// bit 2 when it isolates and denies, bit 3 when it isolates and allows. The tiers before
/// the NetworkPolicies' are walked once.
pub(crate) fn outcomes(f: &dyn Facts, slots: &[Slot]) -> u8 {
    let byte = |none: bool, denies: bool, allows: bool| {
        1 | u8::from(none) << 1 | u8::from(denies) << 2 | u8::from(allows) << 3
    };
    let k = slots
        .iter()
        .position(|s| match s {
            Slot::NetworkPolicies => true,
            Slot::Calico(name, _) => name == "default",
            _ => false,
        })
        .unwrap_or(slots.len());
    let (before, rest) = slots.split_at(k);
    if let Some(d) = run(f, None, before, &mut Steps::none()) {
        return byte(d, d, d);
    }
    let from = |np| run(f, np, rest, &mut Steps::none()).unwrap_or(true);
    byte(from(None), from(Some(false)), from(Some(true)))
}

/// An admin or baseline tier: its policies in evaluation order, rules in order, the first
/// matching rule decides (Pass ends the tier undecided). None when nothing decided.
fn cluster_tier(f: &dyn Facts, tier: Tier, steps: &mut Steps) -> Option<bool> {
    let cluster = f.cluster();
    let step_tier = match tier {
        Tier::Admin => StepTier::Admin,
        Tier::Baseline => StepTier::Baseline,
    };
    for &pi in f.cluster_policies(tier).iter() {
        let Some(p) = cluster.cluster_policies.get(pi) else {
            continue;
        };
        let hit = p
            .rules(f.dir())
            .iter()
            .enumerate()
            .find(|&(ri, _)| f.cluster_rule(pi, ri));
        steps.push(true, || TierStep {
            tier: step_tier,
            policy: Some(p.label()),
            rule: hit.map(|(ri, _)| ri),
            rule_name: hit.and_then(|(_, r)| r.name.clone()),
            outcome: match hit {
                Some((_, r)) => StepOutcome::Matched(r.action),
                None => StepOutcome::NoRuleMatched,
            },
            location: Some(hit.map_or(&p.location, |(_, r)| &r.location).clone()),
        });
        if let Some((_, r)) = hit {
            return r.action.decision();
        }
    }
    None
}

/// The NetworkPolicies without Calico: when they isolate the subject they decide.
fn network_policies(np: Option<bool>, steps: &mut Steps) -> Option<bool> {
    match np {
        Some(allows) => {
            steps.np(if allows {
                StepOutcome::NpAllowed
            } else {
                StepOutcome::NpDenied
            });
            Some(allows)
        }
        None => {
            steps.np(StepOutcome::NpNotIsolated);
            None
        }
    }
}

/// One Calico tier: its entries by order, the first matching rule that is not Log
/// decides (Pass: on to the next tier); when something selected the subject and nothing
/// decided, the tier's `defaultAction` (Deny unless the Tier says Pass).
fn calico_tier(
    f: &dyn Facts,
    np: Option<bool>,
    name: &str,
    entries: &[Entry],
    steps: &mut Steps,
) -> Option<bool> {
    let calico = &f.cluster().calico;
    let mut selected = false;
    for entry in entries {
        let pi = match *entry {
            Entry::NetworkPolicies => {
                let Some(allows) = np else {
                    continue;
                };
                selected = true;
                steps.np(if allows {
                    StepOutcome::NpAllowed
                } else {
                    StepOutcome::NpDenied
                });
                if allows {
                    return Some(true);
                }
                continue;
            }
            Entry::Policy(pi) => pi,
        };
        let Some(p) = calico.policies.get(pi) else {
            continue;
        };
        if !f.calico_selects(pi) {
            continue;
        }
        selected = true;
        let mut decided = None;
        for (ri, r) in p.rules(f.dir()).iter().enumerate() {
            if !f.calico_rule(pi, ri) {
                continue;
            }
            steps.push(true, || {
                calico_step(
                    p.label(calico),
                    StepOutcome::CalicoMatched(r.action),
                    Some(ri),
                    Some(r.location.clone()),
                )
            });
            if r.action != CalicoAction::Log {
                decided = Some(r.action);
                break;
            }
        }
        match decided {
            Some(CalicoAction::Allow) => return Some(true),
            Some(CalicoAction::Deny) => return Some(false),
            // The rest of the tier is skipped, and its default action too.
            Some(CalicoAction::Pass) => return None,
            _ => steps.push(true, || {
                calico_step(
                    p.label(calico),
                    StepOutcome::NoRuleMatched,
                    None,
                    Some(p.location.clone()),
                )
            }),
        }
    }
    if !selected {
        return None;
    }
    let t = calico.tier(name);
    let action = t.map_or(CalicoAction::Deny, |t| t.default_action);
    steps.push(!(name == "default" && action == CalicoAction::Deny), || {
        let mut label = format!("Calico tier {name}");
        if let Some(o) = t.and_then(|t| t.order.as_ref()) {
            label.push_str(&format!(" order {o}"));
        }
        calico_step(
            label,
            StepOutcome::TierDefault(action),
            None,
            t.and_then(|t| t.location.clone()),
        )
    });
    (action == CalicoAction::Deny).then_some(false)
}

fn calico_step(
    policy: String,
    outcome: StepOutcome,
    rule: Option<usize>,
    location: Option<crate::diag::Location>,
) -> TierStep {
    TierStep {
        tier: StepTier::Calico,
        policy: Some(policy),
        rule,
        rule_name: None,
        outcome,
        location,
    }
}

/// The verdict in an [`outcomes`] byte for the NetworkPolicy outcome `np`.
#[inline]
pub(crate) fn outcome(byte: u8, np: Option<bool>) -> bool {
    // Branch-free: the matrices read one per cell.
    let bit = 1 + u8::from(np.is_some()) + u8::from(np == Some(true));
    byte >> bit & 1 == 1
}

/// One side of one connection, read from the objects.
pub(crate) struct Ask<'a> {
    pub cluster: &'a Cluster,
    pub dir: Direction,
    /// The endpoint whose side this is.
    pub subject: usize,
    /// The far end.
    pub other: Target,
    /// The connection's destination (named ports resolve there).
    pub dst: Target,
    pub traffic: Traffic,
}

impl Facts for Ask<'_> {
    fn cluster(&self) -> &Cluster {
        self.cluster
    }

    fn dir(&self) -> Direction {
        self.dir
    }

    fn cluster_policies(&self, tier: Tier) -> Cow<'_, [usize]> {
        Cow::Owned(super::applying(self.cluster, tier, self.subject, self.dir))
    }

    fn cluster_rule(&self, policy: usize, rule: usize) -> bool {
        self.cluster
            .cluster_policies
            .get(policy)
            .and_then(|p| p.rules(self.dir).get(rule))
            .is_some_and(|r| {
                super::rule_matches(self.cluster, r, self.other, self.dst, self.traffic)
            })
    }

    fn calico_selects(&self, policy: usize) -> bool {
        self.cluster
            .calico
            .policies
            .get(policy)
            .is_some_and(|p| p.applies_to(self.dir) && p.selects(self.cluster, self.subject))
    }

    fn calico_rule(&self, policy: usize, rule: usize) -> bool {
        let Some(p) = self.cluster.calico.policies.get(policy) else {
            return false;
        };
        p.rules(self.dir).get(rule).is_some_and(|r| {
            super::calico::rule_matches(
                self.cluster,
                p,
                r,
                self.dir,
                self.other,
                Target::Endpoint(self.subject),
                self.dst,
                self.traffic,
            )
        })
    }
}

/// The whole chain for one side of one connection: (allowed, steps). `np` and
/// `np_names` are the NetworkPolicy side's result ([`walk`]) and the isolating
/// NetworkPolicies. Without cluster-scoped or Calico steps the steps are empty and the
/// NetworkPolicy explanation stands.
pub(crate) fn chain(
    ask: &Ask,
    np: Option<bool>,
    np_names: Option<String>,
    detail: bool,
) -> (bool, Vec<TierStep>) {
    let mut steps = if detail {
        Steps::kept(np_names)
    } else {
        Steps::none()
    };
    let allowed = walk(ask, np, &slots(ask.cluster), &mut steps);
    (allowed, steps.finish())
}
