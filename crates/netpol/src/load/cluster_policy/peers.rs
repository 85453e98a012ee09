//! Reading a cluster-scoped policy's subject and peers (pods, namespaces, nodes, networks, domain names), as the API validates them.

use super::*;

impl Reader<'_, '_, '_> {
    pub(super) fn subject(&mut self, spec: &Node) -> Subject {
        let path = "spec.subject";
        let default = Subject::Namespaces {
            selector: Selector::default(),
        };
        let Some(node) = spec.get("subject").filter(|n| !n.is_null()) else {
            self.error(spec, path, "Required value");
            return default;
        };
        if self.mapping(node, path).is_none() {
            return default;
        }
        self.r.cx.unknown_fields(node, path, SUBJECT, |k| match k {
            "namespaceSelector" | "podSelector" => Some(
                "the subject is `namespaces: <selector>` or `pods: {namespaceSelector, podSelector}`".into(),
            ),
            _ => None,
        });
        match self.exactly_one(node, path, SUBJECT) {
            Some(("namespaces", n)) => Subject::Namespaces {
                selector: self.selector_at(n, "spec.subject.namespaces"),
            },
            Some((_, n)) => {
                let (namespace_selector, pod_selector) =
                    self.namespaced_pod(n, "spec.subject.pods");
                Subject::Pods {
                    namespace_selector,
                    pod_selector,
                }
            }
            None => default,
        }
    }

    pub(super) fn peer(&mut self, node: &Node, path: &str, dir: Direction) -> Option<TierPeer> {
        self.mapping(node, path)?;
        let known = match (dir, self.api) {
            (Direction::Ingress, _) => INGRESS_PEER,
            (Direction::Egress, Api::BaselineAdminNetworkPolicy) => EGRESS_PEER_BANP,
            (Direction::Egress, _) => EGRESS_PEER,
        };
        self.r.cx.unknown_fields(node, path, known, |k| match k {
            "nodes" | "networks" | "domainNames" => {
                Some("only egress peers select nodes, networks or domain names".into())
            }
            "namespaceSelector" => {
                Some("NetworkPolicy's `namespaceSelector` is `namespaces: <selector>` here".into())
            }
            "podSelector" => {
                Some("select pods with `pods: {namespaceSelector, podSelector}`".into())
            }
            "ipBlock" => Some("CIDRs go in an egress peer's `networks` list".into()),
            _ => None,
        });
        let (field, value) = self.exactly_one(node, path, known)?;
        let fpath = join(path, field);
        let kind = match field {
            "namespaces" => TierPeerKind::Namespaces {
                selector: self.selector_at(value, &fpath),
            },
            "pods" => {
                let (namespace_selector, pod_selector) = self.namespaced_pod(value, &fpath);
                TierPeerKind::Pods {
                    namespace_selector,
                    pod_selector,
                }
            }
            "nodes" => TierPeerKind::Nodes {
                selector: self.selector_at(value, &fpath),
            },
            "networks" => {
                let list = self.bounded_list(Some(value), node, &fpath, 1, 25, true)?;
                let mut cidrs: Vec<IpNet> = Vec::new();
                for (i, c) in list.iter().enumerate() {
                    let cpath = format!("{fpath}[{i}]");
                    let Some(text) = self.r.string(c, &cpath) else {
                        continue;
                    };
                    if text.len() > 43 {
                        self.error(
                            c,
                            &cpath,
                            format!("Too long: may not be longer than 43 (`{text}`)"),
                        );
                        continue;
                    }
                    if text.contains(':') == text.contains('.') {
                        self.error(c, &cpath, format!("Invalid value: `{text}`: CIDR must be either an IPv4 or IPv6 address. IPv4 address embedded in IPv6 addresses are not supported"));
                        continue;
                    }
                    match parse_cidr(&text) {
                        Ok((n, None)) => {
                            if cidrs.contains(&n) {
                                self.error(c, &cpath, format!("Duplicate value: `{text}`"));
                            }
                            cidrs.push(n);
                        }
                        _ => {
                            let hint = if text.parse::<IpAddr>().is_ok() {
                                " (a CIDR needs a prefix length, e.g. `/32`)"
                            } else {
                                ""
                            };
                            self.error(
                                c,
                                &cpath,
                                format!(
                                    "Invalid value: `{text}`: Invalid CIDR format provided{hint}"
                                ),
                            );
                        }
                    }
                }
                TierPeerKind::Networks { cidrs }
            }
            _ => {
                let list = self.bounded_list(Some(value), node, &fpath, 1, 25, true)?;
                let names: Vec<String> = list
                    .iter()
                    .enumerate()
                    .filter_map(|(i, n)| self.r.string(n, &format!("{fpath}[{i}]")))
                    .collect();
                self.r.cx.diag(
                    Severity::Warning,
                    "unsupported-field",
                    value,
                    Some(&fpath),
                    "`domainNames` peers (experimental) are not evaluated: the playground cannot resolve names, so this peer matches nothing here",
                );
                TierPeerKind::DomainNames { names }
            }
        };
        Some(TierPeer {
            kind,
            location: self.r.cx.loc(node),
        })
    }
}
