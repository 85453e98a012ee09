//! From a rule to its flows (issue 13): NetworkPolicy rules that allow nothing at all
//! (`rule-matches-nothing`) and rules that allow nothing the other rules do not already
//! allow (`redundant-rule`).
//!
//! Both are proven on the model, not guessed from the YAML: among the NetworkPolicies
//! (cluster-scoped and Calico policies set aside), a rule matches nothing when the
//! policy with that rule alone lets no endpoint or address range reach (or be reached
//! by) the pods it selects, beyond what a pod to itself always may; it is redundant when
//! removing it changes no connection set between the pods it selects and every other
//! workload variant and address range ([`crate::group`]'s representatives: pods that no
//! policy tells apart stand for each other). The work is an engine per rule, so it is
//! bounded: past [`BUDGET`] the check is skipped and an info diagnostic says so.

use crate::diag::{Diagnostic, Location, Severity};
use crate::eval::{Engine, Target};
use crate::explain::Lang;
use crate::group::WorkloadView;
use crate::model::*;
use crate::provenance::{also_allowed_by, np_only, rule_path, Part};
use crate::words;

use super::LintCode;

/// At most this many (subject representative x other end) pairs over all rules.
pub const BUDGET: usize = 400_000;

/// One rule of one policy: (policy index, direction, rule index).
type RuleAt = (usize, Direction, usize);

pub(super) fn lint(
    cluster: &Cluster,
    given: Option<&Engine>,
    lang: Lang,
    out: &mut Vec<Diagnostic>,
) {
    if cluster.policies.is_empty() || cluster.endpoints.is_empty() {
        return;
    }
    // The given engine is the NetworkPolicies' alone when nothing else is loaded.
    let owned;
    let full = match given {
        Some(e) if cluster.cluster_policies.is_empty() && cluster.calico.is_empty() => e,
        _ => {
            owned = Engine::new(np_only(cluster));
            &owned
        }
    };
    let view = WorkloadView::new(full, &[]);
    // What stands for every other end: each variant's first pod, each range's first
    // address (ranges as sources for ingress rules, as destinations for egress ones).
    let reps = representatives(&view);
    let ranges_for = |dir: Direction, g: usize| {
        view.groups.get(g).is_some_and(|group| {
            !group.is_external()
                || match dir {
                    Direction::Ingress => group.source,
                    Direction::Egress => group.destination,
                }
        })
    };
    // Past the budget? Counted from the engine's selections first: the rules to check
    // with their subjects' lists cost more than the check that skips them.
    let (rules, cost) = count_work(cluster, full, &view, reps.len());
    if cost > BUDGET {
        out.push(skipped(rules, cost, lang));
        return;
    }
    // The rules to check and their subjects' representatives.
    let work = rules_to_check(cluster, &view);
    // What every lint of another kind already says about a rule (its peers, its ports).
    let said: Vec<(String, String)> = out
        .iter()
        .filter(|d| {
            d.code == LintCode::SelectorMatchesNothing.as_str()
                || d.code == LintCode::NamedPortUndeclared.as_str()
        })
        .filter_map(|d| Some((d.object.clone()?, d.path.clone()?)))
        .collect();
    for ((pi, dir, ri), subjects) in work {
        let Some(p) = cluster.policies.get(pi) else {
            continue;
        };
        let path = rule_path(dir, ri);
        let obj = format!("NetworkPolicy {}", p.full_name());
        let Some(rule) = p.rules(dir).get(ri) else {
            continue;
        };
        let pairs = || {
            subjects.iter().flat_map(|&s| {
                reps.iter()
                    .filter(move |(t, g)| *t != Target::Endpoint(s) && ranges_for(dir, *g))
                    .map(move |&(t, _)| match dir {
                        Direction::Ingress => (t, Target::Endpoint(s)),
                        Direction::Egress => (Target::Endpoint(s), t),
                    })
            })
        };
        // The rule alone.
        let alone = crate::provenance::alone(cluster, p, dir, vec![rule.clone()]);
        let example = pairs().find_map(|(f, t)| {
            let set = alone.connections(f, t);
            (!set.is_empty()).then_some((f, t, set))
        });
        let Some((ef, et, eset)) = example else {
            let already = said
                .iter()
                .any(|(o, at)| *o == obj && (at == &path || at.starts_with(&format!("{path}."))));
            if !already {
                out.push(matches_nothing(p, dir, rule, obj, path, lang));
            }
            continue;
        };
        // Without the rule.
        let mut without = np_only(cluster);
        if let Some(wp) = without.policies.get_mut(pi) {
            match dir {
                Direction::Ingress => {
                    wp.ingress.remove(ri);
                }
                Direction::Egress => {
                    wp.egress.remove(ri);
                }
            }
        }
        let without = Engine::new(without);
        if pairs().any(|(f, t)| full.connections(f, t) != without.connections(f, t)) {
            continue;
        }
        // Redundant: name what else allows the example.
        let part = Part::Rule {
            policy: pi,
            direction: dir,
            rule: ri,
        };
        let by = also_allowed_by(full, p, part, (ef, et), &eset);
        let example = format!("`{}` -> `{}` {}", full.name(ef), full.name(et), eset);
        let msg = words::lint::redundant_rule(p.full_name(), &path, &example, &by, lang);
        out.push(
            LintCode::RedundantRule
                .diag(msg, rule.location.clone())
                .with_object(obj)
                .with_path(path)
                .with_help(words::lint::redundant_rule_help(lang)),
        );
    }
}

