//! Lints for Calico policies: rules after an unconditional Allow/Deny/Pass never run; a
//! Pass (or a tier's `defaultAction: Pass`) with no tier below that applies lets the
//! traffic through; policies that select no pod; unknown tiers; `serviceAccountSelector`
//! without the ServiceAccount objects it looks at.

use super::*;
use crate::diag::Diagnostic;
use crate::lint::LintCode;

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
        .position(|s| *s == Slot::Calico(tier.to_string()))
    else {
        return true;
    };
    let ep = &cluster.endpoints[e];
    all[pos + 1..].iter().any(|s| match s {
        Slot::Admin => !super::super::applying(cluster, Tier::Admin, e, dir).is_empty(),
        Slot::Baseline => !super::super::applying(cluster, Tier::Baseline, e, dir).is_empty(),
        Slot::Calico(t) => {
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

pub fn lint(cluster: &Cluster, out: &mut Vec<Diagnostic>) {
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
                    format!(
                        "`{}` selects no pod: no pod matches `spec.selector: {}`{}",
                        p.full_name(),
                        p.selector,
                        if p.global { "" } else { " in its namespace" }
                    ),
                    &p.location,
                )
                .with_path("spec.selector"),
            );
        }
        if p.tier != "default" && calico.tier(&p.tier).is_none() {
            out.push(
                diag(LintCode::UnknownTier,
                    format!(
                        "tier `{}` is not defined here: Calico refuses a policy in a tier that does not exist; it is evaluated as a tier without `order` (after every other tier)",
                        p.tier
                    ),
                    &p.location,
                )
                .with_path("spec.tier")
                .with_help(format!("add the `Tier` object `{}` with its `order`", p.tier)),
            );
        }
        if p.service_account_selector.is_some() && !known_sa {
            out.push(
                diag(LintCode::ServiceAccountUnknown,
                    "`serviceAccountSelector` looks at ServiceAccount labels, and the input has no ServiceAccount: only the `projectcalico.org/name` of each pod's account (its `serviceAccountName`, else `default`) is known".into(),
                    &p.location,
                )
                .with_path("spec.serviceAccountSelector"),
            );
        }
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
                        diag(LintCode::UnreachableRule,
                            format!(
                                "{} never runs: {} before it matches every connection (`{}` without conditions)",
                                rule_path(dir, j),
                                rule_path(dir, i),
                                a.action.as_str()
                            ),
                            &b.location,
                        )
                        .with_path(rule_path(dir, j))
                        .with_help("rules run in order and the first match decides: move it up, or remove it"),
                    );
                }
            }
            for (j, r) in rules.iter().enumerate() {
                if r.action != CalicoAction::Pass || selected.is_empty() {
                    continue;
                }
                if selected.iter().all(|&e| !below(cluster, &p.tier, e, dir)) {
                    out.push(
                        diag(LintCode::PassToNothing,
                            format!(
                                "{} passes to the next tier, but no later tier has a policy for the selected pods' {}: the traffic is allowed",
                                rule_path(dir, j),
                                dir.as_str()
                            ),
                            &r.location,
                        )
                        .with_path(rule_path(dir, j))
                        .with_help("if you meant to allow it, write `action: Allow`"),
                    );
                }
            }
        }
    }
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
                    LintCode::PassToNothing.diag(
                        format!(
                            "tier `{}` has `defaultAction: Pass`, but no later tier has a policy for its pods' {}: what its policies do not decide is allowed",
                            t.name,
                            dir.as_str()
                        ),
                        loc.clone(),
                    )
                    .with_object(format!("Tier {}", t.name))
                    .with_path("spec.defaultAction"),
                );
            }
        }
    }
}
