//! `netpol test`: runs scenario files and reports failing cells with explanations.
//!
//! Whether a file is a scenario is decided by parsing it ([`scenario::detect`]). A file
//! named on the command line must be a scenario, and each directory must hold at least
//! one: otherwise the run is a usage error (exit 2), never a green run that checked
//! nothing.

use std::io::Write;
use std::path::{Path, PathBuf};

use netpol::runner;
use netpol::scenario::{self, Detected};
use netpol::Limits;
use netpol::{Lang, LineIndex, LoadOptions};

use crate::emit::{Emitter, Format, Junit, ScenarioCase, Text, Totals};
use crate::escape::{eprintln_safe, Mode, Sanitize};
use crate::input::{read_file, text, ReadError, Walk};
use crate::words;

/// A file that could not be read or is not a valid scenario: one failed case (already
/// reported on stderr).
fn broken(file: &Path, msg: String) -> ScenarioCase {
    ScenarioCase {
        file: file.display().to_string(),
        name: String::new(),
        passed: 0,
        failures: vec![msg],
        checklist: Vec::new(),
    }
}

/// `format` is what stdout gets: text (failures as they come, then the totals), or a
/// report written at the end (JUnit, TAP), the failures and totals in words then going
/// to stderr.
pub fn run(
    paths: &[String],
    submission: &[String],
    junit: Option<&str>,
    format: Format,
    lang: Lang,
    limits: &Limits,
) -> Result<u8, String> {
    let limit = limits.max_input_bytes as u64;
    let load_opts = LoadOptions {
        limits: limits.clone(),
        ..Default::default()
    };
    let mut stdout = std::io::BufWriter::new(Sanitize::new(std::io::stdout().lock(), Mode::Text));
    let mut stderr = std::io::BufWriter::new(Sanitize::new(std::io::stderr().lock(), Mode::Text));
    // Where the failures in words go.
    let words: &mut dyn Write = if format == Format::Text {
        &mut stdout
    } else {
        &mut stderr
    };
    let io = |e: std::io::Error| e.to_string();
    let mut walk = Walk::default();
    // Per argument: its files, and whether it was a file named explicitly.
    let mut groups: Vec<(&String, Vec<PathBuf>, bool)> = Vec::new();
    for p in paths {
        let before = walk.files.len();
        walk.add(Path::new(p), &["yaml", "yml", "json"])?;
        let explicit = !Path::new(p).is_dir();
        groups.push((
            p,
            walk.files.iter().skip(before).cloned().collect(),
            explicit,
        ));
    }
    walk.print_warnings();
    let submitted = crate::exercise_cmd::read_submission(submission, limit)?;
    let (mut passed, mut failed, mut scenarios) = (0usize, 0usize, 0usize);
    let mut usage_errors: Vec<String> = Vec::new();
    let mut cases: Vec<ScenarioCase> = Vec::new();
    for (arg, files, explicit) in groups {
        let mut found = 0usize;
        for file in files {
            match one_file(
                &file,
                explicit,
                submitted.as_deref(),
                lang,
                &load_opts,
                limit,
            ) {
                FileResult::Skipped => {}
                FileResult::Usage { message, scenario } => {
                    (found, scenarios) = (
                        found + usize::from(scenario),
                        scenarios + usize::from(scenario),
                    );
                    usage_errors.push(message);
                }
                FileResult::Broken { case, scenario } => {
                    (found, scenarios) = (
                        found + usize::from(scenario),
                        scenarios + usize::from(scenario),
                    );
                    failed += case.failures.len();
                    cases.push(case);
                }
                FileResult::Ran(case) => {
                    (found, scenarios) = (found + 1, scenarios + 1);
                    passed += case.passed;
                    failed += case.failures.len();
                    Text.scenario(words, &case).map_err(io)?;
                    cases.push(case);
                }
            }
        }
        if found == 0 && !explicit {
            usage_errors.push(format!(
                "no scenario found in `{arg}`: no file there is a mapping with `expect` (see docs/scenario-format.md)"
            ));
        }
    }
    let totals = Totals {
        scenarios,
        passed,
        failed,
    };
    report(words, junit, &cases, &totals)?;
    words.flush().map_err(io)?;
    if format != Format::Text {
        format
            .emitter()
            .scenarios(&mut stdout, &cases, &totals)
            .map_err(io)?;
    }
    stdout.flush().map_err(io)?;
    stderr.flush().map_err(io)?;
    if !usage_errors.is_empty() {
        for e in &usage_errors {
            eprintln_safe!("error: {e}");
        }
        return Ok(2);
    }
    Ok(u8::from(failed > 0))
}

