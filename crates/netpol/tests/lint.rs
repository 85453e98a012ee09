//! Lint fixtures (`tests/lint/`): each file's objects, and in `# expect:` header lines
//! every lint above info it must give (`# expect: warning <code>: <message fragment>`,
//! or `# expect: ok`); nothing else may be reported.

use std::path::Path;

use netpol::Severity;

#[test]
fn lint_fixtures() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/lint");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    files.sort();
    assert!(files.len() >= 2, "{} lint fixtures", files.len());
    let mut problems = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        let mut expected: Vec<(Severity, String, String)> = Vec::new();
        for line in text.lines() {
            let Some(rest) = line.strip_prefix("# expect: ") else {
                continue;
            };
            if rest.trim() == "ok" {
                continue;
            }
            let (sev, rest) = rest
                .split_once(' ')
                .expect("`# expect: SEVERITY CODE: MESSAGE`");
            let sev = match sev {
                "error" => Severity::Error,
                "warning" => Severity::Warning,
                other => panic!("{}: bad severity `{other}`", f.display()),
            };
            let (code, msg) = rest.split_once(": ").expect("`CODE: MESSAGE`");
            expected.push((sev, code.to_string(), msg.to_string()));
        }
        let loaded = netpol::load(&text);
        let load_errors: Vec<_> = loaded
            .diagnostics
            .iter()
            .filter(|d| d.severity != Severity::Info)
            .collect();
        if !load_errors.is_empty() {
            problems.push(format!("{}: loads with {load_errors:?}", f.display()));
        }
        let got: Vec<_> = netpol::lint::lint(&loaded.cluster)
            .into_iter()
            .filter(|d| d.severity != Severity::Info)
            .collect();
        let matches = |d: &netpol::Diagnostic, (sev, code, msg): &(Severity, String, String)| {
            d.severity == *sev && d.code == code.as_str() && d.message.contains(msg.as_str())
        };
        for e in &expected {
            if !got.iter().any(|d| matches(d, e)) {
                problems.push(format!(
                    "{}: missing {} {}: {}",
                    f.display(),
                    e.0.as_str(),
                    e.1,
                    e.2
                ));
            }
        }
        for d in &got {
            if !expected.iter().any(|e| matches(d, e)) {
                problems.push(format!(
                    "{}: unexpected {} {}: {}",
                    f.display(),
                    d.severity.as_str(),
                    d.code,
                    d.message
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
