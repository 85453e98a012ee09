//! The Graph tab's data, computed in the worker (`analyzer/` calls it): the workload
//! view of `netpol::group` for one protocol/port or every port, filtered by namespace or
//! focused on one node, and laid out with dagre.js (`web/graph-layout.js`, bundled with
//! dagre into `netpol-graph.js`, an ES module the worker imports on its first graph
//! request: a layered Sugiyama layout with compound nodes; the
//! namespaces are its compound nodes). The main thread only draws the coordinates
//! (`components/graph.rs`).
//!
//! Deterministic: groups are sorted by name, nodes and edges are given to dagre in that
//! order, and dagre iterates in insertion order, so the same input draws the same
//! picture.

use std::net::IpAddr;

use netpol::group::{Edge, Group, Role, WorkloadView};
use netpol::model::{EndpointKind, Protocol};
use netpol::portset::PortSet;
use netpol::services::Outcome;
use netpol::{Direction, Lang, PortQuery, QueryProtocol, Target};

use crate::i18n::graph_tr;
use crate::state::Query;
use crate::wire::{GraphBox, GraphData, GraphEdge, GraphFocus, GraphNode, GraphRequest, Link};

mod layout;

pub use layout::load_for;
use layout::*;

/// Beyond this many nodes the picture is no longer readable: a message and the filter.
pub const MAX_NODES: usize = 300;
/// And beyond this many edges: dagre.js took 1.7 s for 513 (37 workloads, BENCHMARKS.md)
/// and the worker answers nothing else meanwhile (a fully open cluster of 300 workloads
/// has 90,000).
pub const MAX_EDGES: usize = 500;

/// Text metrics of the page's SVG (`style.css`: 13 px names, 11 px details and labels).
const CHAR_W: f64 = 7.4;
const SMALL_CHAR_W: f64 = 6.4;
const NODE_H: f64 = 46.0;
const NODE_PAD: f64 = 34.0;
const LABEL_H: f64 = 16.0;

/// Which connections the edges show.
#[derive(Clone, Debug, PartialEq)]
enum Filter {
    All,
    /// One protocol; `None` port for ICMP.
    Port(QueryProtocol, Option<PortQuery>),
}

impl Filter {
    fn parse(r: &GraphRequest) -> Filter {
        match QueryProtocol::parse(&r.protocol) {
            None => Filter::All,
            Some(QueryProtocol::ICMP) => Filter::Port(QueryProtocol::ICMP, None),
            Some(p) => {
                let port = r.port.trim();
                if port.is_empty() {
                    Filter::All
                } else {
                    Filter::Port(p, Some(PortQuery::parse(port)))
                }
            }
        }
    }

    fn label(&self, lang: Lang) -> String {
        match self {
            Filter::All => graph_tr(lang).all_ports.to_string(),
            Filter::Port(p, None) => p.as_str().to_string(),
            Filter::Port(p, Some(port)) => format!("{} {port}", p.as_str()),
        }
    }

    /// Does a query on (protocol, port) fall under this filter?
    fn covers(&self, q: &Query) -> bool {
        match self {
            Filter::All => true,
            Filter::Port(p, port) => {
                q.protocol() == *p
                    && (*p == QueryProtocol::ICMP
                        || port.as_ref().map(|x| x.to_string()) == Some(q.port.trim().to_string()))
            }
        }
    }
}

/// The short label on an edge.
fn short(set: &PortSet, lang: Lang) -> String {
    if set.is_all() {
        graph_tr(lang).all.to_string()
    } else {
        set.to_string()
    }
}

/// The ports a query on a named port means at a destination group (its representative's
/// declared container ports of that name and protocol).
fn named_ports(view: &WorkloadView<'_>, to: &Group, p: Protocol, name: &str) -> Vec<u16> {
    let c = &view.engine().cluster;
    let mut out: Vec<u16> = to
        .variants
        .iter()
        .filter_map(|v| v.first().and_then(|&i| c.endpoints.get(i)))
        .flat_map(|e| e.ports.iter())
        .filter(|cp| cp.protocol == p && cp.name.as_deref() == Some(name))
        .map(|cp| cp.port)
        .collect();
    netpol::sort::ord(&mut out);
    out.dedup();
    out
}

