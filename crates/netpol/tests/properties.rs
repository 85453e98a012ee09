//! Properties over generated clusters (`netpol::gen`): the matrix equals per-pair
//! queries; connection sets agree with per-port queries; verdicts do not depend on
//! document order; YAML and JSON give the same verdicts; adding a rule never removes an
//! allowed connection; a policy that selects no pod changes nothing; with cluster-scoped
//! policies (AdminNetworkPolicy, BaselineAdminNetworkPolicy, ClusterNetworkPolicy) the
//! class-based matrix equals the per-pair tier chain.

use netpol::eval::{Engine, PortQuery, Target};
use netpol::gen::{admin_policies, cluster, GenOptions, Rng};
use netpol::{Protocol, QueryProtocol, Severity};

const PORTS: &[(QueryProtocol, u16)] = &[
    (QueryProtocol::TCP, 80),
    (QueryProtocol::TCP, 8080),
    (QueryProtocol::TCP, 8500),
    (QueryProtocol::UDP, 53),
    (QueryProtocol::SCTP, 7000),
    (QueryProtocol::TCP, 9090),
];

/// Loads `text`, which must load without an error (`what` names it in the failure).
fn load_clean(text: &str, what: &str) -> netpol::Loaded {
    let loaded = netpol::load(text);
    let error = loaded
        .diagnostics
        .iter()
        .find(|d| d.severity == Severity::Error);
    assert!(error.is_none(), "{what}: {error:?}");
    loaded
}

/// What the matrix must hold for a query's verdict: unknown is `None`, never denied.
fn cell(d: &netpol::Decision) -> Option<bool> {
    match d.verdict {
        netpol::Verdict::Allowed => Some(true),
        netpol::Verdict::Denied => Some(false),
        netpol::Verdict::Unknown => None,
    }
}

fn matrices(text: &str) -> Vec<Vec<Vec<Option<bool>>>> {
    let loaded = load_clean(text, "generated cluster");
    let engine = Engine::new(loaded.cluster.clone());
    let mut out: Vec<Vec<Vec<Option<bool>>>> = PORTS
        .iter()
        .map(|(p, n)| {
            engine
                .matrix(
                    *p,
                    &PortQuery::Number(*n),
                    &["203.0.113.1".parse().unwrap()],
                )
                .allowed
        })
        .collect();
    out.push(
        engine
            .matrix(QueryProtocol::ICMP, &PortQuery::Number(0), &[])
            .allowed,
    );
    out
}

fn seeds() -> impl Iterator<Item = u64> {
    0..12
}

fn opts(seed: u64) -> GenOptions {
    GenOptions {
        namespaces: 4,
        pods: 14,
        policies: 8,
        seed,
    }
}

#[test]
fn generated_clusters_are_interesting() {
    // The properties below mean little if every cell had the same verdict.
    let (mut allowed, mut denied) = (0, 0);
    for seed in seeds() {
        for m in matrices(&cluster(&opts(seed)).join("---\n")) {
            for row in m {
                allowed += row.iter().filter(|c| **c == Some(true)).count();
                denied += row.iter().filter(|c| **c == Some(false)).count();
            }
        }
    }
    assert!(
        allowed > 1000 && denied > 1000,
        "allowed {allowed}, denied {denied}"
    );
}

