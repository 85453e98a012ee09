//! The roles of endpoints in the workload view: the ingress controller assumed where Ingresses and Routes have none in the input, DNS, the controllers found.

use super::*;

/// np-guard's ingress analysis, for the Routes and the Ingresses whose controller pods
/// are not in the input (recognised as [`crate::services::ingress_controller`] does; when they are, they
/// are ordinary workloads and their edges say it): per backend endpoint, the TCP ports
/// its Ingresses send to ([`crate::services::ingress_backend_ports`]) that its ingress
/// side allows from a label-less pod in a namespace of ingress-nginx or of the OpenShift
/// router ([`Cluster::with_assumed_ingress_controllers`]; the union of both, as one
/// source). `None` when no Ingress lacks its controller.
pub(super) fn assumed_ingress(engine: &Engine) -> Option<Vec<(usize, PortSet)>> {
    let c = &engine.cluster;
    let opts = crate::services::Options::default();
    // Per endpoint (a Vec, not a map: no B-tree of its own in the page's wasm).
    let mut ports: Vec<Option<PortSet>> = Vec::new();
    let mut add = |i: usize, port: u16| {
        if ports.len() <= i {
            ports.resize_with(i + 1, || None);
        }
        if let Some(slot) = ports.get_mut(i) {
            slot.get_or_insert_with(PortSet::none)
                .add(Protocol::TCP, port, port);
        }
    };
    let mut any = false;
    for ing in &c.ingresses {
        if crate::services::ingress_controller(engine, ing, &opts).is_ok() {
            continue;
        }
        any = true;
        for (i, port) in crate::services::ingress_backend_ports(c, ing) {
            add(i, port);
        }
    }
    // The OpenShift router is never among the input's pods for the services layer.
    for r in &c.routes {
        any = true;
        let backends: Vec<(&str, Option<&PortValue>)> = r
            .backends
            .iter()
            .map(|b| (b.service.as_str(), b.port.as_ref()))
            .collect();
        for (i, port) in crate::services::backend_ports(c, &r.namespace, &backends) {
            add(i, port);
        }
    }
    if !any {
        return None;
    }
    if ports.iter().all(Option::is_none) {
        return Some(Vec::new());
    }
    let (cluster, sources) = c.with_assumed_ingress_controllers();
    let with = Engine::new(cluster);
    let out = ports
        .into_iter()
        .enumerate()
        .filter_map(|(i, tcp)| Some((i, tcp?)))
        .filter_map(|(i, tcp)| {
            let mut allowed = PortSet::none();
            for &s in &sources {
                allowed.union_with(
                    &with.ingress_connections(Target::Endpoint(s), Target::Endpoint(i)),
                );
            }
            let set = tcp.intersect(&allowed);
            (!set.is_empty()).then_some((i, set))
        })
        .collect();
    Some(out)
}

/// Which endpoints are the ingress controller (of some Ingress) or DNS.
/// Indexed by endpoint.
pub(super) fn roles(engine: &Engine) -> Vec<Option<Role>> {
    let c = &engine.cluster;
    let mut out = vec![None; c.endpoints.len()];
    let opts = crate::services::Options::default();
    for ing in &c.ingresses {
        if let Ok((pods, _)) = crate::services::ingress_controller(engine, ing, &opts) {
            for p in pods {
                if let Some(slot) = out.get_mut(p) {
                    *slot = Some(Role::IngressController);
                }
            }
        }
    }
    let dns: Vec<usize> = match c.service("kube-system", "kube-dns") {
        Some(svc) => crate::services::service_pods(c, svc).unwrap_or_default(),
        None => c
            .endpoints
            .iter()
            .enumerate()
            .filter(|(_, e)| {
                e.namespace == "kube-system"
                    && e.labels.get("k8s-app").map(String::as_str) == Some("kube-dns")
            })
            .map(|(i, _)| i)
            .collect(),
    };
    for p in dns {
        if let Some(slot) = out.get_mut(p) {
            *slot = Some(Role::Dns);
        }
    }
    out
}
