//! Output formats: one [`Emitter`] per `--format`, one method per kind of report.
//!
//! A command loads, asks the [`netpol::Analysis`], and hands the answer to the emitter of
//! its `--format`; it never matches on the format itself. A format that cannot print a
//! report does not implement its method and does not list the report in
//! [`Emitter::reports`]: [`for_report`] then refuses the command line (exit 2, naming the
//! formats that can) before anything is read. A new format is one file here and one
//! variant of [`Format`].
//!
//! Everything written goes through [`crate::escape::Sanitize`] (the caller's writer):
//! no terminal control reaches a terminal raw. Cells are escaped per format (CSV per
//! RFC 4180, Markdown table cells). Large reports are written as they are computed: the
//! matrix row by row, the connection list pair by pair.

mod csv;
mod json;
mod junit;
mod md;
mod text;

pub use junit::Junit;
pub use text::Text;

use std::io::{self, Write};

use clap::ValueEnum;
use netpol::services::ServiceDecision;
use netpol::{Answer, Decision, Diagnostic, Lang, Matrix, PortSet};

use crate::input::InputSet;

/// `--format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
    Csv,
    Md,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Json => "json",
            Format::Csv => "csv",
            Format::Md => "md",
        }
    }

    /// The format's emitter.
    pub fn emitter(self) -> &'static dyn Emitter {
        match self {
            Format::Text => &text::Text,
            Format::Json => &json::Json,
            Format::Csv => &csv::Csv,
            Format::Md => &md::Md,
        }
    }
}

/// What a command prints; named as the command is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Report {
    /// `query`: a decision, a routed decision, or a connection set.
    Query,
    Matrix,
    Connlist,
    /// `lint`: diagnostics.
    Lint,
    /// `test`: scenario results.
    Test,
}

impl Report {
    pub fn command(self) -> &'static str {
        match self {
            Report::Query => "query",
            Report::Matrix => "matrix",
            Report::Connlist => "connlist",
            Report::Lint => "lint",
            Report::Test => "test",
        }
    }
}

/// What text explanations need besides the answer: the language, and the input (to say
/// where each named policy is, as `file:line:col`).
pub struct Ctx<'a> {
    pub set: &'a InputSet,
    pub lang: Lang,
}

/// The pairs of a connection list: (from, to) as indexes into the names, and the
/// connections allowed, computed as the emitter pulls them.
pub type Pairs<'a> = dyn Iterator<Item = (usize, usize, PortSet)> + 'a;

/// One output format. Each method writes one kind of report to `out`; a format that
/// cannot write a report leaves the default, which is never reached through
/// [`for_report`].
pub trait Emitter: Sync {
    /// The reports this format writes.
    fn reports(&self) -> &'static [Report];

    /// `query` between two endpoints on one port, or a ping.
    fn decision(&self, _out: &mut dyn Write, _d: &Decision, _ctx: &Ctx<'_>) -> io::Result<()> {
        Err(unavailable())
    }

    /// `query` through a Service, an Ingress, a NodePort/LoadBalancer or DNS.
    fn routed(&self, _out: &mut dyn Write, _d: &ServiceDecision, _ctx: &Ctx<'_>) -> io::Result<()> {
        Err(unavailable())
    }

    /// `query` without a port: every connection allowed from `from` to `to`.
    fn connections(
        &self,
        _out: &mut dyn Write,
        _from: &str,
        _to: &str,
        _set: &PortSet,
    ) -> io::Result<()> {
        Err(unavailable())
    }

    /// `matrix`: the truth table for one port.
    fn matrix(&self, _out: &mut dyn Write, _m: &Matrix) -> io::Result<()> {
        Err(unavailable())
    }

    /// `connlist`: every ordered pair of `names` with its connections, written as
    /// `pairs` yields them (memory does not grow with the number of pairs).
    fn connlist(
        &self,
        _out: &mut dyn Write,
        _names: &[String],
        _pairs: &mut Pairs<'_>,
    ) -> io::Result<()> {
        Err(unavailable())
    }