#[test]
fn matrix_equals_queries_and_connection_sets() {
    let mut unknown = 0;
    for seed in seeds() {
        let text = cluster(&opts(seed)).join("---\n");
        let loaded = netpol::load(&text);
        let engine = Engine::new(loaded.cluster.clone());
        let n = loaded.cluster.endpoints.len();
        for &(proto, port) in PORTS {
            let m = engine.matrix(proto, &PortQuery::Number(port), &[]);
            for i in 0..n {
                for j in 0..n {
                    let d = engine.query(
                        Target::Endpoint(i),
                        Target::Endpoint(j),
                        proto,
                        Some(&PortQuery::Number(port)),
                    );
                    assert_eq!(
                        m.allowed[i][j],
                        cell(&d),
                        "seed {seed} {i}->{j} {proto} {port}"
                    );
                    let set = engine.connections(Target::Endpoint(i), Target::Endpoint(j));
                    if i != j {
                        // The set depends only on the classes of the two endpoints.
                        let classes = engine.classes();
                        assert_eq!(
                            Some(&set),
                            engine
                                .class_connections(classes.class_of(i), classes.class_of(j))
                                .as_ref(),
                            "seed {seed} {i}->{j}: classes"
                        );
                    }
                    let p = proto.transport().unwrap_or(Protocol::TCP);
                    assert_eq!(
                        set.contains(p, port),
                        d.allowed(),
                        "seed {seed} connection set {i}->{j} {proto} {port}: {set}"
                    );
                    // An explanation always names the deciding rule when a side allows by rule.
                    for side in [&d.egress, &d.ingress] {
                        if side.verdict == netpol::eval::SideVerdict::AllowedByRule {
                            assert!(!side.allowed_by.is_empty());
                        }
                    }
                }
            }
        }
        // Ports that do not resolve everywhere: a named port some pods lack, and one no
        // pod declares, port 0, and an address: unknown cells exactly where `query` says
        // Verdict::Unknown (the diagonal included), never denied.
        let externals = ["203.0.113.1".parse().unwrap()];
        let mut targets: Vec<Target> = (0..n).map(Target::Endpoint).collect();
        targets.extend(externals.iter().map(|ip| Target::External(*ip)));
        for (proto, port) in [
            (QueryProtocol::TCP, PortQuery::Name("http".into())),
            (QueryProtocol::UDP, PortQuery::Name("dns".into())),
            (QueryProtocol::TCP, PortQuery::Name("nobody-has-it".into())),
            (QueryProtocol::TCP, PortQuery::Number(0)),
            (QueryProtocol::TCP, PortQuery::Number(80)),
        ] {
            let m = engine.matrix(proto, &port, &externals);
            for (i, &from) in targets.iter().enumerate() {
                for (j, &to) in targets.iter().enumerate() {
                    let d = engine.query(from, to, proto, Some(&port));
                    assert_eq!(
                        m.allowed[i][j],
                        cell(&d),
                        "seed {seed} {} -> {} {proto} {port:?}",
                        m.endpoints[i],
                        m.endpoints[j]
                    );
                    unknown += usize::from(m.allowed[i][j].is_none());
                }
            }
        }
    }
    assert!(unknown > 100, "only {unknown} unknown cells");
}

#[test]
fn tier_matrix_equals_tier_queries() {
    let ports = [
        (QueryProtocol::TCP, PortQuery::Number(80)),
        (QueryProtocol::TCP, PortQuery::Number(8500)),
        (QueryProtocol::UDP, PortQuery::Number(53)),
        (QueryProtocol::SCTP, PortQuery::Number(9090)),
        (QueryProtocol::TCP, PortQuery::Name("http".into())),
        (QueryProtocol::UDP, PortQuery::Name("dns".into())),
        (QueryProtocol::TCP, PortQuery::Name("nobody-has-it".into())),
        (QueryProtocol::TCP, PortQuery::Number(0)),
        (QueryProtocol::ICMP, PortQuery::Number(0)),
    ];
    let externals = ["10.1.0.9".parse().unwrap(), "203.0.113.1".parse().unwrap()];
    // The tiers must decide something: cells that differ from NetworkPolicy alone.
    let mut changed = 0;
    for seed in seeds() {
        let mut docs = cluster(&opts(seed));
        let plain = netpol::load(&docs.join("---\n"));
        docs.extend(admin_policies(&opts(seed), 4 + seed as usize % 6));
        let text = docs.join("---\n");
        let loaded = load_clean(&text, &format!("seed {seed}"));
        let engine = Engine::new(loaded.cluster.clone());
        let plain_engine = Engine::new(plain.cluster.clone());
        let n = loaded.cluster.endpoints.len();
        let mut targets: Vec<Target> = (0..n).map(Target::Endpoint).collect();
        targets.extend(externals.iter().map(|ip| Target::External(*ip)));
        for (proto, port) in &ports {
            let m = engine.matrix(*proto, port, &externals);
            let before = plain_engine.matrix(*proto, port, &externals);
            for (i, &from) in targets.iter().enumerate() {
                for (j, &to) in targets.iter().enumerate() {
                    let d = engine.query(from, to, *proto, Some(port));
                    assert_eq!(
                        m.allowed[i][j],
                        cell(&d),
                        "seed {seed} {} -> {} {proto} {port:?}",
                        m.endpoints[i],
                        m.endpoints[j]
                    );
                    changed += usize::from(m.allowed[i][j] != before.allowed[i][j]);
                    if let (Some(p), PortQuery::Number(num), true) =
                        (proto.transport(), port, from != to)
                    {
                        let set = engine.connections(from, to);
                        if let (Target::Endpoint(a), Target::Endpoint(b)) = (from, to) {
                            let classes = engine.classes();
                            assert_eq!(
                                Some(&set),
                                engine
                                    .class_connections(classes.class_of(a), classes.class_of(b))
                                    .as_ref(),
                                "seed {seed} {a}->{b}: classes"
                            );
                        }
                        assert_eq!(
                            set.contains(p, *num),
                            d.allowed(),
                            "seed {seed} connections {} -> {}: {set}",
                            m.endpoints[i],
                            m.endpoints[j]
                        );
                    }
                }
            }
        }
    }
    assert!(changed > 500, "the tiers changed only {changed} cells");
}

