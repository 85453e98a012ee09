//! `--format dot`: Graphviz for `connlist` (`dot -Tsvg`): each namespace a cluster, each
//! workload (or pod, by pod) a node, each address range its own node outside them, each
//! pair with some connection an edge labelled with its connection set. Node ids are
//! `n0`, `n1`, ... (never user text); labels are escaped DOT strings, and each node's
//! `tooltip` is its name as the text output prints it. Shapes say what a node is, not
//! colour alone: a box per workload, rounded for a bare pod, a dashed ellipse outside
//! the cluster, a hexagon for the ingress controller, a cylinder for DNS; an edge only
//! some pods of a workload get is dashed.

use std::io::{self, Write};

use netpol::group::Edge;
use netpol::WorkloadView;

use super::{Emitter, Graph, Pairs, Report, Shape};

pub struct Dot;

/// A DOT quoted string's contents: `"` and `\` escaped, line breaks as `\n`.
fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
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
        format!("{}\\n[{}]", quote(&n.label), quote(&n.kind))
    };
    let shape = match n.shape {
        Shape::Workload => "shape=box",
        Shape::Pod => "shape=box, style=rounded",
        Shape::External => "shape=ellipse, style=dashed",
        Shape::IngressController => "shape=hexagon",
        Shape::Dns => "shape=cylinder",
    };
    writeln!(
        out,
        "{indent}\"n{id}\" [label=\"{label}\", tooltip=\"{}\", {shape}]",
        quote(&n.full)
    )
}

fn write(out: &mut dyn Write, g: &Graph) -> io::Result<()> {
    out.write_all(b"digraph connlist {\n")?;
    out.write_all(b"\tgraph [rankdir=LR, fontname=\"Helvetica\"]\n")?;
    out.write_all(b"\tnode [fontname=\"Helvetica\"]\n")?;
    out.write_all(b"\tedge [fontname=\"Helvetica\", fontsize=10]\n")?;
    let (namespaces, outside) = g.by_namespace();
    for (k, (ns, nodes)) in namespaces.iter().enumerate() {
        writeln!(out, "\tsubgraph \"cluster_{k}\" {{")?;
        writeln!(out, "\t\tlabel=\"{}\"", quote(ns))?;
        out.write_all(b"\t\tstyle=rounded\n")?;
        for &id in nodes {
            node(out, "\t\t", id, g)?;
        }
        out.write_all(b"\t}\n")?;
    }
    for &id in &outside {
        node(out, "\t", id, g)?;
    }
    for (from, to, set, partial) in &g.edges {
        let style = if *partial {
            ", style=dashed, tooltip=\"only some pods\""
        } else {
            ""
        };
        writeln!(
            out,
            "\t\"n{from}\" -> \"n{to}\" [label=\"{}\"{style}]",
            quote(set)
        )?;
    }
    out.write_all(b"}\n")
}

impl Emitter for Dot {
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
