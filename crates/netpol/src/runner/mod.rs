//! Running scenarios and grading exercises: a scenario's manifests loaded into one
//! `Analysis`, each expectation asked through the front door; a submission graded on the
//! goals and constraints. The scenario format itself (types, parsing) is `scenario`, which
//! does not import this (nor the analysis), so `words` can read its types.

mod exercise;
mod run;

pub use exercise::{apply_submission, grade, ConstraintResult, GoalResult, Grade};
pub use run::{check_expectation, load_manifests, run, run_with, Failure, Report};
