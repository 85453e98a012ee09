//! Traffic the way people send it: through Services, Ingress controllers, NodePorts and
//! DNS (issue 4).
//!
//! NetworkPolicy is enforced after the Service has been translated to a pod (DNAT), so
//! every question here becomes pod-level questions for [`Engine::query`]:
//! - `svc:NAMESPACE/NAME` (or its ClusterIP) and a Service port: the backend pods are the
//!   pods of the Service's namespace its selector matches; each is asked on the
//!   `targetPort` (a number, or a container port name resolved per pod; a pod without
//!   that name is not an endpoint of the port, as the EndpointSlice controller does);
//! - `ingress:NAMESPACE/NAME` as a source: the ingress controller's pods (recognised by
//!   their labels, or named by the user) send to the backend pods of each Service the
//!   Ingress routes to;
//! - `nodeport:NAMESPACE/NAME` / `loadbalancer:NAMESPACE/NAME` (or an external or
//!   load-balancer IP of the Service) from an address outside the cluster: the pod sees
//!   a node address (SNAT) unless `externalTrafficPolicy: Local`, then the client's;
//! - `dns:`: UDP 53 and TCP 53 to the backends of kube-system/kube-dns (declared, or
//!   assumed: CoreDNS pods labelled `k8s-app=kube-dns`);
//! - a hostname only through the user's mapping (`hosts`); `NAME.NAMESPACE.svc` and
//!   `NAME.NAMESPACE.svc.cluster.local` name Services.
//!
//! A Service is allowed when every backend is; "no backends" is its own outcome, never
//! "denied". The module only uses the public `Engine` API.

use std::collections::BTreeMap;
use std::net::IpAddr;

use ipnet::IpNet;
use serde::Serialize;

use crate::eval::{Decision, Engine, PortQuery, Target, Verdict};
use crate::explain::{self, Lang};
use crate::model::*;

/// What a query needs beyond the manifests.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Options {
    /// Node addresses; the first host address is the node that SNATs NodePort and
    /// LoadBalancer traffic. Default 192.168.0.0/24 (so 192.168.0.1).
    pub node_cidr: IpNet,
    /// Hostname -> address, given by the user (there is no DNS in the browser).
    pub hosts: BTreeMap<String, IpAddr>,
    /// Endpoints (`NAMESPACE/NAME`) that are the ingress controller, when the user names
    /// them; empty: recognised from the manifests.
    pub ingress_controller: Vec<String>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            node_cidr: "192.168.0.0/24"
                .parse()
                .unwrap_or_else(|_| IpNet::V4(Default::default())),
            hosts: BTreeMap::new(),
            ingress_controller: Vec::new(),
        }
    }
}

impl Options {
    /// The node address seen by pods for SNATed traffic: the CIDR's first host address.
    pub fn node_address(&self) -> IpAddr {
        self.node_cidr
            .hosts()
            .next()
            .unwrap_or_else(|| self.node_cidr.addr())
    }

    /// Parses `HOST=ADDRESS` (the CLI's `--host`) into the hosts map.
    pub fn add_host(&mut self, mapping: &str) -> Result<(), String> {
        let (host, ip) = mapping.split_once('=').ok_or_else(|| {
            format!("`{mapping}`: expected HOST=ADDRESS, e.g. www.google.com=142.250.201.68")
        })?;
        let ip: IpAddr = ip
            .trim()
            .parse()
            .map_err(|_| format!("`{mapping}`: `{ip}` is not an IP address"))?;
        self.hosts.insert(host.trim().to_ascii_lowercase(), ip);
        Ok(())
    }
}

/// An endpoint as a query names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Ref {
    /// A pod, a workload or an address: what [`Engine::resolve`] accepts.
    Direct { target: Target },
    /// `svc:NAMESPACE/NAME`, its ClusterIP or `NAME.NAMESPACE.svc`: index into
    /// `Cluster::services`.
    Service { index: usize },
    /// `ingress:NAMESPACE/NAME` (a source): index into `Cluster::ingresses`.
    Ingress { index: usize },
    /// `nodeport:NAMESPACE/NAME` (a destination, from outside the cluster).
    NodePort { index: usize },
    /// `loadbalancer:NAMESPACE/NAME`, a load-balancer IP or an external IP of the Service.
    LoadBalancer { index: usize },
    /// `dns:`: kube-system/kube-dns, UDP 53 and TCP 53.
    Dns,
}

/// The prefixes this module adds to endpoint names.
pub const PREFIXES: &[&str] = &[
    "svc:",
    "service:",
    "ingress:",
    "nodeport:",
    "loadbalancer:",
    "lb:",
    "external:",
    "dns:",
];

/// Does `text` need this module (a prefix, a hostname, a Service address), or is it a
/// plain endpoint of the base format (then [`Engine::resolve`] answers alone)?
pub fn is_extended(cluster: &Cluster, text: &str) -> bool {
    let t = text.trim();
    if t == "dns" || PREFIXES.iter().any(|p| t.starts_with(p)) {
        return true;
    }
    if let Ok(ip) = t.parse::<IpAddr>() {
        return cluster.endpoint_by_ip(&ip).is_none() && service_by_ip(cluster, &ip).is_some();
    }
    // A hostname: mapped, a Service's DNS name, or an error that says how to map it.
    !t.contains('/') && t.contains('.') && !cluster.endpoints.iter().any(|e| e.name == t)
}

fn service_by_ip(cluster: &Cluster, ip: &IpAddr) -> Option<(usize, bool)> {
    cluster.services.iter().enumerate().find_map(|(i, s)| {
        if s.cluster_ip.as_ref() == Some(ip) {
            Some((i, false))
        } else if s.external_ips.contains(ip) || s.load_balancer_ips.contains(ip) {
            Some((i, true))
        } else {
            None
        }
    })
}

