//! NetworkPolicy: strict reading and validation, as the API server does
//! (pkg/apis/networking/validation); an invalid policy is reported and left out.

use super::*;

pub(super) const POLICY_TOP: &[&str] = &["apiVersion", "kind", "metadata", "spec", "status"];
pub(super) const POLICY_SPEC: &[&str] = &["podSelector", "policyTypes", "ingress", "egress"];
pub(super) const INGRESS_RULE: &[&str] = &["from", "ports"];
pub(super) const EGRESS_RULE: &[&str] = &["to", "ports"];
pub(super) const PEER: &[&str] = &["podSelector", "namespaceSelector", "ipBlock"];
pub(super) const IP_BLOCK: &[&str] = &["cidr", "except"];
pub(super) const PORT: &[&str] = &["protocol", "port", "endPort"];
pub(super) const SELECTOR: &[&str] = &["matchLabels", "matchExpressions"];
pub(super) const REQUIREMENT: &[&str] = &["key", "operator", "values"];

impl PolicyReader<'_, '_> {
    fn peer(&mut self, node: &Node, path: &str) -> Option<Peer> {
        self.mapping(node, path)?;
        self.cx.unknown_fields(node, path, PEER, |k| match k {
            "cidr" | "except" => Some("`cidr` and `except` belong inside `ipBlock`".into()),
            "matchLabels" | "matchExpressions" => {
                Some("label selectors go inside `podSelector` or `namespaceSelector`".into())
            }
            _ => None,
        });
        let pod = self
            .map(node.get("podSelector"), &join(path, "podSelector"))
            .map(|s| self.selector(s, &join(path, "podSelector")));
        let ns = self
            .map(
                node.get("namespaceSelector"),
                &join(path, "namespaceSelector"),
            )
            .map(|s| self.selector(s, &join(path, "namespaceSelector")));
        let ipb_node = self.map(node.get("ipBlock"), &join(path, "ipBlock"));
        let count = usize::from(pod.is_some())
            + usize::from(ns.is_some())
            + usize::from(ipb_node.is_some());
        if count == 0 {
            self.error(node, path, "must specify a peer");
            return None;
        }
        if let Some(ib) = ipb_node {
            let ipath = join(path, "ipBlock");
            if count > 1 {
                self.error(node, path, "may not specify both ipBlock and another peer");
            }
            self.cx.unknown_fields(ib, &ipath, IP_BLOCK, |_| None);
            let cidr = match ib.get("cidr") {
                Some(c) if c.text().is_some_and(|t| !t.is_empty()) => {
                    self.cidr(c, &join(&ipath, "cidr"))
                }
                other => {
                    self.error(other.unwrap_or(ib), &join(&ipath, "cidr"), "Required value");
                    None
                }
            };
            let mut except = Vec::new();
            // The API server stops at a missing or unparsable `cidr`.
            let except_list = if cidr.is_some() {
                self.list(ib.get("except"), &join(&ipath, "except"))
            } else {
                None
            };
            if let Some(list) = except_list {
                for (i, e) in list.iter().enumerate() {
                    let epath = format!("{ipath}.except[{i}]");
                    let Some(ex) = self.cidr(e, &epath) else {
                        continue;
                    };
                    if let Some(c) = cidr {
                        if !legacy_strict_subset(&c, &ex) {
                            self.error(
                                e,
                                &epath,
                                format!(
                                    "invalid value `{}`: must be a strict subset of `cidr`",
                                    e.text().unwrap_or("")
                                ),
                            );
                            continue;
                        }
                    }
                    except.push(ex);
                }
            }
            let cidr = cidr?;
            return Some(Peer {
                kind: PeerKind::IpBlock(IpBlock { cidr, except }),
                location: self.cx.loc(node),
            });
        }
        Some(Peer {
            kind: PeerKind::Pods {
                namespace_selector: ns,
                pod_selector: pod,
            },
            location: self.cx.loc(node),
        })
    }