/// Whether an edge's set has the filter's connection.
fn passes(view: &WorkloadView<'_>, e: &Edge, f: &Filter) -> bool {
    set_passes(view, e.to, &e.set, f)
}

/// Whether `set`, into group `to`, has the filter's connection.
fn set_passes(view: &WorkloadView<'_>, to: usize, set: &PortSet, f: &Filter) -> bool {
    match f {
        Filter::All => !set.is_empty(),
        Filter::Port(QueryProtocol::ICMP, _) => set.icmp(),
        Filter::Port(q, port) => {
            let Some(p) = q.transport() else { return false };
            match port {
                Some(PortQuery::Number(n)) => set.contains(p, *n),
                Some(PortQuery::Name(name)) => view.groups.get(to).is_some_and(|g| {
                    named_ports(view, g, p, name)
                        .iter()
                        .any(|&n| set.contains(p, n))
                }),
                None => !set.ranges(p).is_empty(),
            }
        }
    }
}

/// The edges (from id, to id) a traced part's flows put on the graph drawn for `r`:
/// those whose allowed connections the graph's filter shows.
pub fn trace_edges(
    view: &WorkloadView<'_>,
    r: &GraphRequest,
    flows: &[netpol::provenance::Flow],
) -> Vec<(String, String)> {
    let f = Filter::parse(r);
    flows
        .iter()
        .filter(|fl| set_passes(view, fl.to, &fl.allowed, &f))
        .filter_map(|fl| {
            Some((
                view.groups.get(fl.from)?.label(),
                view.groups.get(fl.to)?.label(),
            ))
        })
        .collect()
}

/// The endpoint name a question about a group asks: a pod of the variant `v`, or the
/// range's first address.
fn ask_name(view: &WorkloadView<'_>, g: usize, v: usize) -> String {
    let Some(group) = view.groups.get(g) else {
        return String::new();
    };
    if let Some(r) = group.range {
        return r.first.to_string();
    }
    let c = &view.engine().cluster;
    group
        .variants
        .get(v)
        .or(group.variants.first())
        .and_then(|v| v.first())
        .and_then(|&i| c.endpoints.get(i))
        .map(|e| e.full_name())
        .unwrap_or_default()
}

/// The question an edge's explanation asks: the filter's port, else a port the
/// destination declares that is allowed, else the lowest allowed one.
fn edge_question(view: &WorkloadView<'_>, e: &Edge, f: &Filter) -> Query {
    // The pair of variants that has the connection.
    let (fv, tv) = e
        .parts
        .iter()
        .find(|p| !p.set.is_empty() && set_passes(view, e.to, &p.set, f))
        .map_or((0, 0), |p| (p.from_variant, p.to_variant));
    let from = ask_name(view, e.from, fv);
    let to = ask_name(view, e.to, tv);
    let q = |protocol: &str, port: String| Query {
        from: from.clone(),
        to: to.clone(),
        port,
        protocol: protocol.to_string(),
    };
    if let Filter::Port(p, port) = f {
        return q(
            p.as_str(),
            port.as_ref().map(|x| x.to_string()).unwrap_or_default(),
        );
    }
    let c = &view.engine().cluster;
    let declared = view
        .groups
        .get(e.to)
        .and_then(|g| g.variants.get(tv).or(g.variants.first()))
        .and_then(|v| v.first())
        .and_then(|&i| c.endpoints.get(i))
        .and_then(|ep| {
            ep.ports
                .iter()
                .find(|cp| e.set.contains(cp.protocol, cp.port))
        });
    if let Some(cp) = declared {
        return q(cp.protocol.as_str(), cp.port.to_string());
    }
    for p in Protocol::ALL {
        if let Some(&(lo, _)) = e.set.ranges(p).first() {
            // Every port open: ask for the web's port rather than port 1.
            let port = if e.set.contains(p, 80) { 80 } else { lo };
            return q(p.as_str(), port.to_string());
        }
    }
    q("ICMP", String::new())
}

