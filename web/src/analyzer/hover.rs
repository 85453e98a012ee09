//! The worker's answer to the editor's hover (`wire::HoverRequest`): what the policy,
//! rule, peer or port under the pointer selects now, or which policies select the pod
//! under it, per direction. The core finds the part at the offset and what it matches
//! (`netpol::spot`); this module puts it in words.

use netpol::model::{PeerKind, PortRule, PortValue};
use netpol::spot::{Selection, Spot};
use netpol::{Analysis, Direction};

use crate::analyzer::with_current;
use crate::i18n::{fill, tr, EditorWords};
use crate::wire::{HoverAnswer, HoverRequest, HoverView};

/// Names listed before "and N more".
const SHOWN: usize = 5;

pub fn answer(h: &HoverRequest) -> HoverAnswer {
    let hover = with_current(h.revision, |core, _text, map| {
        let (spot, range) = core.spot_at(0, map.byte(h.pos as usize))?;
        let (title, lines) = describe(core, spot, tr(h.lang).ed);
        Some(HoverView {
            from: map.pos(range.start) as u32,
            to: map.pos(range.end) as u32,
            title,
            lines,
        })
    });
    HoverAnswer { id: h.id, hover }
}

fn names(w: &EditorWords, all: &[String]) -> String {
    let mut s = all
        .iter()
        .take(SHOWN)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if all.len() > SHOWN {
        s.push_str(", ");
        s.push_str(&fill(w.and_more, all.len() - SHOWN, "", ""));
    }
    s
}

fn endpoint_names(core: &Analysis, sel: &Selection) -> Vec<String> {
    let c = core.cluster();
    sel.endpoints
        .iter()
        .filter_map(|&i| c.endpoints.get(i).map(|e| e.full_name()))
        .collect()
}

/// `none`, `one` or `many` filled with the endpoints' names.
fn count(w: &EditorWords, all: &[String], none: &str, one: &str, many: &str) -> String {
    match all.len() {
        0 => none.to_string(),
        1 => fill(one, 1, "", &names(w, all)),
        n => fill(many, n, "", &names(w, all)),
    }
}

fn port(p: &PortRule) -> String {
    match (&p.port, p.end_port) {
        (None, _) => p.protocol.as_str().to_string(),
        (Some(PortValue::Number(a)), Some(b)) => format!("{} {a}-{b}", p.protocol),
        (Some(v), _) => format!("{} {v}", p.protocol),
    }
}

