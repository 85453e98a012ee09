//! `--format md`: Markdown tables, every cell escaped (`|`, backticks, markup, line
//! breaks as `<br>`).

use std::io::{self, Write};

use netpol::ClassMatrix;

use super::{cell, Emitter, Pairs, Report};
use crate::escape;

pub struct Md;

impl Emitter for Md {
    fn reports(&self) -> &'static [Report] {
        &[Report::Matrix, Report::Connlist]
    }

    /// ✓ allowed, ✗ denied, ? could not evaluate.
    fn matrix(&self, out: &mut dyn Write, m: &ClassMatrix) -> io::Result<()> {
        write!(
            out,
            "| from \\ to ({} {}) |",
            m.protocol,
            escape::md(&m.port.to_string())
        )?;
        for e in &m.endpoints {
            write!(out, " {} |", escape::md(e))?;
        }
        out.write_all(b"\n")?;
        out.write_all("| --- ".repeat(m.endpoints.len() + 1).as_bytes())?;
        out.write_all(b"|\n")?;
        let mut line: Vec<u8> = Vec::new();
        for i in 0..m.len() {
            line.clear();
            line.extend_from_slice(b"| ");
            line.extend_from_slice(escape::md(&m.endpoints[i]).as_bytes());
            line.extend_from_slice(b" |");
            for c in m.row(i) {
                line.push(b' ');
                line.extend_from_slice(cell(c, "✓", "✗", "?").as_bytes());
                line.extend_from_slice(b" |");
            }
            line.push(b'\n');
            out.write_all(&line)?;
        }
        Ok(())
    }

    fn connlist(
        &self,
        out: &mut dyn Write,
        names: &[String],
        pairs: &mut Pairs<'_>,
    ) -> io::Result<()> {
        let names: Vec<String> = names.iter().map(|n| escape::md(n).into_owned()).collect();
        out.write_all(b"| from | to | connections |\n| --- | --- | --- |\n")?;
        for (i, j, conns) in pairs {
            writeln!(
                out,
                "| {} | {} | {} |",
                names[i],
                names[j],
                escape::md(&conns.to_string())
            )?;
        }
        Ok(())
    }
}
