//! Exposure (`netpol::exposure`, issue 15).
//!
//! - Snapshots: every fixture of `tests/exposure/` (one per peer kind, tiers, named
//!   ports, endPort, contradictory selectors, ...) and every seed step
//!   (`examples/seed/`, their manifests) render to their `.expected` file: each
//!   workload's sentence and exposures with their rules, in English and Spanish.
//! - Properties on generated clusters (`netpol::gen`, with and without cluster-scoped
//!   policies): exposures are real, not guessed. For every certain exposure, a fresh
//!   peer built from its description ([`netpol::exposure::PeerClass::example`]: a new
//!   namespace and pod, or an address no pod has) added to the cluster gets those ports
//!   on the workload's side from the evaluator. And for random fresh pods and addresses,
//!   what the evaluator gives on the workload's side lies between the union of the
//!   certain exposures whose description matches the peer and the union of all those
//!   (certain or "may") that match: a peer no exposure describes gets nothing.

mod common;

use std::net::IpAddr;

use netpol::exposure::{endpoint_exposures, Certainty, Example, Exposure, PeerClass, Ports};
use netpol::gen::{GenOptions, Rng};
use netpol::model::Labels;
use netpol::words::exposure as words;
use netpol::{Analysis, Direction, Engine, Lang, PortSet, Protocol, Target};

fn render(a: &Analysis) -> String {
    let report = match a.exposure(None) {
        Ok(r) => r,
        Err(e) => return format!("error: {e}\n"),
    };
    let mut out = String::new();
    for lang in [Lang::En, Lang::Es] {
        out.push_str(&format!("# {lang:?}\n"));
        for w in &report.workloads {
            out.push_str(&format!("{}\n", w.workload));
            for dir in [Direction::Ingress, Direction::Egress] {
                out.push_str(&format!(
                    "  {}: {}\n",
                    words::direction(dir),
                    words::summary(w, dir, lang)
                ));
                for e in &w.direction(dir).exposures {
                    out.push_str(&format!("    - {}\n", words::exposure(e, dir, lang)));
                    let span = e
                        .grant
                        .location()
                        .map(|l| format!(" @{}..{}", l.range.start, l.range.end))
                        .unwrap_or_default();
                    out.push_str(&format!(
                        "      {} {}{span}\n",
                        words::rule_word(lang),
                        words::grant(&e.grant, lang)
                    ));
                }
            }
        }
    }
    out
}

#[test]
fn exposure_fixtures() {
    common::check_snapshots("tests/exposure", |text| render(&Analysis::from_text(text)));
}

#[test]
fn every_seed_step() {
    common::check_seed_snapshots("tests/exposure/seed", render);
}

fn generated(seed: u64, admin: usize) -> String {
    let opts = GenOptions {
        pods: 24,
        policies: 14,
        namespaces: 4,
        seed,
    };
    let mut docs = netpol::gen::cluster(&opts);
    docs.extend(netpol::gen::admin_policies(&opts, admin));
    docs.join("---\n")
}

/// A YAML flow mapping of labels (JSON strings: valid YAML).
fn flow(labels: &Labels) -> String {
    let items: Vec<String> = labels
        .iter()
        .map(|(k, v)| {
            format!(
                "{}: {}",
                serde_json::to_string(k).unwrap(),
                serde_json::to_string(v).unwrap()
            )
        })
        .collect();
    format!("{{{}}}", items.join(", "))
}

/// A fresh pod: its namespace (new or not), labels, address and named container ports.
struct Probe {
    namespace: String,
    new_namespace: bool,
    namespace_labels: Labels,
    labels: Labels,
    name: String,
    ip: IpAddr,
    ports: Vec<(String, Protocol, u16)>,
}

