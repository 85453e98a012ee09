//! Times loading a file phase by phase (wall clock; on a shared machine run it when it
//! is quiet, or repeat): `cargo run --release -p netpol --example loadbench -- FILE [REPEAT]`.
//! Phases: reading the file, splitting into documents, the YAML reader with what loading
//! prunes (`yaml::read`), the whole load, indexing, lints, a one-port matrix; then the
//! peak resident memory. Each phase runs REPEAT times (default 3); the median is printed.
use std::time::Instant;

use netpol::eval::{Engine, PortQuery};
use netpol::yaml::{self, Budget, Limits, Piece};
use netpol::{LoadOptions, QueryProtocol, Source};

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

fn time<T>(name: &str, bytes: usize, repeat: usize, mut f: impl FnMut() -> T) -> T {
    let mut times = Vec::new();
    let mut out = None;
    for _ in 0..repeat {
        drop(out.take());
        let t = Instant::now();
        out = Some(f());
        times.push(t.elapsed().as_nanos());
    }
    times.sort_unstable();
    let ms = times[times.len() / 2] as f64 / 1e6;
    let mbs = bytes as f64 / 1e6 / (ms / 1e3);
    println!("{name:<10} {ms:>9.1} ms  {mbs:>8.1} MB/s");
    out.expect("ran once")
}

fn limits() -> Limits {
    Limits {
        max_depth: 64,
        max_nodes: 64_000_000,
        max_total_nodes: 64_000_000,
        max_alias_nodes: 4_000_000,
        max_input_bytes: 1 << 30,
        max_documents: 1_000_000,
        max_diagnostics: 1_000,
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("usage: loadbench FILE [REPEAT]");
    let repeat: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(3);
    let text = time("read", 0, 1, || {
        std::fs::read_to_string(&path).expect("readable UTF-8")
    });
    let n = text.len();
    println!("{path}: {n} bytes");
    time("split", n, repeat, || yaml::split_documents(&text).len());
    let limits = limits();
    time("yaml", n, repeat, || {
        let mut count = 0usize;
        let _ = yaml::read(&text, &limits, &mut Budget::new(&limits), true, &mut |p| {
            if let Piece::Item { .. } | Piece::Document(_) = p {
                count += 1;
            }
        });
        count
    });
    let opts = LoadOptions {
        limits: limits.clone(),
        ..LoadOptions::default()
    };
    let sources = [Source {
        name: &path,
        text: &text,
    }];
    let loaded = time("load", n, repeat, || netpol::load_sources(&sources, &opts));
    println!(
        "           {} endpoints, {} policies, {} diagnostics",
        loaded.cluster.endpoints.len(),
        loaded.cluster.policies.len(),
        loaded.diagnostics.len()
    );
    println!("           peak RSS after the load {} KB", peak_kb());
    // Loading again after an edit of one document, with a `Loader` that kept the others
    // (what the page does at each keystroke; a dump that is one List is read whole).
    let mut loader = netpol::Loader::new();
    loader.load(&sources, &opts);
    let docs = yaml::split_documents(&text);
    let middle = docs.get(docs.len() / 2).map_or(0, |r| r.start);
    let mut edited = text.clone();
    edited.insert_str(middle, "# edited\n");
    let edited_sources = [Source {
        name: &path,
        text: &edited,
    }];
    let mut flip = false;
    time("edit", n, repeat, || {
        // Alternate the two versions: each load has one document changed.
        flip = !flip;
        let s = if flip { &edited_sources } else { &sources };
        loader.load(s, &opts)
    });
    println!(
        "           {} documents, the last load read {}",
        docs.len(),
        loader.last_read()
    );
    let engine = time("index", n, 1, || Engine::new(loaded.cluster.clone()));
    time("lint", n, 1, || netpol::lint::lint(&engine.cluster).len());
    let classes = time("classes", n, 1, || engine.classes().len());
    println!("           {classes} classes");
    let m = time("matrix", n, 1, || {
        engine.matrix_classes(QueryProtocol::TCP, &PortQuery::Number(8080), &[])
    });
    println!(
        "           {} x {} cells in {} classes",
        m.len(),
        m.len(),
        m.classes()
    );
    // The cells between every pair, as a printer reads them.
    let allowed = time("cells", n, 1, || {
        (0..m.len())
            .map(|i| m.row(i).filter(|c| *c == Some(true)).count())
            .sum::<usize>()
    });
    println!("           {allowed} allowed cells");
    time("connections", n, 1, || {
        let k = engine.classes().len();
        let mut allowed = 0usize;
        for a in 0..k.min(300) {
            for b in 0..k.min(300) {
                allowed += usize::from(
                    engine
                        .class_connections(a, b)
                        .is_some_and(|s| !s.is_empty()),
                );
            }
        }
        allowed
    });
    println!(
        "peak RSS   {} KB ({:.2} bytes per input byte)",
        peak_kb(),
        peak_kb() as f64 * 1024.0 / n as f64
    );
    // After the peak: the whole trees (no pruning, no streaming) by each reader, what the
    // fast reader saves (the page's wasm reads with libyaml only).
    // (Each twice, alternating: the first runs after the peak pay for memory returned.
    // Only under 20 MB: `parse_with_reader` has the default limits, 4 M nodes, which the
    // whole trees of the dumps exceed.)
    for _ in 0..if n < 20_000_000 { 2 } else { 0 } {
        time("parse", n, repeat, || {
            yaml::parse_with_reader(&text, yaml::Reader::Auto).0.len()
        });
        time("parse-lib", n, repeat, || {
            yaml::parse_with_reader(&text, yaml::Reader::Libyaml)
                .0
                .len()
        });
    }
}