    fn port(&mut self, node: &Node, path: &str) -> Option<PortRule> {
        // A null entry decodes to the zero NetworkPolicyPort: protocol TCP (defaulted),
        // every port, as `{}` does.
        if node.is_null() {
            return Some(PortRule {
                protocol: Protocol::TCP,
                port: None,
                end_port: None,
                location: self.cx.loc(node),
            });
        }
        self.mapping(node, path)?;
        self.cx.unknown_fields(node, path, PORT, |k| match k {
            "containerPort" | "targetPort" => Some("NetworkPolicy ports use `port`".into()),
            _ => None,
        });
        let protocol = self.port_protocol(node, path);
        let port = self.port_number_or_name(node, path);
        let end_port = self.port_end(node, path);
        Some(PortRule {
            protocol,
            port,
            end_port,
            location: self.cx.loc(node),
        })
    }

    /// `protocol` (TCP when absent or invalid, which is reported).
    #[inline(always)]
    fn port_protocol(&mut self, node: &Node, path: &str) -> Protocol {
        match node.get("protocol").filter(|n| !n.is_null()) {
            None => Protocol::TCP,
            Some(p) => {
                let t = p.text().unwrap_or("").to_string();
                match Protocol::parse(&t) {
                    Some(pr) => pr,
                    None => {
                        self.errors += 1;
                        let d = self.cx.diag(
                            Severity::Error,
                            "invalid-field",
                            p,
                            Some(&join(path, "protocol")),
                            format!("unsupported value `{t}`: supported values: \"TCP\", \"UDP\", \"SCTP\""),
                        );
                        if let Some(s) = did_you_mean(&t, ["TCP", "UDP", "SCTP"]) {
                            d.help =
                                Some(format!("did you mean `{s}`? (protocols are upper case)"));
                            d.replacement = Some(s.to_string());
                        } else if t.eq_ignore_ascii_case("icmp") {
                            d.help = Some("NetworkPolicy cannot select ICMP; a rule without `ports` allows it on most CNIs".into());
                        }
                        Protocol::TCP
                    }
                }
            }
        }
    }

    /// `port`: a number or a name, checked as the API server does.
    #[inline(always)]
    fn port_number_or_name(&mut self, node: &Node, path: &str) -> Option<PortValue> {
        let ppath = join(path, "port");
        match node.get("port").filter(|n| !n.is_null()) {
            None => None,
            Some(p) => match p.scalar() {
                Some(Scalar::Int(n)) => {
                    for e in names::port_number(n) {
                        self.error(p, &ppath, format!("invalid value `{n}`: {e}"));
                    }
                    u16::try_from(n)
                        .ok()
                        .filter(|n| *n > 0)
                        .map(PortValue::Number)
                }
                Some(Scalar::Str(s)) => {
                    let errs = names::port_name(s);
                    for e in &errs {
                        self.error(p, &ppath, format!("invalid value `{s}`: {e}"));
                    }
                    if errs.is_empty() {
                        Some(PortValue::Name(s.to_string()))
                    } else {
                        None
                    }
                }
                _ => {
                    self.error(
                        p,
                        &ppath,
                        format!(
                            "must be a port number or name, found {} `{}`",
                            p.type_name(),
                            p.text().unwrap_or("")
                        ),
                    );
                    None
                }
            },
        }
    }

