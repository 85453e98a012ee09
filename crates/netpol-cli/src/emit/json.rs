//! `--format json`: the types of [`crate::schema`] (documented in `docs/cli-json.md`).
//! The matrix and the connection list are streamed: the matrix one row per line, the
//! list one element at a time, in the layout a pretty-printed whole would have.

use std::io::{self, Write};

use netpol::services::ServiceDecision;
use netpol::{Decision, Diagnostic, Matrix, PortQuery, PortSet};

use netpol::group::{Edge, WorkloadMatrix};
use netpol::WorkloadView;

use super::{cell, labels, wcell, Ctx, Emitter, Pairs, Report};
use crate::schema::{
    ConnectionsJson, DecisionJson, DiagnosticJson, RoutedJson, WorkloadConnectionJson,
};

pub struct Json;

/// A streamed array: each element pretty-printed into a reused buffer, then indented as
/// an element of the array (JSON strings hold no raw line breaks).
fn array<F>(out: &mut dyn Write, items: &mut dyn Iterator<Item = F>) -> io::Result<()>
where
    F: FnOnce(&mut Vec<u8>) -> serde_json::Result<()>,
{
    out.write_all(b"[")?;
    let mut first = true;
    let mut buf = Vec::new();
    for write in items {
        out.write_all(if first { b"\n  " } else { b",\n  " })?;
        first = false;
        buf.clear();
        write(&mut buf)?;
        for (k, line) in buf.split(|b| *b == b'\n').enumerate() {
            if k > 0 {
                out.write_all(b"\n  ")?;
            }
            out.write_all(line)?;
        }
    }
    out.write_all(if first { b"]\n" } else { b"\n]\n" })
}

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
    fn matrix(&self, out: &mut dyn Write, m: &Matrix) -> io::Result<()> {
        let port = match &m.port {
            PortQuery::Number(n) => n.to_string(),
            PortQuery::Name(s) => json(s),
        };
        writeln!(out, "{{")?;
        writeln!(out, "  \"port\": {port},")?;
        writeln!(out, "  \"protocol\": {},", json(m.protocol.as_str()))?;
        writeln!(out, "  \"endpoints\": {},", json(&m.endpoints))?;
        writeln!(out, "  \"allowed\": [")?;
        for (i, row) in m.allowed.iter().enumerate() {
            out.write_all(b"    [")?;
            for (j, c) in row.iter().enumerate() {
                if j > 0 {
                    out.write_all(b", ")?;
                }
                out.write_all(cell(*c, "true", "false", "null").as_bytes())?;
            }
            out.write_all(if i + 1 < m.allowed.len() {
                b"],\n"
            } else {
                b"]\n"
            })?;
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
        let mut items = pairs.map(|(i, j, conns)| {
            let connections = conns.to_string();
            move |buf: &mut Vec<u8>| {
                let item = ConnectionsJson {
                    connections: &connections,
                    from: &names[i],
                    to: &names[j],
                };
                serde_json::to_writer_pretty(buf, &item)
            }
        });
        array(out, &mut items)
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
        let mut items = edges.map(|e| {
            let connections = e.set.to_string();
            move |buf: &mut Vec<u8>| {
                let item = WorkloadConnectionJson::new(
                    (&names[e.from], &groups[e.from]),
                    (&names[e.to], &groups[e.to]),
                    &connections,
                    !e.uniform(),
                );
                serde_json::to_writer_pretty(buf, &item)
            }
        });
        array(out, &mut items)
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
