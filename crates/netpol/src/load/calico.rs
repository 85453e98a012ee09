//! Reading and validating Calico `NetworkPolicy`, `GlobalNetworkPolicy` and `Tier`
//! objects (projectcalico.org/v3, or the crd.projectcalico.org/v1 objects behind them) as
//! Calico's API validation does. A policy Calico would refuse is reported and left out.

use crate::diag::{did_you_mean, Severity};
use crate::load::{join, parse_cidr, Cx, PolicyReader};
use crate::model::Protocol;
use crate::names;
use crate::tiers::calico::*;
use crate::yaml::{Node, NodeKind, Scalar};
use ipnet::IpNet;
use std::net::IpAddr;

const TOP: &[&str] = &["apiVersion", "kind", "metadata", "spec", "status"];
pub(crate) const NP_SPEC: &[&str] = &[
    "order",
    "tier",
    "selector",
    "serviceAccountSelector",
    "types",
    "ingress",
    "egress",
    "performanceHints",
];
pub(crate) const GNP_SPEC: &[&str] = &[
    "order",
    "tier",
    "selector",
    "namespaceSelector",
    "serviceAccountSelector",
    "types",
    "ingress",
    "egress",
    "doNotTrack",
    "preDNAT",
    "applyOnForward",
    "performanceHints",
];
pub(crate) const TIER_SPEC: &[&str] = &["order", "defaultAction"];
pub(crate) const RULE: &[&str] = &[
    "action",
    "protocol",
    "notProtocol",
    "icmp",
    "notICMP",
    "ipVersion",
    "source",
    "destination",
    "http",
    "metadata",
];
pub(crate) const ENTITY: &[&str] = &[
    "nets",
    "notNets",
    "selector",
    "notSelector",
    "namespaceSelector",
    "ports",
    "notPorts",
    "serviceAccounts",
    "services",
];
pub(crate) const ICMP: &[&str] = &["type", "code"];
pub(crate) const SA_MATCH: &[&str] = &["names", "selector"];

/// Is this apiVersion Calico's?
pub fn is_calico(api_version: &str) -> bool {
    api_version == "projectcalico.org/v3" || api_version == "crd.projectcalico.org/v1"
}

struct R<'r, 'c, 'd> {
    r: &'r mut PolicyReader<'c, 'd>,
}

