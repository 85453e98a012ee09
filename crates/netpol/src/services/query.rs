//! Asking through a Service, an Ingress, a NodePort or LoadBalancer, or DNS: one
//! evaluator question per backend.

use super::*;

/// Decides a connection that may go through a Service, an Ingress, a NodePort or DNS.
/// Plain pod/address pairs are answered by [`Engine::query`] as one backend.
///
/// `to` may be None only for an `ingress:` source (every backend of the Ingress). For
/// `dns:` the protocol and port are ignored (UDP 53 and TCP 53).
pub fn query(
    engine: &Engine,
    from: &str,
    to: Option<&str>,
    protocol: QueryProtocol,
    port: Option<&PortQuery>,
    opts: &Options,
) -> ServiceDecision {
    let to_text = to.unwrap_or("");
    let fail = |e: String, notes: Vec<Note>| {
        ServiceDecision::unknown(from, to_text, protocol, port, e, notes)
    };
    let (fref, mut notes) = match resolve(engine, from, opts) {
        Ok(r) => r,
        Err(e) => return fail(e, Vec::new()),
    };
    let tref = match to {
        None => None,
        Some(t) => match resolve(engine, t, opts) {
            Ok((r, n)) => {
                notes.extend(n);
                Some(r)
            }
            Err(e) => return fail(e, notes),
        },
    };
    let c = &engine.cluster;
    let mut d = ServiceDecision {
        from: from.trim().to_string(),
        to: to_text.trim().to_string(),
        via: match (fref, tref) {
            (Ref::Ingress { .. }, _) => Via::Ingress,
            (_, Some(Ref::Service { .. })) => Via::Service,
            (_, Some(Ref::NodePort { .. })) => Via::NodePort,
            (_, Some(Ref::LoadBalancer { .. })) => Via::LoadBalancer,
            (_, Some(Ref::Dns)) => Via::Dns,
            _ => Via::Direct,
        },
        protocol,
        port: port.map(|p| p.to_string()),
        outcome: Outcome::Unknown,
        error: None,
        notes: Vec::new(),
        backends: Vec::new(),
    };
    let src = match fref {
        Ref::Direct { target } => target,
        Ref::Ingress { index } => {
            let Some(ingress) = c.ingresses.get(index) else {
                return fail(format!("ingress #{index} is not in this cluster"), notes);
            };
            return ingress_query(engine, ingress, tref, protocol, port, opts, d, notes);
        }
        _ => {
            return fail(
                format!("`{}` names a destination; a source is a pod, a workload, an address or `ingress:NAMESPACE/NAME`", from.trim()),
                notes,
            )
        }
    };
    let Some(tref) = tref else {
        return fail("a destination (`to`) is needed".into(), notes);
    };
    match tref {
        Ref::Direct { target } => {
            let dec = engine.query(src, target, protocol, port);
            d.backends.push(Backend {
                pod: engine.name(target),
                source: engine.name(src),
                protocol,
                target_port: dec.port,
                target_port_name: dec.port_name.clone(),
                verdict: dec.verdict,
                decision: Some(dec),
                not_serving: None,
            });
        }
        Ref::Service { index } => {
            let Some(svc) = c.services.get(index) else {
                return fail(format!("service #{index} is not in this cluster"), notes);
            };
            match via_service(engine, src, svc, protocol, port, &mut notes) {
                Ok((shown, backends)) => (d.port, d.backends) = (Some(shown), backends),
                Err(e) => return fail(e, notes),
            }
        }
        Ref::NodePort { index } | Ref::LoadBalancer { index } => {
            let Some(svc) = c.services.get(index) else {
                return fail(format!("service #{index} is not in this cluster"), notes);
            };
            let node_port = matches!(tref, Ref::NodePort { .. });
            let hop = Hop { engine, src, svc, node_port, protocol, port, opts };
            match via_node(&hop, to_text, &mut notes) {
                Ok((shown, backends)) => (d.port, d.backends) = (Some(shown), backends),
                Err(e) => return fail(e, notes),
            }
        }
        Ref::Dns => return dns(engine, src, opts, d, notes),
        Ref::Ingress { .. } => {
            return fail(
                "an Ingress is a source (`from: ingress:NAMESPACE/NAME`): its controller sends to the backend Services".into(),
                notes,
            )
        }
    }
    d.outcome = if d.via == Via::Direct {
        match d.backends.first().map(|b| b.verdict) {
            Some(Verdict::Allowed) => Outcome::Allowed,
            Some(Verdict::Denied) => Outcome::Denied,
            Some(Verdict::Unknown) | None => Outcome::Unknown,
        }
    } else {
        outcome_of(&d.backends)
    };
    if d.outcome == Outcome::Unknown {
        d.error = d
            .backends
            .iter()
            .find_map(|b| b.decision.as_ref().and_then(|x| x.error.clone()));
    }
    d.notes = notes;
    d
}

