//! `--format md`: Markdown tables, every cell escaped (`|`, backticks, markup, line
//! breaks as `<br>`); the diff as a pull-request comment with a Mermaid graph.

use std::io::{self, Write};

use std::collections::BTreeMap;

use netpol::ClassMatrix;

use netpol::diff::{Change, Counts, PairDiff};
use netpol::group::{Edge, WorkloadMatrix};
use netpol::words::diff as words;
use netpol::WorkloadView;

use super::{cell, labels, wcell, DiffCtx, Emitter, Pairs, Report};
use crate::escape;

pub struct Md;

impl Emitter for Md {
    fn reports(&self) -> &'static [Report] {
        &[
            Report::Matrix,
            Report::Connlist,
            Report::Diff,
            Report::Exposure,
        ]
    }

    /// A heading per workload, the sentence per direction, and a table of its
    /// exposures: `direction | peers | ports | certainty | now matches | rule`.
    fn exposure(
        &self,
        out: &mut dyn Write,
        report: &netpol::exposure::ExposureReport,
        ctx: &super::Ctx<'_>,
    ) -> io::Result<()> {
        use netpol::exposure::Certainty;
        use netpol::words::exposure as words;
        use netpol::Direction;
        let lang = ctx.lang;
        let [title, head, certain, may] = crate::words::exposure_md(lang);
        writeln!(out, "## {title}")?;
        if report.workloads.is_empty() {
            writeln!(out, "\n{}", crate::words::no_workload_sentence(lang))?;
        }
        for w in &report.workloads {
            writeln!(out, "\n### {}\n", md_words(&format!("`{}`", w.workload)))?;
            for dir in [Direction::Ingress, Direction::Egress] {
                writeln!(out, "- {}", md_words(&words::summary(w, dir, lang)))?;
            }
            let rows: Vec<(Direction, &netpol::exposure::Exposure)> =
                [Direction::Ingress, Direction::Egress]
                    .into_iter()
                    .flat_map(|d| w.direction(d).exposures.iter().map(move |e| (d, e)))
                    .collect();
            if rows.is_empty() {
                continue;
            }
            writeln!(out, "\n{head}\n| --- | --- | --- | --- | --- | --- |")?;
            for (dir, e) in rows {
                let mut rule = words::grant(&e.grant, lang);
                if let Some(p) = super::grant_position(&e.grant, ctx) {
                    rule.push_str(&format!(" ({p})"));
                }
                let now = words::existing(e, lang).unwrap_or_default();
                writeln!(
                    out,
                    "| {} | {} | {} | {} | {} | {} |",
                    dir.as_str(),
                    md_words(&words::peer(&e.peer, lang)),
                    md_words(&words::ports(&e.ports, lang)),
                    if e.certainty == Certainty::Certain {
                        certain
                    } else {
                        may
                    },
                    md_words(&now),
                    md_words(&rule)
                )?;
            }
        }
        Ok(())
    }

    /// A pull-request comment: the counts, the objects that differ, a table per
    /// destination namespace (at most 300 rows), and a Mermaid graph of the changed
    /// edges when there are at most 40.
    fn diff(
        &self,
        out: &mut dyn Write,
        ctx: &DiffCtx<'_>,
        pairs: &mut dyn Iterator<Item = PairDiff>,
    ) -> io::Result<Counts> {
        diff_md(out, ctx, pairs)
    }

    /// ✓ allowed, ✗ denied, ? could not evaluate.
    fn matrix(&self, out: &mut dyn Write, m: &ClassMatrix) -> io::Result<()> {
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
        let mut line: Vec<u8> = Vec::new();
        for i in 0..m.len() {
            line.clear();
            line.extend_from_slice(b"| ");
            line.extend_from_slice(escape::md(&m.endpoints[i]).as_bytes());
            line.extend_from_slice(b" |");
            for c in m.row(i) {
                line.push(b' ');
                line.extend_from_slice(cell(c, "✓", "✗", "?").as_bytes());
                line.extend_from_slice(b" |");
            }
            line.push(b'\n');
            out.write_all(&line)?;
        }
        Ok(())
    }

    /// ✓ allowed, ✗ denied, ~ some pods only, ? could not evaluate.
    fn workload_matrix(&self, out: &mut dyn Write, m: &WorkloadMatrix) -> io::Result<()> {
        grid(out, (&m.protocol, &m.port), &m.names, &m.cells, |c| {
            wcell(*c, ["✓", "✗", "~", "?"])
        })
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

/// At most this many rows in the table (a pull-request comment holds 65,536 characters).
const MAX_ROWS: usize = 300;
/// A Mermaid graph only up to this many changed edges.
const MAX_EDGES: usize = 40;

/// A Mermaid label: quotes and angle brackets as entities, inside `"..."`.
fn mermaid(s: &str) -> String {
    escape::text(s)
        .replace('#', "#35;")
        .replace('"', "#quot;")
        .replace('<', "#lt;")
        .replace('>', "#gt;")
        .replace('`', "#96;")
        .replace(['\r', '\n'], " ")
}

/// The namespace a pair is listed under: its destination's (an address: none).
fn namespace(name: &str) -> Option<&str> {
    name.split_once('/').map(|(ns, _)| ns)
}

fn diff_md(
    out: &mut dyn Write,
    ctx: &DiffCtx<'_>,
    pairs: &mut dyn Iterator<Item = PairDiff>,
) -> io::Result<Counts> {
    let h = words::headings(ctx.lang);
    let mut counts = Counts::default();
    // Rows by destination namespace, in pair order within each.
    let mut rows: BTreeMap<Option<String>, Vec<String>> = BTreeMap::new();
    let mut kept = 0usize;
    let mut edges: Vec<(String, String, Change, String)> = Vec::new();
    for p in pairs {
        counts.add(p.change);
        if edges.len() <= MAX_EDGES {
            let label = match p.change {
                Change::Changed => format!("{} → {}", p.before, p.after),
                Change::Added => format!("+ {}", p.after),
                Change::Removed => format!("− {}", p.before),
            };
            edges.push((p.from.clone(), p.to.clone(), p.change, label));
        }
        if kept >= MAX_ROWS {
            continue;
        }
        kept += 1;
        let why: Vec<String> = ctx
            .causes(&p)
            .iter()
            .map(|c| md_words(&ctx.cause_words(c)))
            .collect();
        let row = format!(
            "| {} | {} | {} | {} | {} | {} |",
            words::change(p.change, ctx.lang),
            escape::md(&p.from),
            escape::md(&p.to),
            escape::md(&p.before.to_string()),
            escape::md(&p.after.to_string()),
            why.join("<br>")
        );
        rows.entry(namespace(&p.to).map(str::to_string))
            .or_default()
            .push(row);
    }
    writeln!(out, "### {}\n", h.title)?;
    writeln!(
        out,
        "**{}**\n",
        escape::md(&words::counts(&counts, ctx.lang))
    )?;
    if !ctx.causes.is_empty() {
        writeln!(out, "{}:\n", capitalise(h.objects))?;
        for o in &ctx.causes.changes {
            let rules: Vec<_> = o.rules.iter().collect();
            writeln!(out, "- {}", md_words(&words::object(o, &rules, ctx.lang)))?;
        }
        out.write_all(b"\n")?;
    }
    for (ns, list) in &rows {
        match ns {
            Some(ns) => writeln!(out, "#### {} `{}`\n", h.namespace, escape::md(ns))?,
            None => writeln!(out, "#### {}\n", h.to)?,
        }
        writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |\n| --- | --- | --- | --- | --- | --- |",
            h.change, h.from, h.to, h.before, h.after, h.why
        )?;
        for r in list {
            writeln!(out, "{r}")?;
        }
        out.write_all(b"\n")?;
    }
    if counts.total() > kept {
        writeln!(out, "_{} {}_\n", counts.total() - kept, h.more)?;
    }
    if counts.total() == 0 {
        return Ok(counts);
    }
    if edges.len() > MAX_EDGES {
        writeln!(out, "_{}_", h.no_graph)?;
        return Ok(counts);
    }
    // Node ids in order of first appearance; labels escaped.
    let mut ids: Vec<String> = Vec::new();
    let id = |n: &str, ids: &mut Vec<String>| match ids.iter().position(|x| x == n) {
        Some(i) => i,
        None => {
            ids.push(n.to_string());
            ids.len() - 1
        }
    };
    let mut lines = Vec::new();
    let mut styles = Vec::new();
    for (k, (f, t, change, label)) in edges.iter().enumerate() {
        let (a, b) = (id(f, &mut ids), id(t, &mut ids));
        let arrow = if *change == Change::Removed {
            "-.->"
        } else {
            "-->"
        };
        lines.push(format!("  n{a} {arrow}|\"{}\"| n{b}", mermaid(label)));
        let colour = match change {
            Change::Added => "#1a7f37",
            Change::Removed => "#cf222e",
            Change::Changed => "#9a6700",
        };
        styles.push(format!("  linkStyle {k} stroke:{colour},color:{colour}"));
    }
    writeln!(out, "{}:\n\n```mermaid\ngraph LR", capitalise(h.graph))?;
    for (i, n) in ids.iter().enumerate() {
        writeln!(out, "  n{i}[\"{}\"]", mermaid(n))?;
    }
    for l in lines.iter().chain(&styles) {
        writeln!(out, "{l}")?;
    }
    writeln!(out, "```")?;
    Ok(counts)
}

