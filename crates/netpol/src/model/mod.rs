//! The cluster as the evaluator sees it: namespaces, endpoints (pods and workloads),
//! services and NetworkPolicies, with selectors compiled once.

use std::collections::BTreeMap;
use std::fmt;
use std::net::IpAddr;

use ipnet::IpNet;
use serde::Serialize;

use crate::diag::Location;

pub mod calico;
mod cluster_policy;
pub use cluster_policy::{
    Action, Api, ClusterPolicy, NodeInfo, Subject, Tier, TierPeer, TierPeerKind, TierPort,
    TierPortKind, TierRule,
};

pub type Labels = BTreeMap<String, String>;

/// The label the control plane puts on every namespace.
pub const NAMESPACE_NAME_LABEL: &str = "kubernetes.io/metadata.name";

/// One end of a connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Target {
    /// Index into `Cluster::endpoints`.
    Endpoint(usize),
    /// An address outside the cluster (no pod has it).
    External(IpAddr),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Protocol {
    TCP,
    UDP,
    SCTP,
}

impl Protocol {
    pub const ALL: [Protocol; 3] = [Protocol::TCP, Protocol::UDP, Protocol::SCTP];
    pub fn as_str(self) -> &'static str {
        match self {
            Protocol::TCP => "TCP",
            Protocol::UDP => "UDP",
            Protocol::SCTP => "SCTP",
        }
    }
    pub fn parse(s: &str) -> Option<Protocol> {
        match s {
            "TCP" => Some(Protocol::TCP),
            "UDP" => Some(Protocol::UDP),
            "SCTP" => Some(Protocol::SCTP),
            _ => None,
        }
    }
    pub fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Protocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a query may ask about: a transport protocol, or ICMP (ping), which NetworkPolicy
/// does not define and which is modelled on the common CNI behaviour.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum QueryProtocol {
    TCP,
    UDP,
    SCTP,
    ICMP,
}

impl QueryProtocol {
    pub fn parse(s: &str) -> Option<QueryProtocol> {
        match s.to_ascii_uppercase().as_str() {
            "TCP" => Some(QueryProtocol::TCP),
            "UDP" => Some(QueryProtocol::UDP),
            "SCTP" => Some(QueryProtocol::SCTP),
            "ICMP" | "PING" => Some(QueryProtocol::ICMP),
            _ => None,
        }
    }
    pub fn transport(self) -> Option<Protocol> {
        match self {
            QueryProtocol::TCP => Some(Protocol::TCP),
            QueryProtocol::UDP => Some(Protocol::UDP),
            QueryProtocol::SCTP => Some(Protocol::SCTP),
            QueryProtocol::ICMP => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            QueryProtocol::TCP => "TCP",
            QueryProtocol::UDP => "UDP",
            QueryProtocol::SCTP => "SCTP",
            QueryProtocol::ICMP => "ICMP",
        }
    }
}

impl From<Protocol> for QueryProtocol {
    fn from(p: Protocol) -> Self {
        match p {
            Protocol::TCP => QueryProtocol::TCP,
            Protocol::UDP => QueryProtocol::UDP,
            Protocol::SCTP => QueryProtocol::SCTP,
        }
    }
}