fn split_name(text: &str) -> Option<(&str, &str)> {
    let (ns, name) = text.split_once('/')?;
    (!ns.is_empty() && !name.is_empty()).then_some((ns, name))
}

fn find_service(cluster: &Cluster, text: &str) -> Result<usize, String> {
    let found = split_name(text).and_then(|(ns, name)| {
        cluster
            .services
            .iter()
            .position(|s| s.namespace == ns && s.name == name)
    });
    found.ok_or_else(|| {
        let names: Vec<String> = cluster
            .services
            .iter()
            .map(|s| format!("{}/{}", s.namespace, s.name))
            .collect();
        let mut msg = format!("unknown Service `{text}`");
        match crate::diag::did_you_mean(text, names.iter().map(String::as_str)) {
            Some(s) => msg.push_str(&format!("; did you mean `svc:{s}`?")),
            None if names.is_empty() => msg.push_str("; the input has no Services"),
            None => msg.push_str(" (use svc:NAMESPACE/NAME)"),
        }
        msg
    })
}

/// Resolves an endpoint name (see the module documentation). The notes say how a
/// hostname was mapped.
pub fn resolve(engine: &Engine, text: &str, opts: &Options) -> Result<(Ref, Vec<Note>), String> {
    let c = &engine.cluster;
    let t = text.trim();
    let mut notes = Vec::new();
    if t == "dns" || t == "dns:" || t == "dns:kube-system/kube-dns" {
        return Ok((Ref::Dns, notes));
    }
    if let Some(rest) = t
        .strip_prefix("svc:")
        .or_else(|| t.strip_prefix("service:"))
    {
        return Ok((
            Ref::Service {
                index: find_service(c, rest)?,
            },
            notes,
        ));
    }
    if let Some(rest) = t.strip_prefix("nodeport:") {
        return Ok((
            Ref::NodePort {
                index: find_service(c, rest)?,
            },
            notes,
        ));
    }
    if let Some(rest) = t
        .strip_prefix("loadbalancer:")
        .or_else(|| t.strip_prefix("lb:"))
    {
        return Ok((
            Ref::LoadBalancer {
                index: find_service(c, rest)?,
            },
            notes,
        ));
    }
    if let Some(rest) = t.strip_prefix("ingress:") {
        let found = split_name(rest).and_then(|(ns, name)| {
            c.ingresses
                .iter()
                .position(|i| i.namespace == ns && i.name == name)
        });
        return match found {
            Some(index) => Ok((Ref::Ingress { index }, notes)),
            None => {
                let names: Vec<String> = c.ingresses.iter().map(Ingress::full_name).collect();
                let mut msg = format!("unknown Ingress `{rest}`");
                match crate::diag::did_you_mean(rest, names.iter().map(String::as_str)) {
                    Some(s) => msg.push_str(&format!("; did you mean `ingress:{s}`?")),
                    None if names.is_empty() => msg.push_str("; the input has no Ingress"),
                    None => msg.push_str(" (use ingress:NAMESPACE/NAME)"),
                }
                Err(msg)
            }
        };
    }
    if let Some(rest) = t.strip_prefix("external:") {
        let ip: IpAddr = match rest.parse() {
            Ok(ip) => ip,
            Err(_) => match opts.hosts.get(&rest.to_ascii_lowercase()) {
                Some(ip) => {
                    notes.push(Note::HostMapped {
                        host: rest.to_string(),
                        ip: ip.to_string(),
                    });
                    *ip
                }
                None => return Err(format!("`external:{rest}`: expected an IP address")),
            },
        };
        return Ok((
            Ref::Direct {
                target: Target::External(ip),
            },
            notes,
        ));
    }
    let mut addr: Option<IpAddr> = t.parse().ok();
    if addr.is_none()
        && !t.contains('/')
        && t.contains('.')
        && !c.endpoints.iter().any(|e| e.name == t)
    {
        let lower = t.trim_end_matches('.').to_ascii_lowercase();
        // In-cluster DNS names of Services.
        let svc_name = lower
            .strip_suffix(".svc.cluster.local")
            .or_else(|| lower.strip_suffix(".svc"));
        if let Some((name, ns)) = svc_name.and_then(|s| s.split_once('.')) {
            return Ok((
                Ref::Service {
                    index: find_service(c, &format!("{ns}/{name}"))?,
                },
                notes,
            ));
        }
        match opts.hosts.get(&lower) {
            Some(ip) => {
                notes.push(Note::HostMapped {
                    host: t.to_string(),
                    ip: ip.to_string(),
                });
                addr = Some(*ip);
            }
            None => {
                return Err(format!(
                    "`{t}` is a hostname, and the playground does not resolve names: map it to an address (CLI `--host {t}=ADDRESS`, scenario `hosts: {{{t}: ADDRESS}}`)"
                ))
            }
        }
    }
    if let Some(ip) = addr {
        if c.endpoint_by_ip(&ip).is_none() {
            if let Some((index, external)) = service_by_ip(c, &ip) {
                return Ok((
                    if external {
                        Ref::LoadBalancer { index }
                    } else {
                        Ref::Service { index }
                    },
                    notes,
                ));
            }
        }
        return Ok((
            Ref::Direct {
                target: engine.resolve(&ip.to_string())?,
            },
            notes,
        ));
    }
    Ok((
        Ref::Direct {
            target: engine.resolve(t)?,
        },
        notes,
    ))
}

/// The outcome of a query through a Service (or of a plain one).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// Every backend is allowed.
    Allowed,
    /// Every backend is denied.
    Denied,
    /// Some backends are allowed, others denied (each connection may land on either).
    Partial,
    /// The Service has no backend pods for the port: nothing answers, whatever the
    /// policies say. Not "denied".
    NoBackends,
    /// Could not evaluate.
    Unknown,
}

