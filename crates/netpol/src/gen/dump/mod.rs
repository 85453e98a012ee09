//! Realistic cluster dumps: what `kubectl get namespaces,deployments,replicasets,pods,
//! services,networkpolicies -A -o yaml` (or `-o json`) prints for a cluster of a given
//! size, for the loading benchmarks.
//!
//! Pods come from Deployments through ReplicaSets (ownerReferences on both, the
//! `pod-template-hash` label), with what a running pod carries: two or three containers
//! (an application container, often a sidecar, sometimes an init container) with image,
//! command, env, resources, probes, security context and volume mounts; the service
//! account token volume and a ConfigMap volume; tolerations; managedFields of three
//! managers; status with conditions and container statuses. Keys are sorted and YAML is
//! written the way go-yaml v2 (kubectl's printer) writes it: block style, sequences not
//! indented under their key, strings that would read as something else double-quoted,
//! strings with indicators single-quoted, multi-line strings as literal blocks. JSON is
//! indented by four spaces, as kubectl prints it.
//!
//! A `kubectl get -o yaml` pod of this kind prints as 6-9 KB with managedFields (see
//! BENCHMARKS.md for the comparison with public manifests); the selectors, peers and ports
//! of the policies are those of [`super::cluster`].

use serde_json::{json, Map, Value};

use super::{policy, Rng, APPS, ENVS, PORT_NAMES, TEAMS, TIERS};

mod emit;
mod objects;

use emit::*;
use objects::*;

/// How a dump is printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// `kubectl get -o yaml`.
    Yaml,
    /// `kubectl get -o json`.
    Json,
}

impl Format {
    pub fn parse(s: &str) -> Option<Format> {
        match s {
            "yaml" | "yml" => Some(Format::Yaml),
            "json" => Some(Format::Json),
            _ => None,
        }
    }
}

/// What to generate: `pods` pods (in Deployments of 1 to 5 replicas, a few standalone),
/// `policies` NetworkPolicies, over `namespaces` namespaces.
#[derive(Clone, Debug)]
pub struct DumpOptions {
    pub pods: usize,
    pub policies: usize,
    pub namespaces: usize,
    pub seed: u64,
    /// Print `metadata.managedFields` (kubectl hides them since 1.21 unless
    /// `--show-managed-fields`; dumps made by tools and older kubectl have them).
    pub managed_fields: bool,
    /// Print the Deployments, ReplicaSets and Services too (`kubectl get
    /// deployments,replicasets,pods,services,...`); without them the dump is what
    /// `kubectl get namespaces,pods,networkpolicies -A -o yaml` prints.
    pub workloads: bool,
}

impl DumpOptions {
    /// The benchmark's shape: 10% as many policies as pods, 100 pods per namespace.
    pub fn sized(pods: usize) -> DumpOptions {
        DumpOptions {
            pods,
            policies: pods / 10,
            namespaces: (pods / 100).max(1),
            seed: 1,
            managed_fields: true,
            workloads: true,
        }
    }
}

