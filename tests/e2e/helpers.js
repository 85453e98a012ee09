// Shared helpers for the playground's end-to-end tests.
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');
const { expect } = require('@playwright/test');

const ROOT = path.resolve(__dirname, '../..');
const OUT = path.join(__dirname, 'output');

/** Every request must stay on the page's origin; call in each test, check at the end. */
function guardRequests(page, baseURL) {
  const origin = new URL(baseURL).origin;
  const foreign = [];
  page.on('request', (r) => {
    const u = r.url();
    if (!(u.startsWith(origin + '/') || u.startsWith('data:') || u.startsWith('blob:'))) foreign.push(u);
  });
  const dialogs = [];
  page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  return { foreign, dialogs, errors };
}

/** The seed steps in order, each with its single-connection rows read from the file. */
function seedSteps() {
  const dir = path.join(ROOT, 'examples/seed');
  return fs.readdirSync(dir).filter((f) => /^\d\d-.*\.yaml$/.test(f)).sort().map((f) => {
    const text = fs.readFileSync(path.join(dir, f), 'utf8');
    return { id: 'seed/' + f.replace(/\.yaml$/, ''), rows: expectedRows(text) };
  });
}

/** The verdict of each single-connection row of a scenario's `expect` list, in order:
 *  `allowed`/`denied`, or the `outcome:` through a Service. Rows are flow mappings on one
 *  line (`- {from: ..., allowed: true}`) or block mappings (`- from: ...` then keys at the
 *  item's indentation); a nested `recorded: {allowed: ...}` is not the row's verdict. */
