//! CRD validation parity for cluster-scoped policies: every fixture in
//! `tests/tiers/validation/` is one AdminNetworkPolicy, BaselineAdminNetworkPolicy or
//! ClusterNetworkPolicy with its expected diagnostics in `# expect:` header lines (the
//! format of `tests/validation/`).

use std::path::Path;

use netpol::Severity;

fn check(path: &Path) -> Result<(), String> {
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
    let got: Vec<_> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.severity != Severity::Info)
        .collect();
    let matches = |d: &netpol::Diagnostic, sev: &Severity, fpath: &str, msg: &str| {
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
    if has_error != loaded.cluster.cluster_policies.is_empty() {
        problems.push(format!(
            "policy in force: {} (expected {})",
            !loaded.cluster.cluster_policies.is_empty(),
            !has_error
        ));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n    "))
    }
}

#[test]
fn cluster_policy_validation_fixtures() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/tiers/validation");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    files.sort();
    assert!(files.len() >= 12, "validation fixtures missing");
    let failures: Vec<String> = files
        .iter()
        .filter_map(|f| check(f).err().map(|e| format!("{}:\n    {e}", f.display())))
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