#[test]
fn suggested_fixes_allow_what_was_denied() {
    let external: std::net::IpAddr = "203.0.113.1".parse().unwrap();
    let ports = [
        (QueryProtocol::TCP, PortQuery::Number(80)),
        (QueryProtocol::UDP, PortQuery::Number(53)),
        (QueryProtocol::TCP, PortQuery::Name("http".into())),
        (QueryProtocol::ICMP, PortQuery::Number(0)),
    ];
    let mut fixed = 0;
    for seed in seeds() {
        let text = cluster(&opts(seed)).join("---\n");
        let loaded = netpol::load(&text);
        let engine = Engine::new(loaded.cluster.clone());
        let n = loaded.cluster.endpoints.len();
        let mut targets: Vec<Target> = (0..n).map(Target::Endpoint).collect();
        targets.push(Target::External(external));
        for &from in &targets {
            for &to in &targets {
                for (proto, port) in &ports {
                    let d = engine.query(from, to, *proto, Some(port));
                    if d.verdict != netpol::Verdict::Denied {
                        continue;
                    }
                    let fixes = netpol::fix::suggest(&engine, &d, from, to);
                    // Without cluster-scoped policies, NetworkPolicy is what denies.
                    assert!(!fixes.is_empty(), "seed {seed}: no fix for {}", d.from);
                    let mut patched = text.clone();
                    for f in &fixes {
                        patched.push_str("---\n");
                        patched.push_str(&f.yaml);
                    }
                    let after = load_clean(&patched, &format!("seed {seed} with fixes"));
                    let e2 = Engine::new(after.cluster.clone());
                    let (f2, t2) = (e2.resolve(&d.from).unwrap(), e2.resolve(&d.to).unwrap());
                    let d2 = e2.query(f2, t2, *proto, Some(port));
                    assert_eq!(
                        d2.verdict,
                        netpol::Verdict::Allowed,
                        "seed {seed}: {} -> {} {proto} {port:?} still denied with\n{}",
                        d.from,
                        d.to,
                        fixes.iter().map(|f| f.yaml.as_str()).collect::<String>()
                    );
                    fixed += 1;
                }
            }
        }
    }
    assert!(fixed > 200, "only {fixed} denied connections were fixed");
}

/// Each smallest edit of an existing rule (`fix::rule_changes` + `quickfix::rule_edit`)
/// applies to the generated text, loads cleanly, and makes its side allow the connection.
#[test]
fn rule_edits_allow_their_side() {
    let external: std::net::IpAddr = "203.0.113.1".parse().unwrap();
    let ports = [
        (QueryProtocol::TCP, PortQuery::Number(80)),
        (QueryProtocol::UDP, PortQuery::Number(53)),
        (QueryProtocol::TCP, PortQuery::Number(8443)),
    ];
    let (mut peers, mut port_edits, mut namespaces) = (0, 0, 0);
    for seed in seeds() {
        let text = cluster(&opts(seed)).join("---\n");
        let loaded = netpol::load(&text);
        let engine = Engine::new(loaded.cluster.clone());
        let n = loaded.cluster.endpoints.len();
        let mut targets: Vec<Target> = (0..n).map(Target::Endpoint).collect();
        targets.push(Target::External(external));
        // Every 7th pair keeps the run short; the seeds vary the rest.
        let pairs = targets
            .iter()
            .flat_map(|&a| targets.iter().map(move |&b| (a, b)))
            .step_by(7);
        for (from, to) in pairs {
            for (proto, port) in &ports {
                let d = engine.query(from, to, *proto, Some(port));
                for c in netpol::fix::rule_changes(&engine, &d, from, to) {
                    let edit = netpol::quickfix::rule_edit(&text, &c)
                        .unwrap_or_else(|| panic!("seed {seed}: no edit for {c:?}"));
                    let patched = netpol::quickfix::apply(&text, std::slice::from_ref(&edit));
                    let after = load_clean(&patched, &format!("seed {seed} with {c:?}"));
                    let e2 = Engine::new(after.cluster.clone());
                    let (f2, t2) = (e2.resolve(&d.from).unwrap(), e2.resolve(&d.to).unwrap());
                    let d2 = e2.query(f2, t2, *proto, Some(port));
                    let side = match c.rule.direction {
                        netpol::Direction::Egress => &d2.egress,
                        netpol::Direction::Ingress => &d2.ingress,
                    };
                    assert!(
                        side.allows(),
                        "seed {seed}: {} -> {} {proto} {port:?}: {c:?} leaves {:?} denied",
                        d.from,
                        d.to,
                        c.rule.direction
                    );
                    match c.change {
                        netpol::fix::Change::AddPeer(_) => peers += 1,
                        netpol::fix::Change::AddPort(_) => port_edits += 1,
                        netpol::fix::Change::SelectNamespace { .. } => namespaces += 1,
                    }
                }
            }
        }
    }
    assert!(
        peers > 50 && port_edits > 50,
        "too few edits checked: {peers} peers, {port_edits} ports, {namespaces} namespaces"
    );
}

