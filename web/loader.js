// Loads the playground: the editor bundle (CodeMirror, web/editor/, which sets
// globalThis.netpolEditor), the built-in lessons (lessons.json, web/build.rs) and the
// WebAssembly, the last two fetched at once. Trunk's own loader is an inline script, which
// the Content-Security-Policy of index.html forbids, so Trunk.toml sets
// inject_scripts = false.
import './netpol-editor.js';
import init from './netpol-web.js';

const here = (name) => new URL(name, import.meta.url);
// Without its lessons the page still works (no built-in examples): never fail on them.
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
    const el = document.getElementById('panic-banner');
    if (el) {
      el.textContent = 'The playground could not start: ' + e + ' / No se pudo iniciar el playground.';
      el.hidden = false;
    }
  });
