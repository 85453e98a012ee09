// Bundles the editor (main.js and the CodeMirror packages it imports) into one minified
// ES module, and the Graph tab's layout (../graph-layout.js with @dagrejs/dagre) into
// another: `node build.mjs [OUT_FILE ...]` (default dist/netpol-editor.js and
// dist/netpol-graph.js; each OUT_FILE gets the editor, netpol-graph.js goes beside it).
// Trunk.toml's pre_build hook writes them into the page's staging directory;
// web/tests/components.rs imports dist/netpol-editor.js. The analysis worker imports
// netpol-graph.js on its first graph request (web/worker.js). Nothing is fetched: the
// packages come from node_modules (`npm ci` here, run by scripts/setup.sh).
import { build } from 'esbuild';
import { mkdirSync, copyFileSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

// CodeMirror's styles come from style-mod, which writes them into a <style> element when
// the editor is in the document (constructed style sheets only in shadow roots). The
// page's Content-Security-Policy (style-src 'self') refuses inline <style>; a
// constructed sheet (document.adoptedStyleSheets, in every current browser) is not
// inline style, so style-mod uses one for the document too. The build fails if the line
// it changes is not there (a new style-mod version: look again).
const ADOPT_FOR_DOCUMENTS = {
  name: 'style-mod-adopted-sheets',
  setup(b) {
    b.onLoad({ filter: /style-mod[\\/]src[\\/]style-mod\.js$/ }, (args) => {
      const src = readFileSync(args.path, 'utf8');
      const from = 'if (!root.head && root.adoptedStyleSheets && win.CSSStyleSheet) {';
      if (!src.includes(from)) throw new Error(`style-mod changed: no \`${from}\` in ${args.path}`);
      return { contents: src.replace(from, 'if (root.adoptedStyleSheets && win.CSSStyleSheet) {'), loader: 'js' };
    });
  },
};
const main = join(here, 'dist', 'netpol-editor.js');
await build({
  entryPoints: [join(here, 'main.js')],
  bundle: true,
  minify: true,
  format: 'esm',
  target: ['es2020'],
  legalComments: 'none',
  outfile: main,
  logLevel: 'warning',
  plugins: [ADOPT_FOR_DOCUMENTS],
});
const graph = join(here, 'dist', 'netpol-graph.js');
await build({
  entryPoints: [join(here, '..', 'graph-layout.js')],
  bundle: true,
  minify: true,
  format: 'esm',
  target: ['es2020'],
  legalComments: 'none',
  outfile: graph,
  logLevel: 'warning',
  // graph-layout.js lives outside this directory: its imports resolve here.
  nodePaths: [join(here, 'node_modules')],
});
for (const out of process.argv.slice(2)) {
  mkdirSync(dirname(resolve(out)), { recursive: true });
  copyFileSync(main, resolve(out));
  copyFileSync(graph, join(dirname(resolve(out)), 'netpol-graph.js'));
}