/// The whole dump as one `List`, printed in `format`.
pub fn dump(opts: &DumpOptions, format: Format) -> String {
    let mut out = Vec::new();
    let _ = dump_to(opts, format, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// [`dump`], written to `out` (each kind's objects are kept until they are written:
/// about the dump's size in memory).
pub fn dump_to(
    opts: &DumpOptions,
    format: Format,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    // One text per kind, in kubectl's order for the kinds asked: namespaces, deployments,
    // replicasets, pods, services, networkpolicies; each object printed as it is made.
    let mut parts: [String; 6] = Default::default();
    let mut first = true;
    objects(opts, |kind, item| {
        if !opts.workloads && matches!(kind, Kind::Deployment | Kind::ReplicaSet | Kind::Service) {
            return;
        }
        let part = &mut parts[kind as usize];
        match format {
            Format::Json => {
                // Every object but the very first starts with the comma before it.
                if !first {
                    part.push_str(",\n");
                }
                json_value(part, &item, 2);
            }
            Format::Yaml => {
                part.push_str("- ");
                yaml_map_body(part, &item, 2, true);
            }
        }
        first = false;
    });
    match format {
        Format::Json => {
            out.write_all(b"{\n    \"apiVersion\": \"v1\",\n    \"items\": [\n")?;
            for p in &parts {
                out.write_all(p.as_bytes())?;
            }
            out.write_all(
                b"\n    ],\n    \"kind\": \"List\",\n    \"metadata\": {\n        \"resourceVersion\": \"\"\n    }\n}\n",
            )?;
        }
        Format::Yaml => {
            out.write_all(b"apiVersion: v1\nitems:\n")?;
            for p in &parts {
                out.write_all(p.as_bytes())?;
            }
            out.write_all(b"kind: List\nmetadata:\n  resourceVersion: \"\"\n")?;
        }
    }
    Ok(())
}

/// The kinds of a dump, in kubectl's order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Namespace,
    Deployment,
    ReplicaSet,
    Pod,
    Service,
    NetworkPolicy,
}

/// Makes the objects of the dump, handing each to `emit` with its kind.
pub fn objects(opts: &DumpOptions, mut emit: impl FnMut(Kind, Value)) {
    let mut r = Rng::new(opts.seed);
    let ns_names: Vec<String> = (0..opts.namespaces.max(1))
        .map(|i| format!("ns{i}"))
        .collect();
    let mut meta = Meta::new(opts.managed_fields);
    for ns in &ns_names {
        let mut labels = Map::new();
        labels.insert("kubernetes.io/metadata.name".into(), ns.as_str().into());
        labels.insert("team".into(), (*r.pick(TEAMS)).into());
        if r.chance(60) {
            labels.insert("env".into(), (*r.pick(ENVS)).into());
        }
        let m = meta.object(ns, None, Value::Object(labels), "v1", "Namespace", None);
        emit(
            Kind::Namespace,
            json!({
                "apiVersion": "v1",
                "kind": "Namespace",
                "metadata": m,
                "spec": {"finalizers": ["kubernetes"]},
                "status": {"phase": "Active"},
            }),
        );
    }
    let mut made = 0;
    let mut d = 0;
    while made < opts.pods {
        let app = *r.pick(APPS);
        let ns = r.pick(&ns_names).clone();
        let name = format!("{app}-{d}");
        let standalone = r.chance(4);
        let replicas = if standalone {
            1
        } else {
            (1 + r.below(5)).min(opts.pods - made)
        };
        let mut labels = Map::new();
        labels.insert("app".into(), app.into());
        labels.insert("app.kubernetes.io/name".into(), name.as_str().into());
        labels.insert("tier".into(), (*r.pick(TIERS)).into());
        if r.chance(30) {
            labels.insert("canary".into(), "true".into());
        }
        let ports: Vec<(&str, u16, &str)> = PORT_NAMES
            .iter()
            .copied()
            .filter(|_| r.chance(35))
            .collect();
        let sidecar = r.chance(50);
        let init = r.chance(25);
        let template = pod_spec(&mut r, &name, &ports, sidecar, init, d);
        let hash = format!("{:x}", r.next_u64() % 0xff_ffff_ffff);
        if standalone {
            let pod = pod(
                &mut r, &mut meta, &ns, &name, &labels, &template, None, made, sidecar, init,
            );
            emit(Kind::Pod, pod);
            made += 1;
        } else {
            let rs_name = format!("{name}-{hash}");
            let mut pod_labels = labels.clone();
            pod_labels.insert("pod-template-hash".into(), hash.as_str().into());
            let dep_meta = meta.object(
                &name,
                Some(&ns),
                Value::Object(labels.clone()),
                "apps/v1",
                "Deployment",
                None,
            );
            let dep_uid = dep_meta["uid"].clone();
            emit(
                Kind::Deployment,
                workload(
                    "Deployment",
                    dep_meta,
                    &labels,
                    &labels,
                    &template,
                    replicas,
                    Some(json!({
                        "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"},
                        "type": "RollingUpdate"
                    })),
                ),
            );
            let owner = json!([{
                "apiVersion": "apps/v1", "blockOwnerDeletion": true, "controller": true,
                "kind": "Deployment", "name": name, "uid": dep_uid,
            }]);
            let rs_meta = meta.object(
                &rs_name,
                Some(&ns),
                Value::Object(pod_labels.clone()),
                "apps/v1",
                "ReplicaSet",
                Some(owner),
            );
            let rs_uid = rs_meta["uid"].clone();
            emit(
                Kind::ReplicaSet,
                workload(
                    "ReplicaSet",
                    rs_meta,
                    &pod_labels,
                    &pod_labels,
                    &template,
                    replicas,
                    None,
                ),
            );
            for _ in 0..replicas {
                let suffix: String = (0..5)
                    .map(|_| char::from(*r.pick(b"bcdfghjklmnpqrstvwxz2456789")))
                    .collect();
                let owner = json!([{
                    "apiVersion": "apps/v1", "blockOwnerDeletion": true, "controller": true,
                    "kind": "ReplicaSet", "name": rs_name, "uid": rs_uid,
                }]);
                let pod = pod(
                    &mut r,
                    &mut meta,
                    &ns,
                    &format!("{rs_name}-{suffix}"),
                    &pod_labels,
                    &template,
                    Some(owner),
                    made,
                    sidecar,
                    init,
                );
                emit(Kind::Pod, pod);
                made += 1;
            }
        }
        if r.chance(70) {
            emit(
                Kind::Service,
                service(&mut meta, &ns, &name, app, &ports, d),
            );
        }
        d += 1;
    }
    for i in 0..opts.policies {
        let text = policy(&mut r, &ns_names, i);
        let Ok(v) = serde_yaml::from_str::<Value>(&text) else {
            continue;
        };
        let name = v["metadata"]["name"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let ns = v["metadata"]["namespace"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let mut m = meta.object(
            &name,
            Some(&ns),
            Value::Null,
            "networking.k8s.io/v1",
            "NetworkPolicy",
            None,
        );
        let applied = serde_json::to_string(&v).unwrap_or_default();
        m["annotations"] = json!({
            "kubectl.kubernetes.io/last-applied-configuration": format!("{applied}\n")
        });
        let mut spec = v["spec"].clone();
        if spec.get("policyTypes").is_none() {
            // The API server defaults policyTypes, and kubectl prints them.
            let mut types = vec![Value::from("Ingress")];
            if spec.get("egress").is_some() {
                types.push("Egress".into());
            }
            spec["policyTypes"] = Value::Array(types);
        }
        emit(
            Kind::NetworkPolicy,
            json!({
                "apiVersion": "networking.k8s.io/v1",
                "kind": "NetworkPolicy",
                "metadata": m,
                "spec": spec,
            }),
        );
    }
}

/// Metadata as the API server fills it in: uid, resourceVersion, timestamps, managedFields.
struct Meta {
    next: u64,
    managed_fields: bool,
}

const CREATED: &str = "2026-06-20T20:13:09Z";

impl Meta {
    fn new(managed_fields: bool) -> Meta {
        Meta {
            next: 0,
            managed_fields,
        }
    }

    fn uid(&mut self) -> String {
        self.next += 1;
        let x = self.next.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        format!(
            "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
            x >> 32,
            (x >> 16) & 0xffff,
            x & 0xfff,
            0x8000 | ((x >> 8) & 0x3fff),
            self.next.wrapping_mul(0x2545_F491_4F6C_DD1D) & 0xffff_ffff_ffff
        )
    }

    fn object(
        &mut self,
        name: &str,
        namespace: Option<&str>,
        labels: Value,
        api_version: &str,
        kind: &str,
        owner: Option<Value>,
    ) -> Value {
        let mut m = Map::new();
        m.insert("creationTimestamp".into(), CREATED.into());
        if !labels.is_null() {
            m.insert("labels".into(), labels);
        }
        if kind == "Deployment" {
            m.insert(
                "annotations".into(),
                json!({"deployment.kubernetes.io/revision": "1"}),
            );
        }
        if kind == "ReplicaSet" {
            m.insert(
                "annotations".into(),
                json!({
                    "deployment.kubernetes.io/desired-replicas": "3",
                    "deployment.kubernetes.io/max-replicas": "4",
                    "deployment.kubernetes.io/revision": "1",
                }),
            );
        }
        if kind != "Namespace" && kind != "Deployment" {
            m.insert("generation".into(), 1.into());
        }
        m.insert("name".into(), name.into());
        if let Some(ns) = namespace {
            m.insert("namespace".into(), ns.into());
        }
        if let Some(o) = owner {
            m.insert("ownerReferences".into(), o);
        }
        m.insert(
            "resourceVersion".into(),
            (96_244 + self.next).to_string().into(),
        );
        m.insert("uid".into(), self.uid().into());
        if kind == "Pod" {
            m.remove("generation");
            m.insert(
                "generateName".into(),
                format!("{}-", name.rsplit_once('-').map_or(name, |(a, _)| a)).into(),
            );
        }
        if self.managed_fields {
            m.insert("managedFields".into(), managed_fields(api_version, kind));
        }
        Value::Object(m)
    }
}

fn managed_fields(api_version: &str, kind: &str) -> Value {
    let entry = |manager: &str, time: &str, fields: Value, sub: Option<&str>| {
        let mut e = json!({
            "apiVersion": api_version,
            "fieldsType": "FieldsV1",
            "fieldsV1": fields,
            "manager": manager,
            "operation": "Update",
            "time": time,
        });
        if let Some(s) = sub {
            e["subresource"] = s.into();
        }
        e
    };
    match kind {
        "Pod" => json!([
            entry(
                "kube-controller-manager",
                CREATED,
                json!({
                    "f:metadata": {
                        "f:generateName": {},
                        "f:labels": {".": {}, "f:app": {}, "f:app.kubernetes.io/name": {}, "f:pod-template-hash": {}, "f:tier": {}},
                        "f:ownerReferences": {".": {}, "k:{\"uid\":\"4f0b8c4e-2b1e-4a8e-9d0c-9a3f7e4b6c21\"}": {}}
                    },
                    "f:spec": {
                        "f:containers": {"k:{\"name\":\"server\"}": {
                            ".": {}, "f:env": {".": {}, "k:{\"name\":\"PORT\"}": {".": {}, "f:name": {}, "f:value": {}}},
                            "f:image": {}, "f:imagePullPolicy": {}, "f:livenessProbe": {".": {}, "f:httpGet": {".": {}, "f:path": {}, "f:port": {}, "f:scheme": {}}},
                            "f:name": {}, "f:ports": {".": {}, "k:{\"containerPort\":8080,\"protocol\":\"TCP\"}": {".": {}, "f:containerPort": {}, "f:name": {}, "f:protocol": {}}},
                            "f:resources": {".": {}, "f:limits": {".": {}, "f:cpu": {}, "f:memory": {}}, "f:requests": {".": {}, "f:cpu": {}, "f:memory": {}}},
                            "f:terminationMessagePath": {}, "f:terminationMessagePolicy": {}, "f:volumeMounts": {".": {}, "k:{\"mountPath\":\"/etc/config\"}": {".": {}, "f:mountPath": {}, "f:name": {}}}
                        }},
                        "f:dnsPolicy": {}, "f:enableServiceLinks": {}, "f:restartPolicy": {}, "f:schedulerName": {},
                        "f:securityContext": {}, "f:terminationGracePeriodSeconds": {},
                        "f:volumes": {".": {}, "k:{\"name\":\"config\"}": {".": {}, "f:configMap": {".": {}, "f:defaultMode": {}, "f:name": {}}, "f:name": {}}}
                    }
                }),
                None
            ),
            entry(
                "kubelet",
                "2026-06-20T20:13:12Z",
                json!({
                    "f:status": {
                        "f:conditions": {
                            "k:{\"type\":\"ContainersReady\"}": {".": {}, "f:lastProbeTime": {}, "f:lastTransitionTime": {}, "f:status": {}, "f:type": {}},
                            "k:{\"type\":\"Initialized\"}": {".": {}, "f:lastProbeTime": {}, "f:lastTransitionTime": {}, "f:status": {}, "f:type": {}},
                            "k:{\"type\":\"Ready\"}": {".": {}, "f:lastProbeTime": {}, "f:lastTransitionTime": {}, "f:status": {}, "f:type": {}}
                        },
                        "f:containerStatuses": {}, "f:hostIP": {}, "f:phase": {}, "f:podIP": {},
                        "f:podIPs": {".": {}, "k:{\"ip\":\"10.1.0.1\"}": {".": {}, "f:ip": {}}},
                        "f:startTime": {}
                    }
                }),
                Some("status")
            ),
        ]),
        "NetworkPolicy" => json!([entry(
            "kubectl-client-side-apply",
            CREATED,
            json!({
                "f:metadata": {"f:annotations": {".": {}, "f:kubectl.kubernetes.io/last-applied-configuration": {}}},
                "f:spec": {"f:ingress": {}, "f:podSelector": {}, "f:policyTypes": {}}
            }),
            None
        )]),
        _ => json!([entry(
            "kube-controller-manager",
            CREATED,
            json!({
                "f:metadata": {"f:labels": {".": {}, "f:app": {}}},
                "f:spec": {"f:replicas": {}, "f:selector": {}, "f:template": {"f:metadata": {"f:labels": {}}, "f:spec": {"f:containers": {}}}},
                "f:status": {"f:observedGeneration": {}, "f:replicas": {}}
            }),
            None
        )]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_formats_load_the_same_cluster() {
        let opts = DumpOptions::sized(120);
        let yaml = dump(&opts, Format::Yaml);
        let json = dump(&opts, Format::Json);
        let (a, b) = (crate::load(&yaml), crate::load(&json));
        let errors = |l: &crate::Loaded| {
            l.diagnostics
                .iter()
                .filter(|d| d.severity == crate::Severity::Error)
                .map(|d| d.message.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(errors(&a), Vec::<String>::new());
        assert_eq!(errors(&b), Vec::<String>::new());
        // Pods stand for their Deployments: one endpoint per pod.
        assert_eq!(a.cluster.endpoints.len(), 120);
        assert_eq!(a.cluster.policies.len(), 12);
        let names = |l: &crate::Loaded| {
            l.cluster
                .endpoints
                .iter()
                .map(|e| (e.full_name(), e.ports.clone(), e.ips.clone()))
                .collect::<Vec<_>>()
        };
        assert_eq!(names(&a), names(&b));
        assert_eq!(
            serde_json::from_str::<Value>(&json).ok(),
            serde_yaml::from_str::<Value>(&yaml).ok()
        );
    }
}