/// Words with `code` spans, for a table cell or a list item: the text between
/// backticks stays a code span (`|` escaped, as GitHub tables need, line breaks as
/// spaces); the rest is escaped as any cell.
fn md_words(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let parts: Vec<&str> = s.split('`').collect();
    let n = parts.len();
    for (i, part) in parts.into_iter().enumerate() {
        // An odd part is inside backticks when a closing one follows.
        if i % 2 == 1 && i + 1 < n {
            out.push('`');
            out.push_str(
                &escape::text(part)
                    .replace('|', "\\|")
                    .replace(['\r', '\n'], " "),
            );
            out.push('`');
        } else {
            if i % 2 == 1 {
                out.push_str("\\`");
            }
            out.push_str(&escape::md(part));
        }
    }
    out
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => std::iter::once(f.to_ascii_uppercase()).chain(c).collect(),
        None => String::new(),
    }
}

/// A matrix as a Markdown table: the protocol and port in the corner, a column per name,
/// a row per name, cells as `sym` writes them.
fn grid<C>(
    out: &mut dyn Write,
    (protocol, port): (&dyn std::fmt::Display, &dyn std::fmt::Display),
    names: &[String],
    rows: &[Vec<C>],
    sym: impl Fn(&C) -> &'static str,
) -> io::Result<()> {
    write!(
        out,
        "| from \\ to ({protocol} {}) |",
        escape::md(&port.to_string())
    )?;
    for e in names {
        write!(out, " {} |", escape::md(e))?;
    }
    out.write_all(b"\n")?;
    out.write_all("| --- ".repeat(names.len() + 1).as_bytes())?;
    out.write_all(b"|\n")?;
    for (name, row) in names.iter().zip(rows) {
        write!(out, "| {} |", escape::md(name))?;
        for c in row {
            write!(out, " {} |", sym(c))?;
        }
        out.write_all(b"\n")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{md_words, mermaid};

    #[test]
    fn words_keep_code_spans_and_escape_the_rest() {
        assert_eq!(md_words("Pod `a|b` *x*"), "Pod `a\\|b` \\*x\\*");
        assert_eq!(md_words("odd ` tick"), "odd \\` tick");
        assert_eq!(mermaid("a\"<b>#"), "a#quot;#lt;b#gt;#35;");
    }
}
