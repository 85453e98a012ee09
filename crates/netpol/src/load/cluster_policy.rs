//! Reading and validating AdminNetworkPolicy, BaselineAdminNetworkPolicy and
//! ClusterNetworkPolicy objects as their CRDs' OpenAPI schemas and CEL rules do
//! (kubernetes-sigs/network-policy-api `apis/v1alpha1`, `apis/v1alpha2`). An object the API
//! server would reject is reported and left out of every verdict, like a NetworkPolicy.

use crate::diag::Location;
use crate::diag::{did_you_mean, Severity};
use crate::load::{join, parse_cidr, Cx, PolicyReader};
use crate::model::{Direction, Labels, Protocol, Selector};
use crate::names;
use crate::tiers::*;
use crate::yaml::Node;
use ipnet::IpNet;
use std::net::IpAddr;

mod peers;
mod ports;

pub(crate) const TOP: &[&str] = &["apiVersion", "kind", "metadata", "spec", "status"];
pub(crate) const ANP_SPEC: &[&str] = &["priority", "subject", "ingress", "egress"];
pub(crate) const BANP_SPEC: &[&str] = &["subject", "ingress", "egress"];
pub(crate) const CNP_SPEC: &[&str] = &["tier", "priority", "subject", "ingress", "egress"];
pub(crate) const SUBJECT: &[&str] = &["namespaces", "pods"];
pub(crate) const NAMESPACED_POD: &[&str] = &["namespaceSelector", "podSelector"];
pub(crate) const INGRESS_PEER: &[&str] = &["namespaces", "pods"];
pub(crate) const EGRESS_PEER_BANP: &[&str] = &["namespaces", "pods", "nodes", "networks"];
pub(crate) const EGRESS_PEER: &[&str] = &["namespaces", "pods", "nodes", "networks", "domainNames"];
pub(crate) const ANP_PORT: &[&str] = &["portNumber", "namedPort", "portRange"];
pub(crate) const PORT_NUMBER: &[&str] = &["protocol", "port"];
pub(crate) const PORT_RANGE: &[&str] = &["protocol", "start", "end"];
pub(crate) const CNP_PROTOCOL: &[&str] = &["tcp", "udp", "sctp", "destinationNamedPort"];
pub(crate) const CNP_L4: &[&str] = &["destinationPort"];
pub(crate) const CNP_PORT: &[&str] = &["number", "range"];
pub(crate) const CNP_RANGE: &[&str] = &["start", "end"];

/// Reads a Node leniently: labels and `status.addresses`.
pub(crate) fn read_node(
    _cx: &mut Cx<'_>,
    node: &Node,
    name: String,
    labels: Labels,
    location: Location,
) -> NodeInfo {
    let mut ips = Vec::new();
    for a in node
        .get("status")
        .and_then(|s| s.get("addresses"))
        .and_then(Node::as_seq)
        .unwrap_or(&[])
    {
        if let Some(ip) = a
            .get("address")
            .and_then(Node::text)
            .and_then(|t| t.parse::<IpAddr>().ok())
        {
            if !ips.contains(&ip) {
                ips.push(ip);
            }
        }
    }
    NodeInfo {
        name,
        labels,
        ips,
        location,
    }
}

struct Reader<'r, 'c, 'd> {
    r: &'r mut PolicyReader<'c, 'd>,
    api: Api,
}