impl Probe {
    fn docs(&self) -> String {
        let mut s = String::new();
        if self.new_namespace {
            s.push_str(&format!(
                "---\napiVersion: v1\nkind: Namespace\nmetadata: {{name: {}, labels: {}}}\n",
                self.namespace,
                flow(&self.namespace_labels)
            ));
        }
        let ports: Vec<String> = self
            .ports
            .iter()
            .map(|(n, p, port)| format!("{{name: {n}, containerPort: {port}, protocol: {p}}}"))
            .collect();
        s.push_str(&format!(
            "---\napiVersion: v1\nkind: Pod\nmetadata: {{name: {}, namespace: {}, labels: {}}}\nspec: {{containers: [{{name: c, ports: [{}]}}]}}\nstatus: {{podIP: {}}}\n",
            self.name,
            self.namespace,
            flow(&self.labels),
            ports.join(", "),
            self.ip
        ));
        s
    }

    fn matches(&self, class: &PeerClass) -> bool {
        class.matches(
            Some((&self.namespace, &self.namespace_labels, &self.labels)),
            &[self.ip],
        )
    }

    /// What an exposure's ports are for this pod as a destination (named ports
    /// resolved on it).
    fn resolve(&self, ports: &Ports) -> PortSet {
        let mut set = ports.set.clone();
        for n in &ports.named {
            for (name, p, port) in &self.ports {
                if *name == n.name && n.protocol.is_none_or(|q| q == *p) {
                    set.add(*p, *port, *port);
                }
            }
        }
        set
    }
}

fn covers(big: &PortSet, small: &PortSet) -> bool {
    big.intersect(small) == *small
}

/// The workload's side only: what the subject's ingress allows from `other`, or its
/// egress towards `other`.
fn side(e: &Engine, dir: Direction, subject: usize, other: Target) -> PortSet {
    match dir {
        Direction::Ingress => e.ingress_connections(other, Target::Endpoint(subject)),
        Direction::Egress => e.egress_connections(Target::Endpoint(subject), other),
    }
}

const NS_KEYS: &[(&str, &[&str])] = &[
    ("team", &["payments", "search", "platform", "ops", "web"]),
    ("env", &["prod", "staging", "dev"]),
];
const POD_KEYS: &[(&str, &[&str])] = &[
    ("app", &["web", "api", "db", "cache", "worker", "x"]),
    ("tier", &["front", "back", "data"]),
    ("canary", &["true"]),
];

fn random_labels(r: &mut Rng, keys: &[(&str, &[&str])]) -> Labels {
    let mut l = Labels::new();
    for (k, values) in keys {
        if r.chance(60) {
            l.insert(k.to_string(), r.pick(values).to_string());
        }
    }
    l
}

/// Subjects, their exposures, and the probes built from them and at random.
struct Case {
    text: String,
    engine: Engine,
    /// (subject, direction, exposures).
    exposures: Vec<(usize, Direction, Vec<Exposure>)>,
}

fn case(seed: u64, admin: usize) -> Case {
    let text = generated(seed, admin);
    let engine = Engine::new(netpol::load(&text).cluster);
    let mut exposures = Vec::new();
    for i in 0..engine.cluster.endpoints.len() {
        for dir in [Direction::Ingress, Direction::Egress] {
            exposures.push((i, dir, endpoint_exposures(&engine, i, dir).exposures));
        }
    }
    Case {
        text,
        engine,
        exposures,
    }
}

fn probe_of(ex: &Example, k: usize, named: &[(String, Protocol, u16)]) -> Probe {
    Probe {
        namespace: ex.namespace.clone(),
        new_namespace: ex.new_namespace,
        namespace_labels: ex.namespace_labels.clone(),
        labels: ex.pod_labels.clone(),
        name: format!("probe-{k}"),
        ip: IpAddr::from([10, 250, (k / 250) as u8, (k % 250) as u8 + 1]),
        ports: named.to_vec(),
    }
}

