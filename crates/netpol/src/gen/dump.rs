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

/// The pod template's spec, shared by a Deployment, its ReplicaSet and its pods.
fn pod_spec(
    r: &mut Rng,
    name: &str,
    ports: &[(&str, u16, &str)],
    sidecar: bool,
    init: bool,
    d: usize,
) -> Value {
    let port_list: Vec<Value> = ports
        .iter()
        .map(|(n, p, proto)| json!({"containerPort": p, "name": n, "protocol": proto}))
        .collect();
    let first = ports.first().map_or(8080, |p| p.1);
    let mut env: Vec<Value> = vec![
        json!({"name": "PORT", "value": first.to_string()}),
        json!({"name": "LOG_LEVEL", "value": "info"}),
        json!({"name": "POD_NAME", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.name"}}}),
        json!({"name": "POD_NAMESPACE", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"}}}),
    ];
    for k in 0..r.below(6) {
        let (key, value) = match k {
            0 => (
                "DATABASE_URL",
                format!("postgres://db-{d}.svc.cluster.local:5432/app"),
            ),
            1 => ("CACHE_ADDR", format!("cache-{d}:6379")),
            2 => (
                "FEATURE_FLAGS",
                "checkout-v2,new-search,dark-mode".to_string(),
            ),
            3 => ("JAVA_OPTS", "-Xms256m -Xmx512m -XX:+UseG1GC".to_string()),
            _ => (
                "OTEL_EXPORTER_OTLP_ENDPOINT",
                "http://otel-collector.observability:4317".to_string(),
            ),
        };
        env.push(json!({"name": key, "value": value}));
    }
    let mut main = json!({
        "env": env,
        "image": format!("registry.example.com/shop/{name}:v1.{}.{}", d % 7, d % 13),
        "imagePullPolicy": "IfNotPresent",
        "livenessProbe": {
            "failureThreshold": 3,
            "httpGet": {"path": "/healthz", "port": first, "scheme": "HTTP"},
            "initialDelaySeconds": 10, "periodSeconds": 10, "successThreshold": 1, "timeoutSeconds": 1
        },
        "name": "server",
        "readinessProbe": {
            "failureThreshold": 3,
            "httpGet": {"path": "/ready", "port": first, "scheme": "HTTP"},
            "periodSeconds": 5, "successThreshold": 1, "timeoutSeconds": 1
        },
        "resources": {
            "limits": {"cpu": "500m", "memory": "512Mi"},
            "requests": {"cpu": "100m", "memory": "128Mi"}
        },
        "securityContext": {
            "allowPrivilegeEscalation": false,
            "capabilities": {"drop": ["ALL"]},
            "readOnlyRootFilesystem": true,
            "runAsNonRoot": true,
            "runAsUser": 1000
        },
        "terminationMessagePath": "/dev/termination-log",
        "terminationMessagePolicy": "File",
        "volumeMounts": [
            {"mountPath": "/etc/config", "name": "config", "readOnly": true},
            {"mountPath": "/var/run/secrets/kubernetes.io/serviceaccount", "name": "kube-api-access", "readOnly": true}
        ]
    });
    if !port_list.is_empty() {
        main["ports"] = Value::Array(port_list);
    }
    let mut containers = vec![main];
    if sidecar {
        containers.push(json!({
            "args": ["proxy", "sidecar", "--domain", "$(POD_NAMESPACE).svc.cluster.local", "--proxyLogLevel=warning"],
            "env": [
                {"name": "POD_NAMESPACE", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"}}},
                {"name": "INSTANCE_IP", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "status.podIP"}}}
            ],
            "image": "docker.io/istio/proxyv2:1.22.1",
            "imagePullPolicy": "IfNotPresent",
            "name": "istio-proxy",
            "ports": [{"containerPort": 15090, "name": "http-envoy-prom", "protocol": "TCP"}],
            "readinessProbe": {
                "failureThreshold": 30,
                "httpGet": {"path": "/healthz/ready", "port": 15021, "scheme": "HTTP"},
                "initialDelaySeconds": 1, "periodSeconds": 2, "successThreshold": 1, "timeoutSeconds": 3
            },
            "resources": {"limits": {"cpu": "2", "memory": "1Gi"}, "requests": {"cpu": "10m", "memory": "40Mi"}},
            "terminationMessagePath": "/dev/termination-log",
            "terminationMessagePolicy": "File",
            "volumeMounts": [{"mountPath": "/var/run/secrets/kubernetes.io/serviceaccount", "name": "kube-api-access", "readOnly": true}]
        }));
    }
    let mut spec = json!({
        "containers": containers,
        "dnsPolicy": "ClusterFirst",
        "enableServiceLinks": true,
        "preemptionPolicy": "PreemptLowerPriority",
        "priority": 0,
        "restartPolicy": "Always",
        "schedulerName": "default-scheduler",
        "securityContext": {"fsGroup": 1000},
        "serviceAccount": "default",
        "serviceAccountName": "default",
        "terminationGracePeriodSeconds": 30,
        "tolerations": [
            {"effect": "NoExecute", "key": "node.kubernetes.io/not-ready", "operator": "Exists", "tolerationSeconds": 300},
            {"effect": "NoExecute", "key": "node.kubernetes.io/unreachable", "operator": "Exists", "tolerationSeconds": 300}
        ],
        "volumes": [
            {"configMap": {"defaultMode": 420, "name": format!("{name}-config")}, "name": "config"},
            {"name": "kube-api-access", "projected": {"defaultMode": 420, "sources": [
                {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
                {"configMap": {"items": [{"key": "ca.crt", "path": "ca.crt"}], "name": "kube-root-ca.crt"}},
                {"downwardAPI": {"items": [{"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"}, "path": "namespace"}]}}
            ]}}
        ]
    });
    if init {
        spec["initContainers"] = json!([{
            "command": ["/bin/sh", "-c", "until nc -z db 5432; do\n  echo waiting for db\n  sleep 2\ndone\n"],
            "image": "busybox:1.36",
            "imagePullPolicy": "IfNotPresent",
            "name": "wait-for-db",
            "resources": {},
            "terminationMessagePath": "/dev/termination-log",
            "terminationMessagePolicy": "File"
        }]);
    }
    spec
}

fn workload(
    kind: &str,
    meta: Value,
    selector: &Map<String, Value>,
    labels: &Map<String, Value>,
    template: &Value,
    replicas: usize,
    strategy: Option<Value>,
) -> Value {
    let mut spec = json!({
        "replicas": replicas,
        "selector": {"matchLabels": selector},
        "template": {
            "metadata": {"creationTimestamp": null, "labels": labels},
            "spec": template,
        },
    });
    if let Some(s) = strategy {
        spec["progressDeadlineSeconds"] = 600.into();
        spec["revisionHistoryLimit"] = 10.into();
        spec["strategy"] = s;
    }
    let status = if kind == "Deployment" {
        json!({
            "availableReplicas": replicas,
            "conditions": [
                {"lastTransitionTime": CREATED, "lastUpdateTime": CREATED, "message": "Deployment has minimum availability.", "reason": "MinimumReplicasAvailable", "status": "True", "type": "Available"},
                {"lastTransitionTime": CREATED, "lastUpdateTime": CREATED, "message": "ReplicaSet has successfully progressed.", "reason": "NewReplicaSetAvailable", "status": "True", "type": "Progressing"}
            ],
            "observedGeneration": 1, "readyReplicas": replicas, "replicas": replicas, "updatedReplicas": replicas
        })
    } else {
        json!({"availableReplicas": replicas, "fullyLabeledReplicas": replicas, "observedGeneration": 1, "readyReplicas": replicas, "replicas": replicas})
    };
    json!({"apiVersion": "apps/v1", "kind": kind, "metadata": meta, "spec": spec, "status": status})
}

#[allow(clippy::too_many_arguments)]
fn pod(
    r: &mut Rng,
    meta: &mut Meta,
    ns: &str,
    name: &str,
    labels: &Map<String, Value>,
    template: &Value,
    owner: Option<Value>,
    i: usize,
    sidecar: bool,
    init: bool,
) -> Value {
    let ip = format!("10.{}.{}.{}", 1 + i / 65536, (i / 256) % 256, i % 256);
    let node = format!("node-{}.cluster.example.com", r.below(50));
    let m = meta.object(
        name,
        Some(ns),
        Value::Object(labels.clone()),
        "v1",
        "Pod",
        owner,
    );
    let mut spec = template.clone();
    spec["nodeName"] = node.into();
    let started = "2026-06-20T20:13:11Z";
    let status_of = |c: &str, image: &str| {
        json!({
            "containerID": format!("containerd://{:016x}{:016x}{:016x}{:016x}", i, i * 7 + 1, i * 13 + 2, i * 31 + 3),
            "image": image,
            "imageID": format!("{}@sha256:{:016x}{:016x}{:016x}{:016x}", image.split(':').next().unwrap_or(image), i % 97, i % 89, i % 83, i % 79),
            "lastState": {},
            "name": c,
            "ready": true,
            "restartCount": 0,
            "started": true,
            "state": {"running": {"startedAt": started}}
        })
    };
    let main_image = spec["containers"][0]["image"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let mut statuses = vec![status_of("server", &main_image)];
    if sidecar {
        statuses.insert(
            0,
            status_of("istio-proxy", "docker.io/istio/proxyv2:1.22.1"),
        );
    }
    let cond = |t: &str, at: &str| json!({"lastProbeTime": null, "lastTransitionTime": at, "status": "True", "type": t});
    let mut status = json!({
        "conditions": [
            cond("PodReadyToStartContainers", "2026-06-20T20:13:10Z"),
            cond("Initialized", CREATED),
            cond("Ready", "2026-06-20T20:13:12Z"),
            cond("ContainersReady", "2026-06-20T20:13:12Z"),
            cond("PodScheduled", CREATED),
        ],
        "containerStatuses": statuses,
        "hostIP": format!("192.168.1.{}", 10 + i % 50),
        "hostIPs": [{"ip": format!("192.168.1.{}", 10 + i % 50)}],
        "phase": "Running",
        "podIP": ip,
        "podIPs": [{"ip": ip}],
        "qosClass": "Burstable",
        "startTime": CREATED,
    });
    if init {
        status["initContainerStatuses"] = json!([{
            "containerID": format!("containerd://{:064x}", i),
            "image": "docker.io/library/busybox:1.36",
            "imageID": "docker.io/library/busybox@sha256:9ae97d36d26566ff84e8893c64a6dc4fe8ca6d1144bf5b87b2b85a32def253c7",
            "lastState": {},
            "name": "wait-for-db",
            "ready": true,
            "restartCount": 0,
            "started": false,
            "state": {"terminated": {"containerID": format!("containerd://{:064x}", i), "exitCode": 0, "finishedAt": "2026-06-20T20:13:10Z", "reason": "Completed", "startedAt": CREATED}}
        }]);
    }
    json!({"apiVersion": "v1", "kind": "Pod", "metadata": m, "spec": spec, "status": status})
}

fn service(
    meta: &mut Meta,
    ns: &str,
    name: &str,
    app: &str,
    ports: &[(&str, u16, &str)],
    d: usize,
) -> Value {
    let mut list: Vec<Value> = ports
        .iter()
        .map(|(n, p, proto)| json!({"name": n, "port": p, "protocol": proto, "targetPort": n}))
        .collect();
    if list.is_empty() {
        list.push(json!({"name": "http", "port": 80, "protocol": "TCP", "targetPort": 8080}));
    }
    let ip = format!("10.96.{}.{}", (d / 250) % 250, 1 + d % 250);
    let m = meta.object(
        name,
        Some(ns),
        json!({"app": app, "app.kubernetes.io/name": name}),
        "v1",
        "Service",
        None,
    );
    json!({
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": m,
        "spec": {
            "clusterIP": ip,
            "clusterIPs": [ip],
            "internalTrafficPolicy": "Cluster",
            "ipFamilies": ["IPv4"],
            "ipFamilyPolicy": "SingleStack",
            "ports": list,
            "selector": {"app": app, "app.kubernetes.io/name": name},
            "sessionAffinity": "None",
            "type": "ClusterIP"
        },
        "status": {"loadBalancer": {}}
    })
}

// ---------------------------------------------------------------------------------------
// Printing.

/// JSON as kubectl prints it: four spaces per level, `"key": value`.
fn json_value(out: &mut String, v: &Value, level: usize) {
    let pad = |out: &mut String, level: usize| {
        for _ in 0..level {
            out.push_str("    ");
        }
    };
    pad(out, level);
    json_inline(out, v, level);
}

fn json_inline(out: &mut String, v: &Value, level: usize) {
    let pad = |out: &mut String, level: usize| {
        for _ in 0..level {
            out.push_str("    ");
        }
    };
    match v {
        Value::Object(m) if !m.is_empty() => {
            out.push_str("{\n");
            for (i, (k, v)) in m.iter().enumerate() {
                if i > 0 {
                    out.push_str(",\n");
                }
                pad(out, level + 1);
                out.push_str(&Value::String(k.clone()).to_string());
                out.push_str(": ");
                json_inline(out, v, level + 1);
            }
            out.push('\n');
            pad(out, level);
            out.push('}');
        }
        Value::Array(a) if !a.is_empty() => {
            out.push_str("[\n");
            for (i, v) in a.iter().enumerate() {
                if i > 0 {
                    out.push_str(",\n");
                }
                json_value(out, v, level + 1);
            }
            out.push('\n');
            pad(out, level);
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

/// The entries of a mapping in block style at `indent`; `first` when the first key goes
/// on the current line (after `- `).
fn yaml_map_body(out: &mut String, v: &Value, indent: usize, first: bool) {
    let Value::Object(m) = v else {
        yaml_scalar(out, v, indent);
        out.push('\n');
        return;
    };
    for (i, (k, v)) in m.iter().enumerate() {
        if i > 0 || !first {
            push_indent(out, indent);
        }
        yaml_string(out, k, indent);
        out.push(':');
        yaml_value_after_key(out, v, indent);
    }
}

fn push_indent(out: &mut String, n: usize) {
    for _ in 0..n {
        out.push(' ');
    }
}

/// A value after `key:` at `indent`.
fn yaml_value_after_key(out: &mut String, v: &Value, indent: usize) {
    match v {
        Value::Object(m) if !m.is_empty() => {
            out.push('\n');
            yaml_map_body(out, v, indent + 2, false);
        }
        // go-yaml v2 does not indent a sequence under its key.
        Value::Array(a) if !a.is_empty() => {
            out.push('\n');
            yaml_seq(out, a, indent);
        }
        _ => {
            out.push(' ');
            yaml_scalar(out, v, indent);
            out.push('\n');
        }
    }
}

fn yaml_seq(out: &mut String, items: &[Value], indent: usize) {
    for item in items {
        push_indent(out, indent);
        out.push_str("- ");
        match item {
            Value::Object(m) if !m.is_empty() => yaml_map_body(out, item, indent + 2, true),
            Value::Array(a) if !a.is_empty() => {
                out.push('\n');
                yaml_seq(out, a, indent + 2);
            }
            _ => {
                yaml_scalar(out, item, indent);
                out.push('\n');
            }
        }
    }
}

fn yaml_scalar(out: &mut String, v: &Value, indent: usize) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&n.to_string()),
        Value::String(s) => yaml_string(out, s, indent),
        Value::Object(_) => out.push_str("{}"),
        Value::Array(_) => out.push_str("[]"),
    }
}

/// A string as go-yaml v2 writes it: plain when that reads back as the same string,
/// double-quoted when plain would read as another type, single-quoted when it holds
/// indicators, a literal block when it holds line breaks.
fn yaml_string(out: &mut String, s: &str, indent: usize) {
    if s.contains('\n') {
        out.push_str(if s.ends_with('\n') { "|" } else { "|-" });
        for line in s.trim_end_matches('\n').split('\n') {
            out.push('\n');
            if !line.is_empty() {
                push_indent(out, indent + 2);
                out.push_str(line);
            }
        }
        return;
    }
    // go-yaml v2 also quotes what reads as a timestamp (`2026-06-20T20:13:09Z`).
    let b = s.as_bytes();
    let timestamp = b.len() >= 8 && b[..4].iter().all(u8::is_ascii_digit) && b[4] == b'-';
    let other_type = !crate::yaml::plain_is_string(s) || timestamp;
    let indicator = s.starts_with([
        '-', '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '\'', '"', '%', '@',
        '`', ' ',
    ]) || s.ends_with(' ')
        || s.contains(": ")
        || s.contains(" #")
        || s.ends_with(':');
    if other_type {
        out.push_str(&Value::String(s.to_string()).to_string());
    } else if indicator {
        out.push('\'');
        out.push_str(&s.replace('\'', "''"));
        out.push('\'');
    } else {
        out.push_str(s);
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