impl Reader<'_, '_, '_> {
    fn max_rules(&self) -> usize {
        match self.api {
            Api::ClusterNetworkPolicy => 25,
            _ => 100,
        }
    }

    fn error(&mut self, node: &Node, path: &str, msg: impl Into<String>) {
        self.r.error(node, path, msg);
    }

    /// A list with the CRD's MinItems/MaxItems.
    fn bounded_list<'n>(
        &mut self,
        node: Option<&'n Node>,
        parent: &Node,
        path: &str,
        min: usize,
        max: usize,
        required: bool,
    ) -> Option<&'n [Node]> {
        let Some(n) = node.filter(|n| !n.is_null()) else {
            if required {
                self.error(parent, path, "Required value");
            }
            return None;
        };
        let list = self.r.list(Some(n), path)?;
        if list.len() < min {
            self.error(
                n,
                path,
                format!(
                    "Invalid value: {} items: should have at least {min} items",
                    list.len()
                ),
            );
        }
        if list.len() > max {
            self.error(
                n,
                path,
                format!("Too many: {}: must have at most {max} items", list.len()),
            );
        }
        Some(list)
    }

    /// An enum value with did-you-mean.
    fn enum_value(
        &mut self,
        node: &Node,
        path: &str,
        allowed: &[&str],
        extra: Option<String>,
    ) -> Option<String> {
        let text = node.text().unwrap_or("").to_string();
        if allowed.contains(&text.as_str()) {
            return Some(text);
        }
        self.r.errors += 1;
        let quoted: Vec<String> = allowed.iter().map(|a| format!("\"{a}\"")).collect();
        let d = self.r.cx.diag(
            Severity::Error,
            "invalid-field",
            node,
            Some(path),
            format!(
                "Unsupported value: `{text}`: supported values: {}",
                quoted.join(", ")
            ),
        );
        if let Some(s) = did_you_mean(&text, allowed.iter().copied()) {
            d.help = Some(format!("did you mean `{s}`?"));
        } else if let Some(e) = extra {
            d.help = Some(e);
        }
        None
    }

    /// Exactly one of `known` set (MinProperties=1, MaxProperties=1).
    fn exactly_one<'n>(
        &mut self,
        node: &'n Node,
        path: &str,
        known: &[&str],
    ) -> Option<(&'n str, &'n Node)> {
        let entries = node.as_map().unwrap_or(&[]);
        let set: Vec<(&str, &Node)> = entries
            .iter()
            .filter_map(|(k, v)| k.text().map(|t| (t, v)))
            .filter(|(k, v)| known.contains(k) && !v.is_null())
            .collect();
        match *set.as_slice() {
            [] => {
                let list: Vec<String> = known.iter().map(|k| format!("`{k}`")).collect();
                self.error(
                    node,
                    path,
                    format!(
                        "Invalid value: exactly one of {} must be set",
                        list.join(", ")
                    ),
                );
                None
            }
            [one] => Some(one),
            [first, ..] => {
                let names: Vec<String> = set.iter().map(|(k, _)| format!("`{k}`")).collect();
                self.error(
                    node,
                    path,
                    format!(
                        "Too many: {} fields set ({}): only one may be set",
                        set.len(),
                        names.join(", ")
                    ),
                );
                Some(first)
            }
        }
    }

    fn mapping<'n>(&mut self, node: &'n Node, path: &str) -> Option<&'n Node> {
        self.r.mapping(node, path)
    }

    fn selector_at(&mut self, node: &Node, path: &str) -> Selector {
        match self.r.map(Some(node), path) {
            Some(m) => self.r.selector(m, path),
            None => Selector::default(),
        }
    }

    /// `{namespaceSelector, podSelector}`.
    fn namespaced_pod(&mut self, node: &Node, path: &str) -> (Selector, Selector) {
        if self.mapping(node, path).is_none() {
            return (Selector::default(), Selector::default());
        }
        self.r
            .cx
            .unknown_fields(node, path, NAMESPACED_POD, |_| None);
        let ns = match node.get("namespaceSelector").filter(|n| !n.is_null()) {
            Some(n) => self.selector_at(n, &join(path, "namespaceSelector")),
            None => {
                if self.api != Api::ClusterNetworkPolicy {
                    self.error(node, &join(path, "namespaceSelector"), "Required value");
                }
                Selector::default()
            }
        };
        let pod = match node.get("podSelector").filter(|n| !n.is_null()) {
            Some(n) => self.selector_at(n, &join(path, "podSelector")),
            None => {
                self.error(node, &join(path, "podSelector"), "Required value");
                Selector::default()
            }
        };
        (ns, pod)
    }

    fn int_in(&mut self, node: &Node, path: &str, lo: i64, hi: i64) -> Option<i64> {
        match node.as_int() {
            Some(n) if (lo..=hi).contains(&n) => Some(n),
            Some(n) => {
                let msg = if n < lo {
                    format!("Invalid value: {n}: should be greater than or equal to {lo}")
                } else {
                    format!("Invalid value: {n}: should be less than or equal to {hi}")
                };
                self.error(node, path, msg);
                None
            }
            None => {
                self.error(
                    node,
                    path,
                    format!(
                        "Invalid value: \"{}\": must be an integer, found {}",
                        node.text().unwrap_or(""),
                        node.type_name()
                    ),
                );
                None
            }
        }
    }

    fn protocol(&mut self, node: Option<&Node>, path: &str) -> Protocol {
        match node.filter(|n| !n.is_null()) {
            None => Protocol::TCP,
            Some(n) => {
                let hint = n
                    .text()
                    .filter(|t| t.eq_ignore_ascii_case("icmp"))
                    .map(|_| {
                        "ICMP cannot be selected by port; a rule without ports matches it"
                            .to_string()
                    });
                self.enum_value(n, path, &["TCP", "UDP", "SCTP"], hint)
                    .and_then(|t| Protocol::parse(&t))
                    .unwrap_or(Protocol::TCP)
            }
        }
    }

    /// A rule's `name` (at most 100 characters).
    #[inline(always)]
    fn rule_name(&mut self, r: &Node, rpath: &str) -> Option<String> {
        match r.get("name").filter(|n| !n.is_null()) {
            Some(n) => {
                let s = self.r.string(n, &join(rpath, "name"));
                if let Some(s) = &s {
                    if s.chars().count() > 100 {
                        self.error(
                            n,
                            &join(rpath, "name"),
                            "Too long: may not be longer than 100",
                        );
                    }
                }
                s
            }
            None => None,
        }
    }

    /// A rule's `action`, one of `actions` (the API's), with a hint for the other
    /// version's words.
    #[inline(always)]
    fn rule_action(&mut self, r: &Node, rpath: &str, actions: &[&str]) -> Option<Action> {
        let apath = join(rpath, "action");
        match r.get("action").filter(|n| !n.is_null()) {
            None => {
                self.error(r, &apath, "Required value");
                None
            }
            Some(a) => {
                let hint = match (self.api, a.text()) {
                    (Api::ClusterNetworkPolicy, Some("Allow")) => {
                        Some("v1alpha2 calls it `Accept`".to_string())
                    }
                    (_, Some("Accept")) => Some("v1alpha1 calls it `Allow`".to_string()),
                    (Api::BaselineAdminNetworkPolicy, Some("Pass")) => Some(
                        "the baseline policy is the last tier: there is nothing to pass to"
                            .to_string(),
                    ),
                    _ => None,
                };
                let hint_first = hint.is_some();
                let v = if hint_first && !actions.contains(&a.text().unwrap_or("")) {
                    // The hint is more useful than a did-you-mean here.
                    self.r.errors += 1;
                    let quoted: Vec<String> = actions.iter().map(|x| format!("\"{x}\"")).collect();
                    let t = a.text().unwrap_or("");
                    self.r
                        .cx
                        .diag(
                            Severity::Error,
                            "invalid-field",
                            a,
                            Some(&apath),
                            format!(
                                "Unsupported value: `{t}`: supported values: {}",
                                quoted.join(", ")
                            ),
                        )
                        .help = hint;
                    None
                } else {
                    self.enum_value(a, &apath, actions, None)
                };
                v.map(|t| match t.as_str() {
                    "Allow" => Action::Allow,
                    "Accept" => Action::Accept,
                    "Deny" => Action::Deny,
                    _ => Action::Pass,
                })
            }
        }
    }

    fn rules(&mut self, spec: &Node, dir: Direction) -> Vec<TierRule> {
        let (field, peers_field, other) = match dir {
            Direction::Ingress => ("ingress", "from", "to"),
            Direction::Egress => ("egress", "to", "from"),
        };
        let path = format!("spec.{field}");
        let max = self.max_rules();
        let Some(list) = self.bounded_list(spec.get(field), spec, &path, 0, max, false) else {
            return Vec::new();
        };
        let (actions, ports_field): (&[&str], &str) = match self.api {
            Api::AdminNetworkPolicy => (&["Allow", "Deny", "Pass"], "ports"),
            Api::BaselineAdminNetworkPolicy => (&["Allow", "Deny"], "ports"),
            Api::ClusterNetworkPolicy => (&["Accept", "Deny", "Pass"], "protocols"),
        };
        let mut out = Vec::new();
        for (i, r) in list.iter().enumerate() {
            let rpath = format!("{path}[{i}]");
            if self.mapping(r, &rpath).is_none() {
                continue;
            }
            // An early v1alpha2 draft (and the conformance manifests of that time) used
            // v1alpha1's `ports`; read it rather than ignore it, which would widen the rule.
            let draft_ports = self.api == Api::ClusterNetworkPolicy
                && r.get("ports").is_some()
                && r.get("protocols").is_none();
            let ports_field = if draft_ports { "ports" } else { ports_field };
            if draft_ports {
                self.r.cx.diag(
                    Severity::Warning,
                    "draft-field",
                    r.key_node("ports").unwrap_or(r),
                    Some(&join(&rpath, "ports")),
                    "`ports` is from a v1alpha2 draft; the released API uses `protocols` (read as the draft meant it)",
                )
                .help = Some("write `protocols: [{tcp: {destinationPort: {number: 80}}}]`".into());
            }
            let known = ["name", "action", peers_field, ports_field];
            let api = self.api;
            self.r.cx.unknown_fields(r, &rpath, &known, |k| {
                if k == other {
                    Some(format!("{field} rules use `{peers_field}`"))
                } else if k == "ports" && api == Api::ClusterNetworkPolicy {
                    Some("v1alpha2 matches ports with `protocols: [{tcp: {destinationPort: {number: 80}}}]`".into())
                } else if k == "protocols" {
                    Some("v1alpha1 matches ports with `ports: [{portNumber: {protocol: TCP, port: 80}}]`".into())
                } else {
                    None
                }
            });
            let name = self.rule_name(r, &rpath);
            let action = self.rule_action(r, &rpath, actions);
            let ppath = join(&rpath, peers_field);
            let peers: Vec<TierPeer> = self
                .bounded_list(r.get(peers_field), r, &ppath, 1, max, true)
                .map(|ps| {
                    ps.iter()
                        .enumerate()
                        .filter_map(|(j, p)| self.peer(p, &format!("{ppath}[{j}]"), dir))
                        .collect()
                })
                .unwrap_or_default();
            let portspath = join(&rpath, ports_field);
            let ports: Option<Vec<TierPort>> = self
                .bounded_list(r.get(ports_field), r, &portspath, 1, max, false)
                .map(|ps| {
                    ps.iter()
                        .enumerate()
                        .filter_map(|(j, p)| {
                            let pp = format!("{portspath}[{j}]");
                            if self.api == Api::ClusterNetworkPolicy && !draft_ports {
                                self.cnp_protocol(p, &pp)
                            } else {
                                self.anp_port(p, &pp)
                            }
                        })
                        .collect()
                });
            if dir == Direction::Egress {
                let no_named = peers.iter().any(|p| {
                    matches!(
                        p.kind,
                        TierPeerKind::Networks { .. }
                            | TierPeerKind::Nodes { .. }
                            | TierPeerKind::DomainNames { .. }
                    )
                });
                let named = ports
                    .iter()
                    .flatten()
                    .any(|p| matches!(p.kind, TierPortKind::Named { .. }));
                if no_named && named {
                    self.error(r, &rpath, "Invalid value: networks/nodes/domainNames peer cannot be set with namedPorts since there are no namedPorts for networks/nodes/domainNames");
                }
            }
            let Some(action) = action else { continue };
            out.push(TierRule {
                name,
                action,
                peers,
                ports,
                location: self.r.cx.loc(r),
            });
        }
        out
    }
}

