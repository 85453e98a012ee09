//! The fast matrix (bitsets, shared rows) against a direct per-pair evaluation written
//! here from the API reference alone, on generated clusters and on every cluster of the
//! upstream e2e suite, for several ports and protocols.

use std::net::IpAddr;

use netpol::eval::{Engine, PortQuery};
use netpol::model::*;
use netpol::QueryProtocol;

/// The reference: straight from the API documentation, no indexes.
fn reference(c: &Cluster, from: &Endpoint, to: &Endpoint, proto: QueryProtocol, port: u16) -> bool {
    if std::ptr::eq(from, to) {
        return true;
    }
    let peer_ok = |p: &Policy, peer: &Peer, other: &Endpoint| match &peer.kind {
        PeerKind::IpBlock(b) => other.ips.iter().any(|ip: &IpAddr| b.contains(ip)),
        PeerKind::Pods {
            namespace_selector,
            pod_selector,
        } => {
            let ns_ok = match namespace_selector {
                None => other.namespace == p.namespace,
                Some(s) => c
                    .namespaces
                    .iter()
                    .any(|n| n.name == other.namespace && s.matches(&n.labels)),
            };
            ns_ok
                && pod_selector
                    .as_ref()
                    .is_none_or(|s| s.matches(&other.labels))
        }
    };
    let ports_ok = |r: &Rule| match proto.transport() {
        None => r.ports.is_empty(),
        Some(t) => {
            r.ports.is_empty()
                || r.ports.iter().any(|pr| {
                    pr.protocol == t
                        && match &pr.port {
                            None => true,
                            Some(PortValue::Number(n)) => {
                                *n <= port && port <= pr.end_port.unwrap_or(*n)
                            }
                            Some(PortValue::Name(name)) => to.ports.iter().any(|cp| {
                                cp.name.as_deref() == Some(name)
                                    && cp.protocol == t
                                    && cp.port == port
                            }),
                        }
                })
        }
    };
    let side = |subject: &Endpoint, other: &Endpoint, dir: Direction| {
        let selecting: Vec<&Policy> = c
            .policies
            .iter()
            .filter(|p| {
                p.namespace == subject.namespace
                    && p.pod_selector.matches(&subject.labels)
                    && p.isolates(dir)
            })
            .collect();
        selecting.is_empty()
            || selecting.iter().any(|p| {
                p.rules(dir).iter().any(|r| {
                    (r.peers.is_empty() || r.peers.iter().any(|peer| peer_ok(p, peer, other)))
                        && ports_ok(r)
                })
            })
    };
    side(from, to, Direction::Egress) && side(to, from, Direction::Ingress)
}

fn compare(text: &str, what: &str) -> usize {
    let loaded = netpol::load(text);
    let c = &loaded.cluster;
    let engine = Engine::new(c.clone());
    let mut cells = 0;
    for (proto, port) in [
        (QueryProtocol::TCP, 80),
        (QueryProtocol::TCP, 81),
        (QueryProtocol::UDP, 53),
        (QueryProtocol::SCTP, 80),
        (QueryProtocol::TCP, 8080),
        (QueryProtocol::TCP, 8500),
        (QueryProtocol::ICMP, 0),
    ] {
        let m = engine.matrix(proto, &PortQuery::Number(port), &[]);
        for (i, a) in c.endpoints.iter().enumerate() {
            for (j, b) in c.endpoints.iter().enumerate() {
                assert_eq!(
                    m.allowed[i][j],
                    Some(reference(c, a, b, proto, port)),
                    "{what}: {} -> {} {proto} {port}",
                    a.full_name(),
                    b.full_name()
                );
                cells += 1;
            }
        }
    }
    // Port 0 is no port: every cell is unknown, as `query` says.
    let m = engine.matrix(QueryProtocol::TCP, &PortQuery::Number(0), &[]);
    assert!(
        m.allowed.iter().flatten().all(Option::is_none),
        "{what}: TCP 0"
    );
    // Named ports resolve on each destination; a destination without the name cannot be
    // evaluated (unknown, the diagonal too), never denied.
    for (proto, name) in [
        (QueryProtocol::TCP, "http"),
        (QueryProtocol::TCP, "serve-80-tcp"),
        (QueryProtocol::UDP, "dns"),
        (QueryProtocol::SCTP, "serve-81-sctp"),
    ] {
        let m = engine.matrix(proto, &PortQuery::Name(name.to_string()), &[]);
        let t = proto.transport().unwrap();
        for (i, a) in c.endpoints.iter().enumerate() {
            for (j, b) in c.endpoints.iter().enumerate() {
                let expected = b
                    .named_port(name, t)
                    .map(|port| i == j || reference(c, a, b, proto, port));
                assert_eq!(
                    m.allowed[i][j],
                    expected,
                    "{what}: {} -> {} {proto} {name}",
                    a.full_name(),
                    b.full_name()
                );
                cells += 1;
            }
        }
    }
    cells
}

#[test]
fn generated_clusters_agree_with_the_reference() {
    let mut cells = 0;
    for seed in 0..25 {
        let text = netpol::gen::cluster(&netpol::gen::GenOptions {
            namespaces: 5,
            pods: 30,
            policies: 12,
            seed,
        })
        .join("---\n");
        cells += compare(&text, &format!("seed {seed}"));
    }
    assert!(cells > 100_000);
}

#[test]
fn e2e_clusters_agree_with_the_reference() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/k8s-e2e");
    let mut checked = 0;
    for dir in ["netpol", "netpol-udp", "netpol-sctp"] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let path = entry.unwrap().path();
            let s = netpol::scenario::parse(&std::fs::read_to_string(&path).unwrap()).unwrap();
            let base = path.parent().unwrap().to_path_buf();
            let (texts, errors) = netpol::runner::load_manifests(&s, &|p| {
                std::fs::read_to_string(base.join(p)).map_err(|e| e.to_string())
            });
            assert!(errors.is_empty());
            let all: Vec<String> = texts.into_iter().map(|(_, t)| t).collect();
            compare(&all.join("\n---\n"), &path.display().to_string());
            checked += 1;
        }
    }
    assert_eq!(checked, 58);
}