impl Outcome {
    pub fn parse(s: &str) -> Option<Outcome> {
        Some(match s.to_ascii_lowercase().replace('_', "-").as_str() {
            "allowed" => Outcome::Allowed,
            "denied" => Outcome::Denied,
            "partial" => Outcome::Partial,
            "no-backends" | "nobackends" => Outcome::NoBackends,
            "unknown" => Outcome::Unknown,
            _ => return None,
        })
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Allowed => "allowed",
            Outcome::Denied => "denied",
            Outcome::Partial => "partial",
            Outcome::NoBackends => "no-backends",
            Outcome::Unknown => "unknown",
        }
    }
}

/// How the ingress controller was found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum ControllerHow {
    /// Pods carrying a well-known label of a controller.
    Label { controller: String, label: String },
    /// Named by the user (`--ingress-controller`, `ingressController:`).
    Chosen,
}

/// Why a Service has no backends.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum NoBackendsReason {
    /// The selector matches no pod of the Service's namespace.
    SelectorMatchesNothing { selector: String, namespace: String },
    /// No selector: its endpoints are managed by hand (EndpointSlices), not in the model.
    NoSelector,
    /// Pods match, but none declares the named `targetPort`.
    NoPodDeclaresPort { name: String, protocol: Protocol },
}

/// Facts an explanation states (translated by [`note`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Note {
    /// A hostname taken from the user's mapping.
    HostMapped { host: String, ip: String },
    /// Service port -> target port, after DNAT of the ClusterIP.
    Dnat {
        service: String,
        cluster_ip: Option<String>,
        protocol: Protocol,
        port: u16,
        target_port: String,
    },
    /// A headless Service: DNS returns the pods' addresses; no DNAT.
    Headless { service: String, port: u16 },
    /// The pods see a node address (SNAT), not the client's.
    SourceNode {
        client: String,
        node: String,
        via: String,
    },
    /// `externalTrafficPolicy: Local`: the pods see the client's address.
    SourceClient { client: String, via: String },
    /// The ingress controller's pods.
    Controller {
        pods: Vec<String>,
        how: ControllerHow,
    },
    /// The Ingress routes to this Service and port.
    IngressRoute {
        ingress: String,
        service: String,
        port: String,
    },
    /// The declared kube-system/kube-dns Service.
    DnsDeclared { service: String, ip: Option<String> },
    /// No kube-dns Service in the input: assumed CoreDNS pods labelled k8s-app=kube-dns.
    DnsAssumed { found: usize },
    /// Not even CoreDNS pods: one is assumed so the policies can still be judged.
    DnsAssumedPod { name: String },
    /// Why there are no backends.
    NoBackends {
        service: String,
        reason: NoBackendsReason,
    },
    /// A workload whose pods the policies tell apart (a rolling update relabelled some):
    /// each pod is asked on its own.
    PodsDiffer { workload: String, pods: usize },
}

/// One pod-level connection behind a Service.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Backend {
    /// The backend pod (or workload standing for its pods).
    pub pod: String,
    /// The source as the pod sees it (a pod, a controller pod, a node or client address).
    pub source: String,
    pub protocol: QueryProtocol,
    /// The port on the pod (after resolving a named `targetPort`).
    pub target_port: Option<u16>,
    pub target_port_name: Option<String>,
    pub verdict: Verdict,
    /// The evaluator's decision (None when the pod is not an endpoint of the port).
    pub decision: Option<Decision>,
    /// Why the pod is not an endpoint of this port (a named targetPort it lacks).
    pub not_serving: Option<String>,
}

/// Which way the traffic goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Via {
    /// Pod or address to pod or address: one [`Engine::query`].
    Direct,
    /// Through a Service's ClusterIP (or headless DNS) to its backends.
    Service,
    /// From an Ingress's controller pods to its backend Services' pods.
    Ingress,
    /// From outside, through a node port.
    NodePort,
    /// From outside, through a load-balancer or external IP.
    LoadBalancer,
    /// UDP 53 and TCP 53 to kube-dns.
    Dns,
}

/// A query through Services, Ingresses, NodePorts or DNS, with a verdict per backend.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ServiceDecision {
    pub from: String,
    pub to: String,
    pub via: Via,
    pub protocol: QueryProtocol,
    /// The port as asked (a Service port number or name), or chosen.
    pub port: Option<String>,
    pub outcome: Outcome,
    /// Why the outcome is unknown.
    pub error: Option<String>,
    pub notes: Vec<Note>,
    pub backends: Vec<Backend>,
}

impl ServiceDecision {
    /// The evaluator's decision for each backend connection that has one.
    pub fn decisions(&self) -> impl Iterator<Item = &Decision> {
        self.backends.iter().filter_map(|b| b.decision.as_ref())
    }

    pub fn allowed(&self) -> bool {
        self.outcome == Outcome::Allowed
    }
    /// (allowed, evaluated) backend connections.
    pub fn counts(&self) -> (usize, usize) {
        let serving = self.backends.iter().filter(|b| b.not_serving.is_none());
        let total = serving.clone().count();
        let allowed = serving.filter(|b| b.verdict == Verdict::Allowed).count();
        (allowed, total)
    }
    /// Per backend pod: allowed when every connection to it is (None: not an endpoint).
    pub fn per_pod(&self) -> Vec<(String, Option<bool>)> {
        let mut out: Vec<(String, Option<bool>)> = Vec::new();
        for b in &self.backends {
            let v = b
                .not_serving
                .is_none()
                .then_some(b.verdict == Verdict::Allowed);
            match out.iter_mut().find(|(p, _)| *p == b.pod) {
                Some((_, cur)) => {
                    *cur = match (*cur, v) {
                        (Some(a), Some(b)) => Some(a && b),
                        (a, None) => a,
                        (None, b) => b,
                    }
                }
                None => out.push((b.pod.clone(), v)),
            }
        }
        out
    }

