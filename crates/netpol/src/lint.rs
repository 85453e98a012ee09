//! Cross-object checks: likely mistakes that are valid to the API server.

use crate::diag::{Diagnostic, Severity};
use crate::eval::{Engine, Target};
use crate::model::*;
use crate::quickfix::Suggestion;

pub mod registry;
mod rules;

pub use registry::{explain, registry, LintCode, LintInfo};

/// Lints over a loaded cluster.
pub fn lint(cluster: &Cluster) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let have_pods = !cluster.endpoints.is_empty();
    for p in &cluster.policies {
        let obj = format!("NetworkPolicy {}", p.full_name());
        let diag = |code: LintCode, msg: String| {
            code.diag(msg, p.location.clone()).with_object(obj.clone())
        };
        let in_ns = cluster
            .endpoints
            .iter()
            .filter(|e| e.namespace == p.namespace)
            .count();
        let selected = cluster
            .endpoints
            .iter()
            .filter(|e| e.namespace == p.namespace && p.pod_selector.matches(&e.labels))
            .count();
        if have_pods && selected == 0 {
            let msg = if in_ns == 0 {
                format!(
                    "`{}` selects no pod: the input has no pods in namespace `{}`",
                    p.full_name(),
                    p.namespace
                )
            } else {
                format!(
                    "`{}` selects no pod: no pod in namespace `{}` matches `podSelector` `{}`",
                    p.full_name(),
                    p.namespace,
                    p.pod_selector
                )
            };
            let mut d = diag(LintCode::SelectsNoPod, msg).with_path("spec.podSelector");
            if in_ns == 0 {
                // The pods of that namespace may just not be part of the input.
                d.severity = Severity::Info;
            }
            out.push(d);
        }
        if p.explicit_types {
            if !p.ingress_isolating && !p.ingress.is_empty() {
                out.push(
                    diag(LintCode::RulesIgnored, format!("`{}` has `ingress` rules but `policyTypes` lacks `Ingress`: they are ignored", p.full_name()))
                        .with_path("spec.policyTypes")
                        .with_help("add `Ingress` to `policyTypes`, or remove the rules"),
                );
            }
            if !p.egress_isolating && !p.egress.is_empty() {
                out.push(
                    diag(LintCode::RulesIgnored, format!("`{}` has `egress` rules but `policyTypes` lacks `Egress`: they are ignored", p.full_name()))
                        .with_path("spec.policyTypes")
                        .with_help("add `Egress` to `policyTypes`, or remove the rules"),
                );
            }
        }
        for dir in [Direction::Ingress, Direction::Egress] {
            if !p.isolates(dir) {
                continue;
            }
            let (field, peers_field) = match dir {
                Direction::Ingress => ("ingress", "from"),
                Direction::Egress => ("egress", "to"),
            };
            for (ri, rule) in p.rules(dir).iter().enumerate() {
                if have_pods {
                    for (k, peer) in rule.peers.iter().enumerate() {
                        lint_peer(
                            cluster,
                            p,
                            peer,
                            &format!("spec.{field}[{ri}].{peers_field}[{k}]"),
                            &obj,
                            &mut out,
                        );
                    }
                    lint_named_ports(
                        cluster,
                        p,
                        dir,
                        rule,
                        &format!("spec.{field}[{ri}]"),
                        &obj,
                        &mut out,
                    );
                }
            }
        }
    }
    crate::tiers::lint::lint(cluster, &mut out);
    crate::tiers::calico::lint::lint(cluster, &mut out);
    lint_dns(cluster, &mut out);
    lint_duplicate_port_names(cluster, &mut out);
    rules::lint(cluster, &mut out);
    out
}

