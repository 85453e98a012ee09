//! `netpol test --format tap`: the Test Anything Protocol, version 13 (what `prove` and
//! most TAP consumers read): the plan, one test point per scenario file, and for a
//! failed one a YAML block with each failure. `#` and `\` in a description are
//! backslash-escaped (a bare `#` would start a directive).

use std::io::{self, Write};

use super::{Emitter, Report, ScenarioCase, Totals};

pub struct Tap;

/// A test point's description: one line, `#` and `\` escaped.
fn description(s: &str) -> String {
    crate::escape::text(s)
        .replace('\\', "\\\\")
        .replace('#', "\\#")
        .replace(['\r', '\n'], " ")
}

/// A YAML scalar: a JSON string is a YAML double-quoted scalar.
fn yaml(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

impl Emitter for Tap {
    fn reports(&self) -> &'static [Report] {
        &[Report::Test]
    }

    fn scenarios(&self, out: &mut dyn Write, cases: &[ScenarioCase], t: &Totals) -> io::Result<()> {
        writeln!(out, "TAP version 13\n1..{}", cases.len())?;
        for (i, c) in cases.iter().enumerate() {
            let name = if c.name.is_empty() {
                description(&c.file)
            } else {
                format!("{} [{}]", description(&c.file), description(&c.name))
            };
            if c.failures.is_empty() {
                writeln!(out, "ok {} - {name}", i + 1)?;
                continue;
            }
            writeln!(out, "not ok {} - {name}", i + 1)?;
            writeln!(out, "  ---")?;
            let first = c
                .failures
                .first()
                .and_then(|f| f.lines().next())
                .unwrap_or("");
            writeln!(out, "  message: {}", yaml(first))?;
            writeln!(out, "  severity: fail")?;
            writeln!(out, "  passed: {}", c.passed)?;
            writeln!(out, "  failures:")?;
            for f in &c.failures {
                writeln!(out, "    - {}", yaml(f))?;
            }
            writeln!(out, "  ...")?;
        }
        writeln!(
            out,
            "# {} scenario file(s), {} expectation(s) passed, {} failed",
            t.scenarios, t.passed, t.failed
        )
    }
}

#[cfg(test)]
mod tests {
    use super::description;

    #[test]
    fn descriptions_cannot_start_a_directive() {
        assert_eq!(description("a # TODO b\\c\nd"), "a \\# TODO b\\\\c d");
    }
}
