// Loads the playground: the editor bundle (CodeMirror, web/editor/, which sets
// globalThis.netpolEditor), then the WebAssembly. Trunk's own loader is an inline script,
// which the Content-Security-Policy of index.html forbids, so Trunk.toml sets
// inject_scripts = false.
import './netpol-editor.js';
import init from './netpol-web.js';

init({ module_or_path: new URL('netpol-web_bg.wasm', import.meta.url) }).catch((e) => {
  const el = document.getElementById('panic-banner');
  if (el) {
    el.textContent = 'The playground could not start: ' + e + ' / No se pudo iniciar el playground.';
    el.hidden = false;
  }
});