/// Through a Service's address (DNAT to its backends; a headless Service's pods
/// directly): the port shown and the backends' decisions.
#[inline(always)]
fn via_service(
    engine: &Engine,
    src: Target,
    svc: &Service,
    protocol: QueryProtocol,
    port: Option<&PortQuery>,
    notes: &mut Vec<Note>,
) -> Result<(String, Vec<Backend>), String> {
    let proto = transport(protocol)?;
    if let Some(e) = external_name(svc) {
        return Err(e);
    }
    let sp = pick_port(svc, proto, port, false)?;
    let pod_port = if svc.headless {
        notes.push(Note::Headless {
            service: format!("{}/{}", svc.namespace, svc.name),
            port: sp.port,
        });
        match port {
            Some(PortQuery::Number(n)) => Some(*n),
            _ => None,
        }
    } else {
        notes.push(dnat_note(svc, sp));
        None
    };
    let backends = ask_backends(engine, &[src], svc, sp, pod_port, notes);
    Ok((sp.port.to_string(), backends))
}

/// The transport of a connection to a Service address (ICMP is not forwarded).
fn transport(protocol: QueryProtocol) -> Result<Protocol, String> {
    protocol.transport().ok_or_else(|| {
        "ICMP (ping) to a Service address is not forwarded to the pods (kube-proxy only translates TCP, UDP and SCTP); ping a pod instead".to_string()
    })
}

/// A connection from outside to a node port or load-balancer address.
struct Hop<'a> {
    engine: &'a Engine,
    src: Target,
    svc: &'a Service,
    node_port: bool,
    protocol: QueryProtocol,
    port: Option<&'a PortQuery>,
    opts: &'a Options,
}

/// Through a NodePort or a LoadBalancer (SNAT to a node's address unless the Service
/// keeps the client's): the port shown and the backends' decisions.
#[inline(always)]
fn via_node(
    hop: &Hop<'_>,
    to_text: &str,
    notes: &mut Vec<Note>,
) -> Result<(String, Vec<Backend>), String> {
    let Hop {
        engine,
        src,
        svc,
        node_port,
        protocol,
        port,
        opts,
    } = *hop;
    let Target::External(client) = src else {
        return Err(
            format!(
                "`{}` is reached from outside the cluster: use an address as the source (e.g. `external:203.0.113.7`); from a pod, ask `svc:{}/{}`",
                to_text.trim(),
                svc.namespace,
                svc.name
            ),
        );
    };
    let proto = transport(protocol)?;
    let t = svc.service_type.as_str();
    let exposed = if node_port {
        t == "NodePort" || t == "LoadBalancer"
    } else {
        t == "LoadBalancer" || !svc.external_ips.is_empty()
    };
    if !exposed {
        return Err(format!(
            "Service `{}/{}` is of type {t}: it has no {} reachable from outside the cluster",
            svc.namespace,
            svc.name,
            if node_port {
                "node port"
            } else {
                "load-balancer address"
            }
        ));
    }
    let sp = pick_port(svc, proto, port, node_port)?;
    let shown = match (node_port, sp.node_port) {
        (true, Some(np)) => format!("{np}"),
        _ => sp.port.to_string(),
    };
    let via = if node_port {
        match sp.node_port {
            Some(np) => format!("NodePort {np}"),
            None => "NodePort".to_string(),
        }
    } else {
        "LoadBalancer".to_string()
    };
    let seen = if svc.external_traffic_policy_local {
        notes.push(Note::SourceClient {
            client: client.to_string(),
            via,
        });
        client
    } else {
        let node = opts.node_address();
        notes.push(Note::SourceNode {
            client: client.to_string(),
            node: node.to_string(),
            via,
        });
        node
    };
    notes.push(dnat_note(svc, sp));
    let backends = ask_backends(engine, &[Target::External(seen)], svc, sp, None, notes);
    Ok((shown, backends))
}