    /// `endPort`, checked against `port`.
    #[inline(always)]
    fn port_end(&mut self, node: &Node, path: &str) -> Option<u16> {
        let epath = join(path, "endPort");
        match node.get("endPort").filter(|n| !n.is_null()) {
            None => None,
            Some(e) => match e.as_int() {
                None => {
                    self.error(
                        e,
                        &epath,
                        format!(
                            "must be a number, found {} `{}`",
                            e.type_name(),
                            e.text().unwrap_or("")
                        ),
                    );
                    None
                }
                Some(end) => {
                    match node.get("port").filter(|n| !n.is_null()).map(|p| p.scalar()) {
                        None => self.error(e, &epath, format!("invalid value `{end}`: may not be specified when `port` is not specified")),
                        Some(Some(Scalar::Int(start))) => {
                            if end < start {
                                self.error(e, &epath, format!("invalid value `{start}`: must be greater than or equal to `port`"));
                            }
                            for msg in names::port_number(end) {
                                self.error(e, &epath, format!("invalid value `{end}`: {msg}"));
                            }
                        }
                        Some(_) => self.error(e, &epath, format!("invalid value `{end}`: may not be specified when `port` is non-numeric")),
                    }
                    u16::try_from(end).ok()
                }
            },
        }
    }

    /// `metadata`: the name, the namespace (when written) and the labels, as the API
    /// server checks them.
    #[inline(always)]
    fn metadata(&mut self, node: &Node, namespace: &str, name: &str, namespace_given: bool) {
        let meta = node.get("metadata");
        if let Some(n) = meta.and_then(|m| m.get("name")) {
            for e in names::dns1123_subdomain(name) {
                self.error(n, "metadata.name", format!("invalid value `{name}`: {e}"));
            }
        }
        if namespace_given {
            if let Some(n) = meta.and_then(|m| m.get("namespace")) {
                for e in names::dns1123_label(namespace) {
                    self.error(
                        n,
                        "metadata.namespace",
                        format!("invalid value `{namespace}`: {e}"),
                    );
                }
            }
        }
        if let Some(labels) = meta.and_then(|m| m.get("labels")).and_then(Node::as_map) {
            for (k, v) in labels {
                let key = k.text().unwrap_or("");
                for e in names::qualified_name(key) {
                    self.error(k, "metadata.labels", format!("invalid value `{key}`: {e}"));
                }
                let value = v.text().unwrap_or("");
                for e in names::label_value(value) {
                    self.error(
                        v,
                        "metadata.labels",
                        format!("invalid value `{value}`: {e}"),
                    );
                }
            }
        }
    }

    /// `spec.policyTypes`: (written, (Ingress, Egress)).
    #[inline(always)]
    fn policy_types(&mut self, spec: &Node) -> (bool, (bool, bool)) {
        let mut explicit_types = false;
        let mut types = (false, false);
        if let Some(list) = self.list(spec.get("policyTypes"), "spec.policyTypes") {
            let too_many = list.len() > 2;
            if too_many {
                self.error(
                    spec.get("policyTypes").unwrap_or(spec),
                    "spec.policyTypes",
                    "may not specify more than two policyTypes",
                );
            }
            explicit_types = !list.is_empty();
            for (i, t) in list.iter().enumerate().filter(|_| !too_many) {
                match t.text() {
                    Some("Ingress") => types.0 = true,
                    Some("Egress") => types.1 = true,
                    other => {
                        let text = other.unwrap_or("");
                        self.errors += 1;
                        let d = self.cx.diag(
                            Severity::Error,
                            "invalid-field",
                            t,
                            Some(&format!("spec.policyTypes[{i}]")),
                            format!(
                                "unsupported value `{text}`: supported values: \"Ingress\", \"Egress\""
                            ),
                        );
                        if let Some(s) = did_you_mean(text, ["Ingress", "Egress"]) {
                            d.help = Some(format!("did you mean `{s}`?"));
                            d.replacement = Some(s.to_string());
                        }
                    }
                }
            }
        }
        (explicit_types, types)
    }

