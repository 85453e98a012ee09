//! Loading: one `check(input, expected)` helper; the expected text lists the endpoints,
//! namespaces, policies and diagnostics (with line:col) the input yields.

use netpol::{LineIndex, Severity};

fn summary(input: &str) -> String {
    let loaded = netpol::load(input);
    let idx = LineIndex::new(input);
    let mut out = String::new();
    for n in &loaded.cluster.namespaces {
        out.push_str(&format!(
            "ns {}{}\n",
            n.name,
            if n.declared { "" } else { " (implicit)" }
        ));
    }
    for e in &loaded.cluster.endpoints {
        let ips: Vec<String> = e.ips.iter().map(|i| i.to_string()).collect();
        out.push_str(&format!(
            "{} {} {}{}\n",
            e.kind.as_str(),
            e.full_name(),
            ips.join(","),
            if e.ip_assigned { " (assigned)" } else { "" }
        ));
    }
    for p in &loaded.cluster.policies {
        out.push_str(&format!(
            "policy {} ingress={} egress={}\n",
            p.full_name(),
            p.ingress_isolating,
            p.egress_isolating
        ));
    }
    for d in &loaded.diagnostics {
        let (l, c) = idx.line_col(input, d.location.range.start);
        out.push_str(&format!(
            "{l}:{c} {} {}: {}\n",
            d.severity.as_str(),
            d.code,
            d.message
        ));
    }
    out
}

fn check(input: &str, expected: &str) {
    let got = summary(input);
    assert_eq!(got.trim(), expected.trim(), "\n--- got\n{got}");
}

#[test]
fn kubectl_get_list_and_edit_buffer() {
    check(
        r#"# Please edit the object below. Lines beginning with a '#' will be ignored,
# and an empty file will abort the edit.
#
apiVersion: v1
items:
- apiVersion: networking.k8s.io/v1
  kind: NetworkPolicy
  metadata:
    name: default-deny-ingress
    namespace: webapp-balanced
  spec:
    podSelector: {}
    policyTypes:
    - Ingress
kind: List
metadata:
  resourceVersion: ""
"#,
        r#"
ns webapp-balanced (implicit)
policy webapp-balanced/default-deny-ingress ingress=true egress=false
10:16 info implicit-namespace: namespace `webapp-balanced` is not declared; it is assumed to exist with only the label `kubernetes.io/metadata.name: webapp-balanced`
"#,
    );
}

#[test]
fn workload_and_its_pods_show_each_pod_once() {
    check(
        r#"
apiVersion: apps/v1
kind: Deployment
metadata: {name: utils, namespace: utils}
spec:
  selector: {matchLabels: {app: utils}}
  template: {metadata: {labels: {app: utils}}, spec: {containers: [{name: u}]}}
---
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: utils-646c66795d
  namespace: utils
  ownerReferences: [{kind: Deployment, name: utils, controller: true}]
spec:
  template: {metadata: {labels: {app: utils}}, spec: {containers: [{name: u}]}}
---
apiVersion: v1
kind: Pod
metadata:
  name: utils-646c66795d-qdtg9
  namespace: utils
  labels: {app: utils}
  ownerReferences: [{kind: ReplicaSet, name: utils-646c66795d, controller: true}]
status: {podIP: 192.169.62.31}
---
apiVersion: v1
kind: Pod
metadata:
  name: lone-7bf854b879-v6ggl
  namespace: utils
  ownerReferences: [{kind: ReplicaSet, name: lone-7bf854b879, controller: true}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: lone, namespace: utils}
spec:
  template: {metadata: {labels: {app: lone}}, spec: {containers: [{name: u}]}}
"#,
        r#"
ns utils (implicit)
Pod utils/lone-7bf854b879-v6ggl 10.244.0.1 (assigned)
Pod utils/utils-646c66795d-qdtg9 192.169.62.31
4:36 info implicit-namespace: namespace `utils` is not declared; it is assumed to exist with only the label `kubernetes.io/metadata.name: utils`
"#,
    );
}

#[test]
fn a_broken_document_ends_its_file_as_kubectl_reads_it_and_unknown_kinds_are_notes() {
    // kubectl applies the objects before a file's first YAML error and none after it
    // (apimachinery's StreamVisitor returns "error parsing ..."); other files go on.
    let text = "apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: a}\n---\nkind: Pod\nmetadata: {name: [oops\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: d, namespace: a}\n---\n{\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": {\"name\": \"j\", \"namespace\": \"a\"}}\n";
    check(
        text,
        r#"
ns a
10:23 error yaml-syntax: invalid YAML: did not find expected ',' or ']' (while parsing a flow sequence)
6:7 info skipped-kind: `ConfigMap` objects do not affect NetworkPolicy verdicts; skipped
11:1 warning kubectl-stops: kubectl stops reading this file at the YAML error above ("error parsing ..."), so it applies neither this document nor the 1 after it; they are left out here too
"#,
    );
    // The same objects in another file are read.
    let (broken, rest) = text.split_at(text.find("---\nkind: Pod").unwrap_or(0));
    let loaded = netpol::load_sources(
        &[
            netpol::Source {
                name: "a.yaml",
                text: broken,
            },
            netpol::Source {
                name: "b.yaml",
                text: rest.split_at(rest.find("\n---\n").unwrap_or(0) + 5).1,
            },
        ],
        &netpol::LoadOptions::default(),
    );
    assert!(loaded
        .cluster
        .endpoints
        .iter()
        .any(|e| e.full_name() == "a/j"));
    assert!(!loaded.diagnostics.iter().any(|d| d.code == "kubectl-stops"));
}

#[test]
fn invalid_policy_is_left_out_with_its_reason() {
    let input = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p}\nspec:\n  podSelector: {}\n  ingress:\n  - ports: [{port: 80, endPort: 79}]\n";
    check(
        input,
        r#"
ns default (implicit)
7:33 error invalid-field: invalid value `80`: must be greater than or equal to `port`
1:1 info implicit-namespace: namespace `default` is not declared; it is assumed to exist with only the label `kubernetes.io/metadata.name: default`
"#,
    );
    let loaded = netpol::load(input);
    let d = loaded
        .diagnostics
        .iter()
        .find(|d| d.severity == Severity::Error)
        .unwrap();
    assert_eq!(d.path.as_deref(), Some("spec.ingress[0].ports[0].endPort"));
    assert!(d
        .help
        .as_deref()
        .unwrap()
        .contains("left out of every verdict"));
}

#[test]
fn hostile_inputs_answer_with_a_message() {
    for input in [
        "",
        "---\n---\n",
        "\u{0}\u{1}\u{2}",
        "[[[[",
        "a: *unknown",
        "- 1\n- 2",
        "kind: 42\nmetadata: {name: x}",
        "!!binary aGVsbG8=",
    ] {
        let loaded = netpol::load(input);
        assert!(loaded.cluster.endpoints.is_empty(), "{input:?}");
    }
    let deep = "a:\n".to_string() + &"  - ".repeat(500) + "x\n";
    assert!(netpol::load(&deep).has_errors());
}
