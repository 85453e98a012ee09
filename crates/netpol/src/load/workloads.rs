//! Pods and workloads: their labels, ports and addresses, which object stands for which
//! (ownerReferences), kind-qualified names, and addresses for pods that have none.

use super::*;

#[derive(Clone)]
pub(super) struct RawWorkload {
    pub(super) endpoint: Endpoint,
    /// (kind, name) of the controller owner, from ownerReferences.
    pub(super) owner: Option<(String, String)>,
}

/// Decides which objects become endpoints: a workload whose pods were pasted too is
/// represented by those pods (each pod is shown once); a ReplicaSet or Job owned by a
/// pasted Deployment or CronJob is represented by its owner. Objects whose
/// ownerReferences form a cycle (or point at themselves) are all kept, with a warning.
/// Endpoints and workloads that share a namespace and name (a Pod `web` and a Deployment
/// `web`) are all kept, under kind-qualified names (`NS/pod/web`, `NS/deployment/web`).
/// Workloads whose pods were pasted: name -> (kind, the pods' names), sorted by name,
/// each name once (a Vec, not a map: no B-tree type of its own in the page's wasm).
pub(super) type WorkloadPods = Vec<(String, (EndpointKind, Vec<String>))>;

pub(super) fn resolve_ownership(
    raw: Vec<RawWorkload>,
    diags: &mut Vec<Diagnostic>,
) -> (Vec<Endpoint>, WorkloadPods) {
    let top_owner = top_owners(&raw, diags);
    let (hidden, pods_of) = represented(&raw, &top_owner);
    let shared = shared_names(&raw, &hidden, &pods_of);
    let display = |i: usize| {
        let e = &raw.get(i)?.endpoint;
        Some(if shared.get(i) == Some(&true) {
            format!("{}/{}/{}", e.namespace, e.kind.word(), e.name)
        } else {
            e.full_name()
        })
    };
    let mut pods_of: WorkloadPods = pods_of
        .into_iter()
        .enumerate()
        .filter(|(_, pods)| !pods.is_empty())
        .filter_map(|(o, pods)| {
            Some((
                display(o)?,
                (
                    raw.get(o)?.endpoint.kind,
                    pods.into_iter().filter_map(display).collect(),
                ),
            ))
        })
        .collect();
    // By name, the last of a name kept (as collecting into a map would).
    crate::sort::by(&mut pods_of, |a, b| a.0.cmp(&b.0));
    let mut by_name: WorkloadPods = Vec::with_capacity(pods_of.len());
    for w in pods_of {
        match by_name.last_mut() {
            Some(last) if last.0 == w.0 => *last = w,
            _ => by_name.push(w),
        }
    }
    let pods_of = by_name;
    let mut endpoints = Vec::new();
    for ((mut w, hide), qualified) in raw.into_iter().zip(hidden).zip(shared) {
        if hide {
            continue;
        }
        w.endpoint.ips.dedup();
        w.endpoint.qualified = qualified;
        endpoints.push(w.endpoint);
    }
    crate::sort::by_cached_key(&mut endpoints, Endpoint::full_name);
    (endpoints, pods_of)
}

pub(super) fn assign_ips(endpoints: &mut [Endpoint], cidr: &IpNet, diags: &mut Vec<Diagnostic>) {
    // Sorted, for binary search (a Vec: no B-tree set of addresses in the page's wasm).
    let mut used: Vec<IpAddr> = endpoints
        .iter()
        .flat_map(|e| e.ips.iter().copied())
        .collect();
    crate::sort::ord(&mut used);
    let mut hosts = cidr.hosts().filter(|ip| used.binary_search(ip).is_err());
    let mut exhausted = false;
    for e in endpoints
        .iter_mut()
        .filter(|e| e.ips.is_empty() && !e.host_network)
    {
        match hosts.next() {
            Some(ip) => {
                e.ips.push(ip);
                e.ip_assigned = true;
            }
            None => {
                if !exhausted {
                    exhausted = true;
                    diags.push(Diagnostic::new(
                        Severity::Warning,
                        "pod-cidr-exhausted",
                        format!("the pod CIDR `{cidr}` has no free address left; some pods have no IP and no ipBlock can match them"),
                        e.location.clone().unwrap_or_default(),
                    ));
                }
            }
        }
    }
}

