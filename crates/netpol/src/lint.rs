//! Cross-object checks: likely mistakes that are valid to the API server.

use crate::diag::{Diagnostic, Severity};
use crate::eval::{Engine, PortQuery, Target};
use crate::explain::Lang;
use crate::model::*;
use crate::quickfix::Suggestion;
use crate::words;

mod calico;
pub mod registry;
mod rules;
mod tiers;

pub use registry::{explain, registry, LintCode, LintInfo};

/// Lints over a loaded cluster, in English.
pub fn lint(cluster: &Cluster) -> Vec<Diagnostic> {
    lint_in(cluster, Lang::default())
}

/// Lints over a loaded cluster, their messages and help in `lang`. The diagnostics are
/// the same whatever the language (code, severity, location, path, object, suggestion):
/// only `message` and `help` are words.
pub fn lint_in(cluster: &Cluster, lang: Lang) -> Vec<Diagnostic> {
    lint_with(cluster, None, lang)
}

/// The endpoints of each namespace, sorted by namespace: the lints ask "the pods of
/// namespace N" once per policy, peer and port, and scanning every pod for each made
/// them grow with pods x policies (90 ms of a 5,000-pod page's edit).
pub(crate) struct ByNamespace<'c> {
    cluster: &'c Cluster,
    spans: Vec<(&'c str, Vec<usize>)>,
}

impl<'c> ByNamespace<'c> {
    pub(crate) fn new(cluster: &'c Cluster) -> Self {
        let endpoints = &cluster.endpoints;
        let mut order: Vec<usize> = (0..endpoints.len()).collect();
        crate::sort::by_key(&mut order, |&i| {
            endpoints.get(i).map_or("", |e| e.namespace.as_str())
        });
        let mut spans: Vec<(&str, Vec<usize>)> = Vec::new();
        for i in order {
            let Some(e) = endpoints.get(i) else { continue };
            match spans.last_mut() {
                Some((ns, list)) if *ns == e.namespace => list.push(i),
                _ => spans.push((e.namespace.as_str(), vec![i])),
            }
        }
        ByNamespace { cluster, spans }
    }

    /// The endpoints of namespace `ns`, in input order.
    pub(crate) fn pods(&self, ns: &str) -> impl Iterator<Item = &'c Endpoint> + '_ {
        let list = match self.spans.binary_search_by(|(n, _)| (*n).cmp(ns)) {
            Ok(k) => self.spans.get(k).map_or(&[][..], |(_, l)| l.as_slice()),
            Err(_) => &[],
        };
        list.iter().filter_map(|&i| self.cluster.endpoints.get(i))
    }
}

/// [`lint_in`], reusing `engine` (an engine over `cluster` itself) where a lint needs
/// one, instead of building its own (`Analysis` has one already).
pub(crate) fn lint_with(cluster: &Cluster, engine: Option<&Engine>, lang: Lang) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let have_pods = !cluster.endpoints.is_empty();
    let by_ns = ByNamespace::new(cluster);
    for p in &cluster.policies {
        let obj = format!("NetworkPolicy {}", p.full_name());
        let diag = |code: LintCode, msg: String| {
            code.diag(msg, p.location.clone()).with_object(obj.clone())
        };
        let in_ns = by_ns.pods(&p.namespace).count();
        let selected = by_ns
            .pods(&p.namespace)
            .filter(|e| p.pod_selector.matches(&e.labels))
            .count();
        if have_pods && selected == 0 {
            let (name, ns, sel) = (p.full_name(), &p.namespace, &p.pod_selector);
            let msg = words::lint::selects_no_pod(&name, ns, sel, in_ns == 0, lang);
            let mut d = diag(LintCode::SelectsNoPod, msg).with_path("spec.podSelector");
            if in_ns == 0 {
                // The pods of that namespace may just not be part of the input.
                d.severity = Severity::Info;
            }
            out.push(d);
        }
        if p.explicit_types {
            let ignored = [
                (
                    !p.ingress_isolating && !p.ingress.is_empty(),
                    "ingress",
                    "Ingress",
                ),
                (
                    !p.egress_isolating && !p.egress.is_empty(),
                    "egress",
                    "Egress",
                ),
            ];
            for (_, field, ty) in ignored.into_iter().filter(|i| i.0) {
                let name = p.full_name();
                let (msg, help) = words::lint::rules_ignored(&name, field, ty, lang);
                out.push(
                    diag(LintCode::RulesIgnored, msg)
                        .with_path("spec.policyTypes")
                        .with_help(help),
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
                            &by_ns,
                            p,
                            peer,
                            &format!("spec.{field}[{ri}].{peers_field}[{k}]"),
                            &obj,
                            lang,
                            &mut out,
                        );
                    }
                    lint_named_ports(
                        &by_ns,
                        p,
                        dir,
                        rule,
                        &format!("spec.{field}[{ri}]"),
                        lang,
                        &mut out,
                    );
                }
            }
        }
    }
    tiers::lint(cluster, lang, &mut out);
    calico::lint(cluster, lang, &mut out);
    lint_dns(cluster, engine, lang, &mut out);
    lint_duplicate_port_names(cluster, lang, &mut out);
    rules::lint(cluster, engine, lang, &mut out);
    out
}

