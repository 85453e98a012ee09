//! The objects of a dump as kubectl prints them: pod specs with containers, env, volumes and probes, their workloads, pods with status, Services.

use super::*;

/// The pod template's spec, shared by a Deployment, its ReplicaSet and its pods.
pub(super) fn pod_spec(
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

pub(super) fn workload(
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
pub(super) fn pod(
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

pub(super) fn service(
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
