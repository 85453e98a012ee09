//! Test data for the workload view (feature `gen`): the generator's cluster
//! ([`crate::gen::cluster`]) with its pods owned by workloads, the way a cluster dump
//! shows them.
//!
//! In each namespace, the generator's pods are taken `replicas` at a time: each batch
//! becomes a Deployment (its template: the first pod's labels and ports) and its pods,
//! owned by the ReplicaSet `NAME-HASH` through `ownerReferences` and labelled
//! `pod-template-hash` (the loader ties them to the Deployment by that name), each
//! keeping its own address. In `rolling` percent of the workloads the last pod is of
//! another revision: its `canary` label flipped and another hash (a rolling update
//! the policies may or may not tell apart). One workload in six is a StatefulSet and one a
//! ReplicaSet without a Deployment. The generator's Deployments without pods stay as they are.

use serde_yaml::{Mapping, Value};

use crate::gen::{cluster, GenOptions, Rng};

fn s(t: &str) -> Value {
    Value::String(t.to_string())
}

/// The cluster as multi-document YAML.
pub fn with_workloads(opts: &GenOptions, replicas: usize, rolling: usize) -> String {
    let mut r = Rng::new(opts.seed ^ 0x5EED_0F0B);
    let mut others: Vec<Value> = Vec::new();
    // namespace -> its pods, in order.
    let mut pods: std::collections::BTreeMap<String, Vec<Value>> = Default::default();
    for doc in cluster(opts) {
        let Ok(v) = serde_yaml::from_str::<Value>(&doc) else {
            continue;
        };
        if v.get("kind").and_then(Value::as_str) == Some("Pod") {
            let ns = v
                .get("metadata")
                .and_then(|m| m.get("namespace"))
                .and_then(Value::as_str)
                .unwrap_or("default")
                .to_string();
            pods.entry(ns).or_default().push(v);
        } else {
            others.push(v);
        }
    }
    let mut out: Vec<Value> = others;
    let mut w = 0usize;
    for (ns, list) in pods {
        for batch in list.chunks(replicas.max(1)) {
            let Some(first) = batch.first() else { continue };
            let labels = first
                .get("metadata")
                .and_then(|m| m.get("labels"))
                .cloned()
                .unwrap_or(Value::Mapping(Mapping::new()));
            let spec = first.get("spec").cloned().unwrap_or(Value::Null);
            let app = labels.get("app").and_then(Value::as_str).unwrap_or("app");
            let name = format!("{app}-w{w}");
            let kind = match w % 6 {
                4 => "ReplicaSet",
                5 => "StatefulSet",
                _ => "Deployment",
            };
            w += 1;
            let mut meta = Mapping::new();
            meta.insert(s("name"), s(&name));
            meta.insert(s("namespace"), s(&ns));
            let mut template = Mapping::new();
            let mut tmeta = Mapping::new();
            tmeta.insert(s("labels"), labels.clone());
            template.insert(s("metadata"), Value::Mapping(tmeta));
            template.insert(s("spec"), spec.clone());
            let mut wspec = Mapping::new();
            wspec.insert(s("replicas"), Value::from(batch.len() as u64));
            wspec.insert(s("template"), Value::Mapping(template));
            let mut workload = Mapping::new();
            workload.insert(s("apiVersion"), s("apps/v1"));
            workload.insert(s("kind"), s(kind));
            workload.insert(s("metadata"), Value::Mapping(meta));
            workload.insert(s("spec"), Value::Mapping(wspec));
            out.push(Value::Mapping(workload));
            let roll = r.chance(rolling);
            for (k, pod) in batch.iter().enumerate() {
                let newer = roll && k + 1 == batch.len() && batch.len() > 1;
                let hash = if newer { "7d9f8b6c5" } else { "5c6b8f9d7" };
                let mut l = match &labels {
                    Value::Mapping(m) => m.clone(),
                    _ => Mapping::new(),
                };
                if newer && l.remove(s("canary")).is_none() {
                    l.insert(s("canary"), s("true"));
                }
                let (owner_kind, owner, pod_name) = match kind {
                    "Deployment" => {
                        l.insert(s("pod-template-hash"), s(hash));
                        let rs = format!("{name}-{hash}");
                        ("ReplicaSet", rs.clone(), format!("{rs}-p{k}"))
                    }
                    "StatefulSet" => {
                        l.insert(s("controller-revision-hash"), s(&format!("{name}-{hash}")));
                        l.insert(
                            s("statefulset.kubernetes.io/pod-name"),
                            s(&format!("{name}-{k}")),
                        );
                        ("StatefulSet", name.clone(), format!("{name}-{k}"))
                    }
                    _ => ("ReplicaSet", name.clone(), format!("{name}-p{k}")),
                };
                let mut meta = Mapping::new();
                meta.insert(s("name"), s(&pod_name));
                meta.insert(s("namespace"), s(&ns));
                meta.insert(s("labels"), Value::Mapping(l));
                let mut oref = Mapping::new();
                oref.insert(s("apiVersion"), s("apps/v1"));
                oref.insert(s("kind"), s(owner_kind));
                oref.insert(s("name"), s(&owner));
                oref.insert(s("controller"), Value::Bool(true));
                meta.insert(
                    s("ownerReferences"),
                    Value::Sequence(vec![Value::Mapping(oref)]),
                );
                let mut p = Mapping::new();
                p.insert(s("apiVersion"), s("v1"));
                p.insert(s("kind"), s("Pod"));
                p.insert(s("metadata"), Value::Mapping(meta));
                p.insert(s("spec"), spec.clone());
                if let Some(status) = pod.get("status") {
                    p.insert(s("status"), status.clone());
                }
                out.push(Value::Mapping(p));
            }
        }
    }
    out.iter()
        .map(|v| serde_yaml::to_string(v).unwrap_or_default())
        .collect::<Vec<_>>()
        .join("---\n")
}
