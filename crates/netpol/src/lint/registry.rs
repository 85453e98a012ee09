//! The lint registry: every lint's code, severity, explanation and an example of the fix
//! (bad YAML -> good YAML), in English and Spanish. The lints take their code strings
//! from [`LintCode::as_str`]; `netpol lint --explain CODE`, the page and `docs/lints.md`
//! ([`markdown`]) read the entries from here ([`LintCode::info`]); the entries' words
//! themselves are in `words/lint_docs.rs`, with [`LOADER_CODES`].

use crate::diag::{Diagnostic, Location, Severity};
use crate::explain::Lang;
use crate::words;

pub use crate::codes::{LintCode, LintInfo};

fn pick(text: &[&'static str; 2], lang: Lang) -> &'static str {
    let [en, es] = *text;
    lang.pick(en, es)
}

impl LintInfo {
    pub fn summary(&self, lang: Lang) -> &'static str {
        pick(&self.summary, lang)
    }
    pub fn explanation(&self, lang: Lang) -> &'static str {
        pick(&self.explanation, lang)
    }
    pub fn fix(&self, lang: Lang) -> &'static str {
        pick(&self.fix, lang)
    }
    pub fn applies_to(&self, lang: Lang) -> &'static str {
        pick(&self.applies_to, lang)
    }
}

impl LintCode {
    pub const ALL: [LintCode; 14] = [
        LintCode::SelectsNoPod,
        LintCode::RulesIgnored,
        LintCode::SelectorMatchesNothing,
        LintCode::NamedPortUndeclared,
        LintCode::EgressBlocksDns,
        LintCode::DuplicatePortName,
        LintCode::EqualPriority,
        LintCode::ShadowedRule,
        LintCode::PassToNothing,
        LintCode::UnknownTier,
        LintCode::ServiceAccountUnknown,
        LintCode::UnreachableRule,
        LintCode::RuleMatchesNothing,
        LintCode::RedundantRule,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            LintCode::SelectsNoPod => "selects-no-pod",
            LintCode::RulesIgnored => "rules-ignored",
            LintCode::SelectorMatchesNothing => "selector-matches-nothing",
            LintCode::NamedPortUndeclared => "named-port-undeclared",
            LintCode::EgressBlocksDns => "egress-blocks-dns",
            LintCode::DuplicatePortName => "duplicate-port-name",
            LintCode::EqualPriority => "equal-priority",
            LintCode::ShadowedRule => "shadowed-rule",
            LintCode::PassToNothing => "pass-to-nothing",
            LintCode::UnknownTier => "unknown-tier",
            LintCode::ServiceAccountUnknown => "service-account-unknown",
            LintCode::UnreachableRule => "unreachable-rule",
            LintCode::RuleMatchesNothing => "rule-matches-nothing",
            LintCode::RedundantRule => "redundant-rule",
        }
    }

    /// The code named `s` (exactly, as in `Diagnostic.code`).
    pub fn parse(s: &str) -> Option<LintCode> {
        LintCode::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// The usual severity (equal to `info().severity`; a match of its own so that the
    /// lints do not link the registry's words into the page when it does not show them).
    pub fn severity(self) -> Severity {
        match self {
            LintCode::ServiceAccountUnknown | LintCode::RedundantRule => Severity::Info,
            _ => Severity::Warning,
        }
    }

    /// A diagnostic of this lint at its usual severity.
    pub fn diag(self, message: impl Into<String>, location: Location) -> Diagnostic {
        Diagnostic::new(self.severity(), self.as_str(), message, location)
    }

    /// This lint's entry (the table is in `words::lint_docs`).
    pub fn info(self) -> &'static LintInfo {
        words::lint_docs::info(self)
    }
}

/// The loader's common codes, for `docs/lints.md` and SARIF (the table is in
/// `words/lint_docs.rs`).
pub use crate::words::lint_docs::LOADER_CODES;

/// Every lint, in the order of [`LintCode::ALL`].
pub fn registry() -> impl Iterator<Item = &'static LintInfo> {
    LintCode::ALL.into_iter().map(LintCode::info)
}

fn indent(yaml: &str) -> String {
    yaml.lines()
        .map(|l| {
            if l.is_empty() {
                String::new()
            } else {
                format!("    {l}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The explanation of lint `code` as plain text (what `netpol lint --explain CODE` prints
/// and the page shows); `None` for a code that is not a lint.
pub fn explain(code: &str, lang: Lang) -> Option<String> {
    let r = LintCode::parse(code)?.info();
    let [applies, fix, before, after] = words::lint_docs::labels(lang);
    Some(format!(
        "{} ({}; {applies}: {})\n\n{}\n\n{}\n\n{fix}: {}\n\n{before}:\n{}\n\n{after}:\n{}\n",
        r.code.as_str(),
        r.severity.as_str(),
        r.applies_to(lang),
        r.summary(lang),
        r.explanation(lang),
        r.fix(lang),
        indent(r.bad),
        indent(r.good)
    ))
}

/// One line per lint: code, severity, summary.
pub fn list(lang: Lang) -> String {
    let width = registry().map(|r| r.code.as_str().len()).max().unwrap_or(0);
    registry()
        .map(|r| {
            format!(
                "{:width$}  {:7}  {}\n",
                r.code.as_str(),
                r.severity.as_str(),
                r.summary(lang)
            )
        })
        .collect()
}

pub use crate::words::lint_docs::markdown;
