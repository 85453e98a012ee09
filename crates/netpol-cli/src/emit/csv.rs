//! `--format csv`: RFC 4180 (fields quoted when they hold a comma, a quote or a line
//! break); tables only.

use std::io::{self, Write};

use netpol::group::{Edge, WorkloadMatrix};
use netpol::{Matrix, WorkloadView};

use netpol::diff::{Counts, PairDiff};

use super::{cell, labels, wcell, DiffCtx, Emitter, Pairs, Report};
use crate::escape;

pub struct Csv;

impl Emitter for Csv {
    fn reports(&self) -> &'static [Report] {
        &[Report::Matrix, Report::Connlist, Report::Diff]
    }

    /// `change,from,to,before,after,causes`; the causes joined by `; `.
    fn diff(
        &self,
        out: &mut dyn Write,
        ctx: &DiffCtx<'_>,
        pairs: &mut dyn Iterator<Item = PairDiff>,
    ) -> io::Result<Counts> {
        let mut counts = Counts::default();
        out.write_all(b"change,from,to,before,after,causes\n")?;
        for p in pairs {
            counts.add(p.change);
            let causes: Vec<String> = ctx.causes(&p).iter().map(|c| ctx.cause_words(c)).collect();
            writeln!(
                out,
                "{},{},{},{},{},{}",
                p.change.as_str(),
                escape::csv(&p.from),
                escape::csv(&p.to),
                escape::csv(&p.before.to_string()),
                escape::csv(&p.after.to_string()),
                escape::csv(&causes.join("; "))
            )?;
        }
        Ok(counts)
    }

    /// A header row of destinations; cells `allowed`, `denied`, or empty (could not
    /// evaluate).
    fn matrix(&self, out: &mut dyn Write, m: &Matrix) -> io::Result<()> {
        out.write_all(b"from\\to")?;
        for e in &m.endpoints {
            write!(out, ",{}", escape::csv(e))?;
        }
        out.write_all(b"\n")?;
        for (i, row) in m.allowed.iter().enumerate() {
            out.write_all(escape::csv(&m.endpoints[i]).as_bytes())?;
            for c in row {
                write!(out, ",{}", cell(*c, "allowed", "denied", ""))?;
            }
            out.write_all(b"\n")?;
        }
        Ok(())
    }

    /// A header row of destinations; cells `allowed`, `denied`, `partial`, or empty.
    fn workload_matrix(&self, out: &mut dyn Write, m: &WorkloadMatrix) -> io::Result<()> {
        out.write_all(b"from\\to")?;
        for e in &m.names {
            write!(out, ",{}", escape::csv(e))?;
        }
        out.write_all(b"\n")?;
        for (i, row) in m.cells.iter().enumerate() {
            out.write_all(escape::csv(&m.names[i]).as_bytes())?;
            for c in row {
                write!(out, ",{}", wcell(*c, ["allowed", "denied", "partial", ""]))?;
            }
            out.write_all(b"\n")?;
        }
        Ok(())
    }

    /// `from,to,connections`, as the pod list.
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

    /// `from,to,connections`; the connections always quoted (as they always were).
    fn connlist(
        &self,
        out: &mut dyn Write,
        names: &[String],
        pairs: &mut Pairs<'_>,
    ) -> io::Result<()> {
        let names: Vec<String> = names.iter().map(|n| escape::csv(n).into_owned()).collect();
        out.write_all(b"from,to,connections\n")?;
        for (i, j, conns) in pairs {
            let conns = conns.to_string();
            writeln!(
                out,
                "{},{},\"{}\"",
                names[i],
                names[j],
                conns.replace('"', "\"\"")
            )?;
        }
        Ok(())
    }
}
