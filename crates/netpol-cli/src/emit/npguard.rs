//! `--conn-style np-guard`: `connlist` and `diff` as np-guard's netpol-analyzer
//! (github.com/np-guard/netpol-analyzer) prints them, so that its recorded outputs can be
//! compared with ours line for line. The edges are ours; only the text differs:
//!
//! - connection sets as np-guard's `ConnStrFromConnProperties`
//!   (`pkg/netpol/internal/common/connectionset.go`): `All Connections`, or one
//!   `PROTOCOL RANGES` per protocol sorted as strings (`SCTP`, `TCP`, `UDP`) joined by
//!   `,`, the ranges joined by `,`, a single port as `80`, the whole range as `1-65535`;
//! - np-guard has no ICMP (its universe is TCP, UDP and SCTP): `All Connections` when the
//!   three are wholly allowed, whether or not ICMP is, and ICMP is otherwise left out of
//!   the text (a set of ICMP alone is no np-guard line, see `docs/cli-json.md`);
//! - names as its peers' `String()` (`pkg/netpol/eval/internal/k8s/peer.go`): a
//!   workload `ns/name[Kind]`; an address range `FIRST-LAST[External]` as np-guard's
//!   current outputs write it (e.g. `test_outputs/connlist/udn_test_1_connlist_output.txt`,
//!   `test_outputs/diff/diff_between_netpol-diff-example-minimal_and_netpol-analysis-example-minimal.txt`);
//!   our assumed `{ingress-controller}` as np-guard's two, one line each
//!   (`{ingress-nginx}`, `{openshift-ingress-operator}`: [`Controllers`]). With
//!   `np-guard-legacy`, as earlier versions did (`docs/connlist_output.md`): ranges
//!   `FIRST-LAST` (its bare `IPBlock.ToIPRanges`), the controller once as
//!   `{ingress-controller}`;
//! - lines sorted by source, then destination, as strings (`sortConnFields` in
//!   `pkg/netpol/connlist/conns_formatter.go`).
//!
//! Formats np-guard has no counterpart for (or whose layout we do not reproduce: its
//! `dot` but for `connlist --conn-style np-guard-legacy`) are refused by [`for_report`]
//! before anything is read.

use std::io::{self, Write};

use netpol::diff::{Change, Counts, PairDiff};
use netpol::group::Edge;
use netpol::{PortSet, Protocol, WorkloadView};

use super::{DiffCtx, Emitter, Format, Report};

/// One np-guard-style emitter per format it can print and per way of naming address
/// ranges.
pub struct NpGuard {
    format: Format,
    /// np-guard's earlier names: ranges `FIRST-LAST` (not `FIRST-LAST[External]`), the
    /// assumed ingress controller once as `{ingress-controller}` (not once per
    /// controller namespace).
    legacy: bool,
}

const fn style(format: Format, legacy: bool) -> NpGuard {
    NpGuard { format, legacy }
}

/// `--conn-style np-guard`, in `--format` order.
static CURRENT: [NpGuard; 4] = [
    style(Format::Text, false),
    style(Format::Json, false),
    style(Format::Csv, false),
    style(Format::Md, false),
];

/// `--conn-style np-guard-legacy`, with the `dot` layout of np-guard's
/// `docs/connlist_output.md` (whose names it has).
static LEGACY: [NpGuard; 5] = [
    style(Format::Text, true),
    style(Format::Json, true),
    style(Format::Csv, true),
    style(Format::Md, true),
    style(Format::Dot, true),
];

/// The np-guard-style emitter of `format` for `report` (`legacy`: ranges without
/// `[External]`), or the usage error that names the formats that can print it in that
/// style.
pub fn for_report(
    format: Format,
    report: Report,
    legacy: bool,
) -> Result<&'static dyn Emitter, String> {
    let all: &[NpGuard] = if legacy { &LEGACY } else { &CURRENT };
    if let Some(e) = all
        .iter()
        .find(|e| e.format == format && e.reports().contains(&report))
    {
        return Ok(e);
    }
    let can: Vec<&str> = all
        .iter()
        .filter(|e| e.reports().contains(&report))
        .map(|e| e.format.name())
        .collect();
    let list = super::one_of(&can);
    Err(format!(
        "`--format {}` is not available for `{} --conn-style {}`; use {list} (or `--conn-style netpol`)",
        format.name(),
        report.command(),
        if legacy { "np-guard-legacy" } else { "np-guard" }
    ))
}