/// A container port name declared twice in one pod (two containers, or one container
/// the API server would refuse) with different numbers: `port: NAME` in a
/// NetworkPolicy then means one of them, and which one is not evident.
fn lint_duplicate_port_names(cluster: &Cluster, out: &mut Vec<Diagnostic>) {
    for e in &cluster.endpoints {
        let mut reported: Vec<&str> = Vec::new();
        for (i, a) in e.ports.iter().enumerate() {
            let Some(name) = a.name.as_deref() else {
                continue;
            };
            if reported.contains(&name) {
                continue;
            }
            let Some(b) = e.ports[i + 1..]
                .iter()
                .find(|b| b.name.as_deref() == Some(name) && b.port != a.port)
            else {
                continue;
            };
            reported.push(name);
            let (first, second) = if a.protocol == b.protocol {
                (format!("`{}`", a.port), format!("`{}`", b.port))
            } else {
                (
                    format!("`{}` ({})", a.port, a.protocol.as_str()),
                    format!("`{}` ({})", b.port, b.protocol.as_str()),
                )
            };
            out.push(
                LintCode::DuplicatePortName.diag(
                    format!(
                        "`{}` declares the container port name `{name}` twice, as {first} and {second}: a NetworkPolicy's `port: {name}` means one of them (netpol takes the first of the protocol asked)",
                        e.full_name()
                    ),
                    e.location.clone().unwrap_or_default(),
                )
                .with_object(format!("{} {}", e.kind.as_str(), e.full_name()))
                .with_help("give each container port its own name"),
            );
        }
    }
}

fn lint_peer(
    cluster: &Cluster,
    p: &Policy,
    peer: &Peer,
    path: &str,
    obj: &str,
    out: &mut Vec<Diagnostic>,
) {
    let PeerKind::Pods {
        namespace_selector,
        pod_selector,
    } = &peer.kind
    else {
        return;
    };
    let d = |code: LintCode, msg: String| {
        code.diag(msg, peer.location.clone())
            .with_object(obj.to_string())
            .with_path(path.to_string())
    };
    match namespace_selector {
        Some(ns_sel) => {
            let namespaces: Vec<&Namespace> = cluster
                .namespaces
                .iter()
                .filter(|n| ns_sel.matches(&n.labels))
                .collect();
            if namespaces.is_empty() {
                let mut diag = d(
                    LintCode::SelectorMatchesNothing,
                    format!("`namespaceSelector` `{ns_sel}` matches no namespace"),
                );
                // The seed tutorial's trap: `name: utils` on a namespace that only carries
                // `kubernetes.io/metadata.name: utils`.
                for (k, v) in &ns_sel.match_labels {
                    if k != NAMESPACE_NAME_LABEL && cluster.namespace(v).is_some() {
                        diag.message = format!(
                            "`namespaceSelector` `{ns_sel}` matches no namespace: namespace `{v}` exists but has no label `{k}={v}`"
                        );
                        diag.help = Some(format!(
                            "a namespace only carries `{NAMESPACE_NAME_LABEL}: {v}` unless you label it: select `{NAMESPACE_NAME_LABEL}: {v}`, or run `kubectl label namespace {v} {k}={v}`"
                        ));
                        diag.suggestion = Some(Suggestion::UseNameLabel {
                            key: k.clone(),
                            namespace: v.clone(),
                        });
                        break;
                    }
                }
                out.push(diag);
            } else if let Some(ps) = pod_selector {
                let any = cluster.endpoints.iter().any(|e| {
                    namespaces.iter().any(|n| n.name == e.namespace) && ps.matches(&e.labels)
                });
                if !any {
                    let names: Vec<String> =
                        namespaces.iter().map(|n| format!("`{}`", n.name)).collect();
                    out.push(d(
                        LintCode::SelectorMatchesNothing,
                        format!(
                            "no pod matches `podSelector` `{ps}` in the selected namespaces ({})",
                            names.join(", ")
                        ),
                    ));
                }
            }
        }
        None => {
            let ps = pod_selector.clone().unwrap_or_default();
            let here = cluster
                .endpoints
                .iter()
                .any(|e| e.namespace == p.namespace && ps.matches(&e.labels));
            if !here {
                let elsewhere: Vec<String> = crate::sort::set(
                    cluster
                        .endpoints
                        .iter()
                        .filter(|e| e.namespace != p.namespace && ps.matches(&e.labels))
                        .map(|e| e.namespace.clone()),
                )
                .into_iter()
                .collect();
                let mut diag = d(LintCode::SelectorMatchesNothing,
                    format!("`podSelector` `{ps}` matches no pod in namespace `{}`, the policy's own namespace", p.namespace),
                );
                if let Some(first) = elsewhere.first() {
                    let list: Vec<String> = elsewhere.iter().map(|n| format!("`{n}`")).collect();
                    diag.message = format!(
                        "a `podSelector` without `namespaceSelector` only selects pods in the policy's own namespace `{}`; pods matching `{ps}` exist in {}",
                        p.namespace,
                        list.join(", ")
                    );
                    diag.help = Some(format!(
                        "to select them, add `namespaceSelector: {{matchLabels: {{{NAMESPACE_NAME_LABEL}: {first}}}}}` to the same peer (no `-` before it)"
                    ));
                    diag.suggestion = Some(Suggestion::SelectNamespace {
                        namespace: first.clone(),
                    });
                }
                out.push(diag);
            }
        }
    }
}