fn describe(core: &Analysis, spot: Spot, w: &EditorWords) -> (String, Vec<String>) {
    let c = core.cluster();
    let policy_name = |pi: usize| {
        c.policies
            .get(pi)
            .map(|p| p.full_name())
            .unwrap_or_default()
    };
    let rule_title = |pi: usize, dir: Direction, ri: usize| {
        let t = match dir {
            Direction::Ingress => w.ingress_rule,
            Direction::Egress => w.egress_rule,
        };
        fill(t, ri + 1, &policy_name(pi), "")
    };
    match spot {
        Spot::Policy { policy } => (
            fill(w.policy, 0, &policy_name(policy), ""),
            policy_lines(core, policy, w),
        ),
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
        } => {
            let r = Spot::Rule {
                policy,
                direction,
                rule,
            };
            let sel = core.selection(r);
            let pods = endpoint_names(core, &sel);
            let (none, some) = match direction {
                Direction::Ingress => (w.allows_from_none, w.allows_from),
                Direction::Egress => (w.allows_to_none, w.allows_to),
            };
            let mut lines = vec![if sel.everything {
                w.allows_everything.to_string()
            } else if pods.is_empty() {
                none.to_string()
            } else {
                fill(some, pods.len(), "", &names(w, &pods))
            }];
            let ports: Vec<String> = c
                .policies
                .get(policy)
                .and_then(|p| p.rules(direction).get(rule))
                .map(|r| r.ports.iter().map(port).collect())
                .unwrap_or_default();
            lines.push(if ports.is_empty() {
                w.every_port.to_string()
            } else {
                fill(w.on_ports, 0, "", &ports.join(", "))
            });
            (rule_title(policy, direction, rule), lines)
        }
        Spot::Peer {
            policy,
            direction,
            rule,
            peer,
        } => (
            fill(w.peer, peer + 1, &rule_title(policy, direction, rule), ""),
            peer_lines(core, spot, w),
        ),
        Spot::Endpoint { endpoint } => {
            let e = c.endpoints.get(endpoint);
            let title = e.map_or(String::new(), |e| {
                format!("{} {}", e.kind.as_str(), e.full_name())
            });
            let lines = [
                (Direction::Ingress, w.ingress_isolated_by, w.ingress_open),
                (Direction::Egress, w.egress_isolated_by, w.egress_open),
            ]
            .into_iter()
            .map(|(dir, by, open)| {
                let ps: Vec<String> = core
                    .engine()
                    .selecting(endpoint, dir)
                    .iter()
                    .map(|&pi| policy_name(pi))
                    .collect();
                if ps.is_empty() {
                    open.to_string()
                } else {
                    fill(by, ps.len(), "", &names(w, &ps))
                }
            })
            .collect();
            (fill(w.endpoint, 0, &title, ""), lines)
        }
        Spot::Namespace { namespace } => {
            let sel = core.selection(spot);
            let pods = endpoint_names(core, &sel);
            let name = c.namespaces.get(namespace).map_or("", |n| n.name.as_str());
            (
                fill(w.namespace, 0, name, ""),
                vec![fill(w.namespace_pods, pods.len(), "", &names(w, &pods))],
            )
        }
    }
}

/// What a policy selects and which directions it isolates.
#[inline(always)]
fn policy_lines(core: &Analysis, policy: usize, w: &EditorWords) -> Vec<String> {
    let sel = core.selection(Spot::Policy { policy });
    let pods = endpoint_names(core, &sel);
    let mut lines = vec![count(
        w,
        &pods,
        w.selects_none,
        w.selects_one,
        w.selects_many,
    )];
    if let Some(p) = core.cluster().policies.get(policy) {
        let types: Vec<String> = [
            (p.ingress_isolating, "ingress"),
            (p.egress_isolating, "egress"),
        ]
        .into_iter()
        .filter(|(on, _)| *on)
        .map(|(_, d)| d.to_string())
        .collect();
        lines.push(if types.is_empty() {
            w.isolates_nothing.to_string()
        } else {
            fill(w.isolates, 0, "", &types.join(", "))
        });
    }
    lines
}

/// The addresses or namespaces a peer matches, and its pods.
#[inline(always)]
fn peer_lines(core: &Analysis, spot: Spot, w: &EditorWords) -> Vec<String> {
    let sel = core.selection(spot);
    let Spot::Peer {
        policy,
        direction,
        rule,
        peer,
    } = spot
    else {
        return Vec::new();
    };
    let kind = core
        .cluster()
        .policies
        .get(policy)
        .and_then(|p| p.rules(direction).get(rule))
        .and_then(|r| r.peers.get(peer))
        .map(|p| &p.kind);
    let mut lines = Vec::new();
    match kind {
        Some(PeerKind::IpBlock(b)) => {
            let except: Vec<String> = b.except.iter().map(|n| n.to_string()).collect();
            lines.push(if except.is_empty() {
                fill(w.addresses, 0, &b.cidr.to_string(), "")
            } else {
                fill(
                    w.addresses_except,
                    0,
                    &b.cidr.to_string(),
                    &except.join(", "),
                )
            });
        }
        _ => lines.push(if sel.namespaces.is_empty() {
            w.matches_no_namespace.to_string()
        } else {
            fill(w.matches_namespaces, 0, "", &names(w, &sel.namespaces))
        }),
    }
    let pods = endpoint_names(core, &sel);
    lines.push(count(
        w,
        &pods,
        w.matches_none,
        w.matches_one,
        w.matches_many,
    ));
    lines
}
