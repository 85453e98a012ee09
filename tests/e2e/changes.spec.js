// "Pin as baseline" (issue 15): the current text becomes the baseline; after an edit the
// Changes tab lists the connections that differ by workload with the object changes that
// cause them (the pairs and words of `netpol diff --by workload`), the Matrix and the
// Graph mark what differs, a share link carries the baseline, Unpin returns to the plain
// views. The story: the tutorial's step 2 (deny all ingress) pinned, then step 10 (allow
// port 80/TCP from anywhere).
const path = require('path');
const { test, expect } = require('@playwright/test');
const { guardEachTest, OUT, openApp, chooseExample, editorSelection, editorText, expectEditorText } = require('./helpers');

guardEachTest(test);

const WEB = 'webapp-balanced/webapp-balanced[Deployment]';
const UTILS = 'utils/utils[Deployment]';

async function pinStep2ThenStep10(page) {
  await openApp(page);
  await chooseExample(page, 'seed/02-default-deny-ingress');
  await expect(page.locator('#pin')).toBeVisible();
  await page.locator('#pin').click();
  await expect(page.locator('#unpin')).toBeVisible();
  await chooseExample(page, 'seed/10-allow-port-80-tcp');
  await page.locator('#tab-changes').click();
}

test('step 2 pinned, step 10 loaded: the pairs opened on TCP 80, with the policy edit that opened them', async ({ page }) => {
  await pinStep2ThenStep10(page);
  const summary = page.locator('#changes-summary');
  await expect(summary).toContainText('added');
  await expect(summary).toContainText('0 removed, 0 changed');
  await expect(page.locator('li.change-row.change-removed, li.change-row.change-changed')).toHaveCount(0);
  const row = page.locator('li.change-row.change-added', { hasText: UTILS }).filter({ hasText: WEB });
  await expect(row).toHaveCount(1);
  await expect(row.locator('.change-before')).toHaveText('No connections');
  await expect(row.locator('.change-after')).toHaveText('TCP 80');
  await expect(row.locator('.change-why')).toContainText('NetworkPolicy `webapp-balanced/default-deny-ingress`');
  await expect(row).toContainText('ingress of the destination');
  // Nothing but ingress to the web changed: no row leaves from it.
  await expect(page.locator(`li.change-row[data-from="${WEB}"]`)).toHaveCount(0);
  // The object list links to the policy in the editor.
  const object = page.locator('ul.change-objects button.change-object');
  await expect(object).toHaveCount(1);
  await expect(object).toHaveText('NetworkPolicy `webapp-balanced/default-deny-ingress` edited: `spec.podSelector` edited, `spec.ingress[0]` added');
  await object.click();
  expect(await editorSelection(page)).toContain('name: default-deny-ingress');
  await page.screenshot({ path: path.join(OUT, 'changes-en.png') });

  // The Matrix (workloads, TCP 80) marks the cells that were denied.
  await page.locator('#tab-matrix').click();
  await page.locator('#matrix-port').fill('80');
  const cell = page.locator(`#matrix td[data-from="${UTILS}"][data-to="${WEB}"]`);
  await expect(cell).toHaveClass(/since/);
  await expect(cell).toHaveAttribute('data-since', 'denied');
  await expect(cell).toHaveAttribute('data-cell', 'allowed');
  await expect(cell.locator('button')).toHaveAttribute('title', /baseline: denied/);
  // A cell that did not change carries no mark.
  await expect(page.locator(`#matrix td[data-from="${WEB}"][data-to="${UTILS}"]`)).not.toHaveClass(/since/);
  await expect(page.locator('#matrix-since')).toBeVisible();
  await cell.scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(OUT, 'changes-matrix-en.png') });

  // The Graph marks the new edges; the legend counts them.
  await page.locator('#tab-graph').click();
  const edge = page.locator(`#graph g.g-edge[data-from="${UTILS}"][data-to="${WEB}"]:not(.denied)`);
  await expect(edge).toHaveAttribute('data-change', 'added');
  await expect(edge).toHaveClass(/since-added/);
  // The object link put the cursor in that policy, so the Graph also traces it (issue 13):
  // the new edge is the one it allows, marked both ways.
  await expect(page.locator('#trace-policy')).toHaveText('NetworkPolicy `webapp-balanced/default-deny-ingress`');
  await expect(edge.locator('.g-elabel text')).toHaveText('◉ + TCP 80');
  await expect(page.locator('#graph-legend li.since-item').first()).toContainText('added');
  await page.screenshot({ path: path.join(OUT, 'changes-graph-en.png') });

  // Unpin: plain views again.
  await page.locator('#unpin').click();
  await expect(page.locator('#pin')).toBeVisible();
  await expect(page.locator('#graph g.g-edge.since-added')).toHaveCount(0);
  await page.locator('#tab-matrix').click();
  await expect(page.locator('#matrix td.since')).toHaveCount(0);
  await expect(page.locator('#tab-changes')).toBeVisible();
});

