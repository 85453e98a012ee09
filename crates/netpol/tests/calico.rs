//! Calico policies: validation fixtures in `tests/tiers/calico/validation/` (one object per
//! file, its diagnostics in a `.expected` snapshot, the format of `tests/validation/`),
//! selector errors located inside the string, lints, and the connection sets (`connlist`)
//! agreeing with single queries.

use std::path::Path;

use netpol::eval::{Engine, PortQuery};
use netpol::{LineIndex, QueryProtocol};

mod common;

#[test]
fn calico_validation_fixtures() {
    common::check_validation_snapshots("tests/tiers/calico/validation", 10, |c| {
        !c.calico.is_empty()
    });
}

#[test]
fn selector_error_points_inside_the_string() {
    let text = "apiVersion: projectcalico.org/v3\nkind: GlobalNetworkPolicy\nmetadata: {name: x}\nspec:\n  selector: \"app == 'a' && tier = 'b'\"\n";
    let loaded = netpol::load(text);
    let d = loaded
        .diagnostics
        .iter()
        .find(|d| d.code == "invalid-selector")
        .expect("a selector error");
    let (line, col) = LineIndex::new(text).line_col(text, d.location.range.start);
    // `=` at byte 19 of the selector: the quote is at column 13, the text starts at 14.
    assert_eq!((line, col), (5, 33), "{d:?}");
    assert!(d.message.contains("(at byte 19)"), "{}", d.message);
}

#[test]
fn lints_unreachable_rules_and_pass_to_nothing() {
    let text = r#"
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop, labels: {app: web}}
---
apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: {name: deny-first, namespace: shop}
spec:
  ingress:
  - action: Log
  - action: Deny
  - action: Allow
    protocol: TCP
---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: nobody}
spec:
  selector: app == 'nothing'
  egress:
  - action: Pass
"#;
    let loaded = netpol::load(text);
    let lints = netpol::lint::lint(&loaded.cluster);
    let codes: Vec<(&str, Option<&str>)> =
        lints.iter().map(|d| (d.code, d.path.as_deref())).collect();
    assert!(
        codes.contains(&("unreachable-rule", Some("spec.ingress[2]"))),
        "{codes:?}"
    );
    assert!(
        !codes.contains(&("unreachable-rule", Some("spec.ingress[1]"))),
        "{codes:?}"
    );
    assert!(
        codes.contains(&("selects-no-pod", Some("spec.selector"))),
        "{codes:?}"
    );
}

/// `connections` (one chain per class of ports) agrees with `query` on every pair, port
/// and protocol the scenarios use.
#[test]
fn connections_agree_with_queries() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let cluster = std::fs::read_to_string(root.join("examples/recipes/cluster.yaml")).unwrap();
    let policies = r#"
apiVersion: projectcalico.org/v3
kind: Tier
metadata: {name: security}
spec: {order: 100}
---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: security.ports}
spec:
  tier: security
  selector: app == 'backend'
  ingress:
  - action: Deny
    protocol: TCP
    destination: {ports: ["9000:9100"], notPorts: [9090]}
  - action: Allow
    protocol: TCP
    destination: {ports: [metrics]}
  - action: Pass
    notProtocol: UDP
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: backend, namespace: shop}
spec:
  podSelector: {matchLabels: {app: backend}}
  ingress:
  - from: [{podSelector: {}}]
    ports: [{port: 8080}, {port: 9050}]
"#;
    let text = format!("{cluster}\n---\n{policies}");
    let loaded = netpol::load(&text);
    assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics);
    let engine = Engine::new(loaded.cluster.clone());
    let n = loaded.cluster.endpoints.len();
    for i in 0..n {
        for j in 0..n {
            if i == j {
                continue;
            }
            let (f, t) = (netpol::Target::Endpoint(i), netpol::Target::Endpoint(j));
            let set = engine.connections(f, t);
            for proto in [QueryProtocol::TCP, QueryProtocol::UDP] {
                for port in [53u16, 80, 8080, 8999, 9000, 9050, 9090, 9100, 9101, 65535] {
                    let q = engine.query(f, t, proto, Some(&PortQuery::Number(port)));
                    let p = proto.transport().unwrap();
                    assert_eq!(
                        q.allowed(),
                        set.contains(p, port),
                        "{} -> {} {proto} {port}: query {:?}, connections {set}",
                        q.from,
                        q.to,
                        q.verdict
                    );
                }
            }
            let q = engine.query(f, t, QueryProtocol::ICMP, None);
            assert_eq!(q.allowed(), set.icmp(), "{} -> {} ICMP", q.from, q.to);
        }
    }
}