impl R<'_, '_, '_> {
    fn error(&mut self, node: &Node, path: &str, msg: impl Into<String>) {
        self.r.error(node, path, msg);
    }

    fn warn(&mut self, code: &'static str, node: &Node, path: &str, msg: impl Into<String>) {
        self.r
            .cx
            .diag(Severity::Warning, code, node, Some(path), msg);
    }

    /// A selector expression: parsed, with errors pointing inside the string when it can.
    fn selector(&mut self, node: &Node, path: &str) -> Option<Expr> {
        let text = self.r.string(node, path)?;
        match selector::parse(&text) {
            Ok(e) => Some(e),
            Err(e) => {
                self.r.errors += 1;
                let mut at = node.clone();
                if let NodeKind::Scalar { value, plain, .. } = &node.kind {
                    let len = node.span.end - node.span.start;
                    let start = if *plain && len == value.len() {
                        Some(node.span.start)
                    } else if !*plain && len == value.len() + 2 {
                        Some(node.span.start + 1)
                    } else {
                        None
                    };
                    if let Some(s) = start {
                        let o = s + e.offset;
                        let end = (o + 1).min(s + value.len()).max(o);
                        at.span = o..end;
                    }
                }
                let d = self.r.cx.diag(
                    Severity::Error,
                    "invalid-selector",
                    &at,
                    Some(path),
                    format!(
                        "invalid selector `{text}`: {} (at byte {})",
                        e.message, e.offset
                    ),
                );
                d.help = Some("Calico selectors look like `app == 'web' && has(tier)`".into());
                None
            }
        }
    }

    fn order(&mut self, node: &Node, path: &str) -> Option<Order> {
        if node.is_null() {
            return None;
        }
        let text = node.text().unwrap_or("");
        match (node.scalar(), text.parse::<f64>()) {
            (Some(Scalar::Int(_) | Scalar::Float), Ok(value)) if value.is_finite() => Some(Order {
                value,
                text: text.to_string(),
            }),
            _ => {
                self.error(
                    node,
                    path,
                    format!(
                        "`order` must be a number, found {} `{text}`",
                        node.type_name()
                    ),
                );
                None
            }
        }
    }

    fn cidr_list(&mut self, node: Option<&Node>, path: &str) -> Vec<IpNet> {
        let mut out = Vec::new();
        for (i, c) in self.r.list(node, path).unwrap_or(&[]).iter().enumerate() {
            let cpath = format!("{path}[{i}]");
            let Some(text) = self.r.string(c, &cpath) else {
                continue;
            };
            // Calico takes a bare address as a /32 or /128.
            if let Ok(ip) = text.parse::<IpAddr>() {
                out.push(IpNet::from(ip));
                continue;
            }
            match parse_cidr(&text) {
                Ok((n, _)) => out.push(n.trunc()),
                Err(()) => self.error(
                    c,
                    &cpath,
                    format!("invalid CIDR `{text}`: expected an address or an address/prefix, e.g. `10.0.0.0/8`"),
                ),
            }
        }
        out
    }

    fn ports(&mut self, node: Option<&Node>, path: &str) -> Vec<CPort> {
        let mut out = Vec::new();
        for (i, p) in self.r.list(node, path).unwrap_or(&[]).iter().enumerate() {
            let ppath = format!("{path}[{i}]");
            let text = p.text().unwrap_or("").to_string();
            let num = |s: &str| {
                s.trim()
                    .parse::<u32>()
                    .ok()
                    .filter(|n| (1..=65535).contains(n))
            };
            if let Some(Scalar::Int(n)) = p.scalar() {
                match u16::try_from(n).ok().filter(|n| *n >= 1) {
                    Some(n) => out.push(CPort::Range { start: n, end: n }),
                    None => self.error(
                        p,
                        &ppath,
                        format!("port `{n}` is out of range: ports are 1 to 65535"),
                    ),
                }
                continue;
            }
            if let Some((a, b)) = text.split_once(':') {
                match (num(a), num(b)) {
                    (Some(a), Some(b)) if a <= b => out.push(CPort::Range {
                        start: a as u16,
                        end: b as u16,
                    }),
                    (Some(a), Some(b)) => self.error(
                        p,
                        &ppath,
                        format!("port range `{text}` ends before it starts ({a} > {b})"),
                    ),
                    _ => self.error(
                        p,
                        &ppath,
                        format!(
                            "invalid port range `{text}`: expected `FIRST:LAST`, both 1 to 65535"
                        ),
                    ),
                }
                continue;
            }
            if let Some(n) = num(&text) {
                out.push(CPort::Range {
                    start: n as u16,
                    end: n as u16,
                });
                continue;
            }
            let errs = names::port_name(&text);
            if errs.is_empty() {
                out.push(CPort::Named { name: text });
            } else {
                self.error(
                    p,
                    &ppath,
                    format!("invalid port `{text}`: not a number, a range `FIRST:LAST` or a port name ({})", errs.join("; ")),
                );
            }
        }
        out
    }

    fn entity(&mut self, node: Option<&Node>, path: &str) -> EntityRule {
        let mut er = EntityRule::default();
        let Some(node) = self.r.map(node, path) else {
            return er;
        };
        self.r.cx.unknown_fields(node, path, ENTITY, |k| match k {
            "podSelector" => Some("Calico selects endpoints with `selector: app == 'x'`".into()),
            "ipBlock" | "cidr" => Some("addresses go in `nets`".into()),
            _ => None,
        });
        er.nets = self.cidr_list(node.get("nets"), &join(path, "nets"));
        er.not_nets = self.cidr_list(node.get("notNets"), &join(path, "notNets"));
        let sel = |me: &mut Self, key: &str| {
            node.get(key)
                .filter(|n| !n.is_null())
                .and_then(|n| me.selector(n, &join(path, key)))
        };
        er.selector = sel(self, "selector");
        er.not_selector = sel(self, "notSelector");
        er.namespace_selector = sel(self, "namespaceSelector");
        er.ports = self.ports(node.get("ports"), &join(path, "ports"));
        er.not_ports = self.ports(node.get("notPorts"), &join(path, "notPorts"));
        if let Some(sa) = self
            .r
            .map(node.get("serviceAccounts"), &join(path, "serviceAccounts"))
        {
            let sapath = join(path, "serviceAccounts");
            self.r.cx.unknown_fields(sa, &sapath, SA_MATCH, |_| None);
            let names: Vec<String> = self
                .r
                .list(sa.get("names"), &join(&sapath, "names"))
                .unwrap_or(&[])
                .iter()
                .enumerate()
                .filter_map(|(i, n)| self.r.string(n, &format!("{sapath}.names[{i}]")))
                .collect();
            let selector = sa
                .get("selector")
                .filter(|n| !n.is_null())
                .and_then(|n| self.selector(n, &join(&sapath, "selector")));
            er.service_accounts = Some(SaMatch { names, selector });
        }
        if let Some(s) = node.get("services").filter(|n| !n.is_null()) {
            er.services = true;
            self.warn(
                "unsupported-field",
                s,
                &join(path, "services"),
                "`services` matches are not evaluated here: this rule matches nothing",
            );
        }
        er
    }

    fn protocol(&mut self, node: &Node, path: &str) -> Option<CProto> {
        let text = node.text().unwrap_or("");
        if let Some(Scalar::Int(n)) = node.scalar() {
            return match n {
                1 => Some(CProto::Icmp),
                6 => Some(CProto::Port(Protocol::TCP)),
                17 => Some(CProto::Port(Protocol::UDP)),
                58 => Some(CProto::IcmpV6),
                132 => Some(CProto::Port(Protocol::SCTP)),
                0..=255 => Some(CProto::Other(n as u8)),
                _ => {
                    self.error(
                        node,
                        path,
                        format!("protocol number `{n}` is out of range: 0 to 255"),
                    );
                    None
                }
            };
        }
        match text {
            "TCP" | "tcp" => Some(CProto::Port(Protocol::TCP)),
            "UDP" | "udp" => Some(CProto::Port(Protocol::UDP)),
            "SCTP" | "sctp" => Some(CProto::Port(Protocol::SCTP)),
            "ICMP" | "icmp" => Some(CProto::Icmp),
            "ICMPv6" | "icmpv6" => Some(CProto::IcmpV6),
            "UDPLite" | "udplite" => Some(CProto::Other(136)),
            _ => {
                self.r.errors += 1;
                let allowed = ["TCP", "UDP", "ICMP", "ICMPv6", "SCTP", "UDPLite"];
                let d = self.r.cx.diag(
                    Severity::Error,
                    "invalid-field",
                    node,
                    Some(path),
                    format!("unsupported protocol `{text}`: use TCP, UDP, ICMP, ICMPv6, SCTP, UDPLite or a number 0 to 255"),
                );
                if let Some(s) = did_you_mean(text, allowed) {
                    d.help = Some(format!("did you mean `{s}`?"));
                }
                None
            }
        }
    }

    fn icmp(&mut self, node: Option<&Node>, path: &str) -> Option<IcmpMatch> {
        let node = self.r.map(node, path)?;
        self.r.cx.unknown_fields(node, path, ICMP, |_| None);
        let field = |me: &mut Self, key: &str, max: i64| -> Option<u8> {
            let n = node.get(key).filter(|n| !n.is_null())?;
            match n.as_int() {
                Some(v) if (0..=max).contains(&v) => Some(v as u8),
                _ => {
                    me.error(
                        n,
                        &join(path, key),
                        format!(
                            "ICMP {key} must be a number from 0 to {max}, found `{}`",
                            n.text().unwrap_or("")
                        ),
                    );
                    None
                }
            }
        };
        let icmp_type = field(self, "type", 254);
        let code = field(self, "code", 255);
        if code.is_some() && icmp_type.is_none() {
            self.error(node, &join(path, "code"), "ICMP `code` needs a `type`");
        }
        Some(IcmpMatch { icmp_type, code })
    }

    fn rule(&mut self, node: &Node, path: &str) -> Option<CalicoRule> {
        self.r.mapping(node, path)?;
        self.r.cx.unknown_fields(node, path, RULE, |k| match k {
            "from" | "to" => Some("Calico rules use `source` and `destination`".into()),
            "ports" => Some("ports go in `destination.ports` (or `source.ports`)".into()),
            _ => None,
        });
        let action = match node.get("action").filter(|n| !n.is_null()) {
            None => {
                self.error(
                    node,
                    &join(path, "action"),
                    "`action` is required: Allow, Deny, Log or Pass",
                );
                None
            }
            Some(a) => {
                let t = a.text().unwrap_or("");
                let act = match t {
                    "Allow" => Some(CalicoAction::Allow),
                    "Deny" => Some(CalicoAction::Deny),
                    "Pass" => Some(CalicoAction::Pass),
                    "Log" => Some(CalicoAction::Log),
                    _ => None,
                };
                if act.is_none() {
                    self.r.errors += 1;
                    let allowed = ["Allow", "Deny", "Log", "Pass"];
                    let d = self.r.cx.diag(
                        Severity::Error,
                        "invalid-field",
                        a,
                        Some(&join(path, "action")),
                        format!("unsupported action `{t}`: use Allow, Deny, Log or Pass"),
                    );
                    let fixed = allowed
                        .iter()
                        .find(|x| x.eq_ignore_ascii_case(t))
                        .copied()
                        .or_else(|| did_you_mean(t, allowed));
                    if let Some(s) = fixed {
                        d.help = Some(format!("did you mean `{s}`?"));
                    }
                }
                act
            }
        };
        let protocol = node
            .get("protocol")
            .filter(|n| !n.is_null())
            .and_then(|n| self.protocol(n, &join(path, "protocol")));
        let not_protocol = node
            .get("notProtocol")
            .filter(|n| !n.is_null())
            .and_then(|n| self.protocol(n, &join(path, "notProtocol")));
        let icmp = self.icmp(node.get("icmp"), &join(path, "icmp"));
        let not_icmp = self.icmp(node.get("notICMP"), &join(path, "notICMP"));
        let is_icmp = matches!(protocol, Some(CProto::Icmp | CProto::IcmpV6));
        for (key, m) in [("icmp", icmp), ("notICMP", not_icmp)] {
            if m.is_some() && !is_icmp {
                let at = node.get(key).unwrap_or(node);
                self.error(
                    at,
                    &join(path, key),
                    format!("`{key}` needs `protocol: ICMP` or `ICMPv6`"),
                );
            }
        }
        let source = self.entity(node.get("source"), &join(path, "source"));
        let destination = self.entity(node.get("destination"), &join(path, "destination"));
        let port_proto = matches!(protocol, Some(CProto::Port(_)));
        for (side, er) in [("source", &source), ("destination", &destination)] {
            for (key, list) in [("ports", &er.ports), ("notPorts", &er.not_ports)] {
                if !list.is_empty() && !port_proto {
                    let at = node.get(side).and_then(|s| s.get(key)).unwrap_or(node);
                    self.error(
                        at,
                        &format!("{path}.{side}.{key}"),
                        format!("`{side}.{key}` needs `protocol` TCP, UDP or SCTP on the rule"),
                    );
                }
            }
        }
        if !source.ports.is_empty() {
            let at = node
                .get("source")
                .and_then(|s| s.get("ports"))
                .unwrap_or(node);
            self.warn(
                "unsupported-field",
                at,
                &format!("{path}.source.ports"),
                "source ports are not modelled (clients pick them): this rule matches nothing here",
            );
        }
        if let Some(h) = node.get("http").filter(|n| !n.is_null()) {
            self.warn(
                "unsupported-field",
                h,
                &join(path, "http"),
                "`http` matches need Calico's application layer policy; they are ignored here (the rule matches any request)",
            );
        }
        Some(CalicoRule {
            action: action?,
            protocol,
            not_protocol,
            icmp,
            not_icmp,
            source,
            destination,
            location: self.r.cx.loc(node),
        })
    }
}