function expectedRows(text) {
  const body = text.split(/^expect:\s*$/m)[1] || '';
  const items = body.split(/^  - /m).slice(1);
  return items.filter((it) => !/^\s*matrix:/m.test(it) && /\bfrom:/.test(it)).map((it) => {
    const flow = it.startsWith('{');
    const own = flow ? it.split('\n')[0] : it.split('\n').filter((l, i) => i === 0 || /^    [a-z]/.test(l)).join('\n');
    const o = own.match(/\boutcome:\s*"?([a-z-]+)/);
    const a = own.match(/\ballowed:\s*(true|false)\b/);
    return o ? o[1] : (a && a[1] === 'true' ? 'allowed' : 'denied');
  });
}

async function openApp(page, url = '/') {
  await page.goto(url);
  await expect(page.locator('#editor')).toBeVisible();
}

async function chooseExample(page, id) {
  const value = await page.locator(`#examples option[data-id="${id}"]`).getAttribute('value');
  await page.selectOption('#examples', value);
  await expect(page.locator('#lesson')).toHaveAttribute('data-example', id);
}

/** The page as a first visit sees it (no storage), in `theme` and `lang`, on `example`. */
async function openClean(page, { theme, lang, example }) {
  await page.emulateMedia({ colorScheme: theme });
  await openApp(page);
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await expect(page.locator('#editor')).toBeVisible();
  await page.selectOption('#lang', lang);
  await chooseExample(page, example);
}

/** A share fragment as the page makes it: JSON, raw deflate, base64url. */
function shareFragment(obj) {
  const raw = zlib.deflateRawSync(Buffer.from(JSON.stringify(obj)));
  return 's=' + raw.toString('base64url');
}

// The editor is CodeMirror (web/editor/main.js): `#editor` is its editable element,
// `netpolEditor.viewOf` gives its view (the open file) and `netpolEditor.workspaceOf` the
// workspace: all its files as one text (`text()`), positions in that text.

/** The editor's whole text (every file, with its `# Source:` marker). */
async function editorText(page) {
  // null until the editor exists (right after a load or reload).
  return page.evaluate(() => {
    const el = document.getElementById('editor');
    const w = el && globalThis.netpolEditor && netpolEditor.workspaceOf(el);
    return w ? w.text() : null;
  });
}

/** The text of the editor's (main) selection. */
async function editorSelection(page) {
  return page.evaluate(() => {
    const v = netpolEditor.viewOf(document.getElementById('editor'));
    const r = v.state.selection.main;
    return v.state.sliceDoc(r.from, r.to);
  });
}

/** The workspace's files: [{name, label, text}] and the index of the open one. */
async function editorFiles(page) {
  return page.evaluate(() => {
    const w = netpolEditor.workspaceOf(document.getElementById('editor'));
    return { files: w.files(), active: w.active() };
  });
}

/** Waits until the editor holds `text` (or matches the RegExp). */
async function expectEditorText(page, text, options) {
  const poll = expect.poll(() => editorText(page), options);
  if (text instanceof RegExp) await poll.toMatch(text);
  else await poll.toBe(text);
}

/** Replaces the editor's text as a person pasting it would: select all, then a paste
 *  event carrying the text (the editor's own paste handling inserts it; the fast path for
 *  big text, where typing key by key would take minutes). */
async function setText(page, text) {
  await page.locator('#editor').evaluate((el, t) => {
    // One file first (a lesson opens as several): the paste then replaces everything.
    const w = netpolEditor.workspaceOf(el);
    if (w.files().length > 1 || w.files()[0].name !== null) w.setText('');
    el.focus();
    const v = netpolEditor.viewOf(el);
    v.dispatch({ selection: { anchor: 0, head: v.state.doc.length } });
    const data = new DataTransfer();
    data.setData('text/plain', t);
    el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, text);
}

/** Types `text` key by key as a person would in the editor. The editor indents a new line
 *  by itself after Enter; `text` carries its own indentation, so that indentation is
 *  removed first (Shift+Home selects it, Delete removes it). */
async function typeText(page, text) {
  for (const ch of text) {
    if (ch === '\n') {
      await page.keyboard.press('Enter');
      await page.keyboard.press('Shift+Home');
      await page.keyboard.press('Delete');
    } else {
      await page.keyboard.type(ch);
    }
  }
}

/** Waits until the page's results are for a revision after `before` and fresh. */
async function waitFresh(page, before, timeout = 30_000) {
  const st = page.locator('#eval-status');
  await expect.poll(async () => Number(await st.getAttribute('data-revision')), { timeout }).toBeGreaterThan(before);
  await expect(st).toHaveAttribute('data-fresh', 'true', { timeout });
}

async function revision(page) {
  return Number(await page.locator('#eval-status').getAttribute('data-revision'));
}

/** Pastes `text` over the editor's text and waits until the page has evaluated it. */
async function paste(page, text, timeout = 30_000) {
  // An edit still inside its debounce would take this paste into the same burst (one
  // revision for both): wait until what was typed before has been evaluated.
  await expect(page.locator('#eval-status')).toHaveAttribute('data-fresh', 'true', { timeout });
  const before = await revision(page);
  await setText(page, text);
  await waitFresh(page, before, timeout);
}

/** Records, in the page, how long each keydown takes to reach the next frame (the typing
 *  latency a person feels) and when the results last became fresh (`#eval-status`). */
async function installTypingProbe(page) {
  await page.evaluate(() => {
    window.__probe = { lat: [], lastKey: 0, freshAt: 0 };
    document.addEventListener('keydown', () => {
      const t0 = performance.now();
      window.__probe.lastKey = t0;
      requestAnimationFrame(() => setTimeout(() => window.__probe.lat.push(performance.now() - t0), 0));
    }, true);
    const st = document.getElementById('eval-status');
    if (st) {
      new MutationObserver(() => {
        if (st.dataset.fresh === 'true') window.__probe.freshAt = performance.now();
      }).observe(st, { attributes: true, attributeFilter: ['data-fresh'] });
    }
  });
}

/** The probe's numbers: per-key latencies (ms) and last keystroke -> fresh results (ms). */
async function readTypingProbe(page) {
  return page.evaluate(() => ({ lat: window.__probe.lat.slice(), keyToFresh: window.__probe.freshAt - window.__probe.lastKey }));
}

const median = (v) => {
  const s = [...v].sort((a, b) => a - b);
  const n = s.length;
  return n === 0 ? NaN : n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
};

/** Namespaces, `pods` pods and two NetworkPolicies per namespace (deny all; allow tier t1). */
function bigCluster(pods) {
  const docs = [];
  for (let n = 0; n < 10; n++) docs.push(`apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns${n}\n  labels:\n    team: t${n % 3}\n`);
  for (let i = 0; i < pods; i++) {
    const n = i % 10;
    docs.push(`apiVersion: v1\nkind: Pod\nmetadata:\n  name: pod${i}\n  namespace: ns${n}\n  labels:\n    app: app${i % 25}\n    tier: t${i % 4}\nspec:\n  containers:\n  - name: c\n    image: nginx\n    ports:\n    - containerPort: 80\n      name: http\nstatus:\n  podIP: 10.1.${Math.floor(i / 250)}.${i % 250 + 1}\n`);
  }
  for (let n = 0; n < 10; n++) {
    docs.push(`apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: deny\n  namespace: ns${n}\nspec:\n  podSelector: {}\n  policyTypes: [Ingress, Egress]\n`);
    docs.push(`apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: allow-web\n  namespace: ns${n}\nspec:\n  podSelector:\n    matchLabels:\n      tier: t1\n  ingress:\n  - from:\n    - namespaceSelector:\n        matchLabels:\n          team: t1\n      podSelector:\n        matchLabels:\n          app: app3\n    ports:\n    - port: http\n`);
  }
  return docs.join('---\n');
}

/** Every test of the calling spec file: no request leaves the page's origin, no dialog
 *  opens (an XSS would open one), no uncaught page error. `watch(page, guard)` may add
 *  what else counts as an error (e.g. a CSP report on the console). Returns a function
 *  that gives the running test's guard (a test on another origin clears what it expects). */
function guardEachTest(test, watch = () => {}) {
  let guard;
  test.beforeEach(async ({ page, baseURL }) => {
    guard = guardRequests(page, baseURL);
    watch(page, guard);
  });
  test.afterEach(async () => {
    expect(guard.foreign, 'requests that left the page origin').toEqual([]);
    expect(guard.dialogs, 'dialogs (an XSS would open one)').toEqual([]);
    expect(guard.errors, 'uncaught page errors').toEqual([]);
  });
  return () => guard;
}

module.exports = { openClean, guardEachTest, typeText, editorText, editorSelection, editorFiles, expectEditorText, setText, waitFresh, revision, expectedRows, installTypingProbe, readTypingProbe, median, bigCluster, paste, ROOT, OUT, guardRequests, seedSteps, openApp, chooseExample, shareFragment };