/// The group a query's end names (None for Services, Ingresses, DNS names, unknowns).
fn group_of_name(view: &WorkloadView<'_>, name: &str, source: bool) -> Option<usize> {
    match view.engine().resolve(name).ok()? {
        Target::Endpoint(i) => view.group_of(i),
        Target::External(ip) => range_of(view, &ip, source),
    }
}

fn range_of(view: &WorkloadView<'_>, ip: &IpAddr, source: bool) -> Option<usize> {
    view.groups.iter().position(|g| {
        g.range.is_some_and(|r| r.contains(ip)) && if source { g.source } else { g.destination }
    })
}

fn shape(g: &Group) -> &'static str {
    match (g.is_external(), g.role) {
        (true, _) => "external",
        (_, Some(Role::IngressController)) => "ingress",
        (_, Some(Role::Dns)) => "dns",
        _ => "workload",
    }
}

fn pods_word(view: &WorkloadView<'_>, g: &Group, lang: Lang) -> String {
    let t = graph_tr(lang);
    if g.is_external() {
        return String::new();
    }
    if g.pods > 0 {
        return if g.pods == 1 {
            t.one_pod.to_string()
        } else {
            format!("{} {}", g.pods, t.pods)
        };
    }
    // A workload whose pods were not pasted stands for them.
    let c = &view.engine().cluster;
    let declared = g
        .endpoints
        .first()
        .and_then(|&i| c.endpoints.get(i))
        .is_some_and(|e| e.kind != EndpointKind::Pod);
    match (declared, g.replicas) {
        (true, Some(n)) => format!("{} {n}", t.replicas),
        _ => String::new(),
    }
}

/// Which policies select any of its pods, per direction.
fn selecting(view: &WorkloadView<'_>, g: &Group, dir: Direction) -> Vec<usize> {
    let mut out: Vec<usize> = g
        .variants
        .iter()
        .filter_map(|v| v.first())
        .flat_map(|&i| view.engine().selecting(i, dir).iter().copied())
        .collect();
    netpol::sort::ord(&mut out);
    out.dedup();
    out
}

fn policy_links(view: &WorkloadView<'_>, ps: &[usize]) -> Vec<Link> {
    let c = &view.engine().cluster;
    ps.iter()
        .filter_map(|&p| c.policies.get(p))
        .map(|p| Link {
            label: p.full_name(),
            // Editor positions (UTF-16), as every link the worker sends.
            start: crate::analyzer::pos(p.location.range.start),
            end: crate::analyzer::pos(p.location.range.end),
        })
        .collect()
}

/// A drawn edge before layout.
struct Pending {
    from: usize,
    to: usize,
    label: String,
    connections: String,
    denied: bool,
    ask: Query,
    /// Merged with the same connections the other way.
    back: Option<Query>,
    /// Since the pinned baseline: `added`, `removed`, `changed` or "".
    change: &'static str,
    /// Then the baseline's connections.
    before: String,
}

impl Pending {
    /// Drawn for a connection allowed now (not a denied question, not one only the
    /// baseline allowed).
    fn allowed(&self) -> bool {
        !self.denied && self.change != "removed"
    }
}

fn count_change(pending: &[Pending], change: &str) -> usize {
    pending.iter().filter(|p| p.change == change).count()
}

