//! Services and Ingresses, read leniently (what routing through them needs).

use super::*;

pub(super) fn read_service(
    cx: &mut Cx<'_>,
    node: &Node,
    namespace: String,
    name: String,
    location: Location,
) -> Service {
    let spec = node.get("spec");
    let get = |k: &str| spec.and_then(|s| s.get(k));
    let service_type = get("type")
        .and_then(Node::text)
        .unwrap_or("ClusterIP")
        .to_string();
    let cluster_ip_text = get("clusterIP").and_then(Node::text);
    let headless = cluster_ip_text == Some("None");
    let cluster_ip = cluster_ip_text.and_then(|t| t.parse().ok());
    let ips = |n: Option<&Node>| -> Vec<IpAddr> {
        n.and_then(Node::as_seq)
            .unwrap_or(&[])
            .iter()
            .filter_map(|x| x.text().and_then(|t| t.parse().ok()))
            .collect()
    };
    let external_ips = ips(get("externalIPs"));
    let mut load_balancer_ips: Vec<IpAddr> = get("loadBalancerIP")
        .and_then(Node::text)
        .and_then(|t| t.parse().ok())
        .into_iter()
        .collect();
    let lb_status = node
        .get("status")
        .and_then(|s| s.get("loadBalancer"))
        .and_then(|l| l.get("ingress"))
        .and_then(Node::as_seq)
        .unwrap_or(&[]);
    for i in lb_status {
        if let Some(ip) = i
            .get("ip")
            .and_then(Node::text)
            .and_then(|t| t.parse().ok())
        {
            if !load_balancer_ips.contains(&ip) {
                load_balancer_ips.push(ip);
            }
        }
    }
    let selector = get("selector").map(|s| read_labels(cx, s, "spec.selector"));
    let mut ports = Vec::new();
    if let Some(list) = get("ports").and_then(Node::as_seq) {
        for p in list {
            let Some(port) = p
                .get("port")
                .and_then(Node::as_int)
                .filter(|n| (1..=65535).contains(n))
            else {
                continue;
            };
            let protocol = p
                .get("protocol")
                .and_then(Node::text)
                .and_then(Protocol::parse)
                .unwrap_or(Protocol::TCP);
            // SetDefaults_Service: a targetPort that is absent, null, 0 or "" is the port.
            let target_port = match p.get("targetPort").and_then(Node::scalar) {
                Some(Scalar::Int(n)) if (1..=65535).contains(&n) => PortValue::Number(n as u16),
                None | Some(Scalar::Null | Scalar::Int(0) | Scalar::Str("")) => {
                    PortValue::Number(port as u16)
                }
                Some(_) => PortValue::Name(
                    p.get("targetPort")
                        .and_then(Node::text)
                        .unwrap_or("")
                        .to_string(),
                ),
            };
            ports.push(ServicePort {
                name: p
                    .get("name")
                    .filter(|n| !n.is_null())
                    .and_then(Node::text)
                    .filter(|n| !n.is_empty())
                    .map(str::to_string),
                port: port as u16,
                protocol,
                target_port,
                node_port: p
                    .get("nodePort")
                    .and_then(Node::as_int)
                    .and_then(|n| u16::try_from(n).ok()),
            });
        }
    }
    Service {
        namespace,
        name,
        service_type,
        cluster_ip,
        selector,
        ports,
        external_traffic_policy_local: get("externalTrafficPolicy").and_then(Node::text)
            == Some("Local"),
        headless,
        external_ips,
        load_balancer_ips,
        external_name: get("externalName").and_then(Node::text).map(str::to_string),
        location: Some(location),
    }
}

/// An Ingress backend: `service: {name, port: {number | name}}`. Resource backends
/// (`resource:`) name no Service and are left out.
pub(super) fn read_ingress_backend(node: &Node) -> Option<IngressBackend> {
    let svc = node.get("service")?;
    let name = svc.get("name").and_then(Node::text)?.to_string();
    let port = svc.get("port").and_then(|p| {
        if let Some(n) = p
            .get("number")
            .and_then(Node::as_int)
            .and_then(|n| u16::try_from(n).ok())
        {
            Some(PortValue::Number(n))
        } else {
            p.get("name")
                .and_then(Node::text)
                .map(|s| PortValue::Name(s.to_string()))
        }
    });
    Some(IngressBackend {
        service: name,
        port,
    })
}

/// networking.k8s.io/v1 Ingress, read leniently (rules, paths, defaultBackend, class).
pub(super) fn read_ingress(
    node: &Node,
    namespace: String,
    name: String,
    location: Location,
) -> Ingress {
    let spec = node.get("spec");
    let class_name = spec
        .and_then(|s| s.get("ingressClassName"))
        .and_then(Node::text)
        .or_else(|| {
            node.get("metadata")
                .and_then(|m| m.get("annotations"))
                .and_then(|a| a.get("kubernetes.io/ingress.class"))
                .and_then(Node::text)
        })
        .map(str::to_string);
    let default_backend = spec
        .and_then(|s| s.get("defaultBackend"))
        .and_then(read_ingress_backend);
    let mut paths = Vec::new();
    for rule in spec
        .and_then(|s| s.get("rules"))
        .and_then(Node::as_seq)
        .unwrap_or(&[])
    {
        let host = rule.get("host").and_then(Node::text).map(str::to_string);
        for p in rule
            .get("http")
            .and_then(|h| h.get("paths"))
            .and_then(Node::as_seq)
            .unwrap_or(&[])
        {
            if let Some(backend) = p.get("backend").and_then(read_ingress_backend) {
                paths.push(IngressPath {
                    host: host.clone(),
                    path: p.get("path").and_then(Node::text).map(str::to_string),
                    backend,
                });
            }
        }
    }
    Ingress {
        namespace,
        name,
        class_name,
        default_backend,
        paths,
        location: Some(location),
    }
}

/// route.openshift.io/v1 Route, read leniently: `spec.to` and `spec.alternateBackends`
/// of kind Service (or no kind), with `spec.port.targetPort`.
pub(super) fn read_route(
    node: &Node,
    namespace: String,
    name: String,
    location: Location,
) -> Route {
    let spec = node.get("spec");
    let port = spec
        .and_then(|s| s.get("port"))
        .and_then(|p| p.get("targetPort"))
        .and_then(|t| {
            if let Some(n) = t.as_int().and_then(|n| u16::try_from(n).ok()) {
                return Some(PortValue::Number(n));
            }
            let s = t.text()?;
            Some(match s.parse::<u16>() {
                Ok(n) => PortValue::Number(n),
                Err(_) => PortValue::Name(s.to_string()),
            })
        });
    let service = |b: &Node| -> Option<IngressBackend> {
        let kind = b.get("kind").and_then(Node::text).unwrap_or("Service");
        if kind != "Service" && !kind.is_empty() {
            return None;
        }
        let name = b.get("name").and_then(Node::text)?;
        Some(IngressBackend {
            service: name.to_string(),
            port: port.clone(),
        })
    };
    let mut backends: Vec<IngressBackend> = spec
        .and_then(|s| s.get("to"))
        .and_then(service)
        .into_iter()
        .collect();
    for b in spec
        .and_then(|s| s.get("alternateBackends"))
        .and_then(Node::as_seq)
        .unwrap_or(&[])
    {
        backends.extend(service(b));
    }
    Route {
        namespace,
        name,
        backends,
        location: Some(location),
    }
}
