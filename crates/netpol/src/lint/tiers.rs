//! Lints for cluster-scoped policies: equal priorities over overlapping subjects, rules
//! shadowed by an earlier rule of the same policy, and Pass rules with nothing below them.

use crate::diag::{Diagnostic, Location};
use crate::explain::Lang;
use crate::lint::LintCode;
use crate::model::{Cluster, Direction};
use crate::tiers::*;
use crate::words;

fn selected(cluster: &Cluster, p: &ClusterPolicy) -> Vec<usize> {
    (0..cluster.endpoints.len())
        .filter(|&i| p.selects(cluster, i))
        .collect()
}

/// Does rule `a` (earlier) match everything rule `b` matches? Syntactic: each peer of `b`
/// appears in `a` (or `a` has a `namespaces: {}` peer covering all pods of `b`), and `a`
/// has no ports or covers each port of `b`.
fn covers(a: &TierRule, b: &TierRule) -> bool {
    let all_pods = a
        .peers
        .iter()
        .any(|p| matches!(&p.kind, TierPeerKind::Namespaces { selector } if selector.is_empty()));
    let peers_ok = b.peers.iter().all(|pb| {
        a.peers.iter().any(|pa| pa.kind == pb.kind)
            || (all_pods
                && matches!(
                    pb.kind,
                    TierPeerKind::Namespaces { .. } | TierPeerKind::Pods { .. }
                ))
    });
    let ports_ok = match (&a.ports, &b.ports) {
        (None, _) => true,
        (Some(_), None) => false,
        (Some(pa), Some(pb)) => pb.iter().all(|y| {
            pa.iter().any(|x| {
                x.kind == y.kind
                    || match (&x.kind, &y.kind) {
                        (
                            TierPortKind::Range {
                                protocol,
                                start,
                                end,
                            },
                            TierPortKind::Number { protocol: p2, port },
                        ) => protocol == p2 && start <= port && port <= end,
                        (
                            TierPortKind::Range {
                                protocol,
                                start,
                                end,
                            },
                            TierPortKind::Range {
                                protocol: p2,
                                start: s2,
                                end: e2,
                            },
                        ) => protocol == p2 && start <= s2 && e2 <= end,
                        _ => false,
                    }
            })
        }),
    };
    peers_ok && ports_ok
}

fn rule_path(dir: Direction, i: usize) -> String {
    format!("spec.{}[{i}]", dir.as_str())
}

fn rule_label(r: &TierRule, dir: Direction, i: usize) -> String {
    match &r.name {
        Some(n) => format!("{} (`{n}`)", rule_path(dir, i)),
        None => rule_path(dir, i),
    }
}

pub fn lint(cluster: &Cluster, lang: Lang, out: &mut Vec<Diagnostic>) {
    let policies = &cluster.cluster_policies;
    let have_pods = !cluster.endpoints.is_empty();
    let sel: Vec<Vec<usize>> = policies.iter().map(|p| selected(cluster, p)).collect();

    for (pi, (p, mine)) in policies.iter().zip(&sel).enumerate() {
        let obj = p.object();
        let diag = |code: LintCode, msg: String, loc: &Location| {
            code.diag(msg, loc.clone()).with_object(obj.clone())
        };
        if have_pods && mine.is_empty() {
            out.push(
                diag(
                    LintCode::SelectsNoPod,
                    words::lint::subject_selects_no_pod(&p.name, lang),
                    &p.location,
                )
                .with_path("spec.subject"),
            );
        }
        // Equal priorities in one tier with overlapping subjects: the order is undefined.
        for (q, theirs) in policies.iter().zip(&sel).skip(pi + 1) {
            if q.tier != p.tier || q.priority.is_none() || q.priority != p.priority {
                continue;
            }
            let overlap = if have_pods {
                mine.iter().any(|i| theirs.contains(i))
            } else {
                p.subject == q.subject
            };
            if overlap {
                out.push(
                    diag(
                        LintCode::EqualPriority,
                        words::lint::equal_priority(
                            p.label(),
                            q.label(),
                            p.priority.unwrap_or_default(),
                            p.tier.as_str(),
                            lang,
                        ),
                        &p.location,
                    )
                    .with_path("spec.priority")
                    .with_help(words::lint::equal_priority_help(lang)),
                );
            }
        }
        for dir in [Direction::Ingress, Direction::Egress] {
            let rules = p.rules(dir);
            for (j, b) in rules.iter().enumerate() {
                if let Some((i, a)) = rules.iter().enumerate().take(j).find(|(_, a)| covers(a, b)) {
                    let (this, earlier) = (rule_label(b, dir, j), rule_label(a, dir, i));
                    let (first, then) = (a.action.as_str(), b.action.as_str());
                    let actions = (first, then, a.action == b.action);
                    let msg = words::lint::shadowed_rule(&this, &earlier, actions, lang);
                    out.push(
                        diag(LintCode::ShadowedRule, msg, &b.location)
                            .with_path(rule_path(dir, j))
                            .with_help(words::lint::shadowed_rule_help(lang)),
                    );
                }
                if b.action != Action::Pass {
                    continue;
                }
                let nothing_below = match p.tier {
                    Tier::Baseline => true,
                    Tier::Admin => {
                        have_pods
                            && !mine.is_empty()
                            && mine.iter().all(|&e| {
                                let Some(ep) = cluster.endpoints.get(e) else {
                                    return false;
                                };
                                !cluster.policies.iter().any(|np| {
                                    np.isolates(dir)
                                        && np.namespace == ep.namespace
                                        && np.pod_selector.matches(&ep.labels)
                                }) && applying(cluster, Tier::Baseline, e, dir).is_empty()
                            })
                    }
                };
                if nothing_below {
                    let (this, d) = (rule_label(b, dir, j), dir.as_str());
                    let msg = words::lint::tier_pass_to_nothing(&this, p.tier, d, lang);
                    let allow = if p.api == Api::ClusterNetworkPolicy {
                        "Accept"
                    } else {
                        "Allow"
                    };
                    let help = words::lint::tier_pass_to_nothing_help(allow, lang);
                    out.push(
                        diag(LintCode::PassToNothing, msg, &b.location)
                            .with_path(rule_path(dir, j))
                            .with_help(help),
                    );
                }
            }
        }
    }
}
