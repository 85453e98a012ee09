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
use crate::model::*;

mod backends;
mod query;
mod resolve;

use backends::*;
pub use backends::{backend_ports, ingress_backend_ports, ingress_controller, service_pods};
pub use query::query;
pub use resolve::{is_extended, resolve};

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
    use crate::words::services::{explain, headline};
    use crate::Lang;

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
