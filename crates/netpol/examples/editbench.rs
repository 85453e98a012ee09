//! Times, natively, what the page's worker does for one edit of a large input (issue 17):
//! `cargo run --release -p netpol --example editbench -- FILE`. Prints the first load
//! through a `Loader`, the reading alone once the documents are kept (`read_cached`), then
//! for ten edits (a comment appended, or a comment line in the middle document, which
//! moves every document after it) the load through the `Loader` (reading and building
//! what changed, the kept documents' objects poured in, moved where they moved, then the
//! work across documents), the index, the lints and the diagnostics.
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
    let mut cache = ReadCache::<()>::default();
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
    // Edits at the end (a comment appended: the last document changes) and in the middle
    // (a comment line at the start of the middle document: it changes, and every
    // document after it moves).
    let middle = text
        .get(text.len() / 2..)
        .and_then(|t| t.find("\n---\n"))
        .map_or(text.len(), |k| text.len() / 2 + k + 5);
    for round in 0..10 {
        let (place, edited) = if round % 2 == 0 {
            ("end", format!("{text}\n# edit {round}\n"))
        } else {
            let (a, b) = text.split_at(middle);
            ("middle", format!("{a}# edit {round}\n{b}"))
        };
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
            "edit {round} ({place}): load {load:?}, index {:?}, {lints} lints {:?}, {diagnostics} diagnostics {:?}",
            index - load,
            lint - index,
            diag - lint
        );
    }
}