pub(super) fn external_name(svc: &Service) -> Option<String> {
    (svc.service_type == "ExternalName").then(|| {
        format!(
            "Service `{}/{}` is an ExternalName alias of `{}`: it has no pods; ask about the address it names",
            svc.namespace,
            svc.name,
            svc.external_name.as_deref().unwrap_or("?")
        )
    })
}

pub(super) fn dnat_note(svc: &Service, sp: &ServicePort) -> Note {
    Note::Dnat {
        service: format!("{}/{}", svc.namespace, svc.name),
        cluster_ip: svc.cluster_ip.map(|i| i.to_string()),
        protocol: sp.protocol,
        port: sp.port,
        target_port: sp.target_port.to_string(),
    }
}

#[allow(clippy::too_many_arguments)]
pub(super) fn ingress_query(
    engine: &Engine,
    ingress: &Ingress,
    to: Option<Ref>,
    protocol: QueryProtocol,
    port: Option<&PortQuery>,
    opts: &Options,
    mut d: ServiceDecision,
    mut notes: Vec<Note>,
) -> ServiceDecision {
    let c = &engine.cluster;
    let base = d.clone();
    let fail = |e: String, notes: Vec<Note>| ServiceDecision {
        error: Some(e),
        notes,
        outcome: Outcome::Unknown,
        backends: Vec::new(),
        ..base.clone()
    };
    let Some(proto) = protocol.transport() else {
        return fail(
            "an ingress controller proxies TCP; ICMP does not go through an Ingress".into(),
            notes,
        );
    };
    let (pods, how) = match ingress_controller(engine, ingress, opts) {
        Ok(x) => x,
        Err(e) => return fail(e, notes),
    };
    notes.push(Note::Controller {
        pods: pods
            .iter()
            .map(|&i| engine.name(Target::Endpoint(i)))
            .collect(),
        how,
    });
    let routes = ingress.backends();
    let chosen: Vec<&IngressBackend> = match to {
        None => routes.clone(),
        Some(Ref::Service { index }) => {
            let Some(s) = c.services.get(index) else {
                return fail(format!("service #{index} is not in this cluster"), notes);
            };
            let r: Vec<&IngressBackend> = routes
                .iter()
                .copied()
                .filter(|b| s.namespace == ingress.namespace && b.service == s.name)
                .collect();
            if r.is_empty() {
                let names: Vec<String> = routes
                    .iter()
                    .map(|b| format!("svc:{}/{}", ingress.namespace, b.service))
                    .collect();
                return fail(
                    format!(
                        "Ingress `{}` does not route to `{}/{}`; its backends: {}",
                        ingress.full_name(),
                        s.namespace,
                        s.name,
                        if names.is_empty() { "none".into() } else { names.join(", ") }
                    ),
                    notes,
                );
            }
            r
        }
        Some(_) => {
            return fail(
                "from an Ingress, the destination is one of its backend Services (`svc:NAMESPACE/NAME`), or nothing for all of them".into(),
                notes,
            )
        }
    };
    if chosen.is_empty() {
        return fail(
            format!("Ingress `{}` has no Service backends", ingress.full_name()),
            notes,
        );
    }
    let sources: Vec<Target> = pods.iter().map(|&i| Target::Endpoint(i)).collect();
    let mut backends = Vec::new();
    for b in chosen {
        let Some(svc) = c.service(&ingress.namespace, &b.service) else {
            return fail(
                format!(
                    "Ingress `{}` routes to Service `{}/{}`, which is not in the input",
                    ingress.full_name(),
                    ingress.namespace,
                    b.service
                ),
                notes,
            );
        };
        let asked = port.cloned().or_else(|| {
            b.port.as_ref().map(|p| match p {
                PortValue::Number(n) => PortQuery::Number(*n),
                PortValue::Name(s) => PortQuery::Name(s.clone()),
            })
        });
        let sp = match pick_port(svc, proto, asked.as_ref(), false) {
            Ok(p) => p,
            Err(e) => return fail(e, notes),
        };
        notes.push(Note::IngressRoute {
            ingress: ingress.full_name(),
            service: format!("{}/{}", svc.namespace, svc.name),
            port: sp.port.to_string(),
        });
        let p = sp.port.to_string();
        d.port = match (&d.port, port) {
            (_, Some(asked)) => Some(asked.to_string()),
            (None, None) if backends.is_empty() => Some(p),
            (Some(cur), None) if *cur == p => Some(p),
            _ => None,
        };
        backends.extend(ask_backends(engine, &sources, svc, sp, None, &mut notes));
    }
    d.outcome = outcome_of(&backends);
    d.backends = backends;
    d.notes = notes;
    d
}

