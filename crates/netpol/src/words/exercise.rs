//! Exercises' goals and constraints in words (`scenario::goal_words`,
//! `scenario::constraint_words`), English and Spanish.

use super::Lang;
use crate::scenario::{run, Constraint, Expectation, ObjectKind, Text};
use crate::services;

/// A constraint in words.
pub fn constraint_words(c: &Constraint, lang: Lang) -> String {
    match (c, lang) {
        (Constraint::Unchanged { kind }, Lang::En) => match kind {
            ObjectKind::Namespace => "Do not change the Namespace objects".into(),
            ObjectKind::Pod => "Do not change the Pods and workloads".into(),
            ObjectKind::Service => "Do not change the Services".into(),
        },
        (Constraint::Unchanged { kind }, Lang::Es) => match kind {
            ObjectKind::Namespace => "No cambies los objetos Namespace".into(),
            ObjectKind::Pod => "No cambies los Pods ni los workloads".into(),
            ObjectKind::Service => "No cambies los Services".into(),
        },
        (Constraint::MaxPolicies { count, namespace }, lang) => {
            let noun = if *count == 1 {
                "NetworkPolicy"
            } else {
                "NetworkPolicies"
            };
            match (lang, namespace) {
                (Lang::En, None) => format!("At most {count} {noun}"),
                (Lang::En, Some(ns)) => format!("At most {count} {noun} in namespace `{ns}`"),
                (Lang::Es, None) => format!("Como máximo {count} {noun}"),
                (Lang::Es, Some(ns)) => {
                    format!("Como máximo {count} {noun} en el namespace `{ns}`")
                }
            }
        }
    }
}

/// A goal in words: its `goal:` text, or the connection and the outcome wanted.
pub fn goal_words(e: &Expectation, lang: Lang) -> String {
    match e {
        Expectation::Connection(c) => match &c.goal {
            Some(t) => t.get(lang).to_string(),
            None => format!(
                "{}: {}",
                run::label(c),
                services::outcome_word(c.expected_outcome(), lang).to_lowercase()
            ),
        },
        Expectation::Matrix(m) => match lang {
            Lang::En => format!("the truth table for {} {}", m.protocol, m.port),
            Lang::Es => format!("la tabla de verdad de {} {}", m.protocol, m.port),
        },
    }
}

/// A broken `maxPolicies`: there are `n` NetworkPolicies (in `namespace`).
#[inline(always)]
pub(crate) fn too_many_policies(n: usize, namespace: Option<&str>) -> Text {
    let (en_in, es_in) = match namespace {
        Some(ns) => (
            format!(" in namespace `{ns}`"),
            format!(" en el namespace `{ns}`"),
        ),
        None => (String::new(), String::new()),
    };
    Text {
        en: format!("there are {n} NetworkPolicies{en_in}"),
        es: format!("hay {n} NetworkPolicies{es_in}"),
    }
}

/// A broken `unchanged`: the objects changed, added and removed (by name).
#[inline(always)]
pub(crate) fn objects_changed(changed: &[&str], added: &[&str], removed: &[&str]) -> Text {
    let list = |v: &[&str]| {
        v.iter()
            .map(|n| format!("`{n}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut en = Vec::new();
    let mut es = Vec::new();
    if !changed.is_empty() {
        en.push(format!("changed: {}", list(changed)));
        es.push(format!("cambiados: {}", list(changed)));
    }
    if !added.is_empty() {
        en.push(format!("added: {}", list(added)));
        es.push(format!("añadidos: {}", list(added)));
    }
    if !removed.is_empty() {
        en.push(format!("removed: {}", list(removed)));
        es.push(format!("eliminados: {}", list(removed)));
    }
    Text {
        en: en.join("; "),
        es: es.join("; "),
    }
}
