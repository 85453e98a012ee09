//! Times the workload view on a generated cluster:
//! `cargo run --release -p netpol --example workloads -- PODS POLICIES NAMESPACES SEED`.
//! `REPLICAS=N` puts the generator's pods in workloads of N pods (`group::gen`); without
//! it every generated pod is its own workload (a bare Pod). `PRINT=1` writes the input
//! to stdout instead (for `netpol connlist`).
use std::time::Instant;

use netpol::gen::GenOptions;

fn main() {
    let defaults = GenOptions {
        pods: 500,
        policies: 100,
        namespaces: 20,
        seed: 1,
    };
    let opts = GenOptions::from_args(std::env::args().skip(1), defaults);
    let replicas: usize = std::env::var("REPLICAS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    let text = if replicas > 0 {
        netpol::group::gen::with_workloads(&opts, replicas, 20)
    } else {
        opts.text(false)
    };
    if std::env::var_os("PRINT").is_some() {
        print!("{text}");
        return;
    }
    let t = Instant::now();
    let a = netpol::Analysis::from_text(&text);
    println!(
        "load+index: {:?} ({} endpoints)",
        t.elapsed(),
        a.cluster().endpoints.len()
    );
    let t = Instant::now();
    let v = a.workloads(&[]);
    let split = v.groups.iter().filter(|g| g.is_split()).count();
    println!(
        "groups: {:?} ({} groups, {} split)",
        t.elapsed(),
        v.groups.len(),
        split
    );
    let t = Instant::now();
    let edges = v.edges().count();
    println!("edges: {:?} ({edges} edges)", t.elapsed());
}
