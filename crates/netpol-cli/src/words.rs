//! The CLI's own words, English and Spanish (the core's are in `netpol::words`): the
//! headings, notes and checklist lines only the command line prints.

use netpol::{Lang, Verdict};

fn pick(lang: Lang, en: &'static str, es: &'static str) -> &'static str {
    match lang {
        Lang::En => en,
        Lang::Es => es,
    }
}

/// An exercise graded on the files of `--submission` (`names`).
pub(crate) fn graded_on_submission(lang: Lang, names: &str) -> String {
    match lang {
        Lang::En => format!("graded on the submission ({names})"),
        Lang::Es => format!("corregido con la entrega ({names})"),
    }
}

/// An exercise graded on its reference solution (`names`).
pub(crate) fn graded_on_solution(lang: Lang, names: &str) -> String {
    match lang {
        Lang::En => format!("graded on the reference solution ({names})"),
        Lang::Es => format!("corregido con la solución de referencia ({names})"),
    }
}

/// An exercise graded on its starting manifests.
pub(crate) fn graded_on_start(lang: Lang) -> String {
    pick(
        lang,
        "graded on the starting manifests (give the work with --submission)",
        "corregido con los manifiestos de partida (indica el trabajo con --submission)",
    )
    .to_string()
}

/// The checklist's words: exercise, goal, ` (hidden)`, constraint.
pub(crate) fn checklist_words(lang: Lang) -> [&'static str; 4] {
    match lang {
        Lang::En => ["exercise", "goal", " (hidden)", "constraint"],
        Lang::Es => ["ejercicio", "objetivo", " (oculto)", "restricción"],
    }
}

/// The check that an exercise is not solved before any work.
pub(crate) fn start_not_solved(lang: Lang) -> String {
    pick(
        lang,
        "the starting manifests do not already solve the exercise",
        "los manifiestos de partida no resuelven ya el ejercicio",
    )
    .to_string()
}

/// `hint`.
pub(crate) fn hint(lang: Lang) -> &'static str {
    pick(lang, "hint", "pista")
}

/// The checklist's last line.
pub(crate) fn solved(lang: Lang, solved: bool) -> String {
    if solved {
        pick(lang, "  solved", "  resuelto")
    } else {
        pick(lang, "  not solved yet", "  aún sin resolver")
    }
    .to_string()
}

/// The manifests being graded have `n` errors, the first `first`.
pub(crate) fn manifest_errors(lang: Lang, n: usize, first: &str) -> String {
    match lang {
        Lang::En => format!("the manifests have {n} error(s): {first}"),
        Lang::Es => format!("los manifiestos tienen {n} error(es): {first}"),
    }
}

/// `WHAT: expected allowed` (a failed expectation without the core's detail).
pub(crate) fn expected(lang: Lang, what: &str, verdict: Verdict) -> String {
    match lang {
        Lang::En => format!(
            "{what}: expected {}",
            if verdict == Verdict::Allowed {
                "allowed"
            } else {
                "denied"
            }
        ),
        Lang::Es => format!(
            "{what}: se esperaba {}",
            netpol::explain::verdict_word(verdict, lang).to_ascii_lowercase()
        ),
    }
}

/// `got` (before the verdict a failed expectation got).
pub(crate) fn got(lang: Lang) -> &'static str {
    pick(lang, "got", "resultado")
}

/// The core's `expected WANT, got GOT REST` in `lang` (outcome words already in `lang`).
pub(crate) fn expected_got(lang: Lang, want: &str, got: &str, rest: &str) -> String {
    let rest = if rest.is_empty() {
        String::new()
    } else {
        format!(" {rest}")
    };
    match lang {
        Lang::En => format!("expected {want}, got {got}{rest}"),
        Lang::Es => format!("se esperaba {want}, resultado {got}{rest}"),
    }
}

/// The hint after a note on a workload whose pods differ.
pub(crate) fn by_pod(lang: Lang) -> &'static str {
    pick(
        lang,
        "`--by pod` lists each pod",
        "`--by pod` lista cada pod",
    )
}

/// An exposure report with no workload (text).
pub(crate) fn no_workload(lang: Lang) -> &'static str {
    pick(
        lang,
        "no workload in the input",
        "ningún workload en la entrada",
    )
}

/// An exposure report with no workload (Markdown, a sentence).
pub(crate) fn no_workload_sentence(lang: Lang) -> &'static str {
    pick(
        lang,
        "No workload in the input.",
        "Ningún workload en la entrada.",
    )
}

/// The Markdown exposure report's title, table head, and the two certainty words.
pub(crate) fn exposure_md(lang: Lang) -> [&'static str; 4] {
    match lang {
        Lang::En => [
            "Exposure beyond the input",
            "| direction | peers | ports | certainty | now matches | rule |",
            "certain",
            "may",
        ],
        Lang::Es => [
            "Exposición fuera de la entrada",
            "| dirección | pares | puertos | certeza | ahora coincide | regla |",
            "segura",
            "posible",
        ],
    }
}

/// A failed cell in words: what was expected, and the explanation of what happened.
pub(crate) fn failure_message(f: &netpol::runner::Failure, lang: Lang) -> String {
    let verdict = if f.expected {
        netpol::Verdict::Allowed
    } else {
        netpol::Verdict::Denied
    };
    let mut m = match (&f.detail, lang) {
        (Some(detail), _) => format!("{}: {}", f.what, localized(detail, lang)),
        (None, _) => expected(lang, &f.what, verdict),
    };
    if let Some(svc) = &f.service {
        // Through a Service, Ingress, NodePort or DNS: the per-backend explanation.
        m.push('\n');
        m.push_str(&netpol::words::services::explain(svc, lang).join("\n"));
    } else if let Some(e) = &f.error {
        m.push_str(&format!(", but: {e}"));
    }
    if let Some(d) = &f.decision {
        let got = got(lang);
        m.push_str(&format!(
            ", {got} {}\n",
            netpol::explain::verdict_word(d.verdict, lang)
        ));
        m.push_str(&netpol::explain::explain(d, lang).join("\n"));
    }
    m
}

/// The core's `expected A, got B` (outcomes) in `lang`; any other detail as it is.
fn localized(detail: &str, lang: Lang) -> String {
    use netpol::services::Outcome;
    use netpol::words::services::outcome_word;
    let parts = detail
        .strip_prefix("expected ")
        .and_then(|r| r.split_once(", got "))
        .and_then(|(a, b)| {
            let (b, rest) = b.split_once(' ').unwrap_or((b, ""));
            Some((Outcome::parse(a)?, Outcome::parse(b)?, rest))
        });
    match parts {
        Some((want, got, rest)) if lang != Lang::En => expected_got(
            lang,
            &outcome_word(want, lang).to_ascii_lowercase(),
            &outcome_word(got, lang).to_ascii_lowercase(),
            rest,
        ),
        _ => detail.to_string(),
    }
}