/// The info diagnostic when the checks are past their budget.
#[inline(always)]
fn skipped(rules: usize, cost: usize, lang: Lang) -> Diagnostic {
    Diagnostic::new(
        Severity::Info,
        LintCode::RedundantRule.as_str(),
        words::lint::rule_checks_skipped(rules, cost, BUDGET, lang),
        Location::default(),
    )
}

/// `rule-matches-nothing` for a rule that lets nothing through.
#[inline(always)]
fn matches_nothing(
    p: &Policy,
    dir: Direction,
    rule: &Rule,
    obj: String,
    path: String,
    lang: Lang,
) -> Diagnostic {
    let msg = words::lint::rule_matches_nothing(p.full_name(), &path, dir, lang);
    LintCode::RuleMatchesNothing
        .diag(msg, rule.location.clone())
        .with_object(obj)
        .with_path(path)
        .with_help(words::lint::rule_matches_nothing_help(lang))
}

/// What stands for every other end: each variant's first pod, each range's first
/// address, with its group.
#[inline(always)]
fn representatives(view: &WorkloadView<'_>) -> Vec<(Target, usize)> {
    view.groups
        .iter()
        .enumerate()
        .flat_map(|(g, group)| {
            let mut t: Vec<(Target, usize)> = group
                .variants
                .iter()
                .filter_map(|v| v.first().map(|&i| (Target::Endpoint(i), g)))
                .collect();
            if let Some(r) = group.range {
                t.push((Target::External(r.first), g));
            }
            t
        })
        .collect()
}

/// How many rules [`rules_to_check`] gives, and their (subject representative x other
/// end) pairs with `reps` other ends: each variant's first pod counts once per rule of
/// each policy selecting it for that rule's (isolating) direction.
#[inline(always)]
fn count_work(
    cluster: &Cluster,
    engine: &Engine,
    view: &WorkloadView<'_>,
    reps: usize,
) -> (usize, usize) {
    let mut subject_rules = 0usize;
    // The policies that select some variant's first pod.
    let mut selects = vec![false; cluster.policies.len()];
    let firsts = view
        .groups
        .iter()
        .flat_map(|g| g.variants.iter().filter_map(|v| v.first().copied()));
    for i in firsts.filter(|&i| i < cluster.endpoints.len()) {
        for dir in [Direction::Ingress, Direction::Egress] {
            for &pi in engine.selecting(i, dir) {
                if let (Some(p), Some(s)) = (cluster.policies.get(pi), selects.get_mut(pi)) {
                    subject_rules += p.rules(dir).len();
                    *s = true;
                }
            }
        }
    }
    let rules = cluster
        .policies
        .iter()
        .zip(&selects)
        .filter(|(_, s)| **s)
        .map(|(p, _)| {
            [Direction::Ingress, Direction::Egress]
                .into_iter()
                .filter(|&d| p.isolates(d))
                .map(|d| p.rules(d).len())
                .sum::<usize>()
        })
        .sum();
    (rules, subject_rules.saturating_mul(reps))
}

/// Every rule of an isolating direction of a policy that selects pods, with the
/// representatives of the pods it selects (each variant's first pod).
#[inline(always)]
fn rules_to_check(cluster: &Cluster, view: &WorkloadView<'_>) -> Vec<(RuleAt, Vec<usize>)> {
    let mut work: Vec<(RuleAt, Vec<usize>)> = Vec::new();
    // Each variant's first pod with its namespace, by namespace (stable: in group order
    // within one), so a policy looks only at its own namespace's.
    let mut firsts: Vec<(&str, usize)> = view
        .groups
        .iter()
        .flat_map(|g| g.variants.iter().filter_map(|v| v.first().copied()))
        .filter_map(|i| Some((cluster.endpoints.get(i)?.namespace.as_str(), i)))
        .collect();
    crate::sort::by_key(&mut firsts, |&(ns, _)| ns);
    for (pi, p) in cluster.policies.iter().enumerate() {
        let from = firsts.partition_point(|&(ns, _)| ns < p.namespace.as_str());
        let subjects: Vec<usize> = firsts
            .get(from..)
            .unwrap_or_default()
            .iter()
            .take_while(|&&(ns, _)| ns == p.namespace)
            .filter(|&&(_, i)| {
                cluster
                    .endpoints
                    .get(i)
                    .is_some_and(|e| p.pod_selector.matches(&e.labels))
            })
            .map(|&(_, i)| i)
            .collect();
        if subjects.is_empty() {
            // `selects-no-pod` says it.
            continue;
        }
        for dir in [Direction::Ingress, Direction::Egress] {
            if !p.isolates(dir) {
                continue;
            }
            for ri in 0..p.rules(dir).len() {
                work.push(((pi, dir, ri), subjects.clone()));
            }
        }
    }
    work
}
