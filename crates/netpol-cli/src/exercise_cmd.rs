//! `netpol test` on an exercise (a scenario with `exercise:`): the starting manifests
//! with a submission applied (`--submission`; without it, the exercise's reference
//! solution) are graded against the goals and constraints, and printed as a checklist.
//! Grading the reference solution also checks that the starting manifests do not
//! already solve the exercise (an exercise with nothing to do is a broken exercise).

use std::path::Path;

use netpol::runner::{self, Grade};
use netpol::scenario::Scenario;
use netpol::{Analysis, Lang, LoadOptions, Source};

use crate::emit::ScenarioCase;
use crate::input::{read_file, text, ReadError, Walk};
use crate::words;

/// The files of `--submission` (files and directories), as (path, text); None when no
/// submission was given. A submission without any file is a usage error.
pub fn read_submission(
    paths: &[String],
    limit: u64,
) -> Result<Option<Vec<(String, String)>>, String> {
    if paths.is_empty() {
        return Ok(None);
    }
    let mut walk = Walk::default();
    for p in paths {
        walk.add(Path::new(p), &["yaml", "yml", "json"])?;
    }
    walk.print_warnings();
    let mut files = Vec::new();
    for f in &walk.files {
        let bytes = read_file(f, limit).map_err(ReadError::message)?;
        files.push((f.display().to_string(), text(bytes)));
    }
    if files.is_empty() {
        return Err(format!(
            "the submission `{}` holds no .yaml, .yml or .json file",
            paths.join("`, `")
        ));
    }
    Ok(Some(files))
}

fn load(texts: &[(String, String)], opts: &LoadOptions) -> Analysis {
    let sources: Vec<Source<'_>> = texts
        .iter()
        .map(|(n, t)| Source { name: n, text: t })
        .collect();
    Analysis::new(&sources, opts)
}

/// Grades one exercise file; the case's checklist is what the text output prints.
pub fn grade_file(
    file: &Path,
    s: &Scenario,
    read: &dyn Fn(&str) -> Result<String, String>,
    submitted: Option<&[(String, String)]>,
    lang: Lang,
    opts: &LoadOptions,
) -> ScenarioCase {
    let mut case = ScenarioCase {
        file: file.display().to_string(),
        name: s.name.clone(),
        passed: 0,
        failures: Vec::new(),
        checklist: Vec::new(),
    };
    let (start, read_errors) = runner::load_manifests(s, read);
    case.failures.extend(read_errors);
    let solution = s
        .exercise
        .as_ref()
        .map(|x| x.solution.clone())
        .unwrap_or_default();
    let names = |files: &[(String, String)]| {
        files
            .iter()
            .map(|(n, _)| n.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let (work_files, mode) = match submitted {
        Some(files) => {
            let mode = words::graded_on_submission(lang, &names(files));
            (files.to_vec(), mode)
        }
        None if !solution.is_empty() => {
            let mut files = Vec::new();
            for p in &solution {
                match read(p) {
                    Ok(t) => files.push((p.clone(), t)),
                    Err(e) => case
                        .failures
                        .push(format!("cannot read the solution `{p}`: {e}")),
                }
            }
            let mode = words::graded_on_solution(lang, &names(&files));
            (files, mode)
        }
        None => (Vec::new(), words::graded_on_start(lang)),
    };
    let start_analysis = load(&start, opts);
    let work = load(&runner::apply_submission(start.clone(), work_files), opts);
    let grade = runner::grade(s, start_analysis.cluster(), &work);
    let [word_ex, word_goal, word_hidden, word_constraint] = words::checklist_words(lang);
    case.checklist
        .push(format!("{word_ex} {} [{}]: {mode}", case.file, s.name));
    for msg in &case.failures {
        case.checklist.push(format!("  ✗ {msg}"));
    }
    checklist(
        &mut case,
        s,
        &grade,
        lang,
        (word_goal, word_hidden, word_constraint),
    );
    let (passed, _) = grade.cells();
    case.passed += passed;
    if submitted.is_none() && !solution.is_empty() {
        let already = runner::grade(s, start_analysis.cluster(), &start_analysis).solved();
        let what = words::start_not_solved(lang);
        if already {
            case.checklist.push(format!("  ✗ {what}"));
            case.failures.push(what);
        } else {
            case.checklist.push(format!("  ✓ {what}"));
            case.passed += 1;
        }
    }
    let solved = grade.solved() && case.failures.is_empty();
    if !solved {
        if let Some(h) = s.exercise.as_ref().and_then(|x| x.hints.first()) {
            let word = words::hint(lang);
            case.checklist.push(format!("  {word}: {}", h.get(lang)));
        }
    }
    case.checklist.push(words::solved(lang, solved));
    case
}

/// The goals, constraints and manifest errors of a grade, one line each (failures
/// explained on the lines below), and their failure messages into `case.failures`.
fn checklist(
    case: &mut ScenarioCase,
    s: &Scenario,
    grade: &Grade,
    lang: Lang,
    (word_goal, word_hidden, word_constraint): (&str, &str, &str),
) {
    if let Some(first) = grade.errors.first() {
        let msg = words::manifest_errors(lang, grade.errors.len(), first);
        case.checklist.push(format!("  ✗ {msg}"));
        case.failures.push(msg);
    }
    for g in &grade.goals {
        let Some(e) = s.expect.get(g.index) else {
            continue;
        };
        let mark = if g.passed { "✓" } else { "✗" };
        let hidden = if g.hidden { word_hidden } else { "" };
        let words = netpol::words::exercise::goal_words(e, lang);
        case.checklist
            .push(format!("  {mark} {word_goal}{hidden}: {words}"));
        for f in &g.failures {
            let msg = words::failure_message(f, lang);
            case.checklist
                .push(format!("      {}", msg.replace('\n', "\n      ")));
            case.failures.push(msg);
        }
    }
    for c in &grade.constraints {
        let words = netpol::words::exercise::constraint_words(&c.constraint, lang);
        match &c.detail {
            None => case
                .checklist
                .push(format!("  ✓ {word_constraint}: {words}")),
            Some(d) => {
                let msg = format!("{words}: {}", netpol::words::exercise::broken(d, lang));
                case.checklist.push(format!("  ✗ {word_constraint}: {msg}"));
                case.failures.push(msg);
            }
        }
    }
}