/// Reads one AdminNetworkPolicy, BaselineAdminNetworkPolicy or ClusterNetworkPolicy.
pub(crate) fn read_cluster_policy(
    cx: &mut Cx<'_>,
    node: &Node,
    kind: &str,
    name: &str,
) -> Option<ClusterPolicy> {
    let api = match kind {
        "AdminNetworkPolicy" => Api::AdminNetworkPolicy,
        "BaselineAdminNetworkPolicy" => Api::BaselineAdminNetworkPolicy,
        _ => Api::ClusterNetworkPolicy,
    };
    check_header(cx, node, api, kind);
    let meta = node.get("metadata");
    let mut pr = PolicyReader { cx, errors: 0 };
    let mut r = Reader { r: &mut pr, api };
    if let Some(n) = meta.and_then(|m| m.get("name")) {
        for e in names::dns1123_subdomain(name) {
            r.error(n, "metadata.name", format!("Invalid value: `{name}`: {e}"));
        }
        if api == Api::BaselineAdminNetworkPolicy && name != "default" {
            r.error(n, "metadata.name", "Invalid value: Only one baseline admin network policy with metadata.name=\"default\" can be created in the cluster");
        }
    }
    let spec = match node.get("spec").filter(|n| !n.is_null()) {
        Some(s) => r.mapping(s, "spec"),
        None => {
            r.error(node, "spec", "Required value");
            None
        }
    };
    let mut tier = match api {
        Api::BaselineAdminNetworkPolicy => Tier::Baseline,
        _ => Tier::Admin,
    };
    let mut priority = None;
    let mut subject = Subject::Namespaces {
        selector: Selector::default(),
    };
    let (mut ingress, mut egress) = (Vec::new(), Vec::new());
    if let Some(spec) = spec {
        let known = match api {
            Api::AdminNetworkPolicy => ANP_SPEC,
            Api::BaselineAdminNetworkPolicy => BANP_SPEC,
            Api::ClusterNetworkPolicy => CNP_SPEC,
        };
        r.r.cx
            .unknown_fields(spec, "spec", known, |k| match (api, k) {
                (Api::BaselineAdminNetworkPolicy, "priority") => {
                    Some("the baseline policy is a singleton and has no priority".into())
                }
                (_, "podSelector") => Some("select pods with `subject`".into()),
                (_, "tier") => Some("only ClusterNetworkPolicy (v1alpha2) has tiers".into()),
                _ => None,
            });
        if api == Api::ClusterNetworkPolicy {
            match spec.get("tier").filter(|n| !n.is_null()) {
                None => r.error(spec, "spec.tier", "Required value"),
                Some(t) => {
                    if let Some(v) = r.enum_value(t, "spec.tier", &["Admin", "Baseline"], None) {
                        tier = if v == "Admin" {
                            Tier::Admin
                        } else {
                            Tier::Baseline
                        };
                    }
                }
            }
        }
        if api != Api::BaselineAdminNetworkPolicy {
            match spec.get("priority").filter(|n| !n.is_null()) {
                None => r.error(spec, "spec.priority", "Required value"),
                Some(p) => priority = r.int_in(p, "spec.priority", 0, 1000).map(|p| p as i32),
            }
        }
        subject = r.subject(spec);
        ingress = r.rules(spec, Direction::Ingress);
        egress = r.rules(spec, Direction::Egress);
    }
    let errors = pr.errors;
    if errors > 0 {
        cx.note_left_out(kind);
        return None;
    }
    Some(ClusterPolicy {
        api,
        name: name.to_string(),
        tier,
        priority,
        subject,
        ingress,
        egress,
        location: cx.loc(node),
    })
}

