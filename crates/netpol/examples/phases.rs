//! Times the phases on a generated cluster: `cargo run --release -p netpol --example phases -- PODS POLICIES NAMESPACES`
//! (`ADMIN=N` adds N cluster-scoped policies).
//! (The numbers in BENCHMARKS.md come from the criterion benches; this is for quick looks.)
use std::time::Instant;

use netpol::eval::{Engine, PortQuery, Target};
use netpol::QueryProtocol;

fn main() {
    let defaults = netpol::gen::GenOptions {
        pods: 5000,
        policies: 1000,
        namespaces: 100,
        seed: 1,
    };
    let opts = netpol::gen::GenOptions::from_args(std::env::args().skip(1), defaults);
    let mut text = opts.text(std::env::var_os("KUBECTL").is_some());
    // ADMIN=N: N cluster-scoped policies too (the tier part of the matrix).
    let admin: usize = std::env::var("ADMIN")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    for doc in netpol::gen::admin_policies(&opts, admin) {
        text.push_str("---\n");
        text.push_str(&doc);
    }
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
    let engine = Engine::new(loaded.cluster);
    println!("index: {:?}", t.elapsed());
    let t = Instant::now();
    let m = engine.matrix(QueryProtocol::TCP, &PortQuery::Number(8080), &[]);
    let allowed: usize = m
        .allowed
        .iter()
        .map(|r| r.iter().filter(|c| **c == Some(true)).count())
        .sum();
    println!("matrix: {:?} ({allowed} allowed cells)", t.elapsed());
    let t = Instant::now();
    let n = engine.cluster.endpoints.len();
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
    let lint = netpol::lint::lint(&engine.cluster);
    println!("lint: {:?} ({} diagnostics)", t.elapsed(), lint.len());
}

#[allow(dead_code)]
fn yaml_only(text: &str) {
    let t = Instant::now();
    let (docs, _) = netpol::yaml::parse(text, &netpol::yaml::Limits::default());
    println!("yaml only: {:?} ({} docs)", t.elapsed(), docs.len());
}
