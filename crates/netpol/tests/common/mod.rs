//! Shared by the fixture-driven tests: each `NAME.yaml` fixture has a sibling
//! `NAME.expected` snapshot of what it gives (diagnostics as
//! `line:col severity code path (object): message`), checked by [`check_snapshot`];
//! `UPDATE_EXPECT=1` rewrites the snapshots after a deliberate change (then read the diff).

#![allow(dead_code)] // each test binary uses a part of this module

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use netpol::{Cluster, Diagnostic, LineIndex, Severity};

/// The `.yaml` files of `dir` (relative to the repository root), sorted.
pub fn fixture_files(dir: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(dir);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    netpol::sort::ord(&mut files);
    files
}

/// One diagnostic of a snapshot: `PLACE severity code path (object): message`, then
/// `  help: ...` (the format of every diagnostics snapshot).
pub fn write_diagnostic(out: &mut String, place: &str, d: &Diagnostic) {
    write!(out, "{place} {} {}", d.severity.as_str(), d.code).ok();
    if let Some(p) = &d.path {
        write!(out, " {p}").ok();
    }
    if let Some(o) = &d.object {
        write!(out, " ({o})").ok();
    }
    writeln!(out, ": {}", d.message).ok();
    if let Some(h) = &d.help {
        writeln!(out, "  help: {h}").ok();
    }
}

/// `diagnostics` of `text` (one source), each at its `line:col`; `ok` when there are none.
pub fn render_diagnostics<'a>(
    text: &str,
    diagnostics: impl IntoIterator<Item = &'a Diagnostic>,
) -> String {
    let index = LineIndex::new(text);
    let mut out = String::new();
    for d in diagnostics {
        let (line, col) = index.line_col(text, d.location.range.start);
        write_diagnostic(&mut out, &format!("{line}:{col}"), d);
    }
    if out.is_empty() {
        out.push_str("ok\n");
    }
    out
}

/// Validation fixtures: each `.yaml` of `dir` (at least `min`) is one object, loaded
/// alone. Its `.expected` snapshot holds every load diagnostic above info (`ok` when
/// none), and the object is in force (`in_force` looks for it in the loaded cluster)
/// exactly when none of them is an error.
pub fn check_validation_snapshots(dir: &str, min: usize, in_force: fn(&Cluster) -> bool) {
    let files = fixture_files(dir);
    assert!(
        files.len() >= min,
        "{dir}: {} fixtures, expected at least {min}",
        files.len()
    );
    let mut failures = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        let loaded = netpol::load(&text);
        let shown = loaded
            .diagnostics
            .iter()
            .filter(|d| d.severity != Severity::Info);
        if let Err(e) = check_snapshot(f, &render_diagnostics(&text, shown)) {
            failures.push(e);
        }
        let active = in_force(&loaded.cluster);
        if loaded.has_errors() == active {
            failures.push(format!(
                "{}: object in force: {active}, with errors: {}",
                f.display(),
                loaded.has_errors()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} fixtures fail:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
}

/// Snapshot fixtures: each `.yaml` of `dir` is rendered by `render`, and the text must
/// equal its sibling `.expected` file. `UPDATE_EXPECT=1` rewrites the snapshots after a
/// deliberate change (then read the diff).
pub fn check_snapshots(dir: &str, render: impl Fn(&str) -> String) {
    let files = fixture_files(dir);
    assert!(!files.is_empty(), "no fixtures in {dir}");
    let failures: Vec<String> = files
        .iter()
        .filter_map(|f| {
            let bytes = std::fs::read(f).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
            check_snapshot(f, &render(&String::from_utf8_lossy(&bytes))).err()
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// One snapshot: `got` against `fixture`'s sibling `.expected` (rewritten instead under
/// `UPDATE_EXPECT=1`).
pub fn check_snapshot(fixture: &Path, got: &str) -> Result<(), String> {
    let exp_path = fixture.with_extension("expected");
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::write(&exp_path, got).unwrap_or_else(|e| panic!("{e}"));
        return Ok(());
    }
    let expected = std::fs::read_to_string(&exp_path).unwrap_or_default();
    if got == expected {
        Ok(())
    } else {
        Err(format!(
            "{}\n--- expected\n{expected}\n--- got\n{got}",
            fixture.display()
        ))
    }
}

/// Every file of `examples/seed/` as the page opens it (a scenario: its manifests; a
/// cluster file: itself), rendered by `render` against its snapshot in `snapshots`
/// (relative to the repository root; `UPDATE_EXPECT=1` rewrites them).
pub fn check_seed_snapshots(snapshots: &str, render: impl Fn(&netpol::Analysis) -> String) {
    use netpol::{Analysis, LoadOptions, Source};
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let seed = root.join("examples/seed");
    let files = fixture_files("examples/seed");
    assert!(files.len() >= 14, "{}", files.len());
    let mut failures = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let analysis = match netpol::scenario::parse(&text) {
            Ok(scenario) => {
                let read =
                    |p: &str| std::fs::read_to_string(seed.join(p)).map_err(|e| e.to_string());
                let (texts, errors) = netpol::runner::load_manifests(&scenario, &read);
                assert!(errors.is_empty(), "{}: {errors:?}", file.display());
                let sources: Vec<Source<'_>> = texts
                    .iter()
                    .map(|(n, t)| Source { name: n, text: t })
                    .collect();
                Analysis::new(&sources, &LoadOptions::default())
            }
            // The clusters themselves.
            Err(_) => Analysis::from_text(&text),
        };
        let snapshot = root.join(snapshots).join(file.file_name().unwrap());
        if let Err(e) = check_snapshot(&snapshot, &render(&analysis)) {
            failures.push(e);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