    fn unknown(
        from: &str,
        to: &str,
        protocol: QueryProtocol,
        port: Option<&PortQuery>,
        error: String,
        notes: Vec<Note>,
    ) -> Self {
        ServiceDecision {
            from: from.trim().to_string(),
            to: to.trim().to_string(),
            via: Via::Direct,
            protocol,
            port: port.map(|p| p.to_string()),
            outcome: Outcome::Unknown,
            error: Some(error),
            notes,
            backends: Vec::new(),
        }
    }
}

pub(crate) fn outcome_of(backends: &[Backend]) -> Outcome {
    let serving: Vec<&Backend> = backends
        .iter()
        .filter(|b| b.not_serving.is_none())
        .collect();
    if serving.is_empty() {
        return Outcome::NoBackends;
    }
    if serving.iter().any(|b| b.verdict == Verdict::Unknown) {
        return Outcome::Unknown;
    }
    let allowed = serving
        .iter()
        .filter(|b| b.verdict == Verdict::Allowed)
        .count();
    if allowed == serving.len() {
        Outcome::Allowed
    } else if allowed == 0 {
        Outcome::Denied
    } else {
        Outcome::Partial
    }
}

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
fn pick_port<'s>(
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
        if of.len() == 1 {
            return Ok(of[0]);
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
fn ask_backends(
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
        let e = &c.endpoints[pi];
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
type KnownController = (
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str)],
);