impl fmt::Display for QueryProtocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Namespace {
    pub name: String,
    /// Includes `kubernetes.io/metadata.name`.
    pub labels: Labels,
    /// False when the namespace is only referenced, not declared.
    pub declared: bool,
    pub location: Option<Location>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum EndpointKind {
    Pod,
    Deployment,
    StatefulSet,
    DaemonSet,
    ReplicaSet,
    ReplicationController,
    Job,
    CronJob,
}

impl EndpointKind {
    pub fn parse(kind: &str) -> Option<EndpointKind> {
        Some(match kind {
            "Pod" => EndpointKind::Pod,
            "Deployment" => EndpointKind::Deployment,
            "StatefulSet" => EndpointKind::StatefulSet,
            "DaemonSet" => EndpointKind::DaemonSet,
            "ReplicaSet" => EndpointKind::ReplicaSet,
            "ReplicationController" => EndpointKind::ReplicationController,
            "Job" => EndpointKind::Job,
            "CronJob" => EndpointKind::CronJob,
            _ => return None,
        })
    }
    pub fn as_str(self) -> &'static str {
        match self {
            EndpointKind::Pod => "Pod",
            EndpointKind::Deployment => "Deployment",
            EndpointKind::StatefulSet => "StatefulSet",
            EndpointKind::DaemonSet => "DaemonSet",
            EndpointKind::ReplicaSet => "ReplicaSet",
            EndpointKind::ReplicationController => "ReplicationController",
            EndpointKind::Job => "Job",
            EndpointKind::CronJob => "CronJob",
        }
    }
    /// The lowercase resource word of kind-qualified names (`ns/deployment/web`).
    pub fn word(self) -> &'static str {
        match self {
            EndpointKind::Pod => "pod",
            EndpointKind::Deployment => "deployment",
            EndpointKind::StatefulSet => "statefulset",
            EndpointKind::DaemonSet => "daemonset",
            EndpointKind::ReplicaSet => "replicaset",
            EndpointKind::ReplicationController => "replicationcontroller",
            EndpointKind::Job => "job",
            EndpointKind::CronJob => "cronjob",
        }
    }
    /// A kind as people type it in a kind-qualified name: `Deployment`, `deployment`,
    /// `deployments`, `deploy` (kubectl's short names), any case.
    pub fn parse_word(word: &str) -> Option<EndpointKind> {
        let w = word.to_ascii_lowercase();
        let w = w.split('.').next().unwrap_or("");
        Some(match w {
            "pod" | "pods" | "po" => EndpointKind::Pod,
            "deployment" | "deployments" | "deploy" => EndpointKind::Deployment,
            "statefulset" | "statefulsets" | "sts" => EndpointKind::StatefulSet,
            "daemonset" | "daemonsets" | "ds" => EndpointKind::DaemonSet,
            "replicaset" | "replicasets" | "rs" => EndpointKind::ReplicaSet,
            "replicationcontroller" | "replicationcontrollers" | "rc" => {
                EndpointKind::ReplicationController
            }
            "job" | "jobs" => EndpointKind::Job,
            "cronjob" | "cronjobs" | "cj" => EndpointKind::CronJob,
            _ => return None,
        })
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct ContainerPort {
    pub name: Option<String>,
    pub port: u16,
    pub protocol: Protocol,
}

/// A pod, or a workload standing for its pods (labels and ports from its pod template).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Endpoint {
    pub namespace: String,
    pub name: String,
    pub kind: EndpointKind,
    pub labels: Labels,
    pub ips: Vec<IpAddr>,
    /// True when the address was assigned from the pod CIDR (the input had none).
    pub ip_assigned: bool,
    pub ports: Vec<ContainerPort>,
    /// For a pod: the workload that owns it (e.g. `Deployment utils`), when known.
    pub owner: Option<String>,
    /// For a workload: its replica count when given.
    pub replicas: Option<u32>,
    pub host_network: bool,
    pub location: Option<Location>,
    /// For Calico's `serviceAccountSelector`: the pod's `serviceAccountName`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service_account: Option<String>,
    /// True when another endpoint or workload of the namespace has the same name (a Pod
    /// `web` and a Deployment `web`): then the name says the kind, `NAMESPACE/pod/web`.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub qualified: bool,
}

impl Endpoint {
    /// `NAMESPACE/NAME`, the name used by queries, scenario files and the matrix;
    /// `NAMESPACE/KIND/NAME` (kind in lowercase) when the short name is shared.
    pub fn full_name(&self) -> String {
        if self.qualified {
            format!("{}/{}/{}", self.namespace, self.kind.word(), self.name)
        } else {
            format!("{}/{}", self.namespace, self.name)
        }
    }

    /// Compares [`Endpoint::full_name`] with `other` as strings, without allocating.
    /// Endpoints are sorted this way (the order of `matrix --format json`).
    pub fn full_name_cmp(&self, other: &str) -> std::cmp::Ordering {
        let kind: &[u8] = if self.qualified {
            self.kind.word().as_bytes()
        } else {
            &[]
        };
        let kind_slash: &[u8] = if self.qualified { b"/" } else { &[] };
        self.namespace
            .bytes()
            .chain(std::iter::once(b'/'))
            .chain(kind.iter().copied())
            .chain(kind_slash.iter().copied())
            .chain(self.name.bytes())
            .cmp(other.bytes())
    }

