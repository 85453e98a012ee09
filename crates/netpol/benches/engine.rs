//! Benchmarks of load, index, matrix (also with cluster-scoped policies), query and
//! connection sets on generated clusters (`netpol::gen`) at 10 to 20,000 pods. Run: `cargo bench -p netpol --bench engine`.
//! Numbers are recorded in BENCHMARKS.md.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use netpol::eval::{Engine, PortQuery, Target};
use netpol::gen::dump::{dump, DumpOptions, Format};
use netpol::gen::{cluster, GenOptions};
use netpol::QueryProtocol;

/// (pods, policies, namespaces): the sizes; policies and namespaces grow with pods.
const SIZES: &[(usize, usize, usize)] = &[
    (10, 4, 2),
    (100, 30, 10),
    (1000, 300, 30),
    (5000, 1000, 100),
    (20000, 2000, 200),
];

/// The 20,000-pod input is past the default input limits (10,000 documents, 16 MiB):
/// the benchmark raises them, as a CLI user would for a whole-cluster dump.
fn load(input: &str) -> netpol::Loaded {
    let mut opts = netpol::LoadOptions::default();
    opts.limits.max_documents = usize::MAX;
    opts.limits.max_input_bytes = usize::MAX;
    opts.limits.max_total_nodes = usize::MAX;
    opts.limits.max_nodes = usize::MAX;
    netpol::load_sources(
        &[netpol::Source {
            name: "bench",
            text: input,
        }],
        &opts,
    )
}

/// Two GlobalNetworkPolicies for the Calico matrix benchmark.
const CALICO: &str = "apiVersion: projectcalico.org/v3
kind: Tier
metadata: {name: security}
spec: {order: 100}
---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: security.no-canary-to-db}
spec:
  tier: security
  selector: app == 'db'
  types: [Ingress]
  ingress:
  - action: Deny
    source: {selector: has(canary)}
  - action: Pass
---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: default-deny}
spec:
  selector: projectcalico.org/namespace != 'kube-system'
  types: [Ingress, Egress]
  ingress:
  - action: Allow
    source: {selector: tier == 'front'}
  egress:
  - action: Allow
    protocol: UDP
    destination: {ports: [53]}
  - action: Allow
    destination: {nets: [10.0.0.0/8]}
";

fn text(pods: usize, policies: usize, namespaces: usize) -> String {
    cluster(&GenOptions {
        pods,
        policies,
        namespaces,
        seed: 7,
    })
    .join("---\n")
}

