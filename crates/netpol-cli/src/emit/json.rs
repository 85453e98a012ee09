//! `--format json`: the types of [`crate::schema`] (documented in `docs/cli-json.md`).
//! The matrix and the connection list are streamed: the matrix one row per line, the
//! list one element at a time, in the layout a pretty-printed whole would have.

use std::io::{self, Write};

use netpol::services::ServiceDecision;
use netpol::{ClassMatrix, Decision, Diagnostic, PortQuery, PortSet};

use netpol::diff::{Counts, PairDiff};
use netpol::group::{Edge, WorkloadMatrix};
use netpol::WorkloadView;

use super::{cell, labels, wcell, Ctx, DiffCtx, Emitter, Pairs, Report, SetTexts};
use crate::schema::{
    CauseJson, ConnectionsJson, DecisionJson, DiagnosticJson, DiffJson, RoutedJson,
    WorkloadConnectionJson,
};

pub struct Json;

fn pretty(out: &mut dyn Write, v: &impl serde::Serialize) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, v)?;
    out.write_all(b"\n")
}

/// A small value as JSON.
fn json<T: serde::Serialize + ?Sized>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

/// A JSON array written one element at a time, in the layout a pretty-printed whole
/// would have: each element pretty-printed into a reused buffer, then indented (JSON
/// strings hold no raw line breaks).
struct Array<'a> {
    out: &'a mut dyn Write,
    first: bool,
    buf: Vec<u8>,
}

impl<'a> Array<'a> {
    fn new(out: &'a mut dyn Write) -> io::Result<Self> {
        out.write_all(b"[")?;
        Ok(Array {
            out,
            first: true,
            buf: Vec::new(),
        })
    }

    fn push(&mut self, item: &impl serde::Serialize) -> io::Result<()> {
        self.out
            .write_all(if self.first { b"\n  " } else { b",\n  " })?;
        self.first = false;
        self.buf.clear();
        serde_json::to_writer_pretty(&mut self.buf, item)?;
        for (k, line) in self.buf.split(|b| *b == b'\n').enumerate() {
            if k > 0 {
                self.out.write_all(b"\n  ")?;
            }
            self.out.write_all(line)?;
        }
        Ok(())
    }

    fn end(self) -> io::Result<()> {
        self.out
            .write_all(if self.first { b"]\n" } else { b"\n]\n" })
    }
}

impl Emitter for Json {
    fn reports(&self) -> &'static [Report] {
        &[
            Report::Query,
            Report::Matrix,
            Report::Connlist,
            Report::Lint,
            Report::Diff,
            Report::Exposure,
        ]
    }

    fn exposure(
        &self,
        out: &mut dyn Write,
        report: &netpol::exposure::ExposureReport,
        ctx: &Ctx<'_>,
    ) -> io::Result<()> {
        pretty(
            out,
            &crate::schema::exposure_json(report, ctx.lang, ctx.set),
        )
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
        let mut array = Array::new(out)?;
        for (i, j, conns) in pairs {
            let connections = conns.to_string();
            array.push(&ConnectionsJson {
                connections: &connections,
                from: &names[i],
                to: &names[j],
            })?;
        }
        array.end()
    }

    /// `[{"after", "before", "causes", "change", "from", "to"}, ...]`, one element at a
    /// time.
    fn diff(
        &self,
        out: &mut dyn Write,
        ctx: &DiffCtx<'_>,
        pairs: &mut dyn Iterator<Item = PairDiff>,
    ) -> io::Result<Counts> {
        let mut counts = Counts::default();
        let mut array = Array::new(out)?;
        for p in pairs {
            counts.add(p.change);
            let causes = ctx.causes(&p);
            let causes = causes
                .iter()
                .filter_map(|c| {
                    let o = ctx.causes.changes.get(c.object)?;
                    Some(CauseJson::new(o, c, &ctx.causes.relevant_rules(c)))
                })
                .collect();
            array.push(&DiffJson {
                after: p.after.to_string(),
                before: p.before.to_string(),
                causes,
                change: p.change.as_str(),
                from: &p.from,
                to: &p.to,
            })?;
        }
        array.end()?;
        Ok(counts)
    }

    /// `[{"connections", "from", "from_kind", "from_name", "from_namespace", "to", ...}]`,
    /// one element at a time.
    fn workloads(
        &self,
        out: &mut dyn Write,
        view: &WorkloadView<'_>,
        _focus: Option<&[usize]>,
        edges: &mut dyn Iterator<Item = Edge>,
    ) -> io::Result<()> {
        let names = labels(view);
        let (names, groups) = (&names, &view.groups);
        let mut array = Array::new(out)?;
        let mut texts = SetTexts::default();
        for e in edges {
            let connections = texts.text(&e.set);
            array.push(&WorkloadConnectionJson::new(
                (&names[e.from], &groups[e.from]),
                (&names[e.to], &groups[e.to]),
                connections,
                !e.uniform(),
            ))?;
        }
        array.end()
    }

    /// The pod matrix's layout with `"by": "workload"` first; cells `true`, `false`,
    /// `"partial"`, `null`.
    fn workload_matrix(&self, out: &mut dyn Write, m: &WorkloadMatrix) -> io::Result<()> {
        let port = match &m.port {
            PortQuery::Number(n) => n.to_string(),
            PortQuery::Name(s) => json(s),
        };
        writeln!(out, "{{")?;
        writeln!(out, "  \"by\": \"workload\",")?;
        writeln!(out, "  \"port\": {port},")?;
        writeln!(out, "  \"protocol\": {},", json(m.protocol.as_str()))?;
        writeln!(out, "  \"endpoints\": {},", json(&m.names))?;
        writeln!(out, "  \"allowed\": [")?;
        for (i, row) in m.cells.iter().enumerate() {
            out.write_all(b"    [")?;
            for (j, c) in row.iter().enumerate() {
                if j > 0 {
                    out.write_all(b", ")?;
                }
                out.write_all(wcell(*c, ["true", "false", "\"partial\"", "null"]).as_bytes())?;
            }
            out.write_all(if i + 1 < m.cells.len() {
                b"],\n"
            } else {
                b"]\n"
            })?;
        }
        writeln!(out, "  ]")?;
        writeln!(out, "}}")
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
