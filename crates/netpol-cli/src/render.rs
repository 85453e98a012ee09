//! Matrix and connection-list renderers, written straight to the output (a 5,000-endpoint
//! matrix has 25 million cells; a connection list as many pairs).

use std::io::{self, Write};
use std::net::IpAddr;

use netpol::eval::{Cell, Engine, Target};
use netpol::Matrix;

use crate::escape;
use crate::Format;

/// The matrix as JSON, streamed: field order as in the spec (port, protocol, endpoints,
/// allowed), one row per line; a cell that could not be evaluated is `null`.
pub fn matrix_json(m: &Matrix, out: &mut impl Write) -> io::Result<()> {
    writeln!(out, "{{")?;
    writeln!(out, "  \"port\": {},", json(&m.port))?;
    writeln!(out, "  \"protocol\": {},", json(m.protocol.as_str()))?;
    writeln!(out, "  \"endpoints\": {},", json(&m.endpoints))?;
    writeln!(out, "  \"allowed\": [")?;
    for (i, row) in m.allowed.iter().enumerate() {
        out.write_all(b"    [")?;
        for (j, cell) in row.iter().enumerate() {
            if j > 0 {
                out.write_all(b", ")?;
            }
            out.write_all(match cell {
                Some(true) => b"true",
                Some(false) => b"false",
                None => b"null",
            })?;
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

/// A small value as JSON.
fn json<T: serde::Serialize + ?Sized>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

/// The matrix in `format`: text (`.` allowed, `X` denied, `?` could not evaluate), CSV
/// (`allowed`, `denied`, empty), Markdown (✓, ✗, ?) or JSON.
pub fn matrix(m: &Matrix, format: Format, out: &mut impl Write) -> io::Result<()> {
    match format {
        Format::Json => matrix_json(m, out),
        Format::Csv => {
            out.write_all(b"from\\to")?;
            for e in &m.endpoints {
                write!(out, ",{}", escape::csv(e))?;
            }
            out.write_all(b"\n")?;
            for (i, row) in m.allowed.iter().enumerate() {
                out.write_all(escape::csv(&m.endpoints[i]).as_bytes())?;
                for c in row {
                    out.write_all(match c {
                        Some(true) => b",allowed",
                        Some(false) => b",denied",
                        None => b",",
                    })?;
                }
                out.write_all(b"\n")?;
            }
            Ok(())
        }
        Format::Md => {
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
                    out.write_all(match c {
                        Some(true) => " ✓ |".as_bytes(),
                        Some(false) => " ✗ |".as_bytes(),
                        None => b" ? |",
                    })?;
                }
                out.write_all(b"\n")?;
            }
            Ok(())
        }
        Format::Text => {
            // The e2e truth-table look: '.' allowed, 'X' denied; '?' could not evaluate.
            let names: Vec<String> = m
                .endpoints
                .iter()
                .map(|e| escape::text(e).into_owned())
                .collect();
            let width = |s: &str| s.chars().count();
            let w = names.iter().map(|e| width(e)).max().unwrap_or(0).max(7);
            write!(out, "{} {}\n{:w$}", m.protocol, m.port, "from\\to")?;
            for e in &names {
                write!(out, " {e}")?;
            }
            out.write_all(b"\n")?;
            for (i, row) in m.allowed.iter().enumerate() {
                write!(out, "{:w$}", names[i])?;
                for (j, c) in row.iter().enumerate() {
                    let cw = width(&names[j]);
                    write!(out, " {:<cw$}", symbol(*c))?;
                }
                out.write_all(b"\n")?;
            }
            Ok(())
        }
    }
}

fn symbol(c: Cell) -> &'static str {
    match c {
        Some(true) => ".",
        Some(false) => "X",
        None => "?",
    }
}

/// Every ordered pair with its allowed connections, written as each is computed: memory
/// does not grow with the number of pairs (the caller passes a buffered writer).
pub fn connlist(
    engine: &Engine,
    ips: &[IpAddr],
    format: Format,
    out: &mut impl Write,
) -> io::Result<()> {
    let mut targets: Vec<Target> = (0..engine.cluster.endpoints.len())
        .map(Target::Endpoint)
        .collect();
    targets.extend(ips.iter().map(|ip| Target::External(*ip)));
    // Names once, already in the output's form.
    let names: Vec<String> = targets
        .iter()
        .map(|t| {
            let n = engine.name(*t);
            match format {
                Format::Json => json(&n),
                Format::Csv => escape::csv(&n).into_owned(),
                Format::Md => escape::md(&n).into_owned(),
                Format::Text => n,
            }
        })
        .collect();
    match format {
        Format::Csv => out.write_all(b"from,to,connections\n")?,
        Format::Md => out.write_all(b"| from | to | connections |\n| --- | --- | --- |\n")?,
        Format::Json => out.write_all(b"[")?,
        Format::Text => {}
    }
    let mut first = true;
    for (i, &f) in targets.iter().enumerate() {
        for (j, &t) in targets.iter().enumerate() {
            if f == t {
                continue;
            }
            let conns = engine.connections(f, t).to_string();
            let (from, to) = (&names[i], &names[j]);
            match format {
                Format::Json => {
                    // The layout `serde_json::to_string_pretty` gave the whole list.
                    out.write_all(if first { b"\n" } else { b",\n" })?;
                    write!(
                        out,
                        "  {{\n    \"connections\": {},\n    \"from\": {from},\n    \"to\": {to}\n  }}",
                        json(&conns)
                    )?;
                }
                // Always quoted, as before (RFC 4180 allows it); names only when needed.
                Format::Csv => writeln!(out, "{from},{to},\"{}\"", conns.replace('"', "\"\""))?,
                Format::Md => writeln!(out, "| {from} | {to} | {} |", escape::md(&conns))?,
                Format::Text => writeln!(out, "{from} => {to} : {conns}")?,
            }
            first = false;
        }
    }
    if format == Format::Json {
        out.write_all(if first { b"]\n" } else { b"\n]\n" })?;
    }
    Ok(())
}
