//! The simulated console (`netpol::console`) for every query row of every seed step: the
//! command the tutorial would type, what it would print under the API's verdict, the
//! notes in English and Spanish, and the tutorial's recording beside it. Snapshots in
//! `tests/console/NN-step.expected` (`UPDATE_EXPECT=1` rewrites them; read the diff).

mod common;

use std::path::Path;

use netpol::console;
use netpol::runner;
use netpol::scenario::{self, Expectation};
use netpol::{Analysis, Lang, LoadOptions, Source};

fn render(file: &Path) -> String {
    let text = std::fs::read_to_string(file).unwrap();
    let s = scenario::parse(&text).unwrap_or_else(|d| panic!("{}: {d:?}", file.display()));
    let base = file.parent().unwrap();
    let (texts, errors) = runner::load_manifests(&s, &|p| {
        std::fs::read_to_string(base.join(p)).map_err(|e| e.to_string())
    });
    assert!(errors.is_empty(), "{errors:?}");
    let sources: Vec<Source<'_>> = texts
        .iter()
        .map(|(n, t)| Source { name: n, text: t })
        .collect();
    let analysis = Analysis::new(&sources, &LoadOptions::default());
    let mut out = String::new();
    let rows = s.expect.iter().filter_map(|e| match e {
        Expectation::Connection(c) => Some(c),
        Expectation::Matrix(_) => None,
    });
    for (i, row) in rows.enumerate() {
        let en = console::simulate(&analysis, row, &s.options, Lang::En);
        let es = console::simulate(&analysis, row, &s.options, Lang::Es);
        // Everything but the notes is the same in both languages.
        assert_eq!(
            (&en.prompt, &en.command, &en.output, en.outcome),
            (&es.prompt, &es.command, &es.output, es.outcome),
            "{}: row {i}",
            file.display()
        );
        assert_eq!(
            en.outcome,
            row.expected_outcome(),
            "{}: row {i}: the console follows the API's verdict",
            file.display()
        );
        out.push_str(&format!(
            "## row {i}: {} -> {} ({})\n{} {}\n",
            row.from,
            row.to,
            en.outcome.as_str(),
            en.prompt,
            en.command
        ));
        for l in &en.output {
            out.push_str(&format!("{l}\n"));
        }
        for (n_en, n_es) in en.notes.iter().zip(&es.notes) {
            out.push_str(&format!("note en: {n_en}\nnote es: {n_es}\n"));
        }
        if let (Some(r), Some(r_es)) = (&en.recorded, &es.recorded) {
            out.push_str(&format!(
                "recorded by the tutorial: {}{} ({})\n",
                if r.allowed { "allowed" } else { "denied" },
                if r.claimed {
                    ", claimed without output"
                } else {
                    ""
                },
                if r.agrees {
                    "agrees"
                } else {
                    "DIFFERS from the API"
                }
            ));
            for l in &r.output {
                out.push_str(&format!("| {l}\n"));
            }
            if let (Some(a), Some(b)) = (&r.note, &r_es.note) {
                out.push_str(&format!("why en: {a}\nwhy es: {b}\n"));
            }
        }
        out.push('\n');
    }
    out
}

#[test]
fn every_query_row_of_every_seed_step() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut failures = Vec::new();
    let mut steps = 0;
    for f in common::fixture_files("examples/seed") {
        let text = std::fs::read_to_string(&f).unwrap();
        if !matches!(scenario::detect(&text), scenario::Detected::Scenario(_)) {
            continue;
        }
        steps += 1;
        let stem = f.file_stem().unwrap().to_string_lossy().into_owned();
        let fixture = root.join("tests/console").join(format!("{stem}.yaml"));
        if let Err(e) = common::check_snapshot(&fixture, &render(&f)) {
            failures.push(e);
        }
    }
    assert!(steps >= 14, "{steps} seed steps");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