/// "Can this pod resolve names?": UDP 53 and TCP 53 to every kube-dns backend.
pub(super) fn dns(
    engine: &Engine,
    src: Target,
    _opts: &Options,
    mut d: ServiceDecision,
    mut notes: Vec<Note>,
) -> ServiceDecision {
    let c = &engine.cluster;
    d.protocol = QueryProtocol::UDP;
    d.port = Some("53".into());
    if let Some(svc) = c.service("kube-system", "kube-dns") {
        notes.push(Note::DnsDeclared {
            service: "kube-system/kube-dns".into(),
            ip: svc.cluster_ip.map(|i| i.to_string()),
        });
        for proto in [Protocol::UDP, Protocol::TCP] {
            match pick_port(svc, proto, Some(&PortQuery::Number(53)), false) {
                Ok(sp) => {
                    notes.push(dnat_note(svc, sp));
                    let b = ask_backends(engine, &[src], svc, sp, None, &mut notes);
                    d.backends.extend(b);
                }
                Err(e) => {
                    d.error = Some(e);
                    d.notes = notes;
                    return d;
                }
            }
        }
        d.outcome = outcome_of(&d.backends);
        d.notes = notes;
        return d;
    }
    let is_dns = |e: &Endpoint| {
        e.namespace == "kube-system"
            && e.labels.get("k8s-app").map(String::as_str) == Some("kube-dns")
    };
    let pods: Vec<usize> = c
        .endpoints
        .iter()
        .enumerate()
        .filter(|(_, e)| is_dns(e))
        .map(|(i, _)| i)
        .collect();
    let ask = |engine: &Engine, src: Target, pods: &[usize]| -> Vec<Backend> {
        let mut out = Vec::new();
        for &pi in pods {
            for proto in [QueryProtocol::UDP, QueryProtocol::TCP] {
                let dec = engine.query(
                    src,
                    Target::Endpoint(pi),
                    proto,
                    Some(&PortQuery::Number(53)),
                );
                out.push(Backend {
                    pod: engine.name(Target::Endpoint(pi)),
                    source: engine.name(src),
                    protocol: proto,
                    target_port: Some(53),
                    target_port_name: None,
                    verdict: dec.verdict,
                    decision: Some(dec),
                    not_serving: None,
                });
            }
        }
        out
    };
    if !pods.is_empty() {
        notes.push(Note::DnsAssumed { found: pods.len() });
        d.backends = ask(engine, src, &pods);
    } else {
        // Neither the Service nor its pods: assume one CoreDNS pod, as a cluster has one.
        let (owned, pod) = c.with_assumed_dns(None);
        let name = owned
            .endpoints
            .get(pod)
            .map(|e| e.name.clone())
            .unwrap_or_default();
        let src_name = engine.name(src);
        // The assumed pod is appended: the source's index is still valid.
        let e2 = Engine::new(owned);
        notes.push(Note::DnsAssumedPod {
            name: format!("kube-system/{name}"),
        });
        d.backends = ask(&e2, src, &[pod]);
        for b in &mut d.backends {
            b.source = src_name.clone();
        }
    }
    d.outcome = outcome_of(&d.backends);
    d.notes = notes;
    d
}

// ---------------------------------------------------------------------------------------
// Words.