/// Marks the edges that differ from the pinned baseline for what the graph shows (every
/// port, or the filter's), and adds the connections only the baseline allowed between
/// workloads still drawn (around the centre, when there is one).
fn mark_changes(
    view: &WorkloadView<'_>,
    d: &crate::changes::Diff,
    filter: &Filter,
    centre: Option<&[usize]>,
    lang: Lang,
    pending: &mut Vec<Pending>,
) {
    let index =
        crate::changes::ByLabel::new(view.groups.iter().enumerate().map(|(g, x)| (x.label(), g)));
    let group = |label: &str| index.get(label);
    for p in &d.pairs {
        let (Some(f), Some(t)) = (group(&p.from), group(&p.to)) else {
            continue;
        };
        let (was, is) = match filter {
            Filter::All => (!p.before.is_empty(), !p.after.is_empty()),
            _ => (
                set_passes(view, t, &p.before, filter),
                set_passes(view, t, &p.after, filter),
            ),
        };
        let change = match (was, is) {
            (false, true) => "added",
            (true, false) => "removed",
            (true, true) if *filter == Filter::All => "changed",
            _ => continue,
        };
        let before = crate::i18n::connections(&p.before, lang);
        if let Some(e) = pending
            .iter_mut()
            .find(|e| e.from == f && e.to == t && !e.denied)
        {
            e.change = change;
            e.before = before;
            continue;
        }
        let near = centre.is_none_or(|c| c.contains(&f) || c.contains(&t));
        if change == "removed" && near {
            let label = match filter {
                Filter::All => short(&p.before, lang),
                _ => filter.label(lang),
            };
            pending.push(Pending {
                from: f,
                to: t,
                label: format!("{label} −"),
                connections: crate::i18n::connections(&p.after, lang),
                denied: false,
                // The question of what the baseline allowed: its verdict now says why not.
                ask: edge_question(
                    view,
                    &Edge {
                        from: f,
                        to: t,
                        set: p.before.clone(),
                        parts: Vec::new(),
                    },
                    filter,
                ),
                back: None,
                change,
                before,
            });
        }
    }
}

/// An edge whose reverse carries the same connections becomes one line with two
/// arrowheads (an open cluster would otherwise draw every pair twice).
fn merge_both_ways(edges: &mut Vec<Pending>) {
    let mut out: Vec<Pending> = Vec::with_capacity(edges.len());
    // At most `MAX_EDGES` edges: a scan of those kept is no slower than a map.
    for e in edges.drain(..) {
        if let Some(other) = out.iter_mut().find(|o| o.from == e.to && o.to == e.from) {
            if other.back.is_none()
                && other.connections == e.connections
                && !other.denied
                && other.change.is_empty()
                && e.change.is_empty()
            {
                other.back = Some(e.ask);
                continue;
            }
        }
        out.push(e);
    }
    *edges = out;
}

/// The Graph tab for the current text.
pub fn graph(
    core: &netpol::Analysis,
    r: &GraphRequest,
    questions: &[Query],
    opts: &netpol::services::Options,
    lang: Lang,
    since: Option<&crate::changes::Diff>,
) -> GraphData {
    graph_within(
        core,
        r,
        questions,
        opts,
        lang,
        since,
        (MAX_NODES, MAX_EDGES),
    )
}

