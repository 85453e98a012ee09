//! The classes of peers a rule admits (NetworkPolicy and cluster-scoped), their ports, and the address arithmetic of `ipBlock`s.

use super::*;

/// The ports of an exposure to `class`: a named port never resolves on an address
/// outside the cluster.
pub(super) fn without_names(class: &PeerClass, ports: &Ports) -> Ports {
    match class {
        PeerClass::Addresses { .. } => Ports {
            set: ports.set.clone(),
            named: Vec::new(),
        },
        _ => ports.clone(),
    }
}

/// Everyone as its parts: any pod in any namespace, the IPv4 and the IPv6 internet.
pub(super) fn everyone_parts() -> Vec<PeerClass> {
    vec![
        PeerClass::Pods {
            namespaces: Namespaces::Any,
            pods: Selector::default(),
        },
        PeerClass::Addresses {
            cidr: IpNet::V4(ipnet::Ipv4Net::default()),
            except: Vec::new(),
        },
        PeerClass::Addresses {
            cidr: IpNet::V6(ipnet::Ipv6Net::default()),
            except: Vec::new(),
        },
    ]
}

/// The ports of a NetworkPolicy rule as an exposure states them.
pub(super) fn np_ports(rule: &Rule, subject: &Endpoint, dir: Direction) -> Ports {
    if rule.ports.is_empty() {
        return Ports::all();
    }
    let mut out = Ports {
        set: PortSet::none(),
        named: Vec::new(),
    };
    for pr in &rule.ports {
        match &pr.port {
            None => out.set.add_all(pr.protocol),
            Some(PortValue::Number(n)) => {
                out.set
                    .add(pr.protocol, *n, pr.end_port.unwrap_or(*n).max(*n))
            }
            Some(PortValue::Name(name)) => match dir {
                Direction::Ingress => {
                    if let Some(p) = subject.named_port(name, pr.protocol) {
                        out.set.add(pr.protocol, p, p);
                    }
                }
                Direction::Egress => {
                    let np = NamedPort {
                        protocol: Some(pr.protocol),
                        name: name.clone(),
                    };
                    if !out.named.contains(&np) {
                        out.named.push(np);
                    }
                }
            },
        }
    }
    out
}

/// The ports of a cluster-scoped rule as an exposure states them.
pub(super) fn tier_ports(rule: &TierRule, subject: &Endpoint, dir: Direction) -> Ports {
    let Some(ports) = &rule.ports else {
        return Ports::all();
    };
    let mut out = Ports {
        set: PortSet::none(),
        named: Vec::new(),
    };
    for p in ports {
        match &p.kind {
            TierPortKind::Number { protocol, port } => out.set.add(*protocol, *port, *port),
            TierPortKind::Range {
                protocol,
                start,
                end,
            } => out.set.add(*protocol, *start, (*end).max(*start)),
            TierPortKind::Named { name } => match dir {
                Direction::Ingress => {
                    for cp in &subject.ports {
                        if cp.name.as_deref() == Some(name.as_str()) {
                            out.set.add(cp.protocol, cp.port, cp.port);
                        }
                    }
                }
                Direction::Egress => out.named.push(NamedPort {
                    protocol: None,
                    name: name.clone(),
                }),
            },
        }
    }
    out
}

/// The class of hypothetical peers of a NetworkPolicy peer, when it reaches beyond the
/// input.
pub(super) fn np_class(
    c: &Cluster,
    policy: &Policy,
    peer: &PeerKind,
    pod_ips: &[IpAddr],
) -> Option<PeerClass> {
    match peer {
        PeerKind::Pods {
            namespace_selector,
            pod_selector,
        } => {
            let pods = pod_selector.clone().unwrap_or_default();
            if !Space::of(&pods).satisfiable() {
                return None;
            }
            let namespaces = match namespace_selector {
                None => Namespaces::Own {
                    name: policy.namespace.clone(),
                },
                Some(s) => namespaces_of(c, s)?,
            };
            Some(PeerClass::Pods { namespaces, pods })
        }
        PeerKind::IpBlock(b) => addresses_beyond(b, pod_ips).then(|| PeerClass::Addresses {
            cidr: b.cidr,
            except: b.except.clone(),
        }),
    }
}

