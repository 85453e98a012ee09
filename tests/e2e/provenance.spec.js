// From a rule to its flows (issue 13): the cursor in a NetworkPolicy, a rule or a peer
// marks on the Graph and the Matrix every connection it allows, and says whether it is
// needed, redundant or matches nothing. The expected edges are the tutorial's own: in
// step 12, `allow-dns-egress` lets utils reach CoreDNS on port 53 and nothing else;
// `allow-webapp-egress` lets utils reach webapp-balanced on TCP 80; `default-deny-egress`
// only isolates. The redundant peer is tests/provenance/peers.yaml's (two peers that
// select the same pod).
const fs = require('fs');
const path = require('path');
const { test, expect } = require('@playwright/test');
const { openClean, guardEachTest, ROOT, OUT, openApp, chooseExample, paste } = require('./helpers');

guardEachTest(test);

const STEP12 = 'seed/12-egress-allow-dns-and-webapp';
const UTILS = 'utils/utils[Deployment]';
const DNS = 'kube-system/coredns[Deployment]';
const WEB = 'webapp-balanced/webapp-balanced[Deployment]';

/** Puts the editor's cursor inside the `nth` occurrence of `needle` (after `after`, if
 *  given), as a click there would: a user selection event, scrolled into view. */
async function putCursor(page, needle, after = '') {
  await page.evaluate(([needle, after]) => {
    const w = netpolEditor.workspaceOf(document.getElementById('editor'));
    const text = w.text();
    const from = after ? text.indexOf(after) : 0;
    const at = text.indexOf(needle, from);
    if (from < 0 || at < 0) throw new Error(`not in the text: ${after} ${needle}`);
    w.place(at + 2);
  }, [needle, after]);
}

async function fresh(page) {
  await expect(page.locator('#eval-status')).toHaveAttribute('data-fresh', 'true', { timeout: 30_000 });
}

/** The traced edges drawn, as `from -> to` (a two-way edge in its drawn direction). */
async function tracedEdges(page) {
  return page.locator('#graph g.g-edge.traced').evaluateAll((els) => els.map((e) => `${e.dataset.from} -> ${e.dataset.to}`).sort());
}

test('a peer in the editor marks exactly the connections it allows on the graph', async ({ page }) => {
  await openApp(page);
  await chooseExample(page, STEP12);
  await page.locator('#tab-graph').click();
  await fresh(page);
  await expect(page.locator('#trace-hint')).toBeVisible();
  await expect(page.locator('#graph g.g-edge.traced')).toHaveCount(0);

  // The DNS peer of allow-dns-egress.
  await putCursor(page, 'k8s-app: kube-dns', 'name: allow-dns-egress');
  await expect(page.locator('#trace')).toBeVisible();
  await expect(page.locator('#trace-policy')).toHaveText('NetworkPolicy `utils/allow-dns-egress`');
  await expect(page.locator('#trace-path')).toHaveText('spec.egress[0].to[0]');
  await expect(page.locator('#trace')).toHaveAttribute('data-finding', 'needed');
  expect(await tracedEdges(page)).toEqual([`${UTILS} -> ${DNS}`]);
  await expect(page.locator('#trace')).toHaveAttribute('data-marked', '1');
  await expect(page.locator('#graph')).toHaveClass(/tracing/);
  await page.locator('#trace-flows summary').click();
  await expect(page.locator(`#trace-flows li[data-from="${UTILS}"][data-to="${DNS}"]`)).toContainText('TCP 53; UDP 53');

  // A port entry stands for its rule: the same flows, the rule's path.
  await putCursor(page, 'port: 53', 'name: allow-dns-egress');
  await expect(page.locator('#trace-path')).toHaveText('spec.egress[0]');
  expect(await tracedEdges(page)).toEqual([`${UTILS} -> ${DNS}`]);

  // The graph for another port: the DNS rule's edge is not drawn for TCP 80.
  await page.selectOption('#graph-protocol', 'TCP');
  await page.fill('#graph-port', '80');
  await fresh(page);
  await expect(page.locator('#trace-empty')).toBeVisible();
  await expect(page.locator('#graph g.g-edge.traced')).toHaveCount(0);
  // ... and allow-webapp-egress's is.
  await putCursor(page, 'app: webapp-balanced', 'name: allow-webapp-egress');
  await expect(page.locator('#trace-policy')).toHaveText('NetworkPolicy `utils/allow-webapp-egress`');
  expect(await tracedEdges(page)).toEqual([`${UTILS} -> ${WEB}`]);

  // A policy that only isolates: flagged, nothing marked.
  await putCursor(page, 'name: default-deny-egress');
  await expect(page.locator('#trace')).toHaveAttribute('data-finding', 'nothing');
  await expect(page.locator('#trace-path')).toHaveText('the whole policy');
  await expect(page.locator('#trace-finding')).toContainText('allows nothing');
  await expect(page.locator('#graph g.g-edge.traced')).toHaveCount(0);

  // Out of every policy: no trace.
  await putCursor(page, 'kind: Namespace');
  await expect(page.locator('#trace')).toHaveCount(0);
  await expect(page.locator('#trace-hint')).toBeVisible();

  // Clear stops marking until the cursor moves again.
  await putCursor(page, 'k8s-app: kube-dns', 'name: allow-dns-egress');
  await expect(page.locator('#trace')).toBeVisible();
  await page.locator('#trace-clear').click();
  await expect(page.locator('#trace')).toHaveCount(0);
  await expect(page.locator('#graph g.g-edge.traced')).toHaveCount(0);
});

