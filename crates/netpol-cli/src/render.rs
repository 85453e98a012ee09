//! Matrix and connection-list renderers.

use std::net::IpAddr;

use netpol::eval::{Engine, Target};
use netpol::Matrix;

use crate::Format;

/// The matrix as JSON, streamed (a 5,000-endpoint matrix has 25 million cells): field
/// order as in the spec (port, protocol, endpoints, allowed), one row per line.
pub fn matrix_json(m: &Matrix, out: &mut impl std::io::Write) -> std::io::Result<()> {
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

pub fn matrix(m: &Matrix, format: Format) -> String {
    match format {
        Format::Json => {
            let mut buf = Vec::new();
            let _ = matrix_json(m, &mut buf);
            String::from_utf8(buf).unwrap_or_default()
        }
        Format::Csv => {
            let mut s = String::from("from\\to");
            for e in &m.endpoints {
                s.push(',');
                s.push_str(e);
            }
            s.push('\n');
            for (i, row) in m.allowed.iter().enumerate() {
                s.push_str(&m.endpoints[i]);
                for c in row {
                    s.push_str(match c {
                        Some(true) => ",allowed",
                        Some(false) => ",denied",
                        None => ",",
                    });
                }
                s.push('\n');
            }
            s
        }
        Format::Md => {
            let mut s = format!("| from \\ to ({} {}) |", m.protocol, m.port);
            for e in &m.endpoints {
                s.push_str(&format!(" {e} |"));
            }
            s.push('\n');
            s.push_str(&"| --- ".repeat(m.endpoints.len() + 1));
            s.push_str("|\n");
            for (i, row) in m.allowed.iter().enumerate() {
                s.push_str(&format!("| {} |", m.endpoints[i]));
                for c in row {
                    s.push_str(match c {
                        Some(true) => " ✓ |",
                        Some(false) => " ✗ |",
                        None => " ? |",
                    });
                }
                s.push('\n');
            }
            s
        }
        Format::Text => {
            // The e2e truth-table look: '.' allowed, 'X' denied, '?' could not evaluate.
            let w = m
                .endpoints
                .iter()
                .map(|e| e.len())
                .max()
                .unwrap_or(0)
                .max(7);
            let mut s = format!("{} {}\n{:w$}", m.protocol, m.port, "from\\to");
            for e in &m.endpoints {
                s.push_str(&format!(" {e}"));
            }
            s.push('\n');
            for (i, row) in m.allowed.iter().enumerate() {
                s.push_str(&format!("{:w$}", m.endpoints[i]));
                for (j, c) in row.iter().enumerate() {
                    let cw = m.endpoints[j].len();
                    let sym = match c {
                        Some(true) => ".",
                        Some(false) => "X",
                        None => "?",
                    };
                    s.push_str(&format!(" {sym:<cw$}"));
                }
                s.push('\n');
            }
            s
        }
    }
}

pub fn connlist(engine: &Engine<'_>, ips: &[IpAddr], format: Format) -> String {
    let mut targets: Vec<Target> = (0..engine.cluster.endpoints.len())
        .map(Target::Endpoint)
        .collect();
    targets.extend(ips.iter().map(|ip| Target::External(*ip)));
    let mut rows = Vec::new();
    for &f in &targets {
        for &t in &targets {
            if f == t {
                continue;
            }
            rows.push((
                engine.name(f),
                engine.name(t),
                engine.connections(f, t).to_string(),
            ));
        }
    }
    match format {
        Format::Json => {
            let v: Vec<serde_json::Value> = rows
                .iter()
                .map(|(f, t, c)| serde_json::json!({"from": f, "to": t, "connections": c}))
                .collect();
            serde_json::to_string_pretty(&v).unwrap_or_default() + "\n"
        }
        Format::Csv => {
            let mut s = String::from("from,to,connections\n");
            for (f, t, c) in rows {
                s.push_str(&format!("{f},{t},\"{c}\"\n"));
            }
            s
        }
        Format::Md => {
            let mut s = String::from("| from | to | connections |\n| --- | --- | --- |\n");
            for (f, t, c) in rows {
                s.push_str(&format!("| {f} | {t} | {c} |\n"));
            }
            s
        }
        Format::Text => {
            let mut s = String::new();
            for (f, t, c) in rows {
                s.push_str(&format!("{f} => {t} : {c}\n"));
            }
            s
        }
    }
}