    /// The container port named `name` with protocol `protocol`.
    pub fn named_port(&self, name: &str, protocol: Protocol) -> Option<u16> {
        self.ports
            .iter()
            .find(|p| p.name.as_deref() == Some(name) && p.protocol == protocol)
            .map(|p| p.port)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ServicePort {
    pub name: Option<String>,
    pub port: u16,
    pub protocol: Protocol,
    pub target_port: PortValue,
    pub node_port: Option<u16>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Service {
    pub namespace: String,
    pub name: String,
    pub service_type: String,
    pub cluster_ip: Option<IpAddr>,
    /// None for a Service without selector (endpoints managed by hand).
    pub selector: Option<Labels>,
    pub ports: Vec<ServicePort>,
    pub external_traffic_policy_local: bool,
    /// `clusterIP: None`: DNS answers with the pods' addresses, no virtual IP, no DNAT.
    pub headless: bool,
    /// `spec.externalIPs`.
    pub external_ips: Vec<IpAddr>,
    /// `spec.loadBalancerIP` and `status.loadBalancer.ingress[].ip`.
    pub load_balancer_ips: Vec<IpAddr>,
    /// `spec.externalName` of an `ExternalName` Service.
    pub external_name: Option<String>,
    pub location: Option<Location>,
}

/// A backend of an Ingress: a Service and its port (number or name).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct IngressBackend {
    pub service: String,
    pub port: Option<PortValue>,
}

/// One path of an Ingress rule (`host` + `path` -> backend).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct IngressPath {
    pub host: Option<String>,
    pub path: Option<String>,
    pub backend: IngressBackend,
}

/// A networking.k8s.io/v1 Ingress: which Services the ingress controller sends traffic to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Ingress {
    pub namespace: String,
    pub name: String,
    /// `spec.ingressClassName`, or the legacy `kubernetes.io/ingress.class` annotation.
    pub class_name: Option<String>,
    pub default_backend: Option<IngressBackend>,
    pub paths: Vec<IngressPath>,
    pub location: Option<Location>,
}

impl Ingress {
    pub fn full_name(&self) -> String {
        format!("{}/{}", self.namespace, self.name)
    }