pub(super) fn read_container_ports(
    cx: &mut Cx<'_>,
    pod_spec: &Node,
    path: &str,
    out: &mut Vec<ContainerPort>,
) {
    for field in ["containers", "initContainers"] {
        let Some(containers) = pod_spec.get(field).and_then(Node::as_seq) else {
            continue;
        };
        for (ci, c) in containers.iter().enumerate() {
            let Some(ports) = c.get("ports").and_then(Node::as_seq) else {
                continue;
            };
            for (pi, p) in ports.iter().enumerate() {
                let ppath = format!("{path}.{field}[{ci}].ports[{pi}]");
                let port = p.get("containerPort").and_then(Node::as_int);
                let Some(port) = port.filter(|n| (1..=65535).contains(n)) else {
                    cx.diag(Severity::Warning, "invalid-field", p, Some(&format!("{ppath}.containerPort")), "`containerPort` must be a number between 1 and 65535; this port is ignored");
                    continue;
                };
                // JSON null leaves the string empty, and SetDefaults_ContainerPort makes
                // an empty protocol TCP.
                let protocol = match p
                    .get("protocol")
                    .filter(|n| !n.is_null())
                    .and_then(Node::text)
                {
                    None | Some("") => Protocol::TCP,
                    Some(t) => match Protocol::parse(t) {
                        Some(pr) => pr,
                        None => {
                            cx.diag(
                                Severity::Warning,
                                "invalid-field",
                                p,
                                Some(&format!("{ppath}.protocol")),
                                format!("unsupported protocol `{t}`; this port is ignored"),
                            );
                            continue;
                        }
                    },
                };
                let name = p
                    .get("name")
                    .filter(|n| !n.is_null())
                    .and_then(Node::text)
                    .filter(|n| !n.is_empty())
                    .map(str::to_string);
                out.push(ContainerPort {
                    name,
                    port: port as u16,
                    protocol,
                });
            }
        }
    }
}

pub(super) fn read_workload(
    cx: &mut Cx<'_>,
    node: &Node,
    kind: EndpointKind,
    namespace: String,
    name: String,
    labels: Labels,
    location: Location,
) -> RawWorkload {
    let spec = node.get("spec");
    let (labels, pod_spec, path) = if kind == EndpointKind::Pod {
        (labels, spec, "spec".to_string())
    } else {
        let template = if kind == EndpointKind::CronJob {
            spec.and_then(|s| s.get("jobTemplate"))
                .and_then(|j| j.get("spec"))
                .and_then(|s| s.get("template"))
        } else {
            spec.and_then(|s| s.get("template"))
        };
        let tpath = if kind == EndpointKind::CronJob {
            "spec.jobTemplate.spec.template"
        } else {
            "spec.template"
        };
        let tlabels = template
            .and_then(|t| t.get("metadata"))
            .and_then(|m| m.get("labels"))
            .map(|l| read_labels(cx, l, &format!("{tpath}.metadata.labels")))
            .unwrap_or_default();
        if template.is_none() {
            cx.diag(
                Severity::Warning,
                "missing-template",
                node,
                Some(tpath),
                format!(
                    "`{}` has no pod template; it stands for pods with no labels",
                    cx.object
                ),
            );
        }
        (
            tlabels,
            template.and_then(|t| t.get("spec")),
            format!("{tpath}.spec"),
        )
    };
    let mut ports = Vec::new();
    if let Some(ps) = pod_spec {
        read_container_ports(cx, ps, &path, &mut ports);
    }
    let host_network = pod_spec
        .and_then(|s| s.get("hostNetwork"))
        .and_then(|h| h.scalar())
        == Some(Scalar::Bool(true));
    // `serviceAccount` is the deprecated spelling, taken when `serviceAccountName` is
    // empty (the API server's defaulting); a null (`~`) is Go's empty string; pods
    // without either run as `default` (the ServiceAccount admission).
    let account = |field: &str| {
        pod_spec
            .and_then(|s| s.get(field))
            .filter(|n| !n.is_null())
            .and_then(Node::text)
            .filter(|t| !t.is_empty())
    };
    let service_account = Some(
        account("serviceAccountName")
            .or_else(|| account("serviceAccount"))
            .unwrap_or("default")
            .to_string(),
    );
    let ips = if kind == EndpointKind::Pod {
        pod_ips(cx, node)
    } else {
        Vec::new()
    };
    let replicas = spec
        .and_then(|s| s.get("replicas"))
        .and_then(Node::as_int)
        .and_then(|r| u32::try_from(r).ok());
    let owner = node
        .get("metadata")
        .and_then(|m| m.get("ownerReferences"))
        .and_then(Node::as_seq)
        .and_then(|refs| {
            let pick = refs
                .iter()
                .find(|r| r.get("controller").and_then(|c| c.scalar()) == Some(Scalar::Bool(true)))
                .or_else(|| refs.first())?;
            Some((
                pick.get("kind")?.text()?.to_string(),
                pick.get("name")?.text()?.to_string(),
            ))
        });
    let owner_text = owner.as_ref().map(|(k, n)| format!("{k} {n}"));
    RawWorkload {
        endpoint: Endpoint {
            namespace,
            name,
            kind,
            labels,
            ips,
            ip_assigned: false,
            ports,
            owner: owner_text,
            replicas,
            host_network,
            location: Some(location),
            service_account,
            qualified: false,
        },
        owner,
    }
}