/// The namespaces a `namespaceSelector` can match, when any can.
pub(super) fn namespaces_of(c: &Cluster, s: &Selector) -> Option<Namespaces> {
    if s.is_empty() {
        return Some(Namespaces::Any);
    }
    let space = Space::of_namespace(s);
    if !space.satisfiable() {
        return None;
    }
    // A name of the input: its pods only (a new namespace cannot take the name).
    if let Some(name) = space.forced(NAMESPACE_NAME_LABEL) {
        if let Some(ns) = c.namespace(name) {
            return s.matches(&ns.labels).then(|| Namespaces::Named {
                name: name.to_string(),
            });
        }
    }
    Some(Namespaces::Labelled {
        selector: s.clone(),
    })
}

/// The classes of a cluster-scoped peer (Allow rules) that reach beyond the input (one
/// per CIDR of a `networks` peer). Nodes and domain names are not analysed.
pub(super) fn tier_classes(c: &Cluster, peer: &TierPeerKind, pod_ips: &[IpAddr]) -> Vec<PeerClass> {
    let pods = |ns: &Selector, pods: &Selector| -> Vec<PeerClass> {
        if !Space::of(pods).satisfiable() {
            return Vec::new();
        }
        let Some(namespaces) = namespaces_of(c, ns) else {
            return Vec::new();
        };
        vec![PeerClass::Pods {
            namespaces,
            pods: pods.clone(),
        }]
    };
    match peer {
        TierPeerKind::Namespaces { selector } => pods(selector, &Selector::default()),
        TierPeerKind::Pods {
            namespace_selector,
            pod_selector,
        } => pods(namespace_selector, pod_selector),
        TierPeerKind::Networks { cidrs } => cidrs
            .iter()
            .filter(|n| {
                let b = IpBlock {
                    cidr: **n,
                    except: Vec::new(),
                };
                addresses_beyond(&b, pod_ips)
            })
            .map(|n| PeerClass::Addresses {
                cidr: *n,
                except: Vec::new(),
            })
            .collect(),
        TierPeerKind::Nodes { .. } | TierPeerKind::DomainNames { .. } => Vec::new(),
    }
}

/// The first and last address of a network.
pub(super) fn bounds(n: &IpNet) -> (u128, u128) {
    match n {
        IpNet::V4(v) => (
            u128::from(u32::from(v.network())),
            u128::from(u32::from(v.broadcast())),
        ),
        IpNet::V6(v) => (u128::from(v.network()), u128::from(v.broadcast())),
    }
}

/// The number of addresses of a network, saturated.
pub(super) fn size(n: &IpNet) -> u128 {
    let bits = u32::from(n.max_prefix_len().saturating_sub(n.prefix_len()));
    1u128.checked_shl(bits).unwrap_or(u128::MAX)
}

/// How many addresses of the block its excepts take out.
pub(super) fn excepted(b: &IpBlock) -> u128 {
    // The addresses the excepts inside the block take out, each once (nested and
    // repeated excepts overlap): their ranges in order, swept. (Not `IpNet::aggregate`,
    // whose sorts are copies of their own in the page's wasm.)
    let mut spans: Vec<(u128, u128)> = b
        .except
        .iter()
        .filter(|e| b.cidr.contains(*e))
        .map(bounds)
        .collect();
    crate::sort::ord(&mut spans);
    let mut cut = 0u128;
    let mut counted: Option<u128> = None; // the last address counted
    for (lo, hi) in spans {
        let from = match counted {
            Some(c) if c >= hi => continue,
            Some(c) if c >= lo => c + 1,
            _ => lo,
        };
        cut = cut.saturating_add(hi - from).saturating_add(1);
        counted = Some(hi);
    }
    cut
}

/// Does the block hold an address no pasted pod has?
pub(super) fn addresses_beyond(b: &IpBlock, pod_ips: &[IpAddr]) -> bool {
    let cut = excepted(b);
    let total = size(&b.cidr).saturating_sub(cut);
    let taken = pod_ips.iter().filter(|ip| b.contains(ip)).count() as u128;
    total > taken
}
