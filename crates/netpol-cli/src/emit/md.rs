//! `--format md`: Markdown tables, every cell escaped (`|`, backticks, markup, line
//! breaks as `<br>`).

use std::io::{self, Write};

use netpol::group::{Edge, WorkloadMatrix};
use netpol::{Matrix, WorkloadView};

use super::{cell, labels, wcell, Emitter, Pairs, Report};
use crate::escape;

pub struct Md;

impl Emitter for Md {
    fn reports(&self) -> &'static [Report] {
        &[Report::Matrix, Report::Connlist]
    }

    /// ✓ allowed, ✗ denied, ? could not evaluate.
    fn matrix(&self, out: &mut dyn Write, m: &Matrix) -> io::Result<()> {
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
        for (i, row) in m.allowed.iter().enumerate() {
            write!(out, "| {} |", escape::md(&m.endpoints[i]))?;
            for c in row {
                write!(out, " {} |", cell(*c, "✓", "✗", "?"))?;
            }
            out.write_all(b"\n")?;
        }
        Ok(())
    }

    /// ✓ allowed, ✗ denied, ~ some pods only, ? could not evaluate.
    fn workload_matrix(&self, out: &mut dyn Write, m: &WorkloadMatrix) -> io::Result<()> {
        write!(
            out,
            "| from \\ to ({} {}) |",
            m.protocol,
            escape::md(&m.port.to_string())
        )?;
        for e in &m.names {
            write!(out, " {} |", escape::md(e))?;
        }
        out.write_all(b"\n")?;
        out.write_all("| --- ".repeat(m.names.len() + 1).as_bytes())?;
        out.write_all(b"|\n")?;
        for (i, row) in m.cells.iter().enumerate() {
            write!(out, "| {} |", escape::md(&m.names[i]))?;
            for c in row {
                write!(out, " {} |", wcell(*c, ["✓", "✗", "~", "?"]))?;
            }
            out.write_all(b"\n")?;
        }
        Ok(())
    }

    fn workloads(
        &self,
        out: &mut dyn Write,
        view: &WorkloadView<'_>,
        _focus: Option<&[usize]>,
        edges: &mut dyn Iterator<Item = Edge>,
    ) -> io::Result<()> {
        let names = labels(view);
        let mut pairs = edges.map(|e| (e.from, e.to, e.set));
        self.connlist(out, &names, &mut pairs)
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