/// Reads a `Tier`.
pub(crate) fn read_tier(cx: &mut Cx<'_>, node: &Node, name: &str) -> Option<CalicoTier> {
    let mut r = PolicyReader { cx, errors: 0 };
    r.cx.unknown_fields(node, "", TOP, |_| None);
    let spec = r.map(node.get("spec"), "spec");
    let mut rr = R { r: &mut r };
    let mut order = None;
    let mut default_action = CalicoAction::Deny;
    if let Some(spec) = spec {
        rr.r.cx.unknown_fields(spec, "spec", TIER_SPEC, |_| None);
        if let Some(o) = spec.get("order") {
            order = rr.order(o, "spec.order");
        }
        if let Some(a) = spec.get("defaultAction").filter(|n| !n.is_null()) {
            match a.text().unwrap_or("") {
                "Deny" => {}
                "Pass" => default_action = CalicoAction::Pass,
                t => rr.error(
                    a,
                    "spec.defaultAction",
                    format!("unsupported defaultAction `{t}`: use Deny or Pass"),
                ),
            }
        }
    }
    for e in names::dns1123_label(name) {
        rr.error(
            node.get("metadata").unwrap_or(node),
            "metadata.name",
            format!("invalid tier name `{name}`: {e}"),
        );
    }
    if r.errors > 0 {
        return None;
    }
    Some(CalicoTier {
        name: name.to_string(),
        order,
        default_action,
        location: Some(r.cx.loc(node)),
    })
}