/// What is checked before the spec: the apiVersion, the top-level fields and a
/// namespace, which a cluster-scoped object ignores.
#[inline(always)]
fn check_header(cx: &mut Cx<'_>, node: &Node, api: Api, kind: &str) {
    let api_version = node.get("apiVersion").and_then(Node::text).unwrap_or("");
    let expected = match api {
        Api::ClusterNetworkPolicy => "policy.networking.k8s.io/v1alpha2",
        _ => "policy.networking.k8s.io/v1alpha1",
    };
    if api_version != expected
        && !(api == Api::ClusterNetworkPolicy && api_version == "policy.networking.k8s.io/v1beta1")
    {
        cx.diag(
            Severity::Warning,
            "unknown-api-version",
            node.get("apiVersion").unwrap_or(node),
            Some("apiVersion"),
            format!("unexpected apiVersion `{api_version}` for {kind}; read as `{expected}`"),
        )
        .help = Some(format!("use `apiVersion: {expected}`"));
    }
    cx.unknown_fields(node, "", TOP, |_| None);
    // `namespace: ""` or `null` on a cluster-scoped object is no namespace at all.
    if let Some(ns) = node
        .get("metadata")
        .and_then(|m| m.get("namespace"))
        .filter(|n| !n.is_null() && n.text().is_some_and(|t| !t.is_empty()))
    {
        cx.diag(
            Severity::Warning,
            "cluster-scoped",
            ns,
            Some("metadata.namespace"),
            format!("{kind} is cluster-scoped: `metadata.namespace` is ignored; select namespaces in `spec.subject`"),
        );
    }
}