test('a click on a line of the policy traces it (the pointer, not a script)', async ({ page }) => {
  await openApp(page);
  await chooseExample(page, STEP12);
  await page.locator('#tab-graph').click();
  await fresh(page);
  // Bring the line into view, then click on it.
  await putCursor(page, 'name: allow-webapp-egress');
  await page.locator('#trace-clear').click();
  await expect(page.locator('#trace')).toHaveCount(0);
  await page.locator('.cm-line', { hasText: 'name: allow-webapp-egress' }).click();
  await expect(page.locator('#trace')).toBeVisible();
  await expect(page.locator('#trace-policy')).toHaveText('NetworkPolicy `utils/allow-webapp-egress`');
  expect(await tracedEdges(page)).toEqual([`${UTILS} -> ${WEB}`]);
});

test('a rule named in an explanation traces it: the link selects it, the Graph marks its flows', async ({ page }) => {
  await openApp(page);
  await chooseExample(page, STEP12);
  await page.locator('#tab-query').click();
  await page.selectOption('#from', 'utils/utils');
  await page.selectOption('#to', 'webapp-balanced/webapp-balanced');
  await page.selectOption('#protocol', 'TCP');
  await page.locator('#port').fill('80');
  await expect(page.locator('#verdict')).toHaveAttribute('data-verdict', 'allowed');
  // The egress side names the rule that allows it; its link selects the rule's text.
  const rule = page.locator('#side-egress .rule-link').first();
  await expect(rule).toBeVisible();
  await rule.click();
  await page.locator('#tab-graph').click();
  await fresh(page);
  await expect(page.locator('#trace')).toBeVisible();
  await expect(page.locator('#trace-policy')).toHaveText('NetworkPolicy `utils/allow-webapp-egress`');
  await expect(page.locator('#trace')).toHaveAttribute('data-finding', 'needed');
  expect(await tracedEdges(page)).toEqual([`${UTILS} -> ${WEB}`]);
});