/// [`graph`] with other limits (nodes, edges): the benchmark lays out past the page's.
pub fn graph_within(
    core: &netpol::Analysis,
    r: &GraphRequest,
    questions: &[Query],
    opts: &netpol::services::Options,
    lang: Lang,
    since: Option<&crate::changes::Diff>,
    (max_nodes, max_edges): (usize, usize),
) -> GraphData {
    let t = graph_tr(lang);
    let view = core.workloads(&[]);
    let filter = Filter::parse(r);
    let mut namespaces: Vec<String> = view
        .groups
        .iter()
        .filter_map(|g| g.namespace.clone())
        .collect();
    namespaces.dedup();
    let mut data = GraphData {
        total: view.groups.iter().filter(|g| !g.is_external()).count(),
        choices: view
            .groups
            .iter()
            .filter(|g| !g.is_external())
            .map(Group::label)
            .collect(),
        namespaces,
        showing: filter.label(lang),
        ..GraphData::default()
    };
    // Which groups the edges are computed around: a focus, a namespace, or all.
    let focus = match r.focus.as_deref().filter(|f| !f.is_empty()) {
        Some(id) => match view.groups.iter().position(|g| g.label() == id) {
            Some(g) => Some(g),
            None => {
                data.error = Some(format!("{} `{id}`", t.unknown_node));
                None
            }
        },
        None => None,
    };
    let ns = r.namespace.trim();
    let centre: Option<Vec<usize>> = match (focus, ns.is_empty()) {
        (Some(g), _) => Some(vec![g]),
        (None, false) => Some(
            (view.groups.iter().enumerate())
                .filter(|(_, g)| g.namespace.as_deref() == Some(ns))
                .map(|(g, _)| g)
                .collect(),
        ),
        (None, true) => None,
    };
    let workloads_in_centre = match &centre {
        Some(c) => c.len(),
        None => data.total,
    };
    if workloads_in_centre > max_nodes {
        data.too_big = true;
        return data;
    }
    // Edges (memory and time grow with the pairs asked, so only around the centre).
    let mut edges: Vec<Edge> = Vec::new();
    let mut over = false;
    let mut collect = |e: Edge, edges: &mut Vec<Edge>| {
        if edges.len() >= max_edges {
            over = true;
        } else if passes(&view, &e, &filter) {
            edges.push(e);
        }
    };
    match &centre {
        Some(c) => view.edges_touching(c).for_each(|e| collect(e, &mut edges)),
        None => view.edges().for_each(|e| collect(e, &mut edges)),
    }
    if over {
        data.too_big = true;
        return data;
    }
    let mut pending: Vec<Pending> = edges
        .iter()
        .map(|e| Pending {
            from: e.from,
            to: e.to,
            label: match filter {
                Filter::All => short(&e.set, lang),
                _ => filter.label(lang),
            },
            connections: e.set.to_string(),
            denied: false,
            ask: edge_question(&view, e, &filter),
            back: None,
            change: "",
            before: String::new(),
        })
        .collect();
    if let Some(d) = since {
        mark_changes(&view, d, &filter, centre.as_deref(), lang, &mut pending);
        data.since = (
            count_change(&pending, "added"),
            count_change(&pending, "removed"),
            count_change(&pending, "changed"),
        );
    }
    merge_both_ways(&mut pending);
    // Denied connections a query asked about (the Query tab's, the lesson's rows).
    let asked = Asked {
        core,
        questions,
        opts,
    };
    denied_asked(&view, &asked, &filter, centre.as_deref(), &mut pending);
    let nodes = shown_nodes(&view, centre.as_deref(), &pending);
    if nodes.len() > max_nodes {
        data.too_big = true;
        return data;
    }
    data.shown = nodes
        .iter()
        .filter(|&&g| view.groups.get(g).is_some_and(|x| !x.is_external()))
        .count();
    if let Some((g, group)) = focus.and_then(|g| Some((g, view.groups.get(g)?))) {
        data.focus = Some(focus_data(&view, g, group, &pending, lang));
    }
    let t0 = crate::analyzer::now_ms();
    layout(&view, &nodes, &pending, lang, &mut data);
    data.millis = crate::analyzer::now_ms() - t0;
    data
}

fn node_size(name: &str, sub: &str) -> (f64, f64) {
    let w = (name.chars().count() as f64 * CHAR_W).max(sub.chars().count() as f64 * SMALL_CHAR_W);
    ((w + NODE_PAD).max(96.0).ceil(), NODE_H)
}

/// What a node shows: its name (a range as `FIRST – LAST`) and a detail line.
fn node_words(view: &WorkloadView<'_>, g: &Group, lang: Lang) -> (String, String) {
    let t = graph_tr(lang);
    match (g.range, g.role) {
        (Some(r), _) if r.to_string() == "0.0.0.0-255.255.255.255" => {
            (t.any_address.to_string(), r.to_string())
        }
        (Some(r), _) => (format!("{} – {}", r.first, r.last), t.outside.to_string()),
        (None, role) => {
            let pods = pods_word(view, g, lang);
            let kind = match role {
                Some(Role::IngressController) => format!("{} · {}", g.kind, t.ingress_controller),
                Some(Role::Dns) => format!("{} · DNS", g.kind),
                None => g.kind.clone(),
            };
            let sub = if pods.is_empty() {
                kind
            } else {
                format!("{kind} · {pods}")
            };
            (g.name.clone(), sub)
        }
    }
}

