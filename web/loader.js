// Loads the playground: the editor bundle (CodeMirror, web/editor/, which sets
// globalThis.netpolEditor), then the lessons and the WebAssembly (web/boot.js). Trunk's
// own loader is an inline script, which the Content-Security-Policy of index.html
// forbids, so Trunk.toml sets inject_scripts = false.
import './netpol-editor.js';
import { boot } from './boot.js';

boot().catch((e) => {
  const el = document.getElementById('panic-banner');
  if (el) {
    el.textContent = 'The playground could not start: ' + e + ' / No se pudo iniciar el playground.';
    el.hidden = false;
  }
});
