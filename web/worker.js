// The analysis worker (a module worker, started by web/src/bridge.rs): it runs the page's
// own WebAssembly, which the browser has already fetched (web/boot.js, web/src/worker.rs).
import { boot } from './boot.js';

// The Graph tab's layout (dagre.js and web/graph-layout.js, bundled by web/editor/build.mjs):
// imported on the first graph request only (a module worker has no importScripts), once.
// web/src/worker.rs waits for it, then web/src/analyzer/graph_layout/ calls netpolLayout.
let graph;
globalThis.netpolLoadGraph = () =>
  (graph ??= import('./netpol-graph.js').then((m) => {
    globalThis.netpolLayout = m.layout;
  }));

boot().catch((e) => {
  // The page's bridge restarts a worker that reports an error.
  setTimeout(() => {
    throw e;
  });
});
