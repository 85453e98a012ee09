//! Every scenario file in `tests/` and `examples/` runs here: the upstream e2e suite
//! (4,680 cells), the seed tutorial steps and the recipes.

use std::path::{Path, PathBuf};

use netpol::{runner, scenario};

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    netpol::sort::ord(&mut entries);
    for e in entries {
        if e.is_dir() {
            files(&e, out);
        } else if e
            .extension()
            .is_some_and(|x| x == "yaml" || x == "yml" || x == "json")
        {
            out.push(e);
        }
    }
}

/// Runs the scenario files under `dir`; returns (files, passed cells).
fn run_dir(dir: &str) -> (usize, usize) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(dir);
    let mut all = Vec::new();
    files(&root, &mut all);
    let (mut count, mut passed) = (0, 0);
    let mut failures = Vec::new();
    for f in all {
        // Bytes, read lossily: the directories hold hostile fixtures that are not UTF-8.
        let text = String::from_utf8_lossy(&std::fs::read(&f).unwrap()).into_owned();
        // Decided by parsing, as `netpol test` does.
        let scenario::Detected::Scenario(parsed) = scenario::detect(&text) else {
            continue;
        };
        count += 1;
        let s = match parsed {
            Ok(s) => s,
            Err(d) => {
                failures.push(format!("{}: {}", f.display(), d[0].message));
                continue;
            }
        };
        let base = f.parent().unwrap().to_path_buf();
        let report = runner::run(&s, &|p: &str| {
            std::fs::read_to_string(base.join(p)).map_err(|e| e.to_string())
        });
        passed += report.passed;
        for fail in report.failures {
            let explanation = fail
                .decision
                .map(|d| netpol::explain::explain(&d, netpol::Lang::En).join("\n"))
                .unwrap_or_default();
            failures.push(format!(
                "{}: {} expected allowed={} {}\n{explanation}",
                f.display(),
                fail.what,
                fail.expected,
                fail.error.unwrap_or_default()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    (count, passed)
}

#[test]
fn kubernetes_e2e_suite() {
    let (files, cells) = run_dir("tests/k8s-e2e");
    assert_eq!((files, cells), (58, 4680));
}

#[test]
fn seed_tutorial_steps() {
    let (files, cells) = run_dir("examples/seed");
    assert!(files >= 14 && cells > 100, "{files} files, {cells} cells");
}

#[test]
fn recipes() {
    let (files, cells) = run_dir("examples/recipes");
    assert!(files >= 6 && cells > 20, "{files} files, {cells} cells");
}

#[test]
fn project_scenarios() {
    run_dir("tests/scenarios");
}

#[test]
fn service_ingress_nodeport_dns_scenarios() {
    let (files, cells) = run_dir("tests/services");
    assert!(files >= 7 && cells >= 60, "{files} files, {cells} cells");
}

#[test]
fn cluster_scoped_policy_scenarios() {
    let (files, cells) = run_dir("tests/tiers");
    assert!(files >= 8 && cells >= 26, "{files} files, {cells} cells");
}

#[test]
fn scenario_styles_are_detected_by_parsing() {
    // Flow style, quoted keys, JSON, BOM + CRLF, a document marker first: each one runs.
    let (files, cells) = run_dir("tests/scenario-styles");
    assert_eq!((files, cells), (5, 17));
}