    /// `lint`: diagnostics and lints, in order.
    fn diagnostics(
        &self,
        _out: &mut dyn Write,
        _diags: &[Diagnostic],
        _ctx: &Ctx<'_>,
    ) -> io::Result<()> {
        Err(unavailable())
    }

    /// `test`: one scenario file's result, as soon as it has run (formats that write
    /// the whole report at the end leave this empty).
    fn scenario(&self, _out: &mut dyn Write, _case: &ScenarioCase) -> io::Result<()> {
        Ok(())
    }

    /// `test`: the end of the run, with every case (those that ran and the files that
    /// could not be read or parsed).
    fn scenarios(
        &self,
        _out: &mut dyn Write,
        _cases: &[ScenarioCase],
        _totals: &Totals,
    ) -> io::Result<()> {
        Err(unavailable())
    }
}

/// One scenario file's result in `netpol test`.
pub struct ScenarioCase {
    pub file: String,
    /// The scenario's `name` (empty when the file could not be read or parsed).
    pub name: String,
    pub passed: usize,
    /// One message per failed cell (explanations on the following lines).
    pub failures: Vec<String>,
    /// An exercise's graded checklist (goals, constraints, hints), one line each; empty
    /// for a plain scenario.
    pub checklist: Vec<String>,
}

/// The counts of a `netpol test` run.
pub struct Totals {
    pub scenarios: usize,
    pub passed: usize,
    pub failed: usize,
}

fn unavailable() -> io::Error {
    io::Error::new(
        io::ErrorKind::Unsupported,
        "this format cannot print this report",
    )
}

/// The emitter of `format` for `report`, or the usage error that names the formats
/// that can print it.
pub fn for_report(format: Format, report: Report) -> Result<&'static dyn Emitter, String> {
    let e = format.emitter();
    if e.reports().contains(&report) {
        return Ok(e);
    }
    let can: Vec<&str> = Format::value_variants()
        .iter()
        .filter(|f| f.emitter().reports().contains(&report))
        .map(|f| f.name())
        .collect();
    let list = match can.split_last() {
        Some((last, [])) => last.to_string(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    };
    Err(format!(
        "`--format {}` is not available for `{}`; use {list}",
        format.name(),
        report.command()
    ))
}

/// A `query` answer: a decision, a routed decision, or a connection set. An invalid
/// question is the caller's error (exit 2), never printed as a verdict.
pub fn answer(
    e: &dyn Emitter,
    out: &mut dyn Write,
    answer: &Answer,
    ctx: &Ctx<'_>,
) -> io::Result<()> {
    match answer {
        Answer::Decision(d) => e.decision(out, d, ctx),
        Answer::Routed(d) => e.routed(out, d, ctx),
        Answer::Connections { from, to, set } => {
            let engine = ctx.set.analysis.engine();
            e.connections(out, &engine.name(*from), &engine.name(*to), set)
        }
        Answer::Invalid(_) => Ok(()),
    }
}

/// `connlist`: the endpoints, then each `--ip`; every ordered pair but an endpoint to
/// itself, computed lazily as the emitter writes.
pub fn connlist(
    e: &dyn Emitter,
    out: &mut dyn Write,
    engine: &netpol::Engine,
    ips: &[std::net::IpAddr],
) -> io::Result<()> {
    use netpol::Target;
    let mut targets: Vec<Target> = (0..engine.cluster.endpoints.len())
        .map(Target::Endpoint)
        .collect();
    targets.extend(ips.iter().map(|ip| Target::External(*ip)));
    let names: Vec<String> = targets.iter().map(|t| engine.name(*t)).collect();
    let n = targets.len();
    let targets = &targets;
    let mut pairs = (0..n)
        .flat_map(|i| (0..n).map(move |j| (i, j)))
        .filter(|(i, j)| targets[*i] != targets[*j])
        .map(|(i, j)| (i, j, engine.connections(targets[i], targets[j])));
    e.connlist(out, &names, &mut pairs)
}

/// A cell of the matrix in words, per format.
fn cell<'a>(c: netpol::eval::Cell, yes: &'a str, no: &'a str, unknown: &'a str) -> &'a str {
    match c {
        Some(true) => yes,
        Some(false) => no,
        None => unknown,
    }
}