/// np-guard's text for a connection set (`ConnStrFromConnProperties` and `portsString`
/// in `pkg/netpol/internal/common/connectionset.go`; `protocolAndPortsStr` puts one
/// space between the protocol and its ports). `None` when nothing of TCP, UDP or SCTP
/// is allowed (np-guard's `No Connections`; ICMP alone is not in its universe).
pub fn conns(set: &PortSet) -> Option<String> {
    let full = |p| set.ranges(p) == [(1, 65535)];
    if Protocol::ALL.into_iter().all(full) {
        return Some("All Connections".into());
    }
    // Sorted as np-guard sorts the `PROTOCOL PORTS` strings.
    let mut parts = Vec::new();
    for p in [Protocol::SCTP, Protocol::TCP, Protocol::UDP] {
        if !set.ranges(p).is_empty() {
            parts.push(format!("{p} {}", set.ports_text(p)));
        }
    }
    (!parts.is_empty()).then(|| parts.join(","))
}

/// `No Connections`: a side of a diff with nothing allowed (`noConns` in
/// `pkg/netpol/diff/diff_formatter.go`).
const NO_CONNS: &str = "No Connections";

/// np-guard's name for one of our labels: the same (np-guard's current names), or with
/// `legacy` an address range without `[External]` (its earlier `IPBlock.ToIPRanges`
/// names).
fn peer(label: &str, legacy: bool) -> &str {
    match label.strip_suffix("[External]") {
        Some(range) if legacy && !range.contains('/') => range,
        _ => label,
    }
}

/// A workload of the input (not a range, not the assumed controller): np-guard's
/// `workloads-diff-info` names those that are new or removed.
fn is_workload(label: &str) -> bool {
    label.contains('/') && !label.ends_with("[External]")
}

