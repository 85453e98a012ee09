//! Lints for Calico policies: rules after an unconditional Allow/Deny/Pass never run; a
//! Pass (or a tier's `defaultAction: Pass`) with no tier below that applies lets the
//! traffic through; policies that select no pod; unknown tiers; `serviceAccountSelector`
//! without the ServiceAccount objects it looks at.

use crate::diag::{Diagnostic, Location};
use crate::explain::Lang;
use crate::lint::LintCode;
use crate::model::{Cluster, Direction};
use crate::tiers::calico::*;
use crate::tiers::{slots, Slot, Tier};
use crate::words;

/// A rule with no condition at all: it matches every connection.
fn unconditional(r: &CalicoRule) -> bool {
    r.protocol.is_none()
        && r.not_protocol.is_none()
        && r.icmp.is_none()
        && r.not_icmp.is_none()
        && r.source == EntityRule::default()
        && r.destination == EntityRule::default()
}

/// Does anything after the slot of tier `tier` apply to endpoint `e` for `dir`?
fn below(cluster: &Cluster, tier: &str, e: usize, dir: Direction) -> bool {
    let all = slots(cluster);
    let Some(pos) = all
        .iter()
        .position(|s| matches!(s, Slot::Calico(t, _) if t == tier))
    else {
        return true;
    };
    let Some(ep) = cluster.endpoints.get(e) else {
        return false;
    };
    all.iter().skip(pos + 1).any(|s| match s {
        Slot::Admin => !crate::tiers::applying(cluster, Tier::Admin, e, dir).is_empty(),
        // Not among Calico's slots: the NetworkPolicies are in the `default` tier.
        Slot::NetworkPolicies => false,
        Slot::Baseline => !crate::tiers::applying(cluster, Tier::Baseline, e, dir).is_empty(),
        Slot::Calico(t, _) => {
            (t == "default"
                && cluster.policies.iter().any(|np| {
                    np.isolates(dir)
                        && np.namespace == ep.namespace
                        && np.pod_selector.matches(&ep.labels)
                }))
                || cluster
                    .calico
                    .policies
                    .iter()
                    .any(|p| &p.tier == t && p.applies_to(dir) && p.selects(cluster, e))
        }
    })
}

fn rule_path(dir: Direction, i: usize) -> String {
    format!("spec.{}[{i}]", dir.as_str())
}

pub fn lint(cluster: &Cluster, lang: Lang, out: &mut Vec<Diagnostic>) {
    let calico = &cluster.calico;
    let have_pods = !cluster.endpoints.is_empty();
    let known_sa = !calico.service_accounts.is_empty();
    for p in &calico.policies {
        let obj = format!("{} {}", p.kind(), p.full_name());
        let diag = |code: LintCode, msg: String, loc: &Location| {
            code.diag(msg, loc.clone()).with_object(obj.clone())
        };
        let selected: Vec<usize> = (0..cluster.endpoints.len())
            .filter(|&i| p.selects(cluster, i))
            .collect();
        if have_pods && selected.is_empty() && !p.host_only {
            out.push(
                diag(
                    LintCode::SelectsNoPod,
                    words::lint::calico_selects_no_pod(p.full_name(), &p.selector, p.global, lang),
                    &p.location,
                )
                .with_path("spec.selector"),
            );
        }
        if p.tier != "default" && calico.tier(&p.tier).is_none() {
            out.push(
                diag(
                    LintCode::UnknownTier,
                    words::lint::unknown_tier(&p.tier, lang),
                    &p.location,
                )
                .with_path("spec.tier")
                .with_help(words::lint::unknown_tier_help(&p.tier, lang)),
            );
        }
        if p.service_account_selector.is_some() && !known_sa {
            out.push(
                diag(
                    LintCode::ServiceAccountUnknown,
                    words::lint::service_account_unknown(lang).into(),
                    &p.location,
                )
                .with_path("spec.serviceAccountSelector"),
            );
        }
        lint_rules(cluster, p, &selected, lang, out);
    }
    lint_pass_tiers(cluster, lang, out);
}

/// A policy's rules: rules after one that matches everything never run; a `Pass` with
/// no later tier for the selected pods allows.
#[inline(always)]
fn lint_rules(
    cluster: &Cluster,
    p: &CalicoPolicy,
    selected: &[usize],
    lang: Lang,
    out: &mut Vec<Diagnostic>,
) {
    let obj = format!("{} {}", p.kind(), p.full_name());
    let diag = |code: LintCode, msg: String, loc: &Location| {
        code.diag(msg, loc.clone()).with_object(obj.clone())
    };
    for dir in [Direction::Ingress, Direction::Egress] {
        let rules = p.rules(dir);
        if !rules.is_empty() && !p.applies_to(dir) {
            continue;
        }
        if let Some((i, a)) = rules
            .iter()
            .enumerate()
            .find(|(_, r)| r.action != CalicoAction::Log && unconditional(r))
        {
            for (j, b) in rules.iter().enumerate().skip(i + 1) {
                out.push(
                    diag(
                        LintCode::UnreachableRule,
                        words::lint::unreachable_rule(
                            rule_path(dir, j),
                            rule_path(dir, i),
                            a.action.as_str(),
                            lang,
                        ),
                        &b.location,
                    )
                    .with_path(rule_path(dir, j))
                    .with_help(words::lint::unreachable_rule_help(lang)),
                );
            }
        }
        for (j, r) in rules.iter().enumerate() {
            if r.action != CalicoAction::Pass || selected.is_empty() {
                continue;
            }
            if selected.iter().all(|&e| !below(cluster, &p.tier, e, dir)) {
                out.push(
                    diag(
                        LintCode::PassToNothing,
                        words::lint::calico_pass_to_nothing(rule_path(dir, j), dir.as_str(), lang),
                        &r.location,
                    )
                    .with_path(rule_path(dir, j))
                    .with_help(words::lint::calico_pass_to_nothing_help(lang)),
                );
            }
        }
    }
}

/// Tiers with `defaultAction: Pass` and no later tier for their pods.
#[inline(always)]
fn lint_pass_tiers(cluster: &Cluster, lang: Lang, out: &mut Vec<Diagnostic>) {
    let calico = &cluster.calico;
    for t in &calico.tiers {
        if t.default_action != CalicoAction::Pass {
            continue;
        }
        let Some(loc) = &t.location else { continue };
        for dir in [Direction::Ingress, Direction::Egress] {
            let selected: Vec<usize> = (0..cluster.endpoints.len())
                .filter(|&i| {
                    calico
                        .policies
                        .iter()
                        .any(|p| p.tier == t.name && p.applies_to(dir) && p.selects(cluster, i))
                })
                .collect();
            if !selected.is_empty() && selected.iter().all(|&e| !below(cluster, &t.name, e, dir)) {
                out.push(
                    LintCode::PassToNothing
                        .diag(
                            words::lint::default_pass_to_nothing(&t.name, dir.as_str(), lang),
                            loc.clone(),
                        )
                        .with_object(format!("Tier {}", t.name))
                        .with_path("spec.defaultAction"),
                );
            }
        }
    }
}