/// What denied connections a graph may show: the questions asked and how to answer.
struct Asked<'a> {
    core: &'a netpol::Analysis,
    questions: &'a [Query],
    opts: &'a netpol::services::Options,
}

/// Denied connections a query asked about, as dashed edges: each once, only around the
/// centre, only where no edge is drawn between the two.
#[inline(always)]
fn denied_asked(
    view: &WorkloadView<'_>,
    asked: &Asked<'_>,
    filter: &Filter,
    centre: Option<&[usize]>,
    pending: &mut Vec<Pending>,
) {
    for q in asked.questions {
        if !filter.covers(q) {
            continue;
        }
        let (Some(f), Some(to)) = (
            group_of_name(view, &q.from, true),
            group_of_name(view, &q.to, false),
        ) else {
            continue;
        };
        if f == to
            || pending
                .iter()
                .any(|p| p.from == f && p.to == to && (p.denied || p.ask == *q))
        {
            continue;
        }
        let protocol = q.protocol();
        let port = (protocol != QueryProtocol::ICMP && !q.port.trim().is_empty())
            .then(|| PortQuery::parse(q.port.trim()));
        let question = netpol::Question::new(&q.from, &q.to, protocol, port.clone());
        if asked.core.ask(&question, asked.opts).outcome() != Outcome::Denied {
            continue;
        }
        if let Some(c) = centre {
            if !c.contains(&f) && !c.contains(&to) {
                continue;
            }
        }
        let what = match &port {
            Some(p) => format!("{} {p}", protocol.as_str()),
            None => protocol.as_str().to_string(),
        };
        pending.push(Pending {
            from: f,
            to,
            label: format!("{what} ✗"),
            connections: String::new(),
            denied: true,
            ask: q.clone(),
            back: None,
            change: "",
            before: String::new(),
        });
    }
}

/// The nodes drawn: every workload around the centre (or every workload), and the
/// ranges that have an edge.
#[inline(always)]
fn shown_nodes(
    view: &WorkloadView<'_>,
    centre: Option<&[usize]>,
    pending: &[Pending],
) -> Vec<usize> {
    let mut shown = vec![false; view.groups.len()];
    let mut show = |g: usize| {
        if let Some(s) = shown.get_mut(g) {
            *s = true;
        }
    };
    match centre {
        Some(c) => c.iter().for_each(|&g| show(g)),
        None => (view.groups.iter().enumerate())
            .filter(|(_, g)| !g.is_external())
            .for_each(|(g, _)| show(g)),
    }
    for p in pending {
        show(p.from);
        show(p.to);
    }
    (shown.iter().enumerate())
        .filter(|(_, &s)| s)
        .map(|(g, _)| g)
        .collect()
}

/// The focused node's panel: the policies selecting it, its pods, its ins and outs.
#[inline(always)]
fn focus_data(
    view: &WorkloadView<'_>,
    g: usize,
    group: &Group,
    pending: &[Pending],
    lang: Lang,
) -> GraphFocus {
    let c = &view.engine().cluster;
    GraphFocus {
        id: group.label(),
        ingress_policies: policy_links(view, &selecting(view, group, Direction::Ingress)),
        egress_policies: policy_links(view, &selecting(view, group, Direction::Egress)),
        pods: group
            .endpoints
            .iter()
            .take(20)
            .filter_map(|&i| c.endpoints.get(i).map(|e| e.full_name()))
            .collect(),
        note: view.split_note(g, lang),
        ins: pending.iter().filter(|p| p.to == g && p.allowed()).count(),
        outs: pending
            .iter()
            .filter(|p| p.from == g && p.allowed())
            .count(),
    }
}
