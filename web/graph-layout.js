// The Graph tab's layout, in the analysis worker: web/src/analyzer/graph_layout/ describes the
// graph as numbers (a Float64Array: dagre's options; the nodes' sizes; each namespace, a
// compound node, with its members; each edge's ends and label size; see `encode` there)
// and this lays it out with dagre.js (@dagrejs/dagre from npm) and answers numbers
// (`decode` there): each node's and namespace's centre and size, each edge's label
// centre and points. web/editor/build.mjs bundles this file with dagre into
// netpol-graph.js (an ES module), which web/worker.js imports on the first graph request
// only (a module worker has no importScripts). dagre iterates in insertion order: the
// same input gives the same picture.
import dagre from '@dagrejs/dagre';

export function layout(a) {
  let i = 0;
  const next = () => a[i++];
  const G = new dagre.graphlib.Graph({ directed: true, multigraph: true, compound: true });
  G.setGraph({ rankdir: 'TB', nodesep: next(), edgesep: next(), ranksep: next(), marginx: next(), marginy: next() });
  G.setDefaultEdgeLabel(() => ({}));
  const nodes = next();
  for (let k = 0; k < nodes; k++) G.setNode(`n${k}`, { width: next(), height: next() });
  const clusters = next();
  for (let k = 0; k < clusters; k++) {
    G.setNode(`c${k}`, {});
    for (let m = next(); m > 0; m--) G.setParent(`n${next()}`, `c${k}`);
  }
  const edges = [];
  for (let k = next(); k > 0; k--) {
    const e = [`n${next()}`, `n${next()}`, `e${edges.length}`];
    G.setEdge(e[0], e[1], { width: next(), height: next(), labelpos: 'c' }, e[2]);
    edges.push(e);
  }
  dagre.layout(G);
  const out = [];
  const at = (v) => {
    const l = G.node(v);
    out.push(l.x, l.y, l.width, l.height);
  };
  for (let k = 0; k < nodes; k++) at(`n${k}`);
  for (let k = 0; k < clusters; k++) at(`c${k}`);
  for (const [v, w, name] of edges) {
    const l = G.edge(v, w, name);
    out.push(l.x, l.y, l.points.length);
    for (const p of l.points) out.push(p.x, p.y);
  }
  return new Float64Array(out);
}