#[test]
fn every_certain_exposure_is_real() {
    let mut checked = (0usize, 0usize);
    for seed in 0..24u64 {
        let admin = if seed % 2 == 1 { 6 } else { 0 };
        let c = case(seed, admin);
        let cluster = &c.engine.cluster;
        // Each certain exposure of a pod class gets one probe pod; the probes go into
        // one copy of the cluster (a new pod or namespace changes no existing
        // endpoint's selection: each subject's side is decided as without the others).
        let mut probes: Vec<(usize, Direction, Probe, PortSet, String)> = Vec::new();
        let mut taken: Vec<(String, Labels)> = Vec::new();
        for (i, dir, list) in &c.exposures {
            for e in list.iter().filter(|e| e.certainty == Certainty::Certain) {
                let k = probes.len();
                let Some(ex) = e.peer.example(cluster, &format!("probe-ns-{k}")) else {
                    panic!("seed {seed}: no example for {:?}", e.peer);
                };
                let what = format!(
                    "seed {seed}: `{}` {}: {}",
                    cluster.endpoints[*i].full_name(),
                    dir.as_str(),
                    words::exposure(e, *dir, Lang::En)
                );
                if let Some(ip) = ex.address {
                    let got = side(&c.engine, *dir, *i, Target::External(ip));
                    assert!(
                        covers(&got, &e.ports.set),
                        "{what}: `{ip}` gets {got}, not {}",
                        e.ports.set
                    );
                    checked.1 += 1;
                    continue;
                }
                if ex.new_namespace {
                    // Two probes may need the same new namespace name: same labels only.
                    match taken.iter().find(|(n, _)| *n == ex.namespace) {
                        Some((_, l)) if *l != ex.namespace_labels => continue,
                        Some(_) => {}
                        None => taken.push((ex.namespace.clone(), ex.namespace_labels.clone())),
                    }
                }
                let named: Vec<(String, Protocol, u16)> = e
                    .ports
                    .named
                    .iter()
                    .enumerate()
                    .map(|(j, n)| {
                        (
                            n.name.clone(),
                            n.protocol.unwrap_or(Protocol::TCP),
                            7100 + j as u16,
                        )
                    })
                    .collect();
                let mut p = probe_of(&ex, k, &named);
                if probes
                    .iter()
                    .any(|(_, _, q, _, _)| q.new_namespace && q.namespace == p.namespace)
                {
                    p.new_namespace = false;
                }
                let want = p.resolve(&e.ports);
                probes.push((*i, *dir, p, want, what));
            }
        }
        let mut text = c.text.clone();
        for (_, _, p, _, _) in &probes {
            text.push_str(&p.docs());
        }
        let with = Engine::new(netpol::load(&text).cluster);
        for (i, dir, p, want, what) in &probes {
            let subject = with
                .cluster
                .endpoint_index(&c.engine.cluster.endpoints[*i].full_name())
                .unwrap();
            let probe = with
                .cluster
                .endpoint_index(&format!("{}/{}", p.namespace, p.name))
                .unwrap_or_else(|| panic!("{what}: probe not loaded"));
            let got = side(&with, *dir, subject, Target::Endpoint(probe));
            assert!(
                covers(&got, want),
                "{what}: the probe {} gets {got}, not {want}",
                p.docs()
            );
            checked.0 += 1;
        }
    }
    eprintln!("probe pods, addresses checked: {checked:?}");
    assert!(checked.0 > 300 && checked.1 > 20, "{checked:?}");
}

