//! `netpol lint --explain [CODE]` and `--list-rules`: the lint registry on the command line.

use std::process::{Command, Output};

fn netpol(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_netpol"))
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("netpol {args:?}: {e}"))
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn explain_prints_the_entry_in_english_and_spanish() {
    let en = netpol(&["lint", "--explain", "selector-matches-nothing"]);
    assert_eq!(en.status.code(), Some(0), "{}", text(&en.stderr));
    let out = text(&en.stdout);
    let info = netpol::lint::LintCode::SelectorMatchesNothing.info();
    assert!(
        out.starts_with("selector-matches-nothing (warning; "),
        "{out}"
    );
    assert!(out.contains(info.explanation(netpol::Lang::En)), "{out}");
    assert!(out.contains("Fix: ") && out.contains("Before:") && out.contains("After:"));
    assert!(
        out.contains("      podSelector: {matchLabels: {app: utils}}"),
        "{out}"
    );

    let es = netpol(&[
        "lint",
        "--explain",
        "selector-matches-nothing",
        "--lang",
        "es",
    ]);
    assert_eq!(es.status.code(), Some(0));
    let out = text(&es.stdout);
    assert!(out.contains(info.explanation(netpol::Lang::Es)), "{out}");
    assert!(out.contains("Corrección: ") && out.contains("Antes:") && out.contains("Después:"));
}

#[test]
fn explain_without_a_code_lists_every_lint() {
    for args in [&["lint", "--explain"][..], &["lint", "--list-rules"]] {
        let run = netpol(args);
        assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
        let out = text(&run.stdout);
        assert_eq!(
            out.lines().count(),
            netpol::lint::LintCode::ALL.len(),
            "{out}"
        );
        for r in netpol::lint::registry() {
            assert!(
                out.lines()
                    .any(|l| l.starts_with(r.code.as_str())
                        && l.ends_with(r.summary(netpol::Lang::En))),
                "{out}"
            );
        }
    }
    let es = text(&netpol(&["lint", "--list-rules", "--lang", "es"]).stdout);
    assert!(es.contains(
        netpol::lint::LintCode::EgressBlocksDns
            .info()
            .summary(netpol::Lang::Es)
    ));
}

#[test]
fn unknown_code_is_a_usage_error_with_a_suggestion() {
    let run = netpol(&["lint", "--explain", "selects-nothing"]);
    assert_eq!(run.status.code(), Some(2));
    assert!(run.stdout.is_empty());
    let err = text(&run.stderr);
    assert!(
        err.contains("unknown lint `selects-nothing`; did you mean `selects-no-pod`?"),
        "{err}"
    );
    let run = netpol(&["lint", "--explain", "zzz"]);
    assert_eq!(run.status.code(), Some(2));
    assert!(text(&run.stderr).contains("`netpol lint --explain` lists them"));
    // Only text: a format it cannot print is refused, not ignored.
    let run = netpol(&["lint", "--explain", "shadowed-rule", "--format", "json"]);
    assert_eq!(run.status.code(), Some(2));
    assert!(text(&run.stderr).contains("print text only"));
    // Linting still needs files.
    assert_eq!(netpol(&["lint"]).status.code(), Some(2));
}