/// A pod's `status.podIP` and `status.podIPs`, each address once.
#[inline(always)]
fn pod_ips(cx: &mut Cx<'_>, node: &Node) -> Vec<IpAddr> {
    let mut ips = Vec::new();
    if let Some(status) = node.get("status") {
        let mut texts: Vec<&Node> = Vec::new();
        if let Some(ip) = status.get("podIP") {
            texts.push(ip);
        }
        if let Some(list) = status.get("podIPs").and_then(Node::as_seq) {
            texts.extend(list.iter().filter_map(|e| e.get("ip")));
        }
        for t in texts {
            let s = t.text().unwrap_or("");
            match s.parse::<IpAddr>() {
                Ok(ip) => {
                    if !ips.contains(&ip) {
                        ips.push(ip)
                    }
                }
                Err(_) if s.is_empty() => {}
                Err(_) => {
                    cx.diag(
                        Severity::Warning,
                        "invalid-ip",
                        t,
                        Some("status.podIP"),
                        format!("`{s}` is not an IP address; an address will be assigned"),
                    );
                }
            }
        }
    }
    ips
}

/// Each object's topmost owner among the pasted objects (None: it is its own top, or
/// its ownerReferences form a cycle, which is reported once).
#[inline(always)]
fn top_owners(raw: &[RawWorkload], diags: &mut Vec<Diagnostic>) -> Vec<Option<usize>> {
    // key: (namespace, kind, name) -> index
    let key = |w: &RawWorkload| {
        (
            w.endpoint.namespace.clone(),
            w.endpoint.kind.as_str().to_string(),
            w.endpoint.name.clone(),
        )
    };
    // Sorted by key (stable: a repeated key's last object is found, as a map's collect
    // keeps it). A Vec, not a HashMap: no hash table of its own in the page's wasm.
    let mut by_key: Vec<((String, String, String), usize)> =
        raw.iter().enumerate().map(|(i, w)| (key(w), i)).collect();
    crate::sort::by(&mut by_key, |a, b| a.0.cmp(&b.0));

    // The owner of each object, following ownerReferences, or name conventions for the
    // intermediate objects that were not pasted (ReplicaSet `<deployment>-<hash>`,
    // Job `<cronjob>-<n>`).
    let find = |ns: &str, kind: &str, name: &str| {
        let want = (ns, kind, name);
        let end =
            by_key.partition_point(|((n, k, m), _)| (n.as_str(), k.as_str(), m.as_str()) <= want);
        match by_key.get(end.checked_sub(1)?) {
            Some(((n, k, m), i)) if (n.as_str(), k.as_str(), m.as_str()) == want => Some(*i),
            _ => None,
        }
    };
    let parent = |i: usize| -> Option<usize> {
        let w = raw.get(i)?;
        let ns = &w.endpoint.namespace;
        let (okind, oname) = w.owner.as_ref()?;
        if let Some(j) = find(ns, okind, oname) {
            return Some(j);
        }
        let trimmed = oname.rsplit_once('-').map(|(a, _)| a)?;
        match okind.as_str() {
            "ReplicaSet" => find(ns, "Deployment", trimmed),
            "Job" => find(ns, "CronJob", trimmed),
            _ => None,
        }
    };
    let mut top_owner: Vec<Option<usize>> = vec![None; raw.len()];
    // Sorted, each once.
    let mut cycles_reported: Vec<Vec<usize>> = Vec::new();
    for (i, slot) in top_owner.iter_mut().enumerate() {
        let mut chain = vec![i];
        let mut cycle = None;
        while let Some(p) = chain.last().and_then(|&c| parent(c)) {
            if let Some(at) = chain.iter().position(|&c| c == p) {
                cycle = chain.get(at..).map(<[usize]>::to_vec);
                break;
            }
            chain.push(p);
        }
        if let Some(mut members) = cycle {
            // Kept as they are: nothing owns them for certain.
            crate::sort::ord(&mut members);
            if let Err(at) = cycles_reported.binary_search(&members) {
                report_cycle(raw, &members, diags);
                cycles_reported.insert(at, members);
            }
            continue;
        }
        let top = chain.last().copied().unwrap_or(i);
        if top != i {
            *slot = Some(top);
        }
    }
    top_owner
}

