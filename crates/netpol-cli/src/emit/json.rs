//! `--format json`: the types of [`crate::schema`] (documented in `docs/cli-json.md`).
//! The matrix and the connection list are streamed: the matrix one row per line, the
//! list one element at a time, in the layout a pretty-printed whole would have.

use std::io::{self, Write};

use netpol::services::ServiceDecision;
use netpol::{ClassMatrix, Decision, Diagnostic, PortQuery, PortSet};

use super::{cell, Ctx, Emitter, Pairs, Report};
use crate::schema::{ConnectionsJson, DecisionJson, DiagnosticJson, RoutedJson};

pub struct Json;

fn pretty(out: &mut dyn Write, v: &impl serde::Serialize) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, v)?;
    out.write_all(b"\n")
}

/// A small value as JSON.
fn json<T: serde::Serialize + ?Sized>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

impl Emitter for Json {
    fn reports(&self) -> &'static [Report] {
        &[
            Report::Query,
            Report::Matrix,
            Report::Connlist,
            Report::Lint,
        ]
    }

    fn decision(&self, out: &mut dyn Write, d: &Decision, _: &Ctx<'_>) -> io::Result<()> {
        pretty(out, &DecisionJson::from(d))
    }

    fn routed(&self, out: &mut dyn Write, d: &ServiceDecision, _: &Ctx<'_>) -> io::Result<()> {
        pretty(out, &RoutedJson::from(d))
    }

    /// One line: `{"connections":"TCP 80","from":"a/x","to":"b/y"}`.
    fn connections(
        &self,
        out: &mut dyn Write,
        from: &str,
        to: &str,
        set: &PortSet,
    ) -> io::Result<()> {
        let connections = set.to_string();
        serde_json::to_writer(
            &mut *out,
            &ConnectionsJson {
                connections: &connections,
                from,
                to,
            },
        )?;
        out.write_all(b"\n")
    }

    /// The spec's format: `port`, `protocol`, `endpoints`, `allowed` (rows of `true`,
    /// `false`, `null`), one row per line.
    fn matrix(&self, out: &mut dyn Write, m: &ClassMatrix) -> io::Result<()> {
        let port = match &m.port {
            PortQuery::Number(n) => n.to_string(),
            PortQuery::Name(s) => json(s),
        };
        writeln!(out, "{{")?;
        writeln!(out, "  \"port\": {port},")?;
        writeln!(out, "  \"protocol\": {},", json(m.protocol.as_str()))?;
        writeln!(out, "  \"endpoints\": {},", json(&m.endpoints))?;
        writeln!(out, "  \"allowed\": [")?;
        // One row at a time into one reused buffer (the table is never held whole).
        let mut line: Vec<u8> = Vec::new();
        let mut cells = Vec::new();
        // Each cell with the separator before it.
        let after = |c: netpol::eval::Cell| -> &'static [u8] {
            match c {
                Some(true) => b", true",
                Some(false) => b", false",
                None => b", null",
            }
        };
        for i in 0..m.len() {
            line.clear();
            line.extend_from_slice(b"    [");
            m.row_into(i, &mut cells);
            if let Some((first, rest)) = cells.split_first() {
                line.extend_from_slice(cell(*first, "true", "false", "null").as_bytes());
                line.reserve(rest.len() * 7);
                for c in rest {
                    // Byte by byte: a call to memcpy per cell costs more than the cell.
                    line.extend(after(*c).iter().copied());
                }
            }
            line.extend_from_slice(if i + 1 < m.len() { b"],\n" } else { b"]\n" });
            out.write_all(&line)?;
        }
        writeln!(out, "  ]")?;
        writeln!(out, "}}")
    }

    /// `[{"connections", "from", "to"}, ...]`, one element at a time.
    fn connlist(
        &self,
        out: &mut dyn Write,
        names: &[String],
        pairs: &mut Pairs<'_>,
    ) -> io::Result<()> {
        out.write_all(b"[")?;
        let mut first = true;
        // One element at a time, pretty-printed into a reused buffer, then indented as
        // an element of the array (JSON strings hold no raw line breaks).
        let mut buf = Vec::new();
        for (i, j, conns) in pairs {
            out.write_all(if first { b"\n  " } else { b",\n  " })?;
            first = false;
            let connections = conns.to_string();
            let item = ConnectionsJson {
                connections: &connections,
                from: &names[i],
                to: &names[j],
            };
            buf.clear();
            serde_json::to_writer_pretty(&mut buf, &item)?;
            for (k, line) in buf.split(|b| *b == b'\n').enumerate() {
                if k > 0 {
                    out.write_all(b"\n  ")?;
                }
                out.write_all(line)?;
            }
        }
        out.write_all(if first { b"]\n" } else { b"\n]\n" })
    }

    fn diagnostics(
        &self,
        out: &mut dyn Write,
        diags: &[Diagnostic],
        ctx: &Ctx<'_>,
    ) -> io::Result<()> {
        let items: Vec<DiagnosticJson<'_>> = diags
            .iter()
            .map(|d| DiagnosticJson::new(d, ctx.set.line_col(&d.location)))
            .collect();
        pretty(out, &items)
    }
}