/// A CSV field as Go's `encoding/csv` writes it (`fieldNeedsQuotes`): quoted when it
/// holds the comma, a quote, CR or LF, begins with a space, or is `\.`.
fn go_csv(s: &str) -> String {
    let quote = s == r"\."
        || s.contains([',', '"', '\r', '\n'])
        || s.chars().next().is_some_and(char::is_whitespace);
    if quote {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn csv_row(out: &mut dyn Write, fields: &[&str]) -> io::Result<()> {
    let row: Vec<String> = fields.iter().map(|f| go_csv(f)).collect();
    writeln!(out, "{}", row.join(","))
}

/// A JSON string as Go's `encoding/json` writes it: `<`, `>` and `&` as `\u003c`,
/// `\u003e`, `\u0026`.
fn go_json(s: &str) -> String {
    serde_json::to_string(s)
        .unwrap_or_default()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// One connection line: source, destination, connections.
type Line = (String, String, String);

impl NpGuard {
    /// `connlist`: `singleConnFields.string()` (`pkg/netpol/connlist/conns_formatter.go`)
    /// in text, `writeCsvColumnsHeader`/`writeTableRows`
    /// (`conns_formatter_csv.go`), `getMDHeader`/`getMDLine` (`conns_formatter_md.go`),
    /// `json.MarshalIndent(sortedConnItems, "", "  ")` (`conns_formatter_json.go`).
    fn lines(&self, out: &mut dyn Write, lines: &[Line]) -> io::Result<()> {
        match self.format {
            Format::Json => {
                if lines.is_empty() {
                    return out.write_all(b"[]\n");
                }
                out.write_all(b"[")?;
                for (k, (s, d, c)) in lines.iter().enumerate() {
                    let sep = if k == 0 { "" } else { "," };
                    write!(
                        out,
                        "{sep}\n  {{\n    \"src\": {},\n    \"dst\": {},\n    \"conn\": {}\n  }}",
                        go_json(s),
                        go_json(d),
                        go_json(c)
                    )?;
                }
                out.write_all(b"\n]\n")
            }
            Format::Csv => {
                csv_row(out, &["src", "dst", "conn"])?;
                for (s, d, c) in lines {
                    csv_row(out, &[s, d, c])?;
                }
                Ok(())
            }
            Format::Md => {
                writeln!(out, "| src | dst | conn |\n|-----|-----|------|")?;
                for (s, d, c) in lines {
                    writeln!(out, "| {s} | {d} | {c} |")?;
                }
                Ok(())
            }
            _ => {
                for (s, d, c) in lines {
                    writeln!(out, "{s} => {d} : {c}")?;
                }
                Ok(())
            }
        }
    }
}

/// The ingress controllers np-guard now assumes, one label-less pod in each of the
/// namespaces `ingress-nginx` and `openshift-ingress-operator`
/// ([`netpol::Cluster::with_assumed_ingress_controllers`], what our
/// `{ingress-controller}` is the union of), each printed as `{NAMESPACE}` (the
/// `WorkloadPeer.String()` of its fake pod, `pkg/netpol/eval/internal/k8s/peer.go`; its
/// `docs/ingress_analysis.md`: a line per controller the policies let in).
struct Controllers {
    /// The cluster with the controllers' pods.
    with: netpol::Engine,
    /// Their endpoints in `with`, and their names.
    pods: Vec<(usize, String)>,
}

impl Controllers {
    fn new(engine: &netpol::Engine) -> Controllers {
        let (cluster, pods) = engine.cluster.with_assumed_ingress_controllers();
        let pods = pods
            .into_iter()
            .map(|i| {
                let ns = cluster
                    .endpoints
                    .get(i)
                    .map_or("", |e| e.namespace.as_str());
                (i, format!("{{{ns}}}"))
            })
            .collect();
        Controllers {
            with: netpol::Engine::new(cluster),
            pods,
        }
    }

    /// What each controller gets of `set`, the assumed controller's set to `to`: the
    /// part its ingress rules allow from that controller's pod (for each kind of pod of
    /// `to`; none when `to` is not in this version). The sets' union is `set`.
    fn split(&self, to: Option<&netpol::group::Group>, set: &PortSet) -> Vec<(String, PortSet)> {
        self.pods
            .iter()
            .map(|(pod, name)| {
                let mut allowed = PortSet::none();
                for rep in to
                    .iter()
                    .flat_map(|g| g.variants.iter().filter_map(|v| v.first()))
                {
                    allowed.union_with(&self.with.ingress_connections(
                        netpol::Target::Endpoint(*pod),
                        netpol::Target::Endpoint(*rep),
                    ));
                }
                (name.clone(), set.intersect(&allowed))
            })
            .collect()
    }
}

/// The group of `view` named `label`.
fn by_label<'v>(view: &'v WorkloadView<'_>, label: &str) -> Option<&'v netpol::group::Group> {
    view.groups.iter().find(|g| g.label() == label)
}

/// A node of np-guard's connlist graph.
struct Node {
    /// Its peer's `String()`: the name the edges use.
    id: String,
    /// The namespace it is drawn in; `None` for an address range and the ingress
    /// controller (drawn outside any).
    namespace: Option<String>,
    /// `NAME[KIND]` (`NodeClusterPeerLabel`), for a node in a namespace.
    label: String,
    external: bool,
}

/// A string as Go's `%q` writes it (for the names a cluster has: `"` and `\` escaped,
/// control characters as `\n`, `\t`, `\r` or `\xNN`).
fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// np-guard's connlist graph as `docs/connlist_output.md` shows it (`formatDOT.writeOutput`
/// in `pkg/netpol/connlist/conns_formatter_dot.go`, `AddNsGroups` in
/// `pkg/netpol/internal/dotformatting/dot_output_formatting.go`): `digraph {`, one
/// `subgraph cluster_NS` per namespace (sorted, `-` as `_`) with its peers' lines
/// (sorted) and `label="NS"`, then the address ranges (red) and the ingress controller
/// (blue), sorted, then the edges (sorted), then `}`; every line tab-indented.
fn dot(out: &mut dyn Write, nodes: &[Node], lines: &[Line]) -> io::Result<()> {
    writeln!(out, "digraph {{")?;
    let mut namespaces: Vec<&str> = nodes
        .iter()
        .filter_map(|n| n.namespace.as_deref())
        .collect();
    netpol::sort::ord(&mut namespaces);
    namespaces.dedup();
    for ns in namespaces {
        let mut peers: Vec<String> = nodes
            .iter()
            .filter(|n| n.namespace.as_deref() == Some(ns))
            .map(|n| {
                format!(
                    "\t\t{} [label={} color=\"blue\" fontcolor=\"blue\"]",
                    go_quote(&n.id),
                    go_quote(&n.label)
                )
            })
            .collect();
        netpol::sort::ord(&mut peers);
        writeln!(out, "\tsubgraph cluster_{} {{", ns.replace('-', "_"))?;
        for p in peers {
            writeln!(out, "{p}")?;
        }
        writeln!(out, "\t\tlabel={}\n\t}}", go_quote(ns))?;
    }
    let mut outside: Vec<String> = nodes
        .iter()
        .filter(|n| n.namespace.is_none())
        .map(|n| {
            let color = if n.external { "red2" } else { "blue" };
            let id = go_quote(&n.id);
            format!("\t{id} [label={id} color=\"{color}\" fontcolor=\"{color}\"]")
        })
        .collect();
    netpol::sort::ord(&mut outside);
    for o in outside {
        writeln!(out, "{o}")?;
    }
    let mut edges: Vec<String> = lines
        .iter()
        .map(|(s, d, c)| {
            format!(
                "\t{} -> {} [label={} color=\"gold2\" fontcolor=\"darkgreen\"]",
                go_quote(s),
                go_quote(d),
                go_quote(c)
            )
        })
        .collect();
    netpol::sort::ord(&mut edges);
    for e in edges {
        writeln!(out, "{e}")?;
    }
    writeln!(out, "}}")
}

/// One pair of np-guard's diff (`singleDiffFields` in `pkg/netpol/diff/diff_formatter.go`).
struct DiffLine {
    change: Change,
    src: String,
    dst: String,
    ref1: String,
    ref2: String,
    info: String,
    /// From the ingress controller: listed after the others (`writeDiffLinesOrderedByCategory`).
    ingress: bool,
}

impl DiffLine {
    /// The line of `p`, its source named `src` (np-guard's name of one controller for a
    /// pair of the assumed one), its sets `before` and `after`.
    fn new(
        p: &PairDiff,
        src: &str,
        [before, after]: [&PortSet; 2],
        legacy: bool,
    ) -> Option<DiffLine> {
        let (before, after) = (conns(before), conns(after));
        // Equal in np-guard's universe (an ICMP-only change): np-guard lists no change.
        if before == after {
            return None;
        }
        let change = match (&before, &after) {
            (None, _) => Change::Added,
            (_, None) => Change::Removed,
            _ => Change::Changed,
        };
        // `getDiffInfo`: `workload SRC [and DST] added|removed` for a workload of one
        // version only.
        let new_or_removed =
            |name: &str, index: &[Option<usize>; 2]| is_workload(name) && index.contains(&None);
        let ends: Vec<&str> = [(&p.from, &p.from_index), (&p.to, &p.to_index)]
            .into_iter()
            .filter(|(n, i)| new_or_removed(n, i))
            .map(|(n, _)| peer(n, legacy))
            .collect();
        let info = if ends.is_empty() {
            String::new()
        } else {
            format!("workload {} {}", ends.join(" and "), change.as_str())
        };
        Some(DiffLine {
            change,
            src: src.to_string(),
            dst: peer(&p.to, legacy).to_string(),
            ref1: before.unwrap_or_else(|| NO_CONNS.into()),
            ref2: after.unwrap_or_else(|| NO_CONNS.into()),
            info,
            ingress: p.from == netpol::group::INGRESS_CONTROLLER,
        })
    }

    /// The line in `format`: `diffFormatText.singleDiffLine` (`diff_formatter_text.go`,
    /// with np-guard's default names `ref1` and `ref2`), `diffFormatMD.singleDiffLine`
    /// (`diff_formatter_md.go`), `diffFormatCSV` (`diff_formatter_csv.go`).
    fn render(&self, format: Format) -> String {
        let t = self.change.as_str();
        let (s, d, r1, r2, i) = (&self.src, &self.dst, &self.ref1, &self.ref2, &self.info);
        match format {
            Format::Csv => [t, s, d, r1, r2, i]
                .iter()
                .map(|f| go_csv(f))
                .collect::<Vec<_>>()
                .join(","),
            Format::Md => format!("| {t} | {s} | {d} | {r1} | {r2} | {i} |"),
            _ => {
                let line = format!(
                    "diff-type: {t}, source: {s}, destination: {d}, ref1: {r1}, ref2: {r2}"
                );
                if i.is_empty() {
                    line
                } else {
                    format!("{line}, workloads-diff-info: {i}")
                }
            }
        }
    }
}

impl Emitter for NpGuard {
    fn reports(&self) -> &'static [Report] {
        match self.format {
            // np-guard's diff has no JSON; its diff graph is not reproduced.
            Format::Json | Format::Dot => &[Report::Connlist],
            _ => &[Report::Connlist, Report::Diff],
        }
    }

    fn workloads(
        &self,
        out: &mut dyn Write,
        view: &WorkloadView<'_>,
        _focus: Option<&[usize]>,
        edges: &mut dyn Iterator<Item = Edge>,
    ) -> io::Result<()> {
        let name = |g: usize| {
            view.groups.get(g).map_or_else(String::new, |group| {
                if group.is_external() && self.legacy {
                    group.name.clone()
                } else {
                    group.label()
                }
            })
        };
        let mut ends = Vec::new();
        let mut controllers: Option<Controllers> = None;
        let mut lines: Vec<Line> = Vec::new();
        for e in edges {
            let from_assumed = view.groups.get(e.from).is_some_and(|g| g.is_assumed());
            if from_assumed && !self.legacy {
                // np-guard now: one line per controller namespace.
                let c = controllers.get_or_insert_with(|| Controllers::new(view.engine()));
                for (src, set) in c.split(view.groups.get(e.to), &e.set) {
                    lines.extend(conns(&set).map(|c| (src, name(e.to), c)));
                }
                continue;
            }
            if let Some(c) = conns(&e.set) {
                ends.extend([e.from, e.to]);
                lines.push((name(e.from), name(e.to), c));
            }
        }
        netpol::sort::ord(&mut lines);
        if self.format == Format::Dot {
            netpol::sort::ord(&mut ends);
            ends.dedup();
            let nodes: Vec<Node> = ends
                .iter()
                .filter_map(|&g| view.groups.get(g))
                .map(|g| Node {
                    id: if g.is_external() && self.legacy {
                        g.name.clone()
                    } else {
                        g.label()
                    },
                    namespace: g
                        .namespace
                        .clone()
                        .filter(|_| !g.is_external() && !g.is_assumed()),
                    label: format!("{}[{}]", g.name, g.kind),
                    external: g.is_external(),
                })
                .collect();
            return dot(out, &nodes, &lines);
        }
        self.lines(out, &lines)
    }

    /// np-guard's `writeDiffOutput`: the changed, then the added, then the removed pairs,
    /// each sorted as lines, those from the ingress controller after all the others;
    /// text under `Connectivity diff:`, CSV and Markdown under their headers.
    fn diff(
        &self,
        out: &mut dyn Write,
        ctx: &DiffCtx<'_>,
        pairs: &mut dyn Iterator<Item = PairDiff>,
    ) -> io::Result<Counts> {
        let mut counts = Counts::default();
        let mut rows: Vec<(bool, usize, String)> = Vec::new();
        // The two versions' groups and controllers, for the assumed controller's pairs.
        let mut sides: Option<[(WorkloadView<'_>, Controllers); 2]> = None;
        let mut lines = Vec::new();
        for p in pairs {
            if self.legacy || p.from != netpol::group::INGRESS_CONTROLLER {
                let src = peer(&p.from, self.legacy);
                lines.extend(DiffLine::new(&p, src, [&p.before, &p.after], self.legacy));
                continue;
            }
            let [b, a] = sides.get_or_insert_with(|| {
                ctx.sets.map(|set| {
                    let view = set.analysis.workloads(&[]);
                    let controllers = Controllers::new(view.engine());
                    (view, controllers)
                })
            });
            let before = b.1.split(by_label(&b.0, &p.to), &p.before);
            let after = a.1.split(by_label(&a.0, &p.to), &p.after);
            for ((name, x), (_, y)) in before.iter().zip(&after) {
                lines.extend(DiffLine::new(&p, name, [x, y], self.legacy));
            }
        }
        for line in lines {
            counts.add(line.change);
            let category = match line.change {
                Change::Changed => 0,
                Change::Added => 1,
                Change::Removed => 2,
            };
            rows.push((line.ingress, category, line.render(self.format)));
        }
        netpol::sort::ord(&mut rows);
        match self.format {
            Format::Csv => {
                out.write_all(b"diff-type,source,destination,ref1,ref2,workloads-diff-info\n")?;
            }
            Format::Md => {
                out.write_all(b"| diff-type | source | destination | ref1 | ref2 | workloads-diff-info |\n|-----------|--------|-------------|------|------|---------------------|\n")?;
            }
            _ => out.write_all(b"Connectivity diff:\n")?,
        }
        for (_, _, line) in rows {
            writeln!(out, "{line}")?;
        }
        Ok(counts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connection_sets_as_np_guard_writes_them() {
        let mut s = PortSet::all();
        assert_eq!(conns(&s).as_deref(), Some("All Connections"));
        s.set_icmp(false);
        assert_eq!(conns(&s).as_deref(), Some("All Connections"));
        let mut s = PortSet::none();
        s.add(Protocol::TCP, 1, 79);
        s.add(Protocol::TCP, 81, 65535);
        s.add_all(Protocol::UDP);
        s.add_all(Protocol::SCTP);
        s.set_icmp(true);
        assert_eq!(
            conns(&s).as_deref(),
            Some("SCTP 1-65535,TCP 1-79,81-65535,UDP 1-65535")
        );
        let mut s = PortSet::none();
        s.add(Protocol::UDP, 53, 53);
        s.add(Protocol::TCP, 8080, 8080);
        assert_eq!(conns(&s).as_deref(), Some("TCP 8080,UDP 53"));
        let mut s = PortSet::none();
        s.set_icmp(true);
        assert_eq!(conns(&s), None);
        assert_eq!(conns(&PortSet::none()), None);
    }

    #[test]
    fn names_and_fields_as_np_guard_writes_them() {
        let range = "0.0.0.0-255.255.255.255[External]";
        assert_eq!(peer(range, false), range);
        assert_eq!(peer(range, true), "0.0.0.0-255.255.255.255");
        assert_eq!(peer("a/b[Deployment]", true), "a/b[Deployment]");
        assert_eq!(peer("{ingress-controller}", true), "{ingress-controller}");
        assert!(is_workload("a/b[Pod]"));
        assert!(!is_workload("{ingress-controller}"));
        assert!(!is_workload("10.0.0.0-10.255.255.255[External]"));
        assert_eq!(go_csv("TCP 80"), "TCP 80");
        assert_eq!(go_csv("TCP 80,443"), "\"TCP 80,443\"");
        assert_eq!(go_csv(" x"), "\" x\"");
        assert_eq!(go_csv(""), "");
        assert_eq!(go_json("a<b>&"), "\"a\\u003cb\\u003e\\u0026\"");
        assert_eq!(go_quote("a\"b\\c\u{1}"), "\"a\\\"b\\\\c\\x01\"");
    }
}
