//! Exercises' goals and constraints in words (`goal_words`,
//! `constraint_words`), English and Spanish.

use super::Lang;
use crate::scenario::{label, Broken, Constraint, Expectation, ObjectKind};

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
                label(c),
                super::services::outcome_word(c.expected_outcome(), lang).to_ascii_lowercase()
            ),
        },
        Expectation::Matrix(m) => match lang {
            Lang::En => format!("the truth table for {} {}", m.protocol, m.port),
            Lang::Es => format!("la tabla de verdad de {} {}", m.protocol, m.port),
        },
    }
}

/// What breaks a constraint: `there are 3 NetworkPolicies in namespace `shop``, or
/// `changed: `a`; added: `b``.
pub fn broken(b: &Broken, lang: Lang) -> String {
    match b {
        Broken::TooManyPolicies { count, namespace } => match (lang, namespace) {
            (Lang::En, None) => format!("there are {count} NetworkPolicies"),
            (Lang::En, Some(ns)) => {
                format!("there are {count} NetworkPolicies in namespace `{ns}`")
            }
            (Lang::Es, None) => format!("hay {count} NetworkPolicies"),
            (Lang::Es, Some(ns)) => format!("hay {count} NetworkPolicies en el namespace `{ns}`"),
        },
        Broken::Changed {
            changed,
            added,
            removed,
        } => {
            let list = |v: &[String]| {
                v.iter()
                    .map(|n| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let [c, a, r] = match lang {
                Lang::En => ["changed", "added", "removed"],
                Lang::Es => ["cambiados", "añadidos", "eliminados"],
            };
            let mut parts = Vec::new();
            for (word, names) in [(c, changed), (a, added), (r, removed)] {
                if !names.is_empty() {
                    parts.push(format!("{word}: {}", list(names)));
                }
            }
            parts.join("; ")
        }
    }
}
