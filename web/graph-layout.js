// The Graph tab's layout, in the analysis worker: web/src/graph_layout.rs describes the
// graph (nodes with their sizes, namespaces as compound nodes, edges with their label
// sizes) as JSON, and this lays it out with dagre.js (@dagrejs/dagre from npm) and answers
// the coordinates as JSON. web/editor/build.mjs bundles this file with dagre into
// netpol-graph.js (an ES module), which web/worker.js imports on the first graph request
// only (a module worker has no importScripts). dagre iterates in insertion order: the same
// input gives the same picture.
import dagre from '@dagrejs/dagre';

export function layout(input) {
  const g = JSON.parse(input);
  const G = new dagre.graphlib.Graph({ directed: true, multigraph: true, compound: true });
  G.setGraph(g.options);
  G.setDefaultEdgeLabel(() => ({}));
  for (const n of g.nodes) G.setNode(n.id, { width: n.w, height: n.h });
  for (const c of g.clusters) {
    G.setNode(c.id, {});
    for (const m of c.members) G.setParent(m, c.id);
  }
  for (const e of g.edges) G.setEdge(e.from, e.to, { width: e.w, height: e.h, labelpos: 'c' }, e.id);
  dagre.layout(G);
  const at = (v) => {
    const l = G.node(v);
    return { x: l.x, y: l.y, w: l.width, h: l.height };
  };
  return JSON.stringify({
    nodes: g.nodes.map((n) => at(n.id)),
    clusters: g.clusters.map((c) => at(c.id)),
    edges: g.edges.map((e) => {
      const l = G.edge(e.from, e.to, e.id);
      return { points: l.points.map((p) => [p.x, p.y]), x: l.x, y: l.y };
    }),
  });
}