/// The end of the run: the totals on stdout, and the JUnit report when asked for.
fn report(
    out: &mut dyn Write,
    junit: Option<&str>,
    cases: &[ScenarioCase],
    totals: &Totals,
) -> Result<(), String> {
    if let Some(path) = junit {
        let mut xml = Vec::new();
        Junit
            .scenarios(&mut xml, cases, totals)
            .map_err(|e| e.to_string())?;
        std::fs::write(path, xml).map_err(|e| format!("cannot write `{path}`: {e}"))?;
    }
    Text.scenarios(out, cases, totals)
        .map_err(|e| e.to_string())
}

/// What one file of `netpol test` gave.
enum FileResult {
    /// Not a scenario, in a directory (manifests the scenarios refer to).
    Skipped,
    /// A usage error; `scenario`: the file is a scenario all the same.
    Usage { message: String, scenario: bool },
    /// Unreadable, or a scenario that does not parse: one failure.
    Broken { case: ScenarioCase, scenario: bool },
    /// A scenario or an exercise, run.
    Ran(ScenarioCase),
}

/// Reads, detects and runs (or grades) one file.
fn one_file(
    file: &Path,
    explicit: bool,
    submitted: Option<&[(String, String)]>,
    lang: Lang,
    load_opts: &LoadOptions,
    limit: u64,
) -> FileResult {
    let usage = |message: String, scenario: bool| FileResult::Usage { message, scenario };
    let bytes = match read_file(file, limit) {
        Ok(b) => b,
        Err(e) => {
            let msg = e.message();
            if explicit {
                return usage(msg, false);
            }
            // It may be a scenario: a failure, not a skipped file.
            eprintln_safe!("{msg}");
            return FileResult::Broken {
                case: broken(file, msg),
                scenario: false,
            };
        }
    };
    // Read lossily: a directory may hold hostile fixtures that are not UTF-8.
    let text = text(bytes);
    let parsed = match scenario::detect(&text) {
        Detected::Scenario(parsed) => parsed,
        // Directories also hold the manifests scenarios refer to.
        Detected::NotScenario if !explicit => return FileResult::Skipped,
        Detected::NotScenario => {
            return usage(
                format!(
                    "`{}` is not a scenario file: no document is a mapping with `expect` (see docs/scenario-format.md); to check manifests, use `netpol lint`",
                    file.display()
                ),
                false,
            );
        }
    };
    let s = match parsed {
        Ok(s) => s,
        Err(diags) => {
            let idx = LineIndex::new(&text);
            for d in diags {
                let (l, c) = idx.line_col(&text, d.location.range.start);
                eprintln_safe!("{}:{l}:{c}: error: {}", file.display(), d.message);
            }
            return FileResult::Broken {
                case: broken(file, "invalid scenario file".to_string()),
                scenario: true,
            };
        }
    };
    let dir = file.parent().map(Path::to_path_buf).unwrap_or_default();
    let read = |p: &str| {
        read_file(&dir.join(p), limit)
            .map(crate::input::text)
            .map_err(ReadError::message)
    };
    if s.exercise.is_some() {
        return FileResult::Ran(crate::exercise_cmd::grade_file(
            file, &s, &read, submitted, lang, load_opts,
        ));
    }
    if submitted.is_some() {
        return usage(
            format!(
                "`{}` is not an exercise (no `exercise:` key): `--submission` grades exercises only",
                file.display()
            ),
            true,
        );
    }
    let report = runner::run_with(&s, &read, load_opts);
    FileResult::Ran(ScenarioCase {
        file: file.display().to_string(),
        name: s.name.clone(),
        passed: report.passed,
        failures: report
            .failures
            .iter()
            .map(|f| words::failure_message(f, lang))
            .collect(),
        checklist: Vec::new(),
    })
}
