//! Times one-port matrices of a file (class table only, no output): `cargo run --release -p netpol --example matrixbench -- FILE [REPEAT]`.
use std::time::Instant;

use netpol::eval::{Engine, PortQuery};
use netpol::QueryProtocol;

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("usage: matrixbench FILE [REPEAT]");
    let repeat: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(5);
    let text = std::fs::read_to_string(&path).expect("readable");
    let loaded = netpol::load(&text);
    let mut times = Vec::new();
    for _ in 0..repeat {
        let engine = Engine::new(loaded.cluster.clone());
        let t = Instant::now();
        let m = engine.matrix_classes(QueryProtocol::TCP, &PortQuery::Number(8080), &[]);
        times.push(t.elapsed());
        std::hint::black_box(m);
    }
    netpol::sort::ord(&mut times);
    println!(
        "{path}: matrix (classes included) {:?} median of {repeat}",
        times[repeat / 2]
    );
}
