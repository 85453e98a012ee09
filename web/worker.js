// The analysis worker (a module worker, started by web/src/bridge.rs). It runs the page's
// own WebAssembly, which the browser has already fetched: `main` sees no window and
// answers the page's requests (web/src/worker.rs). The built-in lessons (lessons.json)
// are read before it starts, as the page does (web/loader.js).
import init from './netpol-web.js';

const here = (name) => new URL(name, import.meta.url);
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
