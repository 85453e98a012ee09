//! Shared by the fixture-driven tests: one object per file, its expected diagnostics in
//! `# expect:` header lines (`# expect: ok`, or `# expect: error|warning <field path>:
//! <message>`). Each test says which part of the cluster the object lands in when valid.

#![allow(dead_code)] // each test binary uses a part of this module

use std::path::{Path, PathBuf};

use netpol::{Cluster, Diagnostic, Severity};

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

/// Checks one fixture: every expected diagnostic is reported (severity, path, message
/// fragment), nothing else above info is, and the object is in force exactly when no
/// error is expected (`in_force` looks for it in the loaded cluster).
pub fn check_fixture(path: &Path, in_force: fn(&Cluster) -> bool) -> Result<(), String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let mut expected: Vec<(Severity, String, String)> = Vec::new();
    for line in text.lines() {
        let Some(rest) = line.strip_prefix("# expect: ") else {
            continue;
        };
        if rest.trim() == "ok" {
            continue;
        }
        let (sev, rest) = rest.split_once(' ').ok_or("bad expect line")?;
        let sev = match sev {
            "error" => Severity::Error,
            "warning" => Severity::Warning,
            _ => return Err(format!("bad severity `{sev}`")),
        };
        let (fpath, msg) = rest.split_once(": ").ok_or("bad expect line")?;
        expected.push((sev, fpath.to_string(), msg.to_string()));
    }
    let loaded = netpol::load(&text);
    let got: Vec<&Diagnostic> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.severity != Severity::Info)
        .collect();
    let matches = |d: &Diagnostic, sev: &Severity, fpath: &str, msg: &str| {
        d.severity == *sev && d.path.as_deref() == Some(fpath) && d.message.contains(msg)
    };
    let mut problems = Vec::new();
    for (sev, fpath, msg) in &expected {
        if !got.iter().any(|d| matches(d, sev, fpath, msg)) {
            problems.push(format!("missing: {} {fpath}: {msg}", sev.as_str()));
        }
    }
    for d in &got {
        if !expected.iter().any(|(s, f, m)| matches(d, s, f, m)) {
            problems.push(format!(
                "unexpected: {} {}: {}",
                d.severity.as_str(),
                d.path.as_deref().unwrap_or("-"),
                d.message
            ));
        }
    }
    let has_error = expected.iter().any(|e| e.0 == Severity::Error);
    let active = in_force(&loaded.cluster);
    if has_error == active {
        problems.push(format!(
            "object in force: {active} (expected {})",
            !has_error
        ));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n    "))
    }
}

/// Checks every fixture of `dir`; at least `min` must exist.
pub fn run_fixtures(dir: &str, min: usize, in_force: fn(&Cluster) -> bool) {
    let files = fixture_files(dir);
    assert!(
        files.len() >= min,
        "{dir}: {} fixtures, expected at least {min}",
        files.len()
    );
    let failures: Vec<String> = files
        .iter()
        .filter_map(|f| {
            check_fixture(f, in_force)
                .err()
                .map(|e| format!("{}:\n    {e}", f.display()))
        })
        .collect();
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
                let (texts, errors) = netpol::scenario::load_manifests(&scenario, &read);
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
