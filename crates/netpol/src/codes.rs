//! The lints' codes and the shape of their registry entries: plain data, read by `lint`
//! (the checks, `lint/registry.rs`: the methods) and by `words` (the entries' words,
//! `words/lint_docs.rs`), so neither imports the other for them.

use crate::diag::Severity;

/// A lint's name. `Diagnostic.code` holds [`LintCode::as_str`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LintCode {
    SelectsNoPod,
    RulesIgnored,
    SelectorMatchesNothing,
    NamedPortUndeclared,
    EgressBlocksDns,
    DuplicatePortName,
    EqualPriority,
    ShadowedRule,
    PassToNothing,
    UnknownTier,
    ServiceAccountUnknown,
    UnreachableRule,
    RuleMatchesNothing,
    RedundantRule,
}

/// One lint's entry: text in both languages (`[English, Spanish]`), YAML examples that
/// are the same in both (`bad` gives the lint, `good` does not: a test checks it).
#[derive(Debug)]
pub struct LintInfo {
    pub code: LintCode,
    /// The usual severity (`selects-no-pod` is info when the namespace has no pod at all).
    pub severity: Severity,
    /// The kinds of object it looks at.
    pub applies_to: [&'static str; 2],
    pub summary: [&'static str; 2],
    pub explanation: [&'static str; 2],
    pub fix: [&'static str; 2],
    pub bad: &'static str,
    pub good: &'static str,
}
