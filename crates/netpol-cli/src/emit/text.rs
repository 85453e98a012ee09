//! `--format text`: explanations in words (with `file:line:col` for each policy named),
//! the e2e truth-table look for the matrix, `from => to : connections` lines.

use std::io::{self, Write};

use netpol::services::ServiceDecision;
use netpol::{ClassMatrix, Decision, Diagnostic, PortSet, Severity};

use netpol::diff::{Counts, PairDiff};
use netpol::group::{Edge, WorkloadMatrix};
use netpol::words::diff as words;
use netpol::WorkloadView;

use super::{
    cell, labels, wcell, Ctx, DiffCtx, Emitter, Pairs, Report, ScenarioCase, SetTexts, Totals,
};
use crate::escape;

pub struct Text;

fn lines(out: &mut dyn Write, lines: &[String], ctx: &Ctx<'_>) -> io::Result<()> {
    writeln!(out, "{}", ctx.set.with_positions(lines).join("\n"))
}

impl Emitter for Text {
    fn reports(&self) -> &'static [Report] {
        &[
            Report::Query,
            Report::Matrix,
            Report::Connlist,
            Report::Lint,
            Report::Test,
            Report::Diff,
            Report::Exposure,
        ]
    }

    /// Per workload: per direction the sentence, then each exposure with its rule and
    /// `file:line:col`.
    fn exposure(
        &self,
        out: &mut dyn Write,
        report: &netpol::exposure::ExposureReport,
        ctx: &Ctx<'_>,
    ) -> io::Result<()> {
        use netpol::words::exposure as words;
        use netpol::Direction;
        let lang = ctx.lang;
        for (k, w) in report.workloads.iter().enumerate() {
            if k > 0 {
                out.write_all(b"\n")?;
            }
            writeln!(out, "{}", w.workload)?;
            for dir in [Direction::Ingress, Direction::Egress] {
                let d = w.direction(dir);
                writeln!(
                    out,
                    "  {}: {}",
                    words::direction(dir),
                    words::summary(w, dir, lang)
                )?;
                for e in &d.exposures {
                    writeln!(out, "    - {}", words::exposure(e, dir, lang))?;
                    let at = super::grant_position(&e.grant, ctx)
                        .map(|p| format!(" ({p})"))
                        .unwrap_or_default();
                    writeln!(
                        out,
                        "      {} {}{at}",
                        words::rule_word(lang),
                        words::grant(&e.grant, lang)
                    )?;
                }
            }
        }
        if report.workloads.is_empty() {
            writeln!(out, "{}", crate::words::no_workload(lang))?;
        }
        Ok(())
    }

    fn decision(&self, out: &mut dyn Write, d: &Decision, ctx: &Ctx<'_>) -> io::Result<()> {
        lines(out, &netpol::explain::explain(d, ctx.lang), ctx)
    }

    fn routed(&self, out: &mut dyn Write, d: &ServiceDecision, ctx: &Ctx<'_>) -> io::Result<()> {
        lines(out, &netpol::words::services::explain(d, ctx.lang), ctx)
    }

    fn connections(
        &self,
        out: &mut dyn Write,
        from: &str,
        to: &str,
        set: &PortSet,
    ) -> io::Result<()> {
        writeln!(out, "{from} -> {to}: {set}")
    }

    /// `.` allowed, `X` denied, `?` could not evaluate; columns as wide as their names.
    fn matrix(&self, out: &mut dyn Write, m: &ClassMatrix) -> io::Result<()> {
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
        let widths: Vec<usize> = names.iter().map(|n| width(n)).collect();
        let mut line: Vec<u8> = Vec::new();
        for (i, name) in names.iter().enumerate() {
            line.clear();
            line.extend_from_slice(name.as_bytes());
            line.resize(line.len() + w.saturating_sub(width(name)), b' ');
            for (c, &cw) in m.row(i).zip(&widths) {
                line.push(b' ');
                line.extend_from_slice(cell(c, ".", "X", "?").as_bytes());
                line.resize(line.len() + cw.saturating_sub(1), b' ');
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
        for (i, j, conns) in pairs {
            writeln!(out, "{} => {} : {conns}", names[i], names[j])?;
        }
        Ok(())
    }

    /// `ns/name[Kind] => ns/name[Kind] : connections`, as np-guard's netpol-analyzer
    /// names them.
    fn workloads(
        &self,
        out: &mut dyn Write,
        view: &WorkloadView<'_>,
        _focus: Option<&[usize]>,
        edges: &mut dyn Iterator<Item = Edge>,
    ) -> io::Result<()> {
        let names = labels(view);
        let mut texts = SetTexts::default();
        for e in edges {
            let set = texts.text(&e.set);
            writeln!(out, "{} => {} : {set}", names[e.from], names[e.to])?;
        }
        Ok(())
    }

    /// As the pod matrix, and `~` where only some pods of a workload may connect.
    fn workload_matrix(&self, out: &mut dyn Write, m: &WorkloadMatrix) -> io::Result<()> {
        grid(out, (&m.protocol, &m.port), &m.names, &m.cells, |c| {
            wcell(*c, [".", "X", "~", "?"])
        })
    }

    /// `file:line:col: severity: message [path]` and `help:` lines, then the counts.
    fn diagnostics(
        &self,
        out: &mut dyn Write,
        diags: &[Diagnostic],
        ctx: &Ctx<'_>,
    ) -> io::Result<()> {
        for d in diags {
            writeln!(out, "{}", ctx.set.format_diagnostic(d))?;
        }
        let count = |s| diags.iter().filter(|d| d.severity == s).count();
        writeln!(
            out,
            "{} error(s), {} warning(s)",
            count(Severity::Error),
            count(Severity::Warning)
        )
    }

    /// The objects that differ (with where they are), then per pair
    /// `changed: a/x => b/y : TCP 80 -> TCP 80,443` and its causes, then the counts.
    fn diff(
        &self,
        out: &mut dyn Write,
        ctx: &DiffCtx<'_>,
        pairs: &mut dyn Iterator<Item = PairDiff>,
    ) -> io::Result<Counts> {
        let h = words::headings(ctx.lang);
        if ctx.causes.is_empty() {
            writeln!(out, "{}", h.no_objects)?;
        } else {
            writeln!(out, "{}:", h.objects)?;
            for o in &ctx.causes.changes {
                let rules: Vec<_> = o.rules.iter().collect();
                let at = ctx
                    .position(o)
                    .map(|p| format!(" ({p})"))
                    .unwrap_or_default();
                writeln!(out, "  {}{at}", words::object(o, &rules, ctx.lang))?;
            }
        }
        let mut counts = Counts::default();
        for p in pairs {
            if counts.total() == 0 {
                out.write_all(b"\n")?;
            }
            counts.add(p.change);
            writeln!(
                out,
                "{}: {} => {} : {} -> {}",
                words::change(p.change, ctx.lang),
                p.from,
                p.to,
                p.before,
                p.after
            )?;
            let causes = ctx.causes(&p);
            if causes.is_empty() {
                writeln!(out, "  {}", words::unexplained(ctx.lang))?;
            }
            for c in &causes {
                writeln!(out, "  {} {}", words::because(ctx.lang), ctx.cause_words(c))?;
            }
        }
        writeln!(out, "\n{}", words::counts(&counts, ctx.lang))?;
        Ok(counts)
    }

    /// `FAIL file [name]` and the failure, indented, per failed cell.
    fn scenario(&self, out: &mut dyn Write, case: &ScenarioCase) -> io::Result<()> {
        if !case.checklist.is_empty() {
            // An exercise: the checklist already holds every failure, explained.
            for line in &case.checklist {
                writeln!(out, "{line}")?;
            }
            return Ok(());
        }
        for m in &case.failures {
            writeln!(
                out,
                "FAIL {} [{}]\n  {}",
                case.file,
                case.name,
                m.replace('\n', "\n  ")
            )?;
        }
        Ok(())
    }

    fn scenarios(&self, out: &mut dyn Write, _: &[ScenarioCase], t: &Totals) -> io::Result<()> {
        writeln!(out, "{} scenario file(s)", t.scenarios)?;
        writeln!(out, "{} passed, {} failed", t.passed, t.failed)
    }
}

/// A matrix as text: the protocol and port, a header row of `names`, then one row per
/// name; columns as wide as their names, cells as `sym` writes them.
fn grid<C>(
    out: &mut dyn Write,
    (protocol, port): (&dyn std::fmt::Display, &dyn std::fmt::Display),
    names: &[String],
    rows: &[Vec<C>],
    sym: impl Fn(&C) -> &'static str,
) -> io::Result<()> {
    let names: Vec<String> = names.iter().map(|e| escape::text(e).into_owned()).collect();
    let width = |s: &str| s.chars().count();
    let w = names.iter().map(|e| width(e)).max().unwrap_or(0).max(7);
    write!(out, "{protocol} {port}\n{:w$}", "from\\to")?;
    for e in &names {
        write!(out, " {e}")?;
    }
    out.write_all(b"\n")?;
    for (name, row) in names.iter().zip(rows) {
        write!(out, "{name:w$}")?;
        for (c, col) in row.iter().zip(&names) {
            let cw = width(col);
            write!(out, " {:<cw$}", sym(c))?;
        }
        out.write_all(b"\n")?;
    }
    Ok(())
}