test('the matrix marks the cells the traced rule allows, by workload and by pod', async ({ page }) => {
  await openApp(page);
  await chooseExample(page, STEP12);
  await page.locator('#tab-matrix').click();
  await fresh(page);
  await putCursor(page, 'app: webapp-balanced', 'name: allow-webapp-egress');
  await expect(page.locator('#trace')).toBeVisible();
  const traced = () => page.locator('#matrix td.traced').evaluateAll((els) => els.map((e) => `${e.dataset.from} -> ${e.dataset.to}`));
  await expect.poll(traced).toEqual([`${UTILS} -> ${WEB}`]);
  await expect(page.locator('#matrix td.traced')).toHaveAttribute('data-cell', 'allowed');
  // The DNS rule allows nothing on TCP 80: no cell, and the banner says why.
  await putCursor(page, 'k8s-app: kube-dns', 'name: allow-dns-egress');
  await expect(page.locator('#trace-path')).toHaveText('spec.egress[0].to[0]');
  await expect(page.locator('#matrix td.traced')).toHaveCount(0);
  await expect(page.locator('#trace-empty')).toBeVisible();
  // On port 53 (UDP) it marks utils -> coredns.
  await page.selectOption('#matrix-protocol', 'UDP');
  await page.fill('#matrix-port', '53');
  await expect.poll(traced).toEqual([`${UTILS} -> ${DNS}`]);
  // By pod: the cell of utils' pod to CoreDNS' pod.
  await page.locator('#matrix-pods').check();
  await expect(page.locator('#matrix')).toHaveAttribute('data-by', 'pod');
  // Every cell from a utils pod to a CoreDNS pod (two replicas), and no other.
  const titles = (sel) => page.locator(sel).evaluateAll((els) => els.map((b) => b.title));
  const want = (await titles('#matrix td button')).filter((t) => /^utils\/utils-\S+ → kube-system\/coredns-\S+: /.test(t));
  expect(want.length).toBeGreaterThan(0);
  await expect.poll(() => titles('#matrix td.traced button')).toEqual(want);
  for (const t of want) expect(t).toMatch(/: ✓/);
});

test('a redundant peer is flagged with its reason, in both languages', async ({ page }) => {
  await openApp(page);
  await paste(page, fs.readFileSync(path.join(ROOT, 'tests/provenance/peers.yaml'), 'utf8'));
  await page.locator('#tab-graph').click();
  await fresh(page);
  await putCursor(page, 'tier: front', 'name: db-in');
  await expect(page.locator('#trace')).toHaveAttribute('data-finding', 'redundant');
  await expect(page.locator('#trace-path')).toHaveText('spec.ingress[0].from[0]');
  await expect(page.locator('#trace-finding')).toContainText('is redundant');
  await expect(page.locator('#trace-finding')).toContainText('removing it changes no connection');
  // It still allows web -> db: the edges are marked all the same.
  expect(await tracedEdges(page)).toContain('shop/web[Pod] -> shop/db[Deployment]');
  // A rule whose peer matches no pod.
  await putCursor(page, 'app: ghost');
  await expect(page.locator('#trace')).toHaveAttribute('data-finding', 'nothing');
  await expect(page.locator('#trace-finding')).toContainText('allows nothing');
  // Spanish.
  await page.selectOption('#lang', 'es');
  await fresh(page);
  await expect(page.locator('#trace .trace-head strong')).toHaveText('Trazando');
  await expect(page.locator('#trace-badge')).toHaveText('no selecciona nada');
  await putCursor(page, 'tier: front', 'name: db-in');
  await expect(page.locator('#trace-finding')).toContainText('es redundante');
});

// Screenshots of a trace (looked at, not compared): step 12's webapp rule on the graph
// and the matrix, English and Spanish, light and dark.
for (const lang of ['en', 'es']) {
  test(`screenshot trace step 12 (${lang}, light and dark)`, async ({ page }) => {
    for (const theme of ['light', 'dark']) {
      await openClean(page, { theme, lang, example: STEP12 });
      await page.locator('#tab-graph').click();
      await fresh(page);
      await putCursor(page, 'app: webapp-balanced', 'name: allow-webapp-egress');
      await expect(page.locator('#graph g.g-edge.traced')).toHaveCount(1);
      await page.screenshot({ path: path.join(OUT, `trace-graph-12-${theme}-${lang}.png`) });
      await page.locator('#tab-matrix').click();
      await fresh(page);
      await expect(page.locator('#matrix td.traced')).toHaveCount(1);
      await page.screenshot({ path: path.join(OUT, `trace-matrix-12-${theme}-${lang}.png`) });
    }
  });
}
