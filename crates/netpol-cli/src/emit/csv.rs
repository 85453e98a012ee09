//! `--format csv`: RFC 4180 (fields quoted when they hold a comma, a quote or a line
//! break); tables only.

use std::io::{self, Write};

use netpol::ClassMatrix;

use super::{Emitter, Pairs, Report};
use crate::escape;

pub struct Csv;

impl Emitter for Csv {
    fn reports(&self) -> &'static [Report] {
        &[Report::Matrix, Report::Connlist]
    }

    /// A header row of destinations; cells `allowed`, `denied`, or empty (could not
    /// evaluate).
    fn matrix(&self, out: &mut dyn Write, m: &ClassMatrix) -> io::Result<()> {
        out.write_all(b"from\\to")?;
        for e in &m.endpoints {
            write!(out, ",{}", escape::csv(e))?;
        }
        out.write_all(b"\n")?;
        let mut line: Vec<u8> = Vec::new();
        let mut cells = Vec::new();
        for i in 0..m.len() {
            line.clear();
            line.extend_from_slice(escape::csv(&m.endpoints[i]).as_bytes());
            m.row_into(i, &mut cells);
            line.reserve(cells.len() * 8);
            for c in &cells {
                let text: &[u8] = match c {
                    Some(true) => b",allowed",
                    Some(false) => b",denied",
                    None => b",",
                };
                // Byte by byte: a call to memcpy per cell costs more than the cell.
                line.extend(text.iter().copied());
            }
            line.push(b'\n');
            out.write_all(&line)?;
        }
        Ok(())
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