test('an edit that closes a connection: removed, drawn from the baseline, and the baseline text restored', async ({ page }) => {
  await openApp(page);
  await chooseExample(page, 'seed/10-allow-port-80-tcp');
  await page.locator('#pin').click();
  const before = await editorText(page);
  await chooseExample(page, 'seed/02-default-deny-ingress');
  await page.locator('#tab-changes').click();
  const row = page.locator('li.change-row.change-removed', { hasText: UTILS }).filter({ hasText: WEB });
  await expect(row).toHaveCount(1);
  await expect(row.locator('.change-before')).toHaveText('TCP 80');
  await expect(row.locator('.change-after')).toHaveText('No connections');
  await page.locator('#tab-graph').click();
  // (The lesson's ICMP row draws its own denied edge beside it.)
  const edge = page.locator(`#graph g.g-edge[data-from="${UTILS}"][data-to="${WEB}"]:not(.denied)`);
  await expect(edge).toHaveAttribute('data-change', 'removed');
  await expect(edge.locator('.g-elabel text')).toHaveText(/−/);
  // Its explanation is today's verdict: denied.
  await edge.click();
  await expect(page.locator('#graph-explain')).toContainText(/denied/i);
  // Back to the baseline's text: nothing differs.
  await page.locator('#revert').click();
  await expectEditorText(page, before);
  await page.locator('#tab-changes').click();
  await expect(page.locator('#changes-summary')).toContainText('no connectivity change');
  await expect(page.locator('li.change-row')).toHaveCount(0);
});

test('a share link carries the baseline; in Spanish and dark', async ({ page, context }) => {
  await pinStep2ThenStep10(page);
  await page.locator('#share').click();
  const link = await page.locator('#share-link').inputValue();
  const other = await context.newPage();
  await other.goto(link);
  await expect(other.locator('#unpin')).toBeVisible();
  await expect(other.locator('#tab-changes')).toHaveAttribute('aria-selected', 'true');
  await expect(other.locator('li.change-row.change-added', { hasText: UTILS }).filter({ hasText: WEB })).toHaveCount(1);
  await expect(other.locator('#notice')).toContainText('Opened the shared link.');
  await other.selectOption('#lang', 'es');
  await expect(other.locator('#tab-changes')).toHaveText('Cambios');
  // The notice follows the language too.
  await expect(other.locator('#notice')).toContainText('Se ha abierto el enlace compartido.');
  await expect(other.locator('#changes-summary')).toContainText('nueva');
  const row = other.locator('li.change-row.change-added', { hasText: UTILS }).filter({ hasText: WEB });
  await expect(row.locator('.change-before')).toHaveText('Ninguna conexión');
  await expect(other.locator('ul.change-objects')).toContainText('se modificó NetworkPolicy `webapp-balanced/default-deny-ingress`');
  await expect(row.locator('.change-why')).toContainText('ingress del destino');
  await other.locator('#theme').click();
  await expect(other.locator('#theme')).toHaveAttribute('aria-pressed', 'true');
  await other.screenshot({ path: path.join(OUT, 'changes-es-dark.png') });
  await other.locator('#tab-graph').click();
  await expect(other.locator(`#graph g.g-edge[data-from="${UTILS}"][data-to="${WEB}"]:not(.denied)`)).toHaveAttribute('data-change', 'added');
  await other.screenshot({ path: path.join(OUT, 'changes-graph-es-dark.png') });
});
