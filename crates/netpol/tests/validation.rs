//! API-server validation parity: every fixture in `tests/validation/` is one
//! NetworkPolicy with its expected diagnostics in `# expect:` header lines
//! (`# expect: ok`, or `# expect: error|warning <field path>: <message>`).

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
    let describe = |d: &netpol::Diagnostic| {
        format!(
            "{} {}: {}",
            d.severity.as_str(),
            d.path.as_deref().unwrap_or("-"),
            d.message
        )
    };
    let mut problems = Vec::new();
    for (sev, fpath, msg) in &expected {
        let found = got.iter().any(|d| {
            d.severity == *sev
                && d.path.as_deref() == Some(fpath.as_str())
                && d.message.contains(msg.as_str())
        });
        if !found {
            problems.push(format!("missing: {} {fpath}: {msg}", sev.as_str()));
        }
    }
    for d in &got {
        let wanted = expected.iter().any(|(sev, fpath, msg)| {
            d.severity == *sev
                && d.path.as_deref() == Some(fpath.as_str())
                && d.message.contains(msg.as_str())
        });
        if !wanted {
            problems.push(format!("unexpected: {}", describe(d)));
        }
    }
    // An accepted policy must be in force; a rejected one must not be.
    let has_error = expected.iter().any(|e| e.0 == Severity::Error);
    if has_error != loaded.cluster.policies.is_empty() {
        problems.push(format!(
            "policy in force: {} (expected {})",
            !loaded.cluster.policies.is_empty(),
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
fn validation_fixtures() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/validation");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    files.sort();
    assert!(files.len() >= 40, "validation fixtures missing");
    let failures: Vec<String> = files
        .iter()
        .filter_map(|f| {
            check(f)
                .err()
                .map(|e| format!("{}:\n    {e}", f.file_name().unwrap().to_string_lossy()))
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