/// `spec.types`, or its default; rules of a direction the types leave out are reported.
#[inline(always)]
fn policy_types(
    rr: &mut R<'_, '_, '_>,
    spec: &Node,
    has_ingress: bool,
    has_egress: bool,
) -> (bool, bool) {
    // `types` defaults as Calico does: Egress when there are egress rules, Ingress when
    // there are ingress rules or no egress rules.
    let (mut ingress_type, mut egress_type) = (has_ingress || !has_egress, has_egress);
    if let Some(types) = rr.r.list(spec.get("types"), "spec.types") {
        ingress_type = false;
        egress_type = false;
        let errors_before = rr.r.errors;
        for (i, t) in types.iter().enumerate() {
            match t.text().unwrap_or("") {
                "Ingress" => ingress_type = true,
                "Egress" => egress_type = true,
                other => {
                    let help = did_you_mean(other, ["Ingress", "Egress"]).or_else(|| {
                        ["Ingress", "Egress"]
                            .into_iter()
                            .find(|x| x.eq_ignore_ascii_case(other))
                    });
                    rr.r.errors += 1;
                    let d = rr.r.cx.diag(
                        Severity::Error,
                        "invalid-field",
                        t,
                        Some(&format!("spec.types[{i}]")),
                        format!("unsupported type `{other}`: use Ingress or Egress"),
                    );
                    if let Some(h) = help {
                        d.help = Some(format!("did you mean `{h}`?"));
                    }
                }
            }
        }
        for (dir, present, typed) in [
            ("ingress", has_ingress, ingress_type),
            ("egress", has_egress, egress_type),
        ] {
            if present && !typed && rr.r.errors == errors_before {
                let at = spec.get(dir).unwrap_or(spec);
                rr.warn(
                    "ignored-rules",
                    at,
                    &format!("spec.{dir}"),
                    format!(
                        "`spec.{dir}` has rules but `types` does not list {}: they are never used",
                        if dir == "ingress" {
                            "Ingress"
                        } else {
                            "Egress"
                        }
                    ),
                );
            }
        }
    }
    (ingress_type, egress_type)
}

