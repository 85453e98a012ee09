//! Times `netpol exposure`'s phases on a file (wall clock, medians of REPEAT, default 3):
//! `cargo run --release -p netpol --example exposurebench -- FILE [REPEAT]`.
//! Phases: the load (text to `Analysis`: cluster, engine, lints), the workload view, the
//! exposure report (every workload, both directions), the report in words (what
//! `netpol exposure`'s text format says of each exposure), and for comparison the
//! one-port workload matrix (`netpol matrix --by workload --port 8080`'s computation).
//! Then the report's size and the peak resident memory. The end-to-end numbers in
//! BENCHMARKS.md are the release CLI's (`scripts/bench-scale.sh`).
use std::time::Instant;

use netpol::eval::PortQuery;
use netpol::words::exposure as words;
use netpol::yaml::Limits;
use netpol::{Analysis, Direction, Lang, LoadOptions, QueryProtocol, Source};

fn peak_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))?
                .split_whitespace()
                .nth(1)?
                .parse()
                .ok()
        })
        .unwrap_or(0)
}

fn time<T>(name: &str, repeat: usize, mut f: impl FnMut() -> T) -> T {
    let mut times = Vec::new();
    let mut out = None;
    for _ in 0..repeat {
        drop(out.take());
        let t = Instant::now();
        out = Some(f());
        times.push(t.elapsed().as_nanos());
    }
    netpol::sort::ord(&mut times);
    let ms = times.get(times.len() / 2).copied().unwrap_or(0) as f64 / 1e6;
    println!("{name:<16} {ms:>9.1} ms");
    out.expect("ran once")
}

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("usage: exposurebench FILE [REPEAT]");
    let repeat: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(3);
    let text = std::fs::read_to_string(&path).expect("readable UTF-8");
    println!("{path}: {} bytes", text.len());
    // The CLI's default limits (`netpol --max-input-bytes` and friends).
    let opts = LoadOptions {
        limits: Limits {
            max_depth: 64,
            max_nodes: 64_000_000,
            max_total_nodes: 64_000_000,
            max_alias_nodes: 4_000_000,
            max_input_bytes: 1 << 30,
            max_documents: 1_000_000,
            max_diagnostics: 1_000,
        },
        ..LoadOptions::default()
    };
    let sources = [Source {
        name: &path,
        text: &text,
    }];
    let analysis = time("load", repeat, || Analysis::new(&sources, &opts));
    let view = time("view", repeat, || analysis.workloads(&[]));
    let report = time("exposure", repeat, || netpol::exposure::report(&view, None));
    time("words", repeat, || {
        let mut bytes = 0usize;
        for w in &report.workloads {
            for dir in [Direction::Ingress, Direction::Egress] {
                bytes += words::summary(w, dir, Lang::En).len();
                for e in &w.direction(dir).exposures {
                    bytes += words::exposure(e, dir, Lang::En).len();
                    bytes += words::grant(&e.grant, Lang::En).len();
                }
            }
        }
        bytes
    });
    time("matrix-workload", repeat, || {
        analysis
            .workloads(&[])
            .matrix(QueryProtocol::TCP, &PortQuery::Number(8080), &[])
    });
    let (mut exposures, mut names) = (0usize, 0usize);
    for w in &report.workloads {
        for dir in [Direction::Ingress, Direction::Egress] {
            for e in &w.direction(dir).exposures {
                exposures += 1;
                names += e.existing.len();
            }
        }
    }
    println!(
        "{} workloads, {exposures} exposures, {names} names of what they match now",
        report.workloads.len()
    );
    println!("peak RSS {} MB", peak_kb() / 1024);
}
