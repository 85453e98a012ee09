// The analysis worker (a module worker, started by web/src/bridge.rs). It runs the page's
// own WebAssembly, which the browser has already fetched: `main` sees no window and
// answers the page's requests (web/src/worker.rs). The built-in lessons (lessons.json)
// are read before it starts, as the page does (web/loader.js).
import init from './netpol-web.js';

const here = (name) => new URL(name, import.meta.url);
// The Graph tab's layout (dagre.js and web/graph-layout.js, bundled by web/editor/build.mjs):
// imported on the first graph request only (a module worker has no importScripts), once.
// web/src/worker.rs waits for it, then web/src/graph_layout.rs calls netpolLayout.
let graph;
globalThis.netpolLoadGraph = () =>
  (graph ??= import('./netpol-graph.js').then((m) => {
    globalThis.netpolLayout = m.layout;
  }));
const lessons = fetch(here('lessons.json'))
  .then((r) => (r.ok ? r.text() : ''))
  .catch(() => '');
const wasm = fetch(here('netpol-web_bg.wasm'));

lessons
  .then((text) => {
    globalThis.netpolLessons = text;
    return init({ module_or_path: wasm });
  })
  .catch((e) => {
    // The page's bridge restarts a worker that reports an error.
    setTimeout(() => {
      throw e;
    });
  });