fn benches(c: &mut Criterion) {
    let mut g = c.benchmark_group("engine");
    g.sample_size(10);
    for &(pods, policies, namespaces) in SIZES {
        let input = text(pods, policies, namespaces);
        g.bench_with_input(BenchmarkId::new("load+index", pods), &input, |b, input| {
            b.iter(|| {
                let loaded = load(black_box(input));
                black_box(
                    Engine::new(loaded.cluster)
                        .selecting(0, netpol::Direction::Ingress)
                        .len(),
                )
            })
        });
        let loaded = load(&input);
        assert!(
            loaded.cluster.endpoints.len() >= pods * 9 / 10,
            "the generated cluster did not load"
        );
        let engine = Engine::new(loaded.cluster.clone());
        let n = loaded.cluster.endpoints.len();
        g.bench_with_input(BenchmarkId::new("matrix", pods), &engine, |b, engine| {
            b.iter(|| black_box(engine.matrix(QueryProtocol::TCP, &PortQuery::Number(8080), &[])))
        });
        g.bench_with_input(BenchmarkId::new("query", pods), &engine, |b, engine| {
            let mut k = 0usize;
            b.iter(|| {
                k += 1;
                black_box(engine.query(
                    Target::Endpoint(k * 7 % n),
                    Target::Endpoint(k * 13 % n),
                    QueryProtocol::TCP,
                    Some(&PortQuery::Number(8080)),
                ))
            })
        });
        if pods <= 1000 {
            // A fresh engine each time: the connection sets it remembers per pair of
            // classes start empty.
            g.bench_with_input(
                BenchmarkId::new("connections-all-pairs", pods),
                &loaded.cluster,
                |b, cluster| {
                    b.iter_batched(
                        || Engine::new(cluster.clone()),
                        |engine| {
                            let mut total = 0usize;
                            for i in 0..n {
                                for j in 0..n {
                                    total += usize::from(
                                        engine
                                            .connections(Target::Endpoint(i), Target::Endpoint(j))
                                            .is_empty(),
                                    );
                                }
                            }
                            black_box(total)
                        },
                        criterion::BatchSize::LargeInput,
                    )
                },
            );
        }
    }
    // With 20 cluster-scoped policies (ANP, BANP, CNP): the matrix's tier classes.
    for &(pods, policies, namespaces) in &SIZES[1..4] {
        let opts = GenOptions {
            pods,
            policies,
            namespaces,
            seed: 7,
        };
        let mut docs = cluster(&opts);
        docs.extend(netpol::gen::admin_policies(&opts, 20));
        let loaded = load(&docs.join("---\n"));
        let engine = Engine::new(loaded.cluster.clone());
        g.bench_with_input(
            BenchmarkId::new("matrix-with-admin-policies", pods),
            &engine,
            |b, engine| {
                b.iter(|| {
                    black_box(engine.matrix(QueryProtocol::TCP, &PortQuery::Number(8080), &[]))
                })
            },
        );
    }
    // With Calico: two GlobalNetworkPolicies (a default deny that keeps DNS, and a
    // security tier's rule), decided per pair of classes.
    for &(pods, policies, namespaces) in &SIZES[1..4] {
        let opts = GenOptions {
            pods,
            policies,
            namespaces,
            seed: 7,
        };
        let mut docs = cluster(&opts);
        docs.push(CALICO.to_string());
        let loaded = load(&docs.join("---\n"));
        assert!(!loaded.cluster.calico.is_empty());
        let engine = Engine::new(loaded.cluster.clone());
        g.bench_with_input(
            BenchmarkId::new("matrix-with-calico", pods),
            &loaded.cluster,
            |b, cluster| {
                // A fresh engine each time: its classes are part of the work.
                b.iter_batched(
                    || Engine::new(cluster.clone()),
                    |engine| {
                        black_box(engine.matrix(QueryProtocol::TCP, &PortQuery::Number(8080), &[]))
                    },
                    criterion::BatchSize::LargeInput,
                )
            },
        );
        drop(engine);
    }
    // Realistic dumps (`gen::dump`: pods with containers, env, probes, volumes,
    // managedFields, status; Deployments, ReplicaSets, Services), YAML and JSON.
    for pods in [5000, 20000] {
        for format in [Format::Yaml, Format::Json] {
            let text = dump(&DumpOptions::sized(pods), format);
            let name = format!(
                "load-dump-{}",
                if format == Format::Yaml {
                    "yaml"
                } else {
                    "json"
                }
            );
            g.throughput(criterion::Throughput::Bytes(text.len() as u64));
            g.bench_with_input(BenchmarkId::new(name, pods), &text, |b, input| {
                b.iter(|| black_box(load(black_box(input)).cluster.endpoints.len()))
            });
        }
    }
    g.throughput(criterion::Throughput::Elements(1));
    // A kubectl-style dump (block YAML, server fields): the "~10 MB" input.
    for &(pods, policies, namespaces) in &SIZES[2..4] {
        let dump = netpol::gen::kubectl_dump(&GenOptions {
            pods,
            policies,
            namespaces,
            seed: 7,
        });
        g.bench_with_input(
            BenchmarkId::new("load+index-kubectl-dump", pods),
            &dump,
            |b, input| {
                b.iter(|| {
                    let loaded = load(black_box(input));
                    black_box(
                        Engine::new(loaded.cluster)
                            .selecting(0, netpol::Direction::Ingress)
                            .len(),
                    )
                })
            },
        );
    }
    g.finish();
}

criterion_group!(engine_benches, benches);
criterion_main!(engine_benches);