/// Reads a Calico `NetworkPolicy` (`namespace` given) or `GlobalNetworkPolicy`.
pub(crate) fn read_policy(
    cx: &mut Cx<'_>,
    node: &Node,
    namespace: Option<&str>,
    name: &str,
) -> Option<CalicoPolicy> {
    let global = namespace.is_none();
    let mut r = PolicyReader { cx, errors: 0 };
    r.cx.unknown_fields(node, "", TOP, |_| None);
    let spec_node = r.map(node.get("spec"), "spec");
    let mut rr = R { r: &mut r };
    let empty = Node {
        kind: NodeKind::Map(Vec::new()),
        span: node.span.clone(),
    };
    let spec = spec_node.unwrap_or(&empty);
    let known = if global { GNP_SPEC } else { NP_SPEC };
    rr.r.cx.unknown_fields(spec, "spec", known, |k| match k {
        "podSelector" => Some("Calico selects endpoints with `selector: app == 'x'`".into()),
        "policyTypes" => Some("Calico calls it `types`".into()),
        "namespaceSelector" => Some("only a GlobalNetworkPolicy has `spec.namespaceSelector`; a NetworkPolicy applies to its own namespace".into()),
        "doNotTrack" | "preDNAT" | "applyOnForward" => Some("only GlobalNetworkPolicy has it".into()),
        _ => None,
    });
    let order = spec.get("order").and_then(|o| rr.order(o, "spec.order"));
    let tier = match spec.get("tier").filter(|n| !n.is_null()) {
        Some(t) => {
            rr.r.string(t, "spec.tier")
                .unwrap_or_else(|| "default".into())
        }
        None => "default".into(),
    };
    let sel = |rr: &mut R<'_, '_, '_>, key: &str| {
        spec.get(key)
            .filter(|n| !n.is_null())
            .and_then(|n| rr.selector(n, &join("spec", key)))
    };
    let selector = sel(&mut rr, "selector").unwrap_or(Expr::All);
    let namespace_selector = if global {
        sel(&mut rr, "namespaceSelector")
    } else {
        None
    };
    let service_account_selector = sel(&mut rr, "serviceAccountSelector");
    let rules = |rr: &mut R<'_, '_, '_>, key: &str| -> (bool, Vec<CalicoRule>) {
        let list = rr.r.list(spec.get(key), &join("spec", key));
        let present = list.is_some_and(|l| !l.is_empty());
        let out = list
            .unwrap_or(&[])
            .iter()
            .enumerate()
            .filter_map(|(i, n)| rr.rule(n, &format!("spec.{key}[{i}]")))
            .collect();
        (present, out)
    };
    let (has_ingress, ingress) = rules(&mut rr, "ingress");
    let (has_egress, egress) = rules(&mut rr, "egress");
    let (ingress_type, egress_type) = policy_types(&mut rr, spec, has_ingress, has_egress);
    let mut host_only = false;
    for key in ["doNotTrack", "preDNAT"] {
        if let Some(n) = spec
            .get(key)
            .filter(|n| n.scalar() == Some(Scalar::Bool(true)))
        {
            host_only = true;
            rr.warn(
                "host-endpoint-policy",
                n,
                &join("spec", key),
                format!("`{key}` policies apply to host endpoints only; this policy selects no pod here"),
            );
        }
    }
    if r.errors > 0 {
        return None;
    }
    Some(CalicoPolicy {
        global,
        namespace: namespace.map(str::to_string),
        name: name.to_string(),
        tier,
        order,
        selector,
        namespace_selector,
        service_account_selector,
        ingress_type,
        egress_type,
        ingress,
        egress,
        host_only,
        location: r.cx.loc(node),
    })
}
