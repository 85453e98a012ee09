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

/** A share fragment as the page makes it: JSON, raw deflate, base64url. */
function shareFragment(obj) {
  const raw = zlib.deflateRawSync(Buffer.from(JSON.stringify(obj)));
  return 's=' + raw.toString('base64url');
}

/** Sets the editor text as one paste (Playwright's fill is slow on very large text) and
 *  waits until the page has evaluated it. */
async function paste(page, text) {
  await page.locator('#editor').evaluate((el, t) => {
    el.value = t;
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }, text);
  await expect(page.locator('#eval-status')).toHaveAttribute('data-fresh', 'true', { timeout: 30_000 });
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

module.exports = { expectedRows, installTypingProbe, readTypingProbe, median, bigCluster, paste, ROOT, OUT, guardRequests, seedSteps, openApp, chooseExample, shareFragment };