#[test]
fn a_peer_no_exposure_describes_gets_nothing() {
    let mut checked = [0usize; 3];
    for seed in 0..24u64 {
        let admin = if seed % 2 == 0 { 6 } else { 0 };
        let c = case(seed, admin);
        let cluster = &c.engine.cluster;
        let mut r = Rng::new(seed ^ 0x5EED);
        // Random fresh pods: in new namespaces (random labels) or existing ones.
        let mut probes = Vec::new();
        for k in 0..12 {
            let (namespace, new_namespace, namespace_labels) = if r.chance(50) {
                let ns = r.pick(&cluster.namespaces);
                (ns.name.clone(), false, ns.labels.clone())
            } else {
                let name = format!("fresh-{k}");
                let mut l = random_labels(&mut r, NS_KEYS);
                l.insert("kubernetes.io/metadata.name".into(), name.clone());
                (name, true, l)
            };
            // Outside every ipBlock of the NetworkPolicies (a pod whose address falls in
            // one is matched by it, CNI-dependent: exposures describe pods by their
            // labels, and addresses outside the pods by ipBlocks). Cluster-scoped
            // `networks` peers may still hold it.
            let ip = IpAddr::from([10, 250, 0, k as u8 + 1]);
            let ports = [
                ("http", Protocol::TCP, 8080u16),
                ("dns", Protocol::UDP, 53),
                ("metrics", Protocol::TCP, 9090),
            ]
            .iter()
            .filter(|_| r.chance(50))
            .map(|(n, p, port)| (n.to_string(), *p, *port))
            .collect();
            probes.push(Probe {
                namespace,
                new_namespace,
                namespace_labels,
                labels: random_labels(&mut r, POD_KEYS),
                name: format!("fresh-pod-{k}"),
                ip,
                ports,
            });
        }
        let mut text = c.text.clone();
        for p in &probes {
            text.push_str(&p.docs());
        }
        let with = Engine::new(netpol::load(&text).cluster);
        let addresses: Vec<IpAddr> = [
            "203.0.113.9",
            "10.1.3.200",
            "10.2.1.5",
            "10.9.9.9",
            "2001:db8::1",
        ]
        .iter()
        .map(|s| s.parse().unwrap())
        .collect();
        for (i, dir, list) in &c.exposures {
            let name = cluster.endpoints[*i].full_name();
            let subject = with.cluster.endpoint_index(&name).unwrap();
            for p in &probes {
                let probe = with
                    .cluster
                    .endpoint_index(&format!("{}/{}", p.namespace, p.name))
                    .unwrap();
                let got = side(&with, *dir, subject, Target::Endpoint(probe));
                let (mut low, mut high) = (PortSet::none(), PortSet::none());
                for e in list.iter().filter(|e| p.matches(&e.peer)) {
                    let set = match dir {
                        Direction::Egress => p.resolve(&e.ports),
                        Direction::Ingress => e.ports.set.clone(),
                    };
                    high.union_with(&set);
                    // An address class is for addresses outside the pods: a pod whose
                    // address falls in it is bounded by it, not promised it.
                    if e.certainty == Certainty::Certain
                        && !matches!(e.peer, PeerClass::Addresses { .. })
                    {
                        low.union_with(&set);
                    }
                }
                let what = format!(
                    "seed {seed}: `{name}` {} and the fresh pod {}",
                    dir.as_str(),
                    p.docs()
                );
                assert!(covers(&high, &got), "{what}: gets {got}, beyond {high}");
                assert!(covers(&got, &low), "{what}: gets {got}, not {low}");
                checked[0] += 1;
                if high.is_empty() {
                    checked[1] += 1;
                }
            }
            for ip in &addresses {
                let got = side(&c.engine, *dir, *i, Target::External(*ip));
                let (mut low, mut high) = (PortSet::none(), PortSet::none());
                for e in list.iter().filter(|e| e.peer.matches(None, &[*ip])) {
                    high.union_with(&e.ports.set);
                    if e.certainty == Certainty::Certain {
                        low.union_with(&e.ports.set);
                    }
                }
                let what = format!("seed {seed}: `{name}` {} and `{ip}`", dir.as_str());
                assert!(covers(&high, &got), "{what}: gets {got}, beyond {high}");
                assert!(covers(&got, &low), "{what}: gets {got}, not {low}");
                checked[2] += 1;
            }
        }
    }
    eprintln!("fresh pods, of which outside every exposure, addresses: {checked:?}");
    // Some probes must be outside every exposure of an isolated workload.
    assert!(checked[1] > 100, "{checked:?}");
}
