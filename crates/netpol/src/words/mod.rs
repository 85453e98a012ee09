//! Words: the one place that knows English and Spanish. Each submodule puts one concern's
//! results into sentences (lowercase messages, user input in backticks); the rest of the
//! crate builds data and asks here for its text.
//!
//! - `explain`: decisions, sides, tier steps, caveats, fixes;
//! - `diff`: semantic diffs; `exposure`: exposure reports; `services`: routed decisions;
//! - `trace`: the steps of the step-through trace; `console`: the simulated consoles' notes;
//! - `exercise`: exercises' goals and constraints; `group`: the workload view's notes;
//! - `lint`: the lints' messages and help; `lint_docs`: the lint registry's entries.

pub(crate) mod console;
pub mod diff;
pub mod exercise;
pub mod explain;
pub mod exposure;
pub(crate) mod group;
pub(crate) mod lint;
pub(crate) mod lint_docs;
pub mod services;
pub mod trace;

/// The language of the words.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    En,
    Es,
}

impl Lang {
    pub fn parse(s: &str) -> Option<Lang> {
        let s = s.to_ascii_lowercase();
        if s.starts_with("es") {
            Some(Lang::Es)
        } else if s.starts_with("en") {
            Some(Lang::En)
        } else {
            None
        }
    }
    pub(crate) fn pick<'a>(self, en: &'a str, es: &'a str) -> &'a str {
        match self {
            Lang::En => en,
            Lang::Es => es,
        }
    }
}
