// Cluster-scoped tiers in the decision view, the examples list generated from examples/,
// and a lesson's expected matrices.
const fs = require('fs');
const path = require('path');
const { test, expect } = require('@playwright/test');
const { guardEachTest, ROOT, OUT, openApp, chooseExample, editorSelection } = require('./helpers');

guardEachTest(test);

/** The row of the lesson table for a connection. */
async function runRow(page, from, to) {
  const row = page.locator('#rows tr.row', { hasText: `${from} → ${to}` }).first();
  await row.locator('button.run').click();
  return row;
}

test('BANP denies a pod no NetworkPolicy isolates: the chain is shown and clickable', async ({ page }) => {
  await openApp(page);
  await chooseExample(page, 'recipes/09-global-default-deny-banp');
  // shop/backend's egress: no NetworkPolicy isolates it, the baseline tier denies it.
  await runRow(page, 'shop/backend', 'shop/db');
  await expect(page.locator('#verdict')).toHaveAttribute('data-verdict', 'denied');
  const egress = page.locator('#side-egress');
  await expect(egress).toHaveAttribute('data-allows', 'false');
  await expect(egress).toHaveClass(/\bbad\b/);
  const steps = egress.locator('ol.chain li.step');
  await expect(steps.filter({ hasText: 'NetworkPolicy' }).first()).toHaveAttribute('data-effect', 'pass');
  const baseline = egress.locator('ol.chain li.step[data-tier="Baseline"]');
  await expect(baseline).toHaveAttribute('data-effect', 'deny');
  await expect(baseline).toContainText('BANP default');
  await expect(egress.locator('ol.chain li.final')).toContainText('DENIED');
  await page.locator('#verdict').screenshot({ path: path.join(OUT, 'tiers-banp.png') });
  // Clicking the step selects its rule in the editor.
  await baseline.locator('button.step-link').click();
  const sel = await editorSelection(page);
  expect(sel).toContain('deny-all-egress');
});

test('an AdminNetworkPolicy allows DNS before any NetworkPolicy (Spanish)', async ({ page }) => {
  await openApp(page);
  await page.selectOption('#lang', 'es');
  await chooseExample(page, 'recipes/09-global-default-deny-banp');
  await runRow(page, 'shop/frontend', 'kube-system/coredns');
  await expect(page.locator('#verdict')).toHaveAttribute('data-verdict', 'allowed');
  const admin = page.locator('#side-egress ol.chain li.step[data-tier="Admin"]').first();
  await expect(admin).toHaveAttribute('data-effect', 'allow');
  await expect(admin).toContainText('ANP allow-dns');
  await expect(page.locator('#side-egress')).toContainText('nivel admin');
});

test('every scenario file of examples/ is in the menu, in order', async ({ page }) => {
  const ids = [];
  // The course outline: the tutorial's steps, the exercises and homework, the recipes.
  for (const group of ['seed', 'exercises', 'recipes']) {
    const dir = path.join(ROOT, 'examples', group);
    for (const f of fs.readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()) {
      if (/^expect:/m.test(fs.readFileSync(path.join(dir, f), 'utf8'))) ids.push(`${group}/${f.replace(/\.yaml$/, '')}`);
    }
  }
  await openApp(page);
  const shown = await page.locator('#examples option[data-id]').evaluateAll((os) => os.map((o) => o.dataset.id));
  expect(shown).toEqual(ids);
});

test('a lesson matrix opens in the Matrix tab with its port and protocol', async ({ page }) => {
  await openApp(page);
  await chooseExample(page, 'seed/02-default-deny-ingress');
  const m = page.locator('details.expect-matrix').first();
  await expect(m).toBeVisible();
  await expect(m.locator('pre.matrix-text')).toBeHidden();
  await m.locator('summary').click();
  await expect(m.locator('pre.matrix-text')).toContainText('webapp-balanced/webapp-balanced');
  const port = await m.getAttribute('data-port');
  const protocol = await m.getAttribute('data-protocol');
  await m.locator('button.open-matrix').click();
  await expect(page.locator('#tab-matrix')).toHaveAttribute('aria-selected', 'true');
  await expect(page.locator('#matrix-port')).toHaveValue(port);
  await expect(page.locator('#matrix-protocol')).toHaveValue(protocol);
  await expect(page.locator('#matrix')).toBeVisible();
});