    fn rules(&mut self, spec: &Node, dir: Direction) -> Vec<Rule> {
        let (field, peers_field, known, other) = match dir {
            Direction::Ingress => ("ingress", "from", INGRESS_RULE, "to"),
            Direction::Egress => ("egress", "to", EGRESS_RULE, "from"),
        };
        let path = format!("spec.{field}");
        let mut rules = Vec::new();
        let Some(list) = self.list(spec.get(field), &path) else {
            return rules;
        };
        for (i, r) in list.iter().enumerate() {
            let rpath = format!("{path}[{i}]");
            if r.is_null() {
                rules.push(Rule {
                    peers: Vec::new(),
                    ports: Vec::new(),
                    location: self.cx.loc(r),
                });
                continue;
            }
            if self.mapping(r, &rpath).is_none() {
                continue;
            }
            let has_peers = r.get(peers_field).is_some();
            self.cx.unknown_fields(r, &rpath, known, |k| {
                if k == other {
                    Some(format!(
                        "{field} rules use `{peers_field}`{}",
                        if has_peers {
                            ""
                        } else {
                            "; without it this rule matches every peer"
                        }
                    ))
                } else if PEER.contains(&k) {
                    Some(format!("peers go in a list under `{peers_field}`"))
                } else {
                    None
                }
            });
            let ppath = format!("{rpath}.{peers_field}");
            let peers = self
                .list(r.get(peers_field), &ppath)
                .map(|ps| {
                    ps.iter()
                        .enumerate()
                        .filter_map(|(j, p)| self.peer(p, &format!("{ppath}[{j}]")))
                        .collect()
                })
                .unwrap_or_default();
            let portspath = format!("{rpath}.ports");
            let ports = self
                .list(r.get("ports"), &portspath)
                .map(|ps| {
                    ps.iter()
                        .enumerate()
                        .filter_map(|(j, p)| self.port(p, &format!("{portspath}[{j}]")))
                        .collect()
                })
                .unwrap_or_default();
            rules.push(Rule {
                peers,
                ports,
                location: self.cx.loc(r),
            });
        }
        rules
    }
}

pub(super) fn read_policy(
    cx: &mut Cx<'_>,
    node: &Node,
    namespace: &str,
    name: &str,
    namespace_given: bool,
) -> Option<Policy> {
    cx.unknown_fields(node, "", POLICY_TOP, |_| None);
    let mut r = PolicyReader { cx, errors: 0 };
    r.metadata(node, namespace, name, namespace_given);
    let empty = Node {
        kind: NodeKind::Map(Vec::new()),
        span: node.span.clone(),
    };
    let spec = match r.map(node.get("spec"), "spec") {
        Some(s) => s,
        None => {
            if node.get("spec").is_none() {
                r.cx.diag(Severity::Warning, "missing-spec", node, Some("spec"), "NetworkPolicy has no `spec`: it selects every pod of its namespace and denies all their ingress")
                    .help = Some("add `spec.podSelector` and the rules you mean".into());
            }
            &empty
        }
    };
    r.cx.unknown_fields(spec, "spec", POLICY_SPEC, |k| match k {
        "from" | "to" | "ports" => Some("rules go in lists under `ingress` or `egress`".into()),
        "namespaceSelector" => Some("a policy always applies to pods in its own namespace; select other namespaces in `from`/`to` peers".into()),
        _ => None,
    });
    let pod_selector = match r.map(spec.get("podSelector"), "spec.podSelector") {
        Some(s) => r.selector(s, "spec.podSelector"),
        None => Selector::default(),
    };
    let (explicit_types, mut types) = r.policy_types(spec);
    let ingress = r.rules(spec, Direction::Ingress);
    let egress = r.rules(spec, Direction::Egress);
    if !explicit_types {
        // SetDefaults_NetworkPolicySpec: Ingress always; Egress when egress rules exist.
        let has_egress = spec
            .get("egress")
            .and_then(Node::as_seq)
            .is_some_and(|l| !l.is_empty());
        types = (true, has_egress);
    }
    let errors = r.errors;
    if errors > 0 {
        cx.note_left_out("NetworkPolicy");
        return None;
    }
    Some(Policy {
        namespace: namespace.to_string(),
        name: name.to_string(),
        pod_selector,
        ingress_isolating: types.0,
        egress_isolating: types.1,
        explicit_types,
        ingress,
        egress,
        location: cx.loc(node),
    })
}
