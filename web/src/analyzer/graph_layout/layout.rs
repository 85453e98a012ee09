//! The layout itself: the request to `web/graph-layout.js` (dagre, in the worker), its answer decoded, and the grid used when the library is not there.

use super::*;

/// What the layout is asked (`web/graph-layout.js`): sizes, the namespaces' members and
/// the edges' ends by position in `nodes`.
pub(super) struct LayoutIn<'a> {
    pub(super) nodes: Vec<(f64, f64)>,
    pub(super) clusters: Vec<(&'a str, Vec<usize>)>,
    /// (from, to, label width, label height).
    pub(super) edges: Vec<(usize, usize, f64, f64)>,
}

/// dagre's graph options (rankdir `TB` in `graph-layout.js`): nodesep, edgesep, ranksep,
/// marginx, marginy.
pub(super) const LAYOUT_OPTIONS: [f64; 5] = [30.0, 14.0, 48.0, 16.0, 16.0];

/// What it answers: centres and sizes, in the order asked (NaN where dagre gave none).
#[derive(Default)]
pub(super) struct LayoutOut {
    pub(super) nodes: Vec<Placed>,
    pub(super) clusters: Vec<Placed>,
    pub(super) edges: Vec<PlacedEdge>,
}

#[derive(Default, Clone, Copy)]
pub(super) struct Placed {
    pub(super) x: f64,
    pub(super) y: f64,
    pub(super) w: f64,
    pub(super) h: f64,
}

#[derive(Default)]
pub(super) struct PlacedEdge {
    pub(super) points: Vec<(f64, f64)>,
    pub(super) x: f64,
    pub(super) y: f64,
}

/// The layout's input as numbers (`web/graph-layout.js` reads them in this order): the
/// options, then the count and (w, h) of the nodes, the count of namespaces and for each
/// its member count and members, the count of edges and (from, to, w, h) of each.
pub(super) fn encode(input: &LayoutIn<'_>) -> Vec<f64> {
    let mut a = LAYOUT_OPTIONS.to_vec();
    a.push(input.nodes.len() as f64);
    input.nodes.iter().for_each(|&(w, h)| a.extend([w, h]));
    a.push(input.clusters.len() as f64);
    for (_, m) in &input.clusters {
        a.push(m.len() as f64);
        a.extend(m.iter().map(|&i| i as f64));
    }
    a.push(input.edges.len() as f64);
    for &(f, t, w, h) in &input.edges {
        a.extend([f as f64, t as f64, w, h]);
    }
    a
}

/// Its answer: (x, y, w, h) of each node and namespace, then of each edge its label's
/// centre, its point count and points. None if it is short.
pub(super) fn decode(a: &[f64], input: &LayoutIn<'_>) -> Option<LayoutOut> {
    let mut it = a.iter().copied();
    let mut next = || it.next();
    let mut placed = |n: usize| {
        (0..n)
            .map(|_| {
                Some(Placed {
                    x: next()?,
                    y: next()?,
                    w: next()?,
                    h: next()?,
                })
            })
            .collect::<Option<Vec<Placed>>>()
    };
    let nodes = placed(input.nodes.len())?;
    let clusters = placed(input.clusters.len())?;
    let mut edges = Vec::with_capacity(input.edges.len());
    for _ in &input.edges {
        let (x, y, k) = (next()?, next()?, next()?);
        let points = (0..k as usize)
            .map(|_| Some((next()?, next()?)))
            .collect::<Option<_>>()?;
        edges.push(PlacedEdge { points, x, y });
    }
    Some(LayoutOut {
        nodes,
        clusters,
        edges,
    })
}

