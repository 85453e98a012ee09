//! A Service's backends (pods by selector, target ports by number or name per pod) and
//! the ingress controller's pods.

use super::*;

/// The pods a Service selects (indexes into `Cluster::endpoints`).
pub fn service_pods(cluster: &Cluster, svc: &Service) -> Result<Vec<usize>, NoBackendsReason> {
    let Some(sel) = &svc.selector else {
        return Err(NoBackendsReason::NoSelector);
    };
    let pods: Vec<usize> = cluster
        .endpoints
        .iter()
        .enumerate()
        .filter(|(_, e)| {
            e.namespace == svc.namespace && sel.iter().all(|(k, v)| e.labels.get(k) == Some(v))
        })
        .map(|(i, _)| i)
        .collect();
    if pods.is_empty() {
        let selector: Vec<String> = sel.iter().map(|(k, v)| format!("{k}={v}")).collect();
        return Err(NoBackendsReason::SelectorMatchesNothing {
            selector: selector.join(","),
            namespace: svc.namespace.clone(),
        });
    }
    Ok(pods)
}

/// Picks the Service port a query means: by number (or, from outside, by nodePort), by
/// name, or the only port of the protocol.
pub(super) fn pick_port<'s>(
    svc: &'s Service,
    protocol: Protocol,
    port: Option<&PortQuery>,
    node_port: bool,
) -> Result<&'s ServicePort, String> {
    let name = format!("{}/{}", svc.namespace, svc.name);
    let list = |ports: &[ServicePort]| -> String {
        let v: Vec<String> = ports
            .iter()
            .map(|p| match &p.name {
                Some(n) => format!("{} {} ({n})", p.protocol, p.port),
                None => format!("{} {}", p.protocol, p.port),
            })
            .collect();
        if v.is_empty() {
            "none".into()
        } else {
            v.join(", ")
        }
    };
    let found = svc.ports.iter().find(|p| {
        p.protocol == protocol
            && match port {
                None => false,
                Some(PortQuery::Number(n)) => {
                    p.port == *n || (node_port && p.node_port == Some(*n))
                }
                Some(PortQuery::Name(s)) => p.name.as_deref() == Some(s.as_str()),
            }
    });
    if let Some(p) = found {
        return Ok(p);
    }
    if port.is_none() {
        let of: Vec<&ServicePort> = svc
            .ports
            .iter()
            .filter(|p| p.protocol == protocol)
            .collect();
        if let [only] = *of.as_slice() {
            return Ok(only);
        }
        return Err(format!(
            "Service `{name}` has {} {protocol} ports: give `port` (its ports: {})",
            of.len(),
            list(&svc.ports)
        ));
    }
    let port = port.map(|p| p.to_string()).unwrap_or_default();
    Err(format!(
        "Service `{name}` has no {protocol} port `{port}` (its ports: {})",
        list(&svc.ports)
    ))
}

/// Asks every backend of `svc` on the target port of `sp`, from each source.
pub(super) fn ask_backends(
    engine: &Engine,
    sources: &[Target],
    svc: &Service,
    sp: &ServicePort,
    pod_port: Option<u16>,
    notes: &mut Vec<Note>,
) -> Vec<Backend> {
    let c = &engine.cluster;
    let svc_name = format!("{}/{}", svc.namespace, svc.name);
    let pods = match service_pods(c, svc) {
        Ok(p) => p,
        Err(reason) => {
            notes.push(Note::NoBackends {
                service: svc_name,
                reason,
            });
            return Vec::new();
        }
    };
    let protocol = QueryProtocol::from(sp.protocol);
    let mut out = Vec::new();
    for &pi in &pods {
        let Some(e) = c.endpoints.get(pi) else {
            continue;
        };
        let (query, number, name) = match (pod_port, &sp.target_port) {
            (Some(n), _) => (PortQuery::Number(n), Some(n), None),
            (None, PortValue::Number(n)) => (PortQuery::Number(*n), Some(*n), None),
            (None, PortValue::Name(n)) => match e.named_port(n, sp.protocol) {
                Some(num) => (PortQuery::Name(n.clone()), Some(num), Some(n.clone())),
                None => {
                    out.push(Backend {
                        pod: e.full_name(),
                        source: String::new(),
                        protocol,
                        target_port: None,
                        target_port_name: Some(n.clone()),
                        verdict: Verdict::Unknown,
                        decision: None,
                        not_serving: Some(format!(
                            "`{}` declares no {} container port named `{n}`, so it is not an endpoint of this Service port",
                            e.full_name(),
                            sp.protocol
                        )),
                    });
                    continue;
                }
            },
        };
        for &src in sources {
            let d = engine.query_via_service(src, Target::Endpoint(pi), protocol, Some(&query));
            out.push(Backend {
                pod: e.full_name(),
                source: engine.name(src),
                protocol,
                target_port: number,
                target_port_name: name.clone(),
                verdict: d.verdict,
                decision: Some(d),
                not_serving: None,
            });
        }
    }
    if out.iter().all(|b| b.not_serving.is_some()) {
        if let PortValue::Name(n) = &sp.target_port {
            notes.push(Note::NoBackends {
                service: svc_name,
                reason: NoBackendsReason::NoPodDeclaresPort {
                    name: n.clone(),
                    protocol: sp.protocol,
                },
            });
        }
    }
    out
}