fn lint_named_ports(
    cluster: &Cluster,
    p: &Policy,
    dir: Direction,
    rule: &Rule,
    path: &str,
    obj: &str,
    out: &mut Vec<Diagnostic>,
) {
    for (k, pr) in rule.ports.iter().enumerate() {
        let Some(PortValue::Name(name)) = &pr.port else {
            continue;
        };
        // Candidate destinations: pods the policy selects (ingress) or pods the rule's
        // peers could reach (egress; every pod when the rule has no pod peers).
        let declares = |e: &Endpoint| e.named_port(name, pr.protocol).is_some();
        let found = match dir {
            Direction::Ingress => cluster
                .endpoints
                .iter()
                .filter(|e| e.namespace == p.namespace && p.pod_selector.matches(&e.labels))
                .any(declares),
            Direction::Egress => cluster.endpoints.iter().any(declares),
        };
        if !found {
            out.push(
                LintCode::NamedPortUndeclared.diag(
                    format!("no {} pod declares a {} container port named `{name}`, so this port entry matches nothing", if dir == Direction::Ingress { "selected" } else { "destination" }, pr.protocol),
                    pr.location.clone(),
                )
                .with_object(obj.to_string())
                .with_path(format!("{path}.ports[{k}]")),
            );
        }
    }
}

/// Egress isolation that blocks DNS (UDP 53 to kube-dns): the most common egress mistake.
fn lint_dns(cluster: &Cluster, out: &mut Vec<Diagnostic>) {
    if !cluster.policies.iter().any(|p| p.egress_isolating) {
        return;
    }
    let is_dns = |e: &Endpoint| {
        e.namespace == "kube-system"
            && e.labels.get("k8s-app").map(String::as_str) == Some("kube-dns")
    };
    let engine = if cluster.endpoints.iter().any(is_dns) {
        Engine::new(cluster.clone())
    } else {
        Engine::new(
            cluster
                .with_assumed_dns(Some(std::net::IpAddr::V4(std::net::Ipv4Addr::new(
                    10, 96, 0, 10,
                ))))
                .0,
        )
    };
    let c = &engine.cluster;
    let dns: Vec<usize> = c
        .endpoints
        .iter()
        .enumerate()
        .filter(|(_, e)| is_dns(e))
        .map(|(i, _)| i)
        .collect();
    let mut blocked_by_policy: std::collections::BTreeMap<usize, Vec<String>> = Default::default();
    for (i, e) in c.endpoints.iter().enumerate() {
        if is_dns(e) || engine.selecting(i, Direction::Egress).is_empty() {
            continue;
        }
        let ok = dns.iter().any(|&d| {
            engine
                .connections(Target::Endpoint(i), Target::Endpoint(d))
                .contains(Protocol::UDP, 53)
        });
        if !ok {
            for &pi in engine.selecting(i, Direction::Egress) {
                blocked_by_policy.entry(pi).or_default().push(e.full_name());
            }
        }
    }
    for (pi, pods) in blocked_by_policy {
        let p = &c.policies[pi];
        let shown: Vec<String> = pods.iter().take(3).map(|n| format!("`{n}`")).collect();
        let more = if pods.len() > 3 {
            format!(" and {} more", pods.len() - 3)
        } else {
            String::new()
        };
        out.push(
            LintCode::EgressBlocksDns.diag(
                format!("`{}` isolates egress of {}{more}, and no egress rule lets them reach DNS (UDP 53 to kube-system/kube-dns)", p.full_name(), shown.join(", ")),
                p.location.clone(),
            )
            .with_object(format!("NetworkPolicy {}", p.full_name()))
            .with_path("spec.egress")
            .with_help("add an egress rule `to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}, podSelector: {matchLabels: {k8s-app: kube-dns}}}]` with `ports: [{port: 53, protocol: UDP}, {port: 53, protocol: TCP}]`"),
        );
    }
}