/// The warning for a cycle of ownerReferences (`members` sorted, each once).
#[inline(always)]
fn report_cycle(raw: &[RawWorkload], members: &[usize], diags: &mut Vec<Diagnostic>) {
    let names: Vec<String> = members
        .iter()
        .filter_map(|&m| {
            let e = &raw.get(m)?.endpoint;
            Some(format!("`{} {}/{}`", e.kind.as_str(), e.namespace, e.name))
        })
        .collect();
    let location = members
        .first()
        .and_then(|&m| raw.get(m)?.endpoint.location.clone());
    let message = if members.len() == 1 {
        format!(
            "{} names itself in `ownerReferences`; it is kept as it is",
            names.join("")
        )
    } else {
        format!(
            "the `ownerReferences` of {} form a cycle; each is kept as its own endpoint",
            names.join(", ")
        )
    };
    diags.push(
        Diagnostic::new(
            Severity::Warning,
            "owner-cycle",
            message,
            location.unwrap_or_default(),
        )
        .with_path("metadata.ownerReferences"),
    );
}

/// Which objects another stands for (hidden), and per owner the pods that stand for it.
#[inline(always)]
fn represented(raw: &[RawWorkload], top_owner: &[Option<usize>]) -> (Vec<bool>, Vec<Vec<usize>>) {
    let mut hidden = vec![false; raw.len()];
    // Per owner, its pods (indexed by owner).
    let mut pods_of: Vec<Vec<usize>> = vec![Vec::new(); raw.len()];
    for (i, (owner, w)) in top_owner.iter().zip(raw).enumerate() {
        if let Some(o) = *owner {
            let represented = if w.endpoint.kind == EndpointKind::Pod {
                // The owner is represented by this pod.
                if let Some(pods) = pods_of.get_mut(o) {
                    pods.push(i);
                }
                o
            } else {
                // An intermediate controller (ReplicaSet, Job) is represented by its owner.
                i
            };
            if let Some(h) = hidden.get_mut(represented) {
                *h = true;
            }
        }
    }
    (hidden, pods_of)
}

/// Names shared within a namespace by several of the named things (endpoints and the
/// workloads their pods stand for) are qualified by kind: per object, is its name shared?
#[inline(always)]
fn shared_names(raw: &[RawWorkload], hidden: &[bool], pods_of: &[Vec<usize>]) -> Vec<bool> {
    // Their (namespace, name)s, sorted: a name is shared when it is there twice.
    let mut named: Vec<(&str, &str)> = Vec::new();
    for ((w, &hide), pods) in raw.iter().zip(hidden).zip(pods_of) {
        if !hide || !pods.is_empty() {
            named.push((w.endpoint.namespace.as_str(), w.endpoint.name.as_str()));
        }
    }
    crate::sort::ord(&mut named);
    let shared: Vec<bool> = raw
        .iter()
        .map(|w| {
            let k = (w.endpoint.namespace.as_str(), w.endpoint.name.as_str());
            let from = named.partition_point(|&n| n < k);
            named
                .get(from..)
                .unwrap_or_default()
                .iter()
                .take(2)
                .filter(|&&n| n == k)
                .count()
                > 1
        })
        .collect();
    shared
}