/// A well-known ingress controller: (name, class-name fragment, pod labels).
pub(super) type KnownController = (
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str)],
);

pub(super) const CONTROLLERS: &[KnownController] = &[
    (
        "ingress-nginx",
        "nginx",
        &[
            ("app.kubernetes.io/name", "ingress-nginx"),
            ("app", "ingress-nginx"),
            ("app.kubernetes.io/name", "nginx-ingress"),
            ("app", "nginx-ingress"),
        ],
    ),
    (
        "Traefik",
        "traefik",
        &[("app.kubernetes.io/name", "traefik"), ("app", "traefik")],
    ),
    (
        "HAProxy",
        "haproxy",
        &[
            ("app.kubernetes.io/name", "haproxy-ingress"),
            ("app.kubernetes.io/name", "kubernetes-ingress"),
            ("app", "haproxy-ingress"),
            ("run", "haproxy-ingress"),
        ],
    ),
];

/// The ingress controller's pods for an Ingress: named by the user, or recognised by
/// the labels of ingress-nginx, Traefik or HAProxy (the Ingress's class picks among
/// several). Errors explain what was looked for.
pub fn ingress_controller(
    engine: &Engine,
    ingress: &Ingress,
    opts: &Options,
) -> Result<(Vec<usize>, ControllerHow), String> {
    if !opts.ingress_controller.is_empty() {
        let mut pods = Vec::new();
        for n in &opts.ingress_controller {
            match engine.resolve(n)? {
                Target::Endpoint(i) => {
                    if !pods.contains(&i) {
                        pods.push(i)
                    }
                }
                Target::External(ip) => {
                    return Err(format!(
                    "the ingress controller must be pods (NAMESPACE/NAME), not the address `{ip}`"
                ))
                }
            }
        }
        return Ok((pods, ControllerHow::Chosen));
    }
    let c = &engine.cluster;
    let mut found: Vec<(&str, &str, String, Vec<usize>)> = Vec::new();
    for (name, class, labels) in CONTROLLERS {
        for (k, v) in labels.iter() {
            let pods: Vec<usize> = c
                .endpoints
                .iter()
                .enumerate()
                .filter(|(_, e)| {
                    e.labels.get(*k).map(String::as_str) == Some(*v)
                        && !matches!(e.kind, EndpointKind::Job | EndpointKind::CronJob)
                        && e.labels
                            .get("app.kubernetes.io/component")
                            .is_none_or(|x| x == "controller")
                })
                .map(|(i, _)| i)
                .collect();
            if !pods.is_empty() {
                found.push((name, class, format!("{k}={v}"), pods));
                break;
            }
        }
    }
    let looked = "app.kubernetes.io/name=ingress-nginx (or app=ingress-nginx, nginx-ingress), app.kubernetes.io/name=traefik (or app=traefik), app.kubernetes.io/name=haproxy-ingress or kubernetes-ingress";
    let pick = |f: &(&str, &str, String, Vec<usize>)| {
        (
            f.3.clone(),
            ControllerHow::Label {
                controller: f.0.to_string(),
                label: f.2.clone(),
            },
        )
    };
    let class = ingress.class_name.as_deref().map(str::to_ascii_lowercase);
    if let Some(class) = &class {
        if let Some(f) = found.iter().find(|f| class.contains(f.1)) {
            return Ok(pick(f));
        }
        if let Some((name, _, _)) = CONTROLLERS.iter().find(|c| class.contains(c.1)) {
            return Err(format!(
                "Ingress `{}` has class `{class}` ({name}), but no {name} controller pods are in the input (looked for pods labelled {looked}); add them, or name the controller (CLI `--ingress-controller NAMESPACE/NAME`, scenario `ingressController:`)",
                ingress.full_name()
            ));
        }
    }
    match found.as_slice() {
        [only] => Ok(pick(only)),
        [] => Err(format!(
            "no ingress controller found for Ingress `{}`: no pods labelled {looked}; name it with the CLI's `--ingress-controller NAMESPACE/NAME` (scenario `ingressController:`)",
            ingress.full_name()
        )),
        _ => {
            let names: Vec<&str> = found.iter().map(|f| f.0).collect();
            Err(format!(
                "several ingress controllers ({}) and Ingress `{}` names no class that picks one; name it with `--ingress-controller NAMESPACE/NAME`",
                names.join(", "),
                ingress.full_name()
            ))
        }
    }
}

