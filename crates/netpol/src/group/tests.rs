use super::*;
use crate::Analysis;
use crate::Lang;

fn lines(text: &str, extra: &[&str]) -> Vec<String> {
    let a = Analysis::from_text(text);
    let ips: Vec<IpAddr> = extra.iter().map(|s| s.parse().unwrap()).collect();
    let v = a.workloads(&ips);
    v.edges()
        .map(|e| {
            format!(
                "{} => {} : {}",
                v.groups[e.from].label(),
                v.groups[e.to].label(),
                e.set
            )
        })
        .collect()
}

const ROLLING: &str = "
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec: {replicas: 3, template: {metadata: {labels: {app: web}}}}
---
apiVersion: v1
kind: Pod
metadata:
  name: web-aaa-1
  namespace: shop
  labels: {app: web, version: v1, pod-template-hash: aaa}
  ownerReferences: [{kind: ReplicaSet, name: web-aaa, controller: true}]
---
apiVersion: v1
kind: Pod
metadata:
  name: web-aaa-2
  namespace: shop
  labels: {app: web, version: v1, pod-template-hash: aaa}
  ownerReferences: [{kind: ReplicaSet, name: web-aaa, controller: true}]
---
apiVersion: v1
kind: Pod
metadata:
  name: web-bbb-1
  namespace: shop
  labels: {app: web, version: v2, pod-template-hash: bbb}
  ownerReferences: [{kind: ReplicaSet, name: web-bbb, controller: true}]
---
apiVersion: v1
kind: Pod
metadata: {name: debug, namespace: shop}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: v2-only-80, namespace: shop}
spec:
  podSelector: {matchLabels: {version: v2}}
  ingress: [{ports: [{port: 80}]}]
";

#[test]
fn replicas_collapse_when_they_agree_and_split_when_they_do_not() {
    let a = Analysis::from_text(ROLLING);
    let v = a.workloads(&[]);
    let labels: Vec<String> = v.groups.iter().map(Group::label).collect();
    assert_eq!(
        labels,
        [
            "0.0.0.0-255.255.255.255[External]",
            "shop/debug[Pod]",
            "shop/web[Deployment]"
        ]
    );
    let web = &v.groups[2];
    assert_eq!((web.pods, web.variants.len()), (3, 2));
    assert_eq!(web.variants[0].len(), 2);
    let note = v.split_note(2, Lang::En).unwrap();
    assert!(note.contains("`shop/web-bbb-1` (version=v2)"), "{note}");
    assert!(v.split_note(1, Lang::Es).is_none());
    let e = v.edge(1, 2).unwrap();
    // v1 pods take everything, the v2 pod only TCP 80: the union, not uniform.
    assert_eq!(e.set.to_string(), "All connections");
    assert!(!e.uniform());
    assert_eq!(e.parts[1].set.to_string(), "TCP 80");
    // No self edge, nothing between address ranges.
    assert!(v.edge(2, 2).is_none());
    assert_eq!(
        lines(ROLLING, &[]),
        [
            "0.0.0.0-255.255.255.255[External] => shop/debug[Pod] : All connections",
            "0.0.0.0-255.255.255.255[External] => shop/web[Deployment] : All connections",
            "shop/debug[Pod] => 0.0.0.0-255.255.255.255[External] : All connections",
            "shop/debug[Pod] => shop/web[Deployment] : All connections",
            "shop/web[Deployment] => 0.0.0.0-255.255.255.255[External] : All connections",
            "shop/web[Deployment] => shop/debug[Pod] : All connections",
        ]
    );
    // The matrix says which pairs are partial.
    let m = v.matrix(QueryProtocol::TCP, &crate::PortQuery::Number(443), &[]);
    assert_eq!(m.names, ["shop/debug[Pod]", "shop/web[Deployment]"]);
    assert_eq!(m.cells[0][1], WorkloadCell::Partial);
    assert_eq!(m.cells[1][0], WorkloadCell::Allowed);
}

#[test]
fn focus_names_workloads_as_people_type_them() {
    let a = Analysis::from_text(ROLLING);
    let v = a.workloads(&[]);
    for name in [
        "shop/web",
        "shop/deployment/web",
        "shop/deploy/web",
        "shop/web[Deployment]",
        "web",
        "shop/web-bbb-1",
    ] {
        assert_eq!(v.find(name), Ok(vec![2]), "{name}");
    }
    assert_eq!(
        v.find("shop/wbe").unwrap_err(),
        "unknown workload `shop/wbe`; did you mean `shop/web`?"
    );
    let touching: Vec<(usize, usize)> = v.edges_touching(&[1]).map(|e| (e.from, e.to)).collect();
    assert_eq!(touching, [(0, 1), (1, 0), (1, 2), (2, 1)]);
}

#[test]
fn ip_blocks_cut_the_outside_per_direction() {
    let text = "
apiVersion: v1
kind: Pod
metadata: {name: a, namespace: x}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: out, namespace: x}
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress: [{to: [{ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16]}}]}]
";
    assert_eq!(
        lines(text, &["203.0.113.9"]),
        [
            "0.0.0.0-203.0.113.8[External] => x/a[Pod] : All connections",
            "203.0.113.10-255.255.255.255[External] => x/a[Pod] : All connections",
            "203.0.113.9-203.0.113.9[External] => x/a[Pod] : All connections",
            "x/a[Pod] => 10.0.0.0-10.0.255.255[External] : All connections",
            "x/a[Pod] => 10.2.0.0-10.255.255.255[External] : All connections",
        ]
    );
}
