//! Times the phases on a generated cluster: `cargo run --release -p netpol --example phases -- PODS POLICIES NAMESPACES`.
//! (The numbers in BENCHMARKS.md come from the criterion benches; this is for quick looks.)
use std::time::Instant;

use netpol::eval::{Engine, PortQuery, Target};
use netpol::QueryProtocol;

fn main() {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let get = |i: usize, d: usize| args.get(i).copied().unwrap_or(d);
    let opts = netpol::gen::GenOptions {
        pods: get(0, 5000),
        policies: get(1, 1000),
        namespaces: get(2, 100),
        seed: 1,
    };
    let text = if std::env::var_os("KUBECTL").is_some() {
        netpol::gen::kubectl_dump(&opts)
    } else {
        netpol::gen::cluster(&opts).join("---\n")
    };
    println!("input: {} bytes", text.len());
    yaml_only(&text);
    yaml_only(&text.replace("\n---\n", "\n"));
    let t = Instant::now();
    let loaded = netpol::load(&text);
    println!(
        "load: {:?} ({} endpoints, {} policies)",
        t.elapsed(),
        loaded.cluster.endpoints.len(),
        loaded.cluster.policies.len()
    );
    let t = Instant::now();
    let engine = Engine::new(&loaded.cluster);
    println!("index: {:?}", t.elapsed());
    let t = Instant::now();
    let m = engine.matrix(QueryProtocol::TCP, &PortQuery::Number(8080), &[]);
    let allowed: usize = m
        .allowed
        .iter()
        .map(|r| r.iter().filter(|c| **c).count())
        .sum();
    println!("matrix: {:?} ({allowed} allowed cells)", t.elapsed());
    let t = Instant::now();
    let n = loaded.cluster.endpoints.len();
    for k in 0..1000 {
        let _ = engine.query(
            Target::Endpoint(k * 7 % n),
            Target::Endpoint(k * 13 % n),
            QueryProtocol::TCP,
            Some(&PortQuery::Number(8080)),
        );
    }
    println!("query: {:?} each", t.elapsed() / 1000);
    let t = Instant::now();
    let lint = netpol::lint::lint(&loaded.cluster);
    println!("lint: {:?} ({} diagnostics)", t.elapsed(), lint.len());
}

#[allow(dead_code)]
fn yaml_only(text: &str) {
    let t = Instant::now();
    let (docs, _) = netpol::yaml::parse(text, &netpol::yaml::Limits::default());
    println!("yaml only: {:?} ({} docs)", t.elapsed(), docs.len());
}