/// The TCP ports an Ingress sends to, per backend pod (indexes into
/// `Cluster::endpoints`), as np-guard's netpol-analyzer resolves them
/// ([`backend_ports`]). Sorted, without duplicates.
pub fn ingress_backend_ports(cluster: &Cluster, ingress: &Ingress) -> Vec<(usize, u16)> {
    let backends: Vec<(&str, Option<&PortValue>)> = ingress
        .backends()
        .into_iter()
        .map(|b| (b.service.as_str(), b.port.as_ref()))
        .collect();
    backend_ports(cluster, &ingress.namespace, &backends)
}

/// Per backend pod, the TCP ports reached through Services of `namespace` named by
/// `backends` (Service name, port): np-guard's netpol-analyzer's rule. A Service without
/// a selector has no backends. The port picks the first Service port whose name, number
/// or `targetPort` it equals (no port: every Service port); that port's `targetPort` is
/// then resolved on each selected pod and must be a TCP container port the pod declares
/// (by number or by name). Backends that resolve to nothing are left out. Sorted,
/// without duplicates.
pub fn backend_ports(
    cluster: &Cluster,
    namespace: &str,
    backends: &[(&str, Option<&PortValue>)],
) -> Vec<(usize, u16)> {
    let mut out: Vec<(usize, u16)> = Vec::new();
    for (service, port) in backends {
        let Some(svc) = cluster.service(namespace, service) else {
            continue;
        };
        let targets: Vec<&PortValue> = match port {
            None => svc.ports.iter().map(|p| &p.target_port).collect(),
            Some(want) => svc
                .ports
                .iter()
                .find(|p| {
                    let by_name_or_number = match want {
                        PortValue::Number(n) => p.port == *n,
                        PortValue::Name(n) => p.name.as_deref() == Some(n.as_str()),
                    };
                    by_name_or_number || &p.target_port == *want
                })
                .map(|p| &p.target_port)
                .into_iter()
                .collect(),
        };
        if targets.is_empty() {
            continue;
        }
        let Ok(pods) = service_pods(cluster, svc) else {
            continue;
        };
        for pi in pods {
            let Some(e) = cluster.endpoints.get(pi) else {
                continue;
            };
            for t in &targets {
                let port = match t {
                    PortValue::Number(n) => e
                        .ports
                        .iter()
                        .any(|p| p.port == *n && p.protocol == Protocol::TCP)
                        .then_some(*n),
                    PortValue::Name(n) => e.named_port(n, Protocol::TCP),
                };
                if let Some(port) = port {
                    out.push((pi, port));
                }
            }
        }
    }
    crate::sort::ord(&mut out);
    out.dedup();
    out
}