    /// Every Service backend (default backend first), without duplicates.
    pub fn backends(&self) -> Vec<&IngressBackend> {
        let mut out: Vec<&IngressBackend> = Vec::new();
        for b in self
            .default_backend
            .iter()
            .chain(self.paths.iter().map(|p| &p.backend))
        {
            if !out.contains(&b) {
                out.push(b);
            }
        }
        out
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(untagged)]
pub enum PortValue {
    Number(u16),
    Name(String),
}

impl fmt::Display for PortValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PortValue::Number(n) => write!(f, "{n}"),
            PortValue::Name(s) => f.write_str(s),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum Operator {
    In,
    NotIn,
    Exists,
    DoesNotExist,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Requirement {
    pub key: String,
    pub operator: Operator,
    pub values: Vec<String>,
}

/// A compiled label selector: `matchLabels` and `matchExpressions` ANDed.
/// The empty selector matches everything.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize)]
pub struct Selector {
    pub match_labels: Vec<(String, String)>,
    pub match_expressions: Vec<Requirement>,
}

impl Selector {
    pub fn is_empty(&self) -> bool {
        self.match_labels.is_empty() && self.match_expressions.is_empty()
    }

    pub fn matches(&self, labels: &Labels) -> bool {
        self.match_labels
            .iter()
            .all(|(k, v)| labels.get(k) == Some(v))
            && self.match_expressions.iter().all(|r| {
                let value = labels.get(&r.key);
                match r.operator {
                    Operator::In => value.is_some_and(|v| r.values.contains(v)),
                    Operator::NotIn => value.is_none_or(|v| !r.values.contains(v)),
                    Operator::Exists => value.is_some(),
                    Operator::DoesNotExist => value.is_none(),
                }
            })
    }

    /// The label keys the selector looks at.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.match_labels
            .iter()
            .map(|(k, _)| k.as_str())
            .chain(self.match_expressions.iter().map(|r| r.key.as_str()))
    }
}

impl fmt::Display for Selector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_empty() {
            return f.write_str("{}");
        }
        let mut parts: Vec<String> = self
            .match_labels
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        for r in &self.match_expressions {
            parts.push(match r.operator {
                Operator::In => format!("{} in ({})", r.key, r.values.join(",")),
                Operator::NotIn => format!("{} notin ({})", r.key, r.values.join(",")),
                Operator::Exists => r.key.clone(),
                Operator::DoesNotExist => format!("!{}", r.key),
            });
        }
        f.write_str(&parts.join(","))
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct IpBlock {
    pub cidr: IpNet,
    pub except: Vec<IpNet>,
}

impl IpBlock {
    pub fn contains(&self, ip: &IpAddr) -> bool {
        self.cidr.contains(ip) && !self.except.iter().any(|e| e.contains(ip))
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum PeerKind {
    /// podSelector and/or namespaceSelector. `namespace_selector: None` means the policy's
    /// own namespace; `pod_selector: None` means every pod.
    Pods {
        namespace_selector: Option<Selector>,
        pod_selector: Option<Selector>,
    },
    IpBlock(IpBlock),
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Peer {
    pub kind: PeerKind,
    pub location: Location,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PortRule {
    pub protocol: Protocol,
    /// None: every port of the protocol.
    pub port: Option<PortValue>,
    pub end_port: Option<u16>,
    pub location: Location,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Rule {
    /// Empty: every peer (the `from`/`to` field is absent or empty).
    pub peers: Vec<Peer>,
    /// Empty: every port and protocol.
    pub ports: Vec<PortRule>,
    pub location: Location,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Ingress,
    Egress,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Ingress => "ingress",
            Direction::Egress => "egress",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Policy {
    pub namespace: String,
    pub name: String,
    pub pod_selector: Selector,
    /// Whether the policy isolates selected pods for ingress / egress (after defaulting).
    pub ingress_isolating: bool,
    pub egress_isolating: bool,
    /// True when `policyTypes` was given explicitly.
    pub explicit_types: bool,
    pub ingress: Vec<Rule>,
    pub egress: Vec<Rule>,
    pub location: Location,
}

impl Policy {
    pub fn full_name(&self) -> String {
        format!("{}/{}", self.namespace, self.name)
    }
    pub fn isolates(&self, dir: Direction) -> bool {
        match dir {
            Direction::Ingress => self.ingress_isolating,
            Direction::Egress => self.egress_isolating,
        }
    }
    pub fn rules(&self, dir: Direction) -> &[Rule] {
        match dir {
            Direction::Ingress => &self.ingress,
            Direction::Egress => &self.egress,
        }
    }
}

/// An OpenShift route.openshift.io/v1 Route: the router sends to `spec.to` and
/// `spec.alternateBackends` (kind Service) on `spec.port.targetPort` (a Service port's
/// name or number; none: every port of the Service).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Route {
    pub namespace: String,
    pub name: String,
    /// The Services, `to` first, with the route's port.
    pub backends: Vec<IngressBackend>,
    pub location: Option<Location>,
}

/// Everything loaded from the input.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Cluster {
    /// Sorted by name.
    pub namespaces: Vec<Namespace>,
    /// Sorted by full name (`namespace/name`).
    pub endpoints: Vec<Endpoint>,
    /// Sorted by namespace and name.
    pub services: Vec<Service>,
    /// networking.k8s.io/v1 Ingresses, sorted by namespace and name.
    pub ingresses: Vec<Ingress>,
    /// OpenShift Routes, sorted by namespace and name.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub routes: Vec<Route>,
    /// Only policies the API server would accept (invalid ones are reported and left out).
    pub policies: Vec<Policy>,
    /// Workloads whose pods were pasted too: workload full name -> its pods' indexes.
    pub workload_pods: BTreeMap<String, Vec<usize>>,
    /// The kind of each workload in `workload_pods`.
    pub workload_kinds: BTreeMap<String, EndpointKind>,
    /// Cluster-scoped policies (AdminNetworkPolicy, BaselineAdminNetworkPolicy,
    /// ClusterNetworkPolicy) the API server would accept, in evaluation order (tier,
    /// priority, name).
    pub cluster_policies: Vec<ClusterPolicy>,
    /// Nodes (for the `nodes` egress peer of the cluster-scoped policies), sorted by name.
    pub nodes: Vec<NodeInfo>,
    /// Calico NetworkPolicies, GlobalNetworkPolicies, Tiers and the ServiceAccounts their
    /// selectors may look at.
    #[serde(skip_serializing_if = "calico::Calico::is_unset")]
    pub calico: calico::Calico,
}

impl Cluster {
    /// Are there policies beyond NetworkPolicy (cluster-scoped or Calico), whose tier
    /// chain decides around the NetworkPolicies?
    pub fn has_tiers(&self) -> bool {
        !self.cluster_policies.is_empty() || !self.calico.is_empty()
    }

    pub fn namespace(&self, name: &str) -> Option<&Namespace> {
        self.namespaces
            .binary_search_by(|n| n.name.as_str().cmp(name))
            .ok()
            .and_then(|i| self.namespaces.get(i))
    }

    pub fn namespace_labels(&self, name: &str) -> Option<&Labels> {
        self.namespace(name).map(|n| &n.labels)
    }

    pub fn endpoint_index(&self, full_name: &str) -> Option<usize> {
        self.endpoints
            .binary_search_by(|e| e.full_name_cmp(full_name))
            .ok()
    }

    pub fn service(&self, namespace: &str, name: &str) -> Option<&Service> {
        self.services
            .iter()
            .find(|s| s.namespace == namespace && s.name == name)
    }

    /// This cluster plus one assumed CoreDNS pod (`kube-system/coredns (assumed)`,
    /// labelled `k8s-app=kube-dns`, UDP 53 `dns` and TCP 53 `dns-tcp`) and, when missing,
    /// the kube-system namespace: for judging DNS when the input declares none. The pod
    /// is appended, so existing endpoint indexes stay valid; its index is returned.
    pub fn with_assumed_dns(&self, ip: Option<IpAddr>) -> (Cluster, usize) {
        let mut owned = self.clone();
        let mut labels = Labels::new();
        labels.insert("k8s-app".into(), "kube-dns".into());
        let port = |name: &str, protocol| ContainerPort {
            name: Some(name.into()),
            port: 53,
            protocol,
        };
        owned.endpoints.push(Endpoint {
            namespace: "kube-system".into(),
            name: "coredns (assumed)".into(),
            kind: EndpointKind::Pod,
            labels,
            ips: ip.into_iter().collect(),
            ip_assigned: ip.is_some(),
            ports: vec![port("dns", Protocol::UDP), port("dns-tcp", Protocol::TCP)],
            owner: None,
            replicas: None,
            host_network: false,
            service_account: None,
            qualified: false,
            location: None,
        });
        if owned.namespace("kube-system").is_none() {
            let mut l = Labels::new();
            l.insert(NAMESPACE_NAME_LABEL.into(), "kube-system".into());
            owned.namespaces.push(Namespace {
                name: "kube-system".into(),
                labels: l,
                declared: false,
                location: None,
            });
            crate::sort::by(&mut owned.namespaces, |a, b| a.name.cmp(&b.name));
        }
        let index = owned.endpoints.len() - 1;
        (owned, index)
    }

    /// A copy with one label-less pod appended in each namespace np-guard's
    /// netpol-analyzer assumes the ingress controller runs in when its pods are not in
    /// the input: `ingress-nginx` (labelled `kubernetes.io/metadata.name: ingress-nginx`)
    /// and `openshift-ingress-operator` (also `namespace.name` and
    /// `openshift.io/cluster-monitoring: "true"`). A namespace of that name in the input
    /// keeps its own labels. The pods have no address (an ipBlock never matches them);
    /// existing endpoint indexes stay valid; the new indexes are returned.
    pub fn with_assumed_ingress_controllers(&self) -> (Cluster, Vec<usize>) {
        const NAMESPACES: &[(&str, &[(&str, &str)])] = &[
            ("ingress-nginx", &[]),
            (
                "openshift-ingress-operator",
                &[
                    ("namespace.name", "openshift-ingress-operator"),
                    ("openshift.io/cluster-monitoring", "true"),
                ],
            ),
        ];
        let mut owned = self.clone();
        let mut pods = Vec::new();
        for (ns, extra) in NAMESPACES {
            pods.push(owned.endpoints.len());
            owned.endpoints.push(Endpoint {
                namespace: (*ns).into(),
                name: "ingress-controller (assumed)".into(),
                kind: EndpointKind::Pod,
                labels: Labels::new(),
                ips: Vec::new(),
                ip_assigned: false,
                ports: Vec::new(),
                owner: None,
                replicas: None,
                host_network: false,
                service_account: None,
                qualified: false,
                location: None,
            });
            if owned.namespace(ns).is_none() {
                let mut l = Labels::new();
                l.insert(NAMESPACE_NAME_LABEL.into(), (*ns).into());
                for (k, v) in extra.iter() {
                    l.insert((*k).into(), (*v).into());
                }
                owned.namespaces.push(Namespace {
                    name: (*ns).into(),
                    labels: l,
                    declared: false,
                    location: None,
                });
            }
        }
        crate::sort::by(&mut owned.namespaces, |a, b| a.name.cmp(&b.name));
        (owned, pods)
    }

    pub fn endpoint_by_ip(&self, ip: &IpAddr) -> Option<usize> {
        self.endpoints.iter().position(|e| e.ips.contains(ip))
    }
}