#[test]
fn document_order_does_not_matter() {
    for seed in seeds() {
        let mut docs = cluster(&opts(seed));
        let before = matrices(&docs.join("---\n"));
        let mut r = Rng::new(seed + 99);
        for i in (1..docs.len()).rev() {
            docs.swap(i, r.below(i + 1));
        }
        assert_eq!(before, matrices(&docs.join("---\n")), "seed {seed}");
    }
}

#[test]
fn json_and_yaml_agree() {
    for seed in seeds() {
        let docs = cluster(&opts(seed));
        let yaml = docs.join("---\n");
        let json: Vec<String> = docs
            .iter()
            .map(|d| {
                let v: serde_yaml::Value = serde_yaml::from_str(d).unwrap();
                serde_json::to_string_pretty(&v).unwrap()
            })
            .collect();
        // A JSON List, the way `kubectl get -o json` prints it.
        let list = format!(
            "{{\"apiVersion\": \"v1\", \"kind\": \"List\", \"items\": [{}]}}",
            json.join(",\n")
        );
        assert_eq!(matrices(&yaml), matrices(&list), "seed {seed}");
    }
}

#[test]
fn adding_an_allow_all_rule_never_removes_a_connection() {
    for seed in seeds() {
        let docs = cluster(&opts(seed));
        let before = matrices(&docs.join("---\n"));
        // Give the first policy an extra ingress rule.
        let mut widened = docs.clone();
        if let Some(p) = widened.iter_mut().find(|d| d.contains("name: p0,")) {
            *p = add_rule(p);
        }
        let after = matrices(&widened.join("---\n"));
        for (b, a) in before.iter().zip(&after) {
            for (rb, ra) in b.iter().zip(a) {
                for (cb, ca) in rb.iter().zip(ra) {
                    assert!(
                        *cb != Some(true) || *ca == Some(true),
                        "seed {seed}: a connection was lost"
                    );
                }
            }
        }
    }
}

/// Appends `{ports: [{port: 80}]}` to the policy's ingress (creating the list).
fn add_rule(policy: &str) -> String {
    let mut lines: Vec<String> = policy.lines().map(str::to_string).collect();
    if let Some(i) = lines.iter().position(|l| l == "  ingress: []") {
        lines[i] = "  ingress:".into();
        lines.insert(i + 1, "  - {ports: [{port: 80}]}".into());
    } else if let Some(i) = lines.iter().position(|l| l == "  ingress:") {
        lines.insert(i + 1, "  - {ports: [{port: 80}]}".into());
    } else {
        lines.push("  ingress:".into());
        lines.push("  - {ports: [{port: 80}]}".into());
    }
    lines.join("\n") + "\n"
}

#[test]
fn a_policy_selecting_no_pod_changes_nothing() {
    for seed in seeds() {
        let docs = cluster(&opts(seed));
        let before = matrices(&docs.join("---\n"));
        let mut more = docs.clone();
        more.push("apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: nobody, namespace: ns0}\nspec:\n  podSelector: {matchLabels: {app: does-not-exist}}\n  policyTypes: [Ingress, Egress]\n".into());
        assert_eq!(before, matrices(&more.join("---\n")), "seed {seed}");
    }
}