/// The global `name` of this thread, if it is a function.
pub(super) fn global_function(name: &str) -> Option<js_sys::Function> {
    use wasm_bindgen::JsCast;
    js_sys::Reflect::get(&js_sys::global(), &name.into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
}

/// For a request `msg` (the wire's JSON) that shows the Graph tab before the layout is
/// loaded: the promise of loading it (`netpolLoadGraph` of `web/worker.js`, a dynamic
/// `import()` of `netpol-graph.js`). None when it is loaded, not wanted, or there is no
/// loader (the component tests answer on the page's thread).
pub fn load_for(msg: &[u8]) -> Option<js_sys::Promise> {
    use wasm_bindgen::JsCast;
    if layout_function().is_some() {
        return None;
    }
    match crate::wire::decode::<crate::wire::ToWorker>(msg) {
        Ok(crate::wire::ToWorker::Analyze(r)) if r.view.tab == crate::state::Tab::Graph => {}
        _ => return None,
    }
    global_function("netpolLoadGraph")?
        .call0(&wasm_bindgen::JsValue::NULL)
        .ok()?
        .dyn_into()
        .ok()
}

/// `layout` of `web/graph-layout.js`, once `netpol-graph.js` is loaded (`load_for`).
pub(super) fn layout_function() -> Option<js_sys::Function> {
    global_function("netpolLayout")
}

/// dagre through `web/graph-layout.js`; without it, a plain grid (namespaces in rows,
/// edges straight), so the tab still draws.
pub(super) fn run_layout(input: &LayoutIn<'_>) -> LayoutOut {
    use wasm_bindgen::JsCast;
    layout_function()
        .and_then(|f| {
            let arg = js_sys::Float64Array::from(&encode(input)[..]);
            let out = f.call1(&wasm_bindgen::JsValue::NULL, &arg).ok()?;
            decode(
                &out.dyn_into::<js_sys::Float64Array>().ok()?.to_vec(),
                input,
            )
        })
        .unwrap_or_else(|| grid_layout(input))
}

pub(super) fn grid_layout(input: &LayoutIn<'_>) -> LayoutOut {
    let mut out = LayoutOut::default();
    let mut row_of = vec![0; input.nodes.len()];
    for (r, (_, members)) in input.clusters.iter().enumerate() {
        for &m in members {
            if let Some(row) = row_of.get_mut(m) {
                *row = r + 1;
            }
        }
    }
    let mut next_x: Vec<f64> = vec![40.0; input.clusters.len() + 1];
    for (&(w, h), &row) in input.nodes.iter().zip(&row_of) {
        let Some(x) = next_x.get_mut(row) else {
            continue;
        };
        out.nodes.push(Placed {
            x: *x + w / 2.0,
            y: 60.0 + row as f64 * 110.0,
            w,
            h,
        });
        *x += w + 40.0;
    }
    for (_, members) in &input.clusters {
        let ps: Vec<Placed> = members
            .iter()
            .filter_map(|&m| out.nodes.get(m).copied())
            .collect();
        let left = ps.iter().map(|p| p.x - p.w / 2.0).fold(f64::MAX, f64::min) - 12.0;
        let right = ps.iter().map(|p| p.x + p.w / 2.0).fold(f64::MIN, f64::max) + 12.0;
        out.clusters.push(Placed {
            x: (left + right) / 2.0,
            y: ps.first().map_or(0.0, |p| p.y),
            w: (right - left).max(0.0),
            h: NODE_H + 24.0,
        });
    }
    for &(f, t, _, _) in &input.edges {
        let node = |i: usize| out.nodes.get(i).copied().unwrap_or_default();
        let (a, b) = (node(f), node(t));
        out.edges.push(PlacedEdge {
            points: vec![(a.x, a.y), (b.x, b.y)],
            x: (a.x + b.x) / 2.0,
            y: (a.y + b.y) / 2.0,
        });
    }
    out
}

/// Lays out `nodes` (group indexes) and `edges` with dagre and fills `data`.
pub(super) fn layout(
    view: &WorkloadView<'_>,
    nodes: &[usize],
    edges: &[Pending],
    lang: Lang,
    data: &mut GraphData,
) {
    // Position in `nodes` (ascending group indexes) of each group drawn.
    let at = |i: usize| nodes.binary_search(&i).unwrap_or(0);
    // Namespaces in name order (each with its nodes in order), then the nodes outside
    // any namespace.
    let mut in_ns: Vec<(&str, usize)> = nodes
        .iter()
        .filter_map(|&i| Some((view.groups.get(i)?.namespace.as_deref()?, at(i))))
        .collect();
    netpol::sort::ord(&mut in_ns);
    let mut by_ns: Vec<(&str, Vec<usize>)> = Vec::new();
    for (ns, k) in in_ns {
        match by_ns.last_mut() {
            Some((n, members)) if *n == ns => members.push(k),
            _ => by_ns.push((ns, vec![k])),
        }
    }
    let mut words: Vec<(String, String)> = Vec::with_capacity(nodes.len());
    let mut input = LayoutIn {
        nodes: Vec::with_capacity(nodes.len()),
        clusters: by_ns,
        edges: Vec::with_capacity(edges.len()),
    };
    // `nodes` are indices of `view.groups`.
    for group in nodes.iter().filter_map(|&i| view.groups.get(i)) {
        let (name, sub) = node_words(view, group, lang);
        input.nodes.push(node_size(&name, &sub));
        words.push((name, sub));
    }
    for e in edges {
        input.edges.push((
            at(e.from),
            at(e.to),
            e.label.chars().count() as f64 * SMALL_CHAR_W + 10.0,
            LABEL_H,
        ));
    }
    let out = run_layout(&input);
    let num = |v: f64| if v.is_finite() { v } else { 0.0 };
    let (mut max_x, mut max_y) = (0.0f64, 0.0f64);
    // Each namespace's box hugs its workloads (dagre's own box also spans the bends of
    // the edges that pass through it), within dagre's box, so boxes never overlap.
    for ((name, members), l) in input.clusters.iter().zip(&out.clusters) {
        let b = namespace_box(name, members, l, &out.nodes);
        max_x = max_x.max(b.x + b.w);
        max_y = max_y.max(b.y + b.h);
        data.boxes.push(b);
    }
    let groups = nodes.iter().filter_map(|&i| view.groups.get(i));
    for ((group, l), (name, sub)) in groups.zip(&out.nodes).zip(words) {
        let node = GraphNode {
            id: group.label(),
            name,
            kind: sub,
            namespace: group.namespace.clone(),
            shape: shape(group).to_string(),
            pods: pods_word(view, group, lang),
            ingress_isolated: !group.is_external()
                && !selecting(view, group, Direction::Ingress).is_empty(),
            egress_isolated: !group.is_external()
                && !selecting(view, group, Direction::Egress).is_empty(),
            split: group.is_split(),
            x: num(l.x),
            y: num(l.y),
            w: num(l.w),
            h: num(l.h),
        };
        max_x = max_x.max(node.x + node.w / 2.0);
        max_y = max_y.max(node.y + node.h / 2.0);
        data.nodes.push(node);
    }
    for ((e, l), li) in edges.iter().zip(&out.edges).zip(&input.edges) {
        let points: Vec<(f64, f64)> = l
            .points
            .iter()
            .copied()
            .filter(|(x, y)| x.is_finite() && y.is_finite())
            .collect();
        for (x, y) in &points {
            max_x = max_x.max(*x);
            max_y = max_y.max(*y);
        }
        let edge = GraphEdge {
            from: view
                .groups
                .get(e.from)
                .map(|g| g.label())
                .unwrap_or_default(),
            to: view.groups.get(e.to).map(|g| g.label()).unwrap_or_default(),
            label: e.label.clone(),
            connections: e.connections.clone(),
            denied: e.denied,
            ask: e.ask.clone(),
            both: e.back.is_some(),
            back: e.back.clone(),
            change: e.change.to_string(),
            before: e.before.clone(),
            points,
            label_x: num(l.x),
            label_y: num(l.y),
        };
        max_x = max_x.max(edge.label_x + li.2 / 2.0);
        max_y = max_y.max(edge.label_y + li.3 / 2.0);
        data.edges.push(edge);
    }
    // Boxes were lifted by their label's height: shift everything down if one went up.
    let min_y = data.boxes.iter().map(|b| b.y).fold(0.0f64, f64::min);
    if min_y < 0.0 {
        let d = 8.0 - min_y;
        shift_all(data, 0.0, d);
        max_y += d;
    }
    // A box widened for its label may start left of the picture: shift everything right.
    let min_x = data.boxes.iter().map(|b| b.x).fold(0.0f64, f64::min);
    if min_x < 0.0 {
        let d = 8.0 - min_x;
        shift_all(data, d, 0.0);
        max_x += d;
    }
    data.width = (max_x + 16.0).ceil();
    data.height = (max_y + 16.0).ceil();
}

/// A namespace's box: it hugs its workloads (dagre's own box also spans the bends of the
/// edges that pass through it), within dagre's box, so boxes never overlap; and it is
/// wide enough for its label.
#[inline(always)]
fn namespace_box(name: &str, members: &[usize], l: &Placed, nodes: &[Placed]) -> GraphBox {
    let num = |v: f64| if v.is_finite() { v } else { 0.0 };
    let (x, y, w, h) = (num(l.x), num(l.y), num(l.w), num(l.h));
    let (outer_l, outer_t) = (x - w / 2.0, y - h / 2.0 - 14.0);
    let (outer_r, outer_b) = (x + w / 2.0, y + h / 2.0);
    let (mut left, mut top, mut right, mut bottom) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for &m in members {
        if let Some(p) = nodes.get(m) {
            let (px, py, pw, ph) = (num(p.x), num(p.y), num(p.w), num(p.h));
            left = left.min(px - pw / 2.0 - 14.0);
            right = right.max(px + pw / 2.0 + 14.0);
            top = top.min(py - ph / 2.0 - 30.0);
            bottom = bottom.max(py + ph / 2.0 + 12.0);
        }
    }
    if left > right {
        (left, top, right, bottom) = (outer_l, outer_t, outer_r, outer_b);
    }
    let (mut left, mut right) = (left.max(outer_l), right.min(outer_r));
    let (top, bottom) = (top.max(outer_t), bottom.min(outer_b));
    // Wide enough for its label (`namespace NAME`, 12 px bold, 10 px either side),
    // even where that is wider than dagre's box (it hugs a lone workload).
    let label_w = (name.chars().count() + 10) as f64 * 7.3 + 20.0;
    if right - left < label_w {
        let mid = (left + right) / 2.0;
        (left, right) = (mid - label_w / 2.0, mid + label_w / 2.0);
    }
    GraphBox {
        name: name.to_string(),
        x: left,
        y: top,
        w: (right - left).max(0.0),
        h: (bottom - top).max(0.0),
    }
}

/// Moves everything drawn by (dx, dy).
fn shift_all(data: &mut GraphData, dx: f64, dy: f64) {
    for b in &mut data.boxes {
        b.x += dx;
        b.y += dy;
    }
    for nd in &mut data.nodes {
        nd.x += dx;
        nd.y += dy;
    }
    for e in &mut data.edges {
        e.label_x += dx;
        e.label_y += dy;
        for p in &mut e.points {
            p.0 += dx;
            p.1 += dy;
        }
    }
}
