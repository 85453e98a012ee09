//! Times, natively, what the page's worker does for one edit of a large input (issue 17):
//! `cargo run --release -p netpol --example editbench -- FILE`. Prints the first load
//! through a `Loader`, the reading alone once the documents are kept (`read_cached`), then
//! for five edits (a comment appended) the load through the `Loader` (reading what
//! changed and building the cluster from every kept document), the index, the lints and
//! the diagnostics.
use std::time::Instant;

use netpol::yaml::{read_cached, Budget, Limits, ReadCache};
use netpol::{Analysis, LoadOptions, Loader, Source};

fn main() {
    let path = std::env::args().nth(1).expect("usage: editbench FILE");
    let text = std::fs::read_to_string(&path).expect("readable");
    let opts = LoadOptions::default();
    let mut loader = Loader::default();
    let mut load = |text: &str| {
        loader.load(
            &[Source {
                name: "input",
                text,
            }],
            &opts,
        )
    };
    let t = Instant::now();
    let _ = load(&text);
    println!("first load through the Loader: {:?}", t.elapsed());
    let limits = Limits::default();
    let mut cache = ReadCache::default();
    let mut pieces = 0usize;
    let mut read = || {
        read_cached(
            &text,
            &limits,
            &mut Budget::new(&limits),
            &mut cache,
            &mut |_| pieces += 1,
        )
    };
    read();
    let t = Instant::now();
    read();
    println!(
        "reading alone, every document kept: {:?} ({} pieces)",
        t.elapsed(),
        pieces / 2
    );
    for round in 0..5 {
        let edited = format!("{text}\n# edit {round}\n");
        let t = Instant::now();
        let loaded = load(&edited);
        let load = t.elapsed();
        let analysis = Analysis::from_loaded(loaded);
        let index = t.elapsed();
        let lints = analysis.lints().len();
        let lint = t.elapsed();
        let diagnostics = analysis.diagnostics().len();
        let diag = t.elapsed();
        println!(
            "edit {round}: load {load:?}, index {:?}, {lints} lints {:?}, {diagnostics} diagnostics {:?}",
            index - load,
            lint - index,
            diag - lint
        );
    }
}