/// With Calico policies, the matrix (per pair of classes) equals per-pair queries, and
/// the connection sets (remembered per pair of classes) agree with them.
#[test]
fn calico_matrix_and_connections_equal_queries() {
    let ports = [
        (QueryProtocol::TCP, PortQuery::Number(80)),
        (QueryProtocol::TCP, PortQuery::Number(8500)),
        (QueryProtocol::UDP, PortQuery::Number(53)),
        (QueryProtocol::TCP, PortQuery::Name("http".into())),
        (QueryProtocol::ICMP, PortQuery::Number(0)),
    ];
    let externals = ["10.1.0.9".parse().unwrap(), "203.0.113.1".parse().unwrap()];
    let mut changed = 0;
    for seed in seeds() {
        let mut docs = cluster(&opts(seed));
        let plain = netpol::load(&docs.join("---\n"));
        docs.extend(netpol::gen::calico_policies(
            &opts(seed),
            3 + seed as usize % 5,
        ));
        let text = docs.join("---\n");
        let loaded = load_clean(&text, &format!("seed {seed}"));
        assert!(!loaded.cluster.calico.is_empty());
        let engine = Engine::new(loaded.cluster.clone());
        let plain_engine = Engine::new(plain.cluster.clone());
        let n = loaded.cluster.endpoints.len();
        let mut targets: Vec<Target> = (0..n).map(Target::Endpoint).collect();
        targets.extend(externals.iter().map(|ip| Target::External(*ip)));
        for (proto, port) in &ports {
            let m = engine.matrix(*proto, port, &externals);
            let before = plain_engine.matrix(*proto, port, &externals);
            for (i, &from) in targets.iter().enumerate() {
                for (j, &to) in targets.iter().enumerate() {
                    let d = engine.query(from, to, *proto, Some(port));
                    assert_eq!(
                        m.allowed[i][j],
                        cell(&d),
                        "seed {seed} {} -> {} {proto} {port:?}",
                        m.endpoints[i],
                        m.endpoints[j]
                    );
                    changed += usize::from(m.allowed[i][j] != before.allowed[i][j]);
                    if let (Some(p), PortQuery::Number(num), true) =
                        (proto.transport(), port, from != to)
                    {
                        let set = engine.connections(from, to);
                        if let (Target::Endpoint(a), Target::Endpoint(b)) = (from, to) {
                            let classes = engine.classes();
                            assert_eq!(
                                Some(&set),
                                engine
                                    .class_connections(classes.class_of(a), classes.class_of(b))
                                    .as_ref(),
                                "seed {seed} {a}->{b}: classes"
                            );
                        }
                        assert_eq!(
                            set.contains(p, *num),
                            d.allowed(),
                            "seed {seed} connections {} -> {}: {set}",
                            m.endpoints[i],
                            m.endpoints[j]
                        );
                    }
                }
            }
        }
    }
    assert!(changed > 500, "Calico changed only {changed} cells");
}

/// On a realistic dump (replicas of Deployments: far fewer classes than pods) the
/// connection sets remembered per pair of classes agree with per-pair queries.
#[test]
fn remembered_connections_equal_queries() {
    let mut opts = netpol::gen::dump::DumpOptions::sized(150);
    opts.managed_fields = false;
    let text = netpol::gen::dump::dump(&opts, netpol::gen::dump::Format::Yaml);
    let loaded = load_clean(&text, "dump");
    let engine = Engine::new(loaded.cluster.clone());
    let n = loaded.cluster.endpoints.len();
    assert!(
        engine.classes().len() * 2 <= n,
        "{} classes",
        engine.classes().len()
    );
    for i in 0..n {
        for j in 0..n {
            let (f, t) = (Target::Endpoint(i), Target::Endpoint(j));
            let set = engine.connections(f, t);
            for (proto, port) in [
                (QueryProtocol::TCP, 8080),
                (QueryProtocol::UDP, 53),
                (QueryProtocol::TCP, 9090),
            ] {
                let d = engine.query(f, t, proto, Some(&PortQuery::Number(port)));
                let p = proto.transport().unwrap_or(Protocol::TCP);
                assert_eq!(
                    set.contains(p, port),
                    d.allowed(),
                    "{i}->{j} {proto} {port}: {set}"
                );
            }
        }
    }
}
