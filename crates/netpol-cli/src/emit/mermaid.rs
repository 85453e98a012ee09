//! `--format mermaid`: a Mermaid flowchart for `connlist` (renders in Markdown on code
//! hosts, for pull requests and course notes): each namespace a subgraph, each workload
//! (or pod, by pod) a node, address ranges outside them, each pair with some connection
//! an edge labelled with its connection set. Ids are `n0`, `n1`, ... and `ns0`, ...
//! (never user text); every label is quoted, with `"`, `#`, `<`, `>` and `&` written as
//! Mermaid entity codes so no name can end a label or inject markup. Shapes: a rectangle
//! per workload, rounded for a bare pod, a stadium outside the cluster, a trapezoid for
//! the ingress controller, a cylinder for DNS; a dotted edge only some pods get.

use std::io::{self, Write};

use netpol::group::Edge;
use netpol::WorkloadView;

use super::{Emitter, Graph, Pairs, Report, Shape};

pub struct Mermaid;

/// The inside of a quoted Mermaid label.
fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '#' => out.push_str("#35;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '&' => out.push_str("#amp;"),
            '\r' | '\n' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

fn node(out: &mut dyn Write, indent: &str, id: usize, g: &Graph) -> io::Result<()> {
    let Some(n) = g.nodes.get(id) else {
        return Ok(());
    };
    let label = if n.kind.is_empty() || n.shape == Shape::External {
        quote(&n.label)
    } else {
        format!("{}<br>[{}]", quote(&n.label), quote(&n.kind))
    };
    let (open, close) = match n.shape {
        Shape::Workload => ("[", "]"),
        Shape::Pod => ("(", ")"),
        Shape::External => ("([", "])"),
        Shape::IngressController => ("[/", "\\]"),
        Shape::Dns => ("[(", ")]"),
    };
    writeln!(out, "{indent}n{id}{open}\"{label}\"{close}")
}

fn write(out: &mut dyn Write, g: &Graph) -> io::Result<()> {
    out.write_all(b"flowchart LR\n")?;
    let (namespaces, outside) = g.by_namespace();
    for (k, (ns, nodes)) in namespaces.iter().enumerate() {
        writeln!(out, "  subgraph ns{k}[\"{}\"]", quote(ns))?;
        for &id in nodes {
            node(out, "    ", id, g)?;
        }
        out.write_all(b"  end\n")?;
    }
    for &id in &outside {
        node(out, "  ", id, g)?;
    }
    for (from, to, set, partial) in &g.edges {
        let arrow = if *partial { "-.->" } else { "-->" };
        writeln!(out, "  n{from} {arrow}|\"{}\"| n{to}", quote(set))?;
    }
    Ok(())
}

impl Emitter for Mermaid {
    fn reports(&self) -> &'static [Report] {
        &[Report::Connlist]
    }

    fn connlist(
        &self,
        out: &mut dyn Write,
        names: &[String],
        pairs: &mut Pairs<'_>,
    ) -> io::Result<()> {
        write(out, &Graph::of_pairs(names, pairs))
    }

    fn workloads(
        &self,
        out: &mut dyn Write,
        view: &WorkloadView<'_>,
        focus: Option<&[usize]>,
        edges: &mut dyn Iterator<Item = Edge>,
    ) -> io::Result<()> {
        write(out, &Graph::of_view(view, focus, edges))
    }
}
