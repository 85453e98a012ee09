//! JUnit XML for `netpol test --junit FILE`: one `testcase` per scenario file, one
//! `failure` per failed cell, for CI systems.

use std::io::{self, Write};

use super::{Emitter, Report, ScenarioCase, Totals};

pub struct Junit;

/// Text for XML attributes and content: markup escaped; characters XML 1.0 cannot hold
/// (most controls, even as references) written as `\x1b`.
fn esc(s: &str) -> String {
    crate::escape::text(s)
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

impl Emitter for Junit {
    fn reports(&self) -> &'static [Report] {
        &[Report::Test]
    }

    fn scenarios(&self, out: &mut dyn Write, cases: &[ScenarioCase], _: &Totals) -> io::Result<()> {
        let failures: usize = cases.iter().map(|c| c.failures.len()).sum();
        write!(
            out,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuite name=\"netpol\" tests=\"{}\" failures=\"{failures}\">\n",
            cases.len()
        )?;
        for c in cases {
            writeln!(
                out,
                "  <testcase classname=\"{}\" name=\"{}\" assertions=\"{}\">",
                esc(&c.file),
                esc(&c.name),
                c.passed + c.failures.len()
            )?;
            for m in &c.failures {
                writeln!(
                    out,
                    "    <failure message=\"{}\">{}</failure>",
                    esc(m.lines().next().unwrap_or("")),
                    esc(m)
                )?;
            }
            out.write_all(b"  </testcase>\n")?;
        }
        out.write_all(b"</testsuite>\n")
    }
}