const CONTROLLERS: &[KnownController] = &[
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
    match found.len() {
        1 => Ok(pick(&found[0])),
        0 => Err(format!(
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
            let ingress = &c.ingresses[index];
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
    let transport = || {
        protocol.transport().ok_or_else(|| {
            "ICMP (ping) to a Service address is not forwarded to the pods (kube-proxy only translates TCP, UDP and SCTP); ping a pod instead".to_string()
        })
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
            let svc = &c.services[index];
            let proto = match transport() {
                Ok(p) => p,
                Err(e) => return fail(e, notes),
            };
            if let Some(e) = external_name(svc) {
                return fail(e, notes);
            }
            let sp = match pick_port(svc, proto, port, false) {
                Ok(p) => p,
                Err(e) => return fail(e, notes),
            };
            d.port = Some(sp.port.to_string());
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
            d.backends = ask_backends(engine, &[src], svc, sp, pod_port, &mut notes);
        }
        Ref::NodePort { index } | Ref::LoadBalancer { index } => {
            let svc = &c.services[index];
            let node_port = matches!(tref, Ref::NodePort { .. });
            let Target::External(client) = src else {
                return fail(
                    format!(
                        "`{}` is reached from outside the cluster: use an address as the source (e.g. `external:203.0.113.7`); from a pod, ask `svc:{}/{}`",
                        to_text.trim(),
                        svc.namespace,
                        svc.name
                    ),
                    notes,
                );
            };
            let proto = match transport() {
                Ok(p) => p,
                Err(e) => return fail(e, notes),
            };
            let t = svc.service_type.as_str();
            let exposed = if node_port {
                t == "NodePort" || t == "LoadBalancer"
            } else {
                t == "LoadBalancer" || !svc.external_ips.is_empty()
            };
            if !exposed {
                return fail(
                    format!(
                        "Service `{}/{}` is of type {t}: it has no {} reachable from outside the cluster",
                        svc.namespace,
                        svc.name,
                        if node_port { "node port" } else { "load-balancer address" }
                    ),
                    notes,
                );
            }
            let sp = match pick_port(svc, proto, port, node_port) {
                Ok(p) => p,
                Err(e) => return fail(e, notes),
            };
            d.port = Some(match (node_port, sp.node_port) {
                (true, Some(np)) => format!("{np}"),
                _ => sp.port.to_string(),
            });
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
            d.backends =
                ask_backends(engine, &[Target::External(seen)], svc, sp, None, &mut notes);
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
        match d.backends[0].verdict {
            Verdict::Allowed => Outcome::Allowed,
            Verdict::Denied => Outcome::Denied,
            Verdict::Unknown => Outcome::Unknown,
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

fn external_name(svc: &Service) -> Option<String> {
    (svc.service_type == "ExternalName").then(|| {
        format!(
            "Service `{}/{}` is an ExternalName alias of `{}`: it has no pods; ask about the address it names",
            svc.namespace,
            svc.name,
            svc.external_name.as_deref().unwrap_or("?")
        )
    })
}

fn dnat_note(svc: &Service, sp: &ServicePort) -> Note {
    Note::Dnat {
        service: format!("{}/{}", svc.namespace, svc.name),
        cluster_ip: svc.cluster_ip.map(|i| i.to_string()),
        protocol: sp.protocol,
        port: sp.port,
        target_port: sp.target_port.to_string(),
    }
}

#[allow(clippy::too_many_arguments)]
fn ingress_query(
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
        pods: pods.iter().map(|&i| c.endpoints[i].full_name()).collect(),
        how,
    });
    let routes = ingress.backends();
    let chosen: Vec<&IngressBackend> = match to {
        None => routes.clone(),
        Some(Ref::Service { index }) => {
            let s = &c.services[index];
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
fn dns(
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
                    pod: engine.cluster.endpoints[pi].full_name(),
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
        let name = owned.endpoints[pod].name.clone();
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

fn pick(lang: Lang, en: &str, es: &str) -> String {
    match lang {
        Lang::En => en.to_string(),
        Lang::Es => es.to_string(),
    }
}

/// `ALLOWED`, `DENIED`, `PARTIAL`, `NO BACKENDS`, `COULD NOT EVALUATE` (translated).
pub fn outcome_word(o: Outcome, lang: Lang) -> String {
    match o {
        Outcome::Allowed => explain::verdict_word(Verdict::Allowed, lang).into(),
        Outcome::Denied => explain::verdict_word(Verdict::Denied, lang).into(),
        Outcome::Unknown => explain::verdict_word(Verdict::Unknown, lang).into(),
        Outcome::Partial => pick(lang, "PARTIAL", "PARCIAL"),
        Outcome::NoBackends => pick(lang, "NO BACKENDS", "SIN BACKENDS"),
    }
}

/// One fact in words.
pub fn note(n: &Note, lang: Lang) -> String {
    match (n, lang) {
        (Note::HostMapped { host, ip }, Lang::En) => format!("`{host}` is `{ip}` (your mapping; the playground does not resolve names)"),
        (Note::HostMapped { host, ip }, Lang::Es) => format!("`{host}` es `{ip}` (según tu correspondencia; el playground no resuelve nombres)"),
        (Note::Dnat { service, cluster_ip, protocol, port, target_port }, Lang::En) => format!(
            "Service `{service}`{}: {protocol} port {port} is translated (DNAT) to port {target_port} of each backend pod; policies see the pod, not the Service address",
            cluster_ip.as_ref().map(|i| format!(" ({i})")).unwrap_or_default()
        ),
        (Note::Dnat { service, cluster_ip, protocol, port, target_port }, Lang::Es) => format!(
            "el servicio `{service}`{}: el puerto {protocol} {port} se traduce (DNAT) al puerto {target_port} de cada pod backend; las políticas ven el pod, no la dirección del servicio",
            cluster_ip.as_ref().map(|i| format!(" ({i})")).unwrap_or_default()
        ),
        (Note::Headless { service, port }, Lang::En) => format!("Service `{service}` is headless (`clusterIP: None`): DNS answers with the pods' addresses and the client connects to them directly (port {port}), without DNAT"),
        (Note::Headless { service, port }, Lang::Es) => format!("el servicio `{service}` es headless (`clusterIP: None`): el DNS devuelve las direcciones de los pods y el cliente se conecta a ellos directamente (puerto {port}), sin DNAT"),
        (Note::SourceNode { client, node, via }, Lang::En) => format!("{via} with `externalTrafficPolicy: Cluster`: the node SNATs the connection, so the pods see the node address {node}, not the client {client} (an ipBlock on client ranges does not apply; set `externalTrafficPolicy: Local` to keep it)"),
        (Note::SourceNode { client, node, via }, Lang::Es) => format!("{via} con `externalTrafficPolicy: Cluster`: el nodo hace SNAT, así que los pods ven la dirección del nodo {node}, no la del cliente {client} (un ipBlock con rangos de clientes no se aplica; `externalTrafficPolicy: Local` la conserva)"),
        (Note::SourceClient { client, via }, Lang::En) => format!("{via} with `externalTrafficPolicy: Local`: the pods see the client address {client} (no SNAT; only nodes running a backend answer)"),
        (Note::SourceClient { client, via }, Lang::Es) => format!("{via} con `externalTrafficPolicy: Local`: los pods ven la dirección del cliente {client} (sin SNAT; solo responden los nodos con un backend)"),
        (Note::Controller { pods, how }, lang) => {
            let pods: Vec<String> = pods.iter().map(|p| format!("`{p}`")).collect();
            match (how, lang) {
                (ControllerHow::Label { controller, label }, Lang::En) => format!("the ingress controller ({controller}, pods labelled {label}) is {}: it opens a normal pod-to-pod connection to each backend pod", pods.join(", ")),
                (ControllerHow::Label { controller, label }, Lang::Es) => format!("el controlador de ingress ({controller}, pods con la etiqueta {label}) es {}: abre una conexión normal de pod a pod hacia cada pod backend", pods.join(", ")),
                (ControllerHow::Chosen, Lang::En) => format!("the ingress controller (as you named it) is {}: it opens a normal pod-to-pod connection to each backend pod", pods.join(", ")),
                (ControllerHow::Chosen, Lang::Es) => format!("el controlador de ingress (indicado por ti) es {}: abre una conexión normal de pod a pod hacia cada pod backend", pods.join(", ")),
            }
        }
        (Note::IngressRoute { ingress, service, port }, Lang::En) => format!("Ingress `{ingress}` routes to Service `{service}` port {port}; a denied backend is what the client sees as 502/503/504"),
        (Note::IngressRoute { ingress, service, port }, Lang::Es) => format!("el Ingress `{ingress}` envía al servicio `{service}` puerto {port}; un backend denegado es lo que el cliente ve como 502/503/504"),
        (Note::DnsDeclared { service, ip }, Lang::En) => format!("names are resolved by Service `{service}`{} over UDP 53 and TCP 53 (TCP for large answers)", ip.as_ref().map(|i| format!(" ({i})")).unwrap_or_default()),
        (Note::DnsDeclared { service, ip }, Lang::Es) => format!("los nombres los resuelve el servicio `{service}`{} por UDP 53 y TCP 53 (TCP para respuestas grandes)", ip.as_ref().map(|i| format!(" ({i})")).unwrap_or_default()),
        (Note::DnsAssumed { found }, Lang::En) => format!("the input has no Service kube-system/kube-dns: assumed it is the usual one, in front of the {found} CoreDNS pod(s) labelled k8s-app=kube-dns in kube-system, on UDP 53 and TCP 53"),
        (Note::DnsAssumed { found }, Lang::Es) => format!("la entrada no tiene el servicio kube-system/kube-dns: se asume el habitual, delante de los {found} pod(s) de CoreDNS con la etiqueta k8s-app=kube-dns en kube-system, en UDP 53 y TCP 53"),
        (Note::DnsAssumedPod { name }, Lang::En) => format!("the input has neither kube-system/kube-dns nor CoreDNS pods: assumed one pod `{name}` labelled k8s-app=kube-dns, listening on UDP 53 and TCP 53, as in any cluster"),
        (Note::DnsAssumedPod { name }, Lang::Es) => format!("la entrada no tiene ni kube-system/kube-dns ni pods de CoreDNS: se asume un pod `{name}` con la etiqueta k8s-app=kube-dns, escuchando en UDP 53 y TCP 53, como en cualquier clúster"),
        (Note::PodsDiffer { workload, pods }, Lang::En) => format!("the {pods} pods of `{workload}` differ in what the policies see (a rolling update?), so each pod is asked on its own"),
        (Note::PodsDiffer { workload, pods }, Lang::Es) => format!("los {pods} pods de `{workload}` difieren en lo que ven las políticas (¿una actualización progresiva?), así que se pregunta por cada pod"),
        (Note::NoBackends { service, reason }, lang) => match (reason, lang) {
            (NoBackendsReason::SelectorMatchesNothing { selector, namespace }, Lang::En) => format!("Service `{service}` has no backends: its selector {selector} matches no pod of namespace `{namespace}`, so nothing answers (whatever the policies say)"),
            (NoBackendsReason::SelectorMatchesNothing { selector, namespace }, Lang::Es) => format!("el servicio `{service}` no tiene backends: su selector {selector} no coincide con ningún pod del namespace `{namespace}`, así que nadie responde (digan lo que digan las políticas)"),
            (NoBackendsReason::NoSelector, Lang::En) => format!("Service `{service}` has no selector: its endpoints are managed by hand (EndpointSlices), which the playground does not read"),
            (NoBackendsReason::NoSelector, Lang::Es) => format!("el servicio `{service}` no tiene selector: sus endpoints se gestionan a mano (EndpointSlices), y el playground no los lee"),
            (NoBackendsReason::NoPodDeclaresPort { name, protocol }, Lang::En) => format!("Service `{service}` has no backends for this port: no selected pod declares a {protocol} container port named `{name}`"),
            (NoBackendsReason::NoPodDeclaresPort { name, protocol }, Lang::Es) => format!("el servicio `{service}` no tiene backends para este puerto: ningún pod seleccionado declara un puerto {protocol} llamado `{name}`"),
        },
    }
}

/// The headline: `utils/utils -> svc:webapp-balanced/webapp-balanced TCP 80: DENIED (0 of 1 backends allowed)`.
pub fn headline(d: &ServiceDecision, lang: Lang) -> String {
    let (allowed, total) = d.counts();
    let conn = match (&d.port, d.protocol) {
        (_, QueryProtocol::ICMP) => "ICMP (ping)".to_string(),
        (Some(p), proto) => format!("{proto} {p}"),
        (None, proto) => proto.to_string(),
    };
    let conn = if d.via == Via::Dns {
        pick(lang, "DNS (UDP 53, TCP 53)", "DNS (UDP 53, TCP 53)")
    } else {
        conn
    };
    let to = if d.to.is_empty() {
        pick(lang, "(every backend)", "(todos los backends)")
    } else {
        d.to.clone()
    };
    let mut s = format!(
        "{} -> {to} {conn}: {}",
        d.from,
        outcome_word(d.outcome, lang)
    );
    if d.via != Via::Direct && total > 0 && d.outcome != Outcome::Unknown {
        s.push_str(&match lang {
            Lang::En => format!(" ({allowed} of {total} backend connections allowed)"),
            Lang::Es => format!(" ({allowed} de {total} conexiones a backends permitidas)"),
        });
    }
    s
}

/// The whole explanation: headline, facts, then each backend's explained decision.
pub fn explain(d: &ServiceDecision, lang: Lang) -> Vec<String> {
    let mut out = vec![headline(d, lang)];
    if let Some(e) = &d.error {
        out.push(format!("  {e}"));
    }
    for n in &d.notes {
        out.push(format!("  {}", note(n, lang)));
    }
    if d.via == Via::Direct {
        // One pod-level decision: its own explanation, without repeating the headline.
        if let Some(dec) = d.backends.first().and_then(|b| b.decision.as_ref()) {
            out.extend(explain::explain(dec, lang).into_iter().skip(1));
        }
        return out;
    }
    for b in &d.backends {
        match (&b.decision, &b.not_serving) {
            (_, Some(why)) => out.push(format!(
                "  {} {}: {why}",
                pick(lang, "backend", "backend"),
                b.pod
            )),
            (Some(dec), None) => {
                for (i, l) in explain::explain(dec, lang).into_iter().enumerate() {
                    out.push(if i == 0 {
                        format!("  - {l}")
                    } else {
                        format!("  {l}")
                    });
                }
            }
            (None, None) => {}
        }
    }
    out
}

/// Everything a picker can offer: `svc:`, `nodeport:`, `loadbalancer:`, `ingress:` names
/// and `dns:`.
pub fn targets(cluster: &Cluster) -> Vec<String> {
    let mut out = Vec::new();
    for s in &cluster.services {
        out.push(format!("svc:{}/{}", s.namespace, s.name));
        if s.service_type == "NodePort" || s.service_type == "LoadBalancer" {
            out.push(format!("nodeport:{}/{}", s.namespace, s.name));
        }
        if s.service_type == "LoadBalancer" || !s.external_ips.is_empty() {
            out.push(format!("loadbalancer:{}/{}", s.namespace, s.name));
        }
    }
    for i in &cluster.ingresses {
        out.push(format!("ingress:{}", i.full_name()));
    }
    out.push("dns:".into());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `input`: a first line `FROM TO [PROTOCOL] [PORT] [key=value...]` (TO `-` for none;
    /// keys `host=NAME=IP`, `controller=NS/NAME`, `nodes=CIDR`), `---`, then manifests.
    /// `expected`: `OUTCOME [pod:verdict ...] [note:kind ...]`, or `unknown: MESSAGE PART`.
    fn check(input: &str, expected: &str) {
        let (line, manifests) = input
            .split_once("\n---\n")
            .expect("query line, ---, manifests");
        let loaded = crate::load(manifests);
        let engine = Engine::new(loaded.cluster.clone());
        let mut words = line.split_whitespace();
        let from = words.next().unwrap();
        let to = words.next().unwrap();
        let mut protocol = QueryProtocol::TCP;
        let mut port = None;
        let mut opts = Options::default();
        for w in words {
            if let Some(h) = w.strip_prefix("host=") {
                opts.add_host(h).unwrap();
            } else if let Some(c) = w.strip_prefix("controller=") {
                opts.ingress_controller.push(c.to_string());
            } else if let Some(n) = w.strip_prefix("nodes=") {
                opts.node_cidr = n.parse().unwrap();
            } else if let Some(p) = QueryProtocol::parse(w) {
                protocol = p;
            } else {
                port = Some(PortQuery::parse(w));
            }
        }
        let to = (to != "-").then_some(to);
        let d = query(&engine, from, to, protocol, port.as_ref(), &opts);
        let got = if d.outcome == Outcome::Unknown {
            format!("unknown: {}", d.error.clone().unwrap_or_default())
        } else {
            let mut parts = vec![d.outcome.as_str().to_string()];
            for b in &d.backends {
                let v = match (&b.not_serving, b.verdict) {
                    (Some(_), _) => "not-serving",
                    (None, Verdict::Allowed) => "allowed",
                    (None, Verdict::Denied) => "denied",
                    (None, Verdict::Unknown) => "unknown",
                };
                let port = b
                    .target_port
                    .map(|p| format!("{}{p}", b.protocol))
                    .unwrap_or_default();
                parts.push(format!("{}<-{}:{port}:{v}", b.pod, b.source));
            }
            for n in &d.notes {
                let v = serde_json::to_value(n).unwrap();
                parts.push(format!("note:{}", v["kind"].as_str().unwrap()));
            }
            parts.join(" ")
        };
        if let Some(part) = expected.strip_prefix("unknown: ") {
            assert!(
                got.starts_with("unknown: ") && got.contains(part),
                "\n{line}\n got: {got}\nwant: {expected}"
            );
        } else {
            assert_eq!(got, expected, "\n{line}");
        }
        // Every decision can be put in words in both languages.
        for lang in [Lang::En, Lang::Es] {
            assert!(!explain(&d, lang).is_empty());
        }
    }

    const WEB: &str = "
apiVersion: v1
kind: Pod
metadata: {name: w1, namespace: web, labels: {app: web}}
spec: {containers: [{name: c, image: x, ports: [{name: http, containerPort: 8080}]}]}
status: {podIP: 10.0.0.1}
---
apiVersion: v1
kind: Pod
metadata: {name: w2, namespace: web, labels: {app: web}}
spec: {containers: [{name: c, image: x, ports: [{name: http, containerPort: 9090}]}]}
status: {podIP: 10.0.0.2}
---
apiVersion: v1
kind: Pod
metadata: {name: c, namespace: cli, labels: {app: c}}
spec: {containers: [{name: c, image: x}]}
status: {podIP: 10.0.1.1}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: web}
spec:
  type: NodePort
  clusterIP: 10.96.0.50
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: http, nodePort: 30000}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: only-8080, namespace: web}
spec:
  podSelector: {}
  ingress: [{ports: [{port: 8080}]}]
";

    fn with(query: &str, extra: &str) -> String {
        format!("{query}\n---\n{WEB}{extra}")
    }

    #[test]
    fn named_target_port_resolves_per_pod() {
        check(
            &with("cli/c svc:web/web 80", ""),
            "partial web/w1<-cli/c:TCP8080:allowed web/w2<-cli/c:TCP9090:denied note:dnat",
        );
        check(
            &with("cli/c 10.96.0.50 http", ""),
            "partial web/w1<-cli/c:TCP8080:allowed web/w2<-cli/c:TCP9090:denied note:dnat",
        );
        check(
            &with("cli/c web.web.svc.cluster.local", ""),
            "partial web/w1<-cli/c:TCP8080:allowed web/w2<-cli/c:TCP9090:denied note:dnat",
        );
    }

    #[test]
    fn no_backends_is_not_denied() {
        let ghost = "---\napiVersion: v1\nkind: Service\nmetadata: {name: ghost, namespace: web}\nspec: {selector: {app: ghost}, ports: [{port: 80}]}\n";
        check(
            &with("cli/c svc:web/ghost 80", ghost),
            "no-backends note:dnat note:noBackends",
        );
        let manual = "---\napiVersion: v1\nkind: Service\nmetadata: {name: manual, namespace: web}\nspec: {ports: [{port: 80}]}\n";
        check(
            &with("cli/c svc:web/manual 80", manual),
            "no-backends note:dnat note:noBackends",
        );
    }

    #[test]
    fn a_pod_without_the_named_port_is_not_an_endpoint() {
        let other = "---\napiVersion: v1\nkind: Pod\nmetadata: {name: w3, namespace: web, labels: {app: web}}\nspec: {containers: [{name: c, image: x}]}\n";
        check(
            &with("cli/c svc:web/web 80", other),
            "partial web/w1<-cli/c:TCP8080:allowed web/w2<-cli/c:TCP9090:denied web/w3<-::not-serving note:dnat",
        );
    }

    #[test]
    fn nodeport_snat_and_local() {
        check(
            &with("203.0.113.9 nodeport:web/web 30000", ""),
            "partial web/w1<-192.168.0.1:TCP8080:allowed web/w2<-192.168.0.1:TCP9090:denied note:sourceNode note:dnat",
        );
        check(
            &with("external:203.0.113.9 nodeport:web/web 80 nodes=10.9.0.0/16", ""),
            "partial web/w1<-10.9.0.1:TCP8080:allowed web/w2<-10.9.0.1:TCP9090:denied note:sourceNode note:dnat",
        );
        let local = "---\napiVersion: v1\nkind: Service\nmetadata: {name: loc, namespace: web}\nspec: {type: LoadBalancer, externalTrafficPolicy: Local, selector: {app: web}, ports: [{port: 80, targetPort: 8080}]}\n";
        check(
            &with("203.0.113.9 loadbalancer:web/loc 80", local),
            "allowed web/w1<-203.0.113.9:TCP8080:allowed web/w2<-203.0.113.9:TCP8080:allowed note:sourceClient note:dnat",
        );
        check(
            &with("cli/c nodeport:web/web 80", ""),
            "unknown: reached from outside the cluster",
        );
        check(
            &with("203.0.113.9 loadbalancer:web/web 80", ""),
            "unknown: is of type NodePort",
        );
    }

    #[test]
    fn ingress_needs_a_controller() {
        let ing = "---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: i, namespace: web}\nspec: {defaultBackend: {service: {name: web, port: {number: 80}}}}\n";
        check(
            &with("ingress:web/i svc:web/web", ing),
            "unknown: no ingress controller found",
        );
        check(
            &with("ingress:web/i - controller=cli/c", ing),
            "partial web/w1<-cli/c:TCP8080:allowed web/w2<-cli/c:TCP9090:denied note:controller note:ingressRoute",
        );
        let haproxy = "---\napiVersion: v1\nkind: Pod\nmetadata: {name: hap, namespace: lb, labels: {app.kubernetes.io/name: kubernetes-ingress}}\nspec: {containers: [{name: c, image: x}]}\n";
        check(
            &with("ingress:web/i svc:web/web", &format!("{ing}{haproxy}")),
            "partial web/w1<-lb/hap:TCP8080:allowed web/w2<-lb/hap:TCP9090:denied note:controller note:ingressRoute",
        );
        check(
            &with("ingress:web/nope svc:web/web", ing),
            "unknown: unknown Ingress `web/nope`",
        );
    }

    #[test]
    fn dns_declared_assumed_and_invented() {
        let pods = "---\napiVersion: v1\nkind: Pod\nmetadata: {name: coredns, namespace: kube-system, labels: {k8s-app: kube-dns}}\nspec: {containers: [{name: c, image: x}]}\n";
        check(
            &with("cli/c dns:", pods),
            "allowed kube-system/coredns<-cli/c:UDP53:allowed kube-system/coredns<-cli/c:TCP53:allowed note:dnsAssumed",
        );
        check(
            &with("cli/c dns", ""),
            "allowed kube-system/coredns (assumed)<-cli/c:UDP53:allowed kube-system/coredns (assumed)<-cli/c:TCP53:allowed note:dnsAssumedPod",
        );
        let deny = "---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny, namespace: cli}\nspec: {podSelector: {}, policyTypes: [Egress]}\n";
        check(
            &with("cli/c dns", deny),
            "denied kube-system/coredns (assumed)<-cli/c:UDP53:denied kube-system/coredns (assumed)<-cli/c:TCP53:denied note:dnsAssumedPod",
        );
    }

    #[test]
    fn hostnames_only_through_the_mapping() {
        check(
            &with("cli/c www.example.com 443", ""),
            "unknown: does not resolve names",
        );
        check(
            &with(
                "cli/c www.example.com 443 host=www.example.com=93.184.216.34",
                "",
            ),
            "allowed 93.184.216.34<-cli/c:TCP443:allowed note:hostMapped",
        );
        // A mapping onto a pod's address is that pod.
        check(
            &with("cli/c w2.local 9090 host=w2.local=10.0.0.2", ""),
            "denied web/w2<-cli/c:TCP9090:denied note:hostMapped",
        );
    }

    #[test]
    fn errors_say_what_to_write() {
        check(
            &with("cli/c svc:web/wbe 80", ""),
            "unknown: did you mean `svc:web/web`?",
        );
        check(
            &with("cli/c svc:web/web 443", ""),
            "unknown: has no TCP port `443`",
        );
        check(
            &with("cli/c svc:web/web ICMP", ""),
            "unknown: ICMP (ping) to a Service",
        );
        check(
            &with("svc:web/web cli/c 80", ""),
            "unknown: names a destination",
        );
    }

    #[test]
    fn spanish_words() {
        let loaded = crate::load(WEB);
        let engine = Engine::new(loaded.cluster.clone());
        let p = PortQuery::Number(80);
        let d = query(
            &engine,
            "cli/c",
            Some("svc:web/web"),
            QueryProtocol::TCP,
            Some(&p),
            &Options::default(),
        );
        assert_eq!(
            headline(&d, Lang::Es),
            "cli/c -> svc:web/web TCP 80: PARCIAL (1 de 2 conexiones a backends permitidas)"
        );
        assert_eq!(
            headline(&d, Lang::En),
            "cli/c -> svc:web/web TCP 80: PARTIAL (1 of 2 backend connections allowed)"
        );
    }
}