/// A container port name declared twice in one pod (two containers, or one container
/// the API server would refuse) with different numbers: `port: NAME` in a
/// NetworkPolicy then means one of them, and which one is not evident.
fn lint_duplicate_port_names(cluster: &Cluster, lang: Lang, out: &mut Vec<Diagnostic>) {
    for e in &cluster.endpoints {
        let mut reported: Vec<&str> = Vec::new();
        for (i, a) in e.ports.iter().enumerate() {
            let Some(name) = a.name.as_deref() else {
                continue;
            };
            if reported.contains(&name) {
                continue;
            }
            let Some(b) = e
                .ports
                .iter()
                .skip(i + 1)
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
            let pod = e.full_name();
            let msg = words::lint::duplicate_port_name(&pod, name, &first, &second, lang);
            out.push(
                LintCode::DuplicatePortName
                    .diag(msg, e.location.clone().unwrap_or_default())
                    .with_object(format!("{} {}", e.kind.as_str(), e.full_name()))
                    .with_help(words::lint::duplicate_port_name_help(lang)),
            );
        }
    }
}

fn lint_peer(
    by_ns: &ByNamespace<'_>,
    p: &Policy,
    peer: &Peer,
    path: &str,
    obj: &str,
    lang: Lang,
    out: &mut Vec<Diagnostic>,
) {
    let cluster = by_ns.cluster;
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
                    words::lint::namespace_selector_matches_nothing(ns_sel, lang),
                );
                // The seed tutorial's trap: `name: utils` on a namespace that only carries
                // `kubernetes.io/metadata.name: utils`.
                for (k, v) in &ns_sel.match_labels {
                    if k != NAMESPACE_NAME_LABEL && cluster.namespace(v).is_some() {
                        diag.message = words::lint::namespace_label_missing(ns_sel, k, v, lang);
                        diag.help = Some(words::lint::namespace_label_missing_help(k, v, lang));
                        diag.suggestion = Some(Suggestion::UseNameLabel {
                            key: k.clone(),
                            namespace: v.clone(),
                        });
                        break;
                    }
                }
                out.push(diag);
            } else if let Some(ps) = pod_selector {
                let any = namespaces
                    .iter()
                    .any(|n| by_ns.pods(&n.name).any(|e| ps.matches(&e.labels)));
                if !any {
                    let names: Vec<String> =
                        namespaces.iter().map(|n| format!("`{}`", n.name)).collect();
                    let names = names.join(", ");
                    out.push(d(
                        LintCode::SelectorMatchesNothing,
                        words::lint::no_pod_in_selected_namespaces(ps, &names, lang),
                    ));
                }
            }
        }
        None => {
            let ps = pod_selector.clone().unwrap_or_default();
            let here = by_ns.pods(&p.namespace).any(|e| ps.matches(&e.labels));
            if !here {
                // Sorted, each once.
                let mut elsewhere: Vec<String> = cluster
                    .endpoints
                    .iter()
                    .filter(|e| e.namespace != p.namespace && ps.matches(&e.labels))
                    .map(|e| e.namespace.clone())
                    .collect();
                crate::sort::ord(&mut elsewhere);
                elsewhere.dedup();
                let ns = &p.namespace;
                let mut diag = d(
                    LintCode::SelectorMatchesNothing,
                    words::lint::pod_selector_matches_nothing(&ps, ns, lang),
                );
                if let Some(first) = elsewhere.first() {
                    let list: Vec<String> = elsewhere.iter().map(|n| format!("`{n}`")).collect();
                    diag.message =
                        words::lint::pod_selector_elsewhere(&ps, ns, list.join(", "), lang);
                    diag.help = Some(words::lint::pod_selector_elsewhere_help(first, lang));
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
    by_ns: &ByNamespace<'_>,
    p: &Policy,
    dir: Direction,
    rule: &Rule,
    path: &str,
    lang: Lang,
    out: &mut Vec<Diagnostic>,
) {
    let cluster = by_ns.cluster;
    let obj = format!("NetworkPolicy {}", p.full_name());
    for (k, pr) in rule.ports.iter().enumerate() {
        let Some(PortValue::Name(name)) = &pr.port else {
            continue;
        };
        // Candidate destinations: pods the policy selects (ingress) or pods the rule's
        // peers could reach (egress; every pod when the rule has no pod peers).
        let declares = |e: &Endpoint| e.named_port(name, pr.protocol).is_some();
        let found = match dir {
            Direction::Ingress => by_ns
                .pods(&p.namespace)
                .filter(|e| p.pod_selector.matches(&e.labels))
                .any(declares),
            Direction::Egress => cluster.endpoints.iter().any(declares),
        };
        if !found {
            let (ingress, proto) = (dir == Direction::Ingress, pr.protocol);
            let msg = words::lint::named_port_undeclared(ingress, proto, name, lang);
            out.push(
                LintCode::NamedPortUndeclared
                    .diag(msg, pr.location.clone())
                    .with_object(obj.clone())
                    .with_path(format!("{path}.ports[{k}]")),
            );
        }
    }
}

/// Egress isolation that blocks DNS (UDP 53 to kube-dns): the most common egress mistake.
fn lint_dns(cluster: &Cluster, given: Option<&Engine>, lang: Lang, out: &mut Vec<Diagnostic>) {
    if !cluster.policies.iter().any(|p| p.egress_isolating) {
        return;
    }
    let is_dns = |e: &Endpoint| {
        e.namespace == "kube-system"
            && e.labels.get("k8s-app").map(String::as_str) == Some("kube-dns")
    };
    let ip = std::net::IpAddr::V4(std::net::Ipv4Addr::new(10, 96, 0, 10));
    let has_dns = cluster.endpoints.iter().any(is_dns);
    if let Some(e) = given.filter(|_| !has_dns) {
        if let Some(reaches) = assumed_dns_per_set(cluster, e, ip) {
            return blocked_dns(cluster, e, &reaches, lang, out);
        }
    }
    let owned;
    let engine = match (has_dns, given) {
        (true, Some(e)) => e,
        (true, None) => {
            owned = Engine::new(cluster.clone());
            &owned
        }
        (false, _) => {
            owned = Engine::new(cluster.with_assumed_dns(Some(ip)).0);
            &owned
        }
    };
    let c = &engine.cluster;
    let dns: Vec<usize> = c
        .endpoints
        .iter()
        .enumerate()
        .filter(|(_, e)| is_dns(e))
        .map(|(i, _)| i)
        .collect();
    // Per policy (indexed by policy: no B-tree of its own in the page's wasm).
    // How many pods each leaves without DNS, and the first three's names (all the message
    // shows: naming every blocked pod was a millisecond per edit at 5,000 pods).
    // With NetworkPolicies alone and no policy selecting a DNS pod for ingress, a
    // source's verdict depends only on the policies selecting it for egress (their rules'
    // peers and ports read the destination), so it is decided once per such set: the
    // classes of endpoints are nearly one per pod at 5,000 pods, the sets far fewer
    // (841 of 5,000). UDP 53 alone, not the whole port set: that was most of this lint.
    let per_set = c.cluster_policies.is_empty()
        && c.calico.is_empty()
        && dns
            .iter()
            .all(|&d| engine.selecting(d, Direction::Ingress).is_empty());
    let decide = |i: usize| {
        dns.iter().any(|&d| {
            engine.allowed(
                Target::Endpoint(i),
                Target::Endpoint(d),
                QueryProtocol::UDP,
                &PortQuery::Number(53),
            )
        })
    };
    let sources: Vec<usize> = (0..c.endpoints.len())
        .filter(|&i| {
            c.endpoints.get(i).is_some_and(|e| !is_dns(e))
                && !engine.selecting(i, Direction::Egress).is_empty()
        })
        .collect();
    // Per endpoint: can it reach a DNS pod (None: not a source of this lint).
    let mut reaches: Vec<Option<bool>> = vec![None; c.endpoints.len()];
    if per_set {
        let mut order = sources.clone();
        crate::sort::by_key(&mut order, |&i| engine.selecting(i, Direction::Egress));
        let mut last: Option<(&[usize], bool)> = None;
        for i in order {
            let set = engine.selecting(i, Direction::Egress);
            let ok = match last {
                Some((s, ok)) if s == set => ok,
                _ => decide(i),
            };
            last = Some((set, ok));
            if let Some(r) = reaches.get_mut(i) {
                *r = Some(ok);
            }
        }
    } else {
        for &i in &sources {
            if let Some(r) = reaches.get_mut(i) {
                *r = Some(decide(i));
            }
        }
    }
    blocked_dns(c, engine, &reaches, lang, out);
}

/// The DNS lint's verdicts with the assumed DNS pod (no DNS pod in the input) without
/// a copy of the cluster: with NetworkPolicies alone a source's verdict depends only on
/// the policies selecting it for egress, and the assumed pod changes no other
/// endpoint's selection, so an engine over one endpoint per such set (with `given`'s
/// selections) and the assumed pod decides them all. None where that does not hold (a
/// policy isolates the assumed pod for ingress, other tiers): the whole copy then.
fn assumed_dns_per_set(
    cluster: &Cluster,
    given: &Engine,
    ip: std::net::IpAddr,
) -> Option<Vec<Option<bool>>> {
    if !cluster.cluster_policies.is_empty() || !cluster.calico.is_empty() {
        return None;
    }
    let n = cluster.endpoints.len();
    // The sources (egress-isolated endpoints), ordered by their selecting set; one
    // endpoint of each set stands for it.
    let mut order: Vec<usize> = (0..n)
        .filter(|&i| !given.selecting(i, Direction::Egress).is_empty())
        .collect();
    crate::sort::by_key(&mut order, |&i| given.selecting(i, Direction::Egress));
    let mut stands: Vec<usize> = Vec::new();
    let mut of_set: Vec<usize> = Vec::with_capacity(order.len());
    for (k, &i) in order.iter().enumerate() {
        let new_set = match k.checked_sub(1).and_then(|p| order.get(p)) {
            Some(&prev) => {
                given.selecting(prev, Direction::Egress) != given.selecting(i, Direction::Egress)
            }
            None => true,
        };
        if new_set {
            stands.push(i);
        }
        of_set.push(stands.len().saturating_sub(1));
    }
    let small = Cluster {
        namespaces: cluster.namespaces.clone(),
        endpoints: stands
            .iter()
            .filter_map(|&i| cluster.endpoints.get(i).cloned())
            .collect(),
        policies: cluster.policies.clone(),
        ..Cluster::default()
    };
    let (small, d) = small.with_assumed_dns(Some(ip));
    let engine = Engine::new(small);
    if !engine.selecting(d, Direction::Ingress).is_empty() {
        return None;
    }
    let ok: Vec<bool> = (0..stands.len())
        .map(|k| {
            engine.allowed(
                Target::Endpoint(k),
                Target::Endpoint(d),
                QueryProtocol::UDP,
                &PortQuery::Number(53),
            )
        })
        .collect();
    let mut reaches: Vec<Option<bool>> = vec![None; n];
    for (&i, &k) in order.iter().zip(&of_set) {
        if let Some(r) = reaches.get_mut(i) {
            *r = ok.get(k).copied();
        }
    }
    Some(reaches)
}

/// The DNS lint's diagnostics from each endpoint's verdict (None: not a source).
fn blocked_dns(
    c: &Cluster,
    engine: &Engine,
    reaches: &[Option<bool>],
    lang: Lang,
    out: &mut Vec<Diagnostic>,
) {
    let mut blocked_by_policy: Vec<(usize, Vec<String>)> = vec![(0, Vec::new()); c.policies.len()];
    // The blocked sources, in endpoint order.
    for (i, (e, _)) in c
        .endpoints
        .iter()
        .zip(reaches)
        .enumerate()
        .filter(|(_, (_, r))| **r == Some(false))
    {
        for &pi in engine.selecting(i, Direction::Egress) {
            if let Some((count, names)) = blocked_by_policy.get_mut(pi) {
                *count += 1;
                if names.len() < 3 {
                    names.push(e.full_name());
                }
            }
        }
    }
    for (p, (count, pods)) in c.policies.iter().zip(blocked_by_policy) {
        if count == 0 {
            continue;
        }
        let shown: Vec<String> = pods.iter().map(|n| format!("`{n}`")).collect();
        let (name, shown, rest) = (p.full_name(), shown.join(", "), count.saturating_sub(3));
        let msg = words::lint::egress_blocks_dns(&name, &shown, rest, lang);
        let help = words::lint::egress_blocks_dns_help(lang);
        out.push(
            LintCode::EgressBlocksDns
                .diag(msg, p.location.clone())
                .with_object(format!("NetworkPolicy {}", p.full_name()))
                .with_path("spec.egress")
                .with_help(help),
        );
    }
}
