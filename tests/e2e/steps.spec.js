// The step-through view of a verdict (issue 16): a lesson row's or the Query tab's
// "Step through", Next/Previous and the keys, the step counter, each step's words (English
// and Spanish) and the YAML the editor marks for it; the last step is the verdict.
const path = require('path');
const { test, expect } = require('@playwright/test');
const { guardEachTest, OUT, openApp, chooseExample } = require('./helpers');

guardEachTest(test);

/** The text under the editor's marks (CodeMirror's `.cm-netpol-highlight` elements,
 *  one per line of the range, joined by line breaks). */
async function marked(page) {
  return (await page.locator('#editor .cm-netpol-highlight').allTextContents()).join('\n');
}

/** The editor text of the current step's range (`data-from`/`data-to` of the panel). */
async function stepRangeText(page) {
  return page.evaluate(() => {
    const cur = document.getElementById('step-current');
    const w = netpolEditor.workspaceOf(document.getElementById('editor'));
    return cur.dataset.from === '' ? '' : w.slice(Number(cur.dataset.from), Number(cur.dataset.to));
  });
}

/** Waits for step `n` (1-based) of `total`, then checks its words and what is marked. */
async function expectStep(page, n, total, words, yamlStart) {
  await expect(page.locator('#steps-counter')).toHaveText(`${n} / ${total}`);
  await expect(page.locator('#steps')).toHaveAttribute('data-at', String(n - 1));
  await expect(page.locator('#step-current .step-current-text')).toContainText(words);
  if (yamlStart === null) {
    await expect(page.locator('#editor .cm-netpol-highlight')).toHaveCount(0);
    return;
  }
  await expect.poll(() => marked(page)).toMatch(new RegExp('^' + yamlStart.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  // The marks are exactly the range the panel exposes (the core's bytes, mapped).
  const range = await stepRangeText(page);
  expect(range.startsWith(yamlStart)).toBe(true);
  expect((await marked(page)).replace(/\n/g, '')).toBe(range.replace(/\n/g, ''));
}

test('seed step 4: a row stepped through with the buttons and the keys, the YAML marked', async ({ page }) => {
  await openApp(page);
  await chooseExample(page, 'seed/04-from-podselector-app-utils');
  // Row 1: utils/utils -> webapp-balanced TCP 80 (`nc -zv`).
  const row = page.locator('#rows tr.row[data-row="1"]');
  await expect(row).toHaveAttribute('data-api', 'denied');
  await row.locator('button.step-row').click();
  const panel = page.locator('#steps');
  await expect(panel).toBeFocused();
  await expect(panel).toHaveAttribute('data-total', '8');
  await expect(page.locator('.steps-title')).toContainText('utils/utils');
  await expect(page.locator('.steps-title')).toContainText('TCP 80');
  await expectStep(page, 1, 8, 'no NetworkPolicy with Egress selects it: not isolated, allowed', null);
  await expect(page.locator('#step-current .step-current-side')).toContainText('Egress of the source');
  await expect(page.locator('#steps-prev')).toBeDisabled();
  await page.keyboard.press('ArrowRight');
  await expectStep(page, 2, 8, 'ALLOWED', null);
  await page.locator('#steps-next').click();
  await expectStep(page, 3, 8, '`webapp-balanced/default-deny-ingress` selects it'.replace(/`/g, ''), 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy');
  await expect(page.locator('#step-current .step-current-side')).toContainText('Ingress of the destination');
  expect(await marked(page)).toContain('name: default-deny-ingress');
  // The keys work when the panel has the focus.
  await panel.focus();
  await page.keyboard.press('j');
  await expectStep(page, 4, 8, 'spec.ingress[0]: does not allow it', 'from:');
  await page.keyboard.press('ArrowRight');
  // AND inside the peer: its only part is a podSelector, looked for in the policy's own
  // namespace, where utils/utils is not.
  await expectStep(page, 5, 8, "from[0]: ✗ in the policy's own namespace (no namespaceSelector) AND ✓ podSelector → does not match", 'podSelector:');
  expect(await marked(page)).toContain('app: utils');
  await page.screenshot({ path: path.join(OUT, 'steps-en-light.png') });
  await page.keyboard.press('k');
  await expectStep(page, 4, 8, 'spec.ingress[0]', 'from:');
  await page.keyboard.press('End');
  // The last step is the verdict, the evaluator's (the row's API verdict).
  await expectStep(page, 8, 8, 'verdict: DENIED', null);
  await expect(panel).toHaveAttribute('data-verdict', 'denied');
  await expect(page.locator('#steps-next')).toBeDisabled();
  await expect(page.locator('#step-current')).toHaveAttribute('data-ok', 'false');
  // The trail shows every step so far; a click goes back to one.
  await expect(page.locator('.steps-trail li.steps-item')).toHaveCount(8);
  await page.locator('.steps-trail li.steps-item[data-step="6"] button').click();
  await expectStep(page, 7, 8, 'DENIED', null);
  await panel.focus();
  await page.keyboard.press('Home');
  await expectStep(page, 1, 8, 'not isolated', null);
  await expect(page.locator('.steps-trail li.steps-item')).toHaveCount(1);
  // Esc closes the panel; the marks go with it.
  await page.keyboard.press('End');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  await expectStep(page, 5, 8, 'from[0]', 'podSelector:');
  await page.keyboard.press('Escape');
  await expect(panel).toHaveCount(0);
  await expect(page.locator('#editor .cm-netpol-highlight')).toHaveCount(0);
});

test('seed step 9 in Spanish: the deny-all policy, the verdict as the evaluator says', async ({ page }) => {
  await openApp(page);
  await page.selectOption('#lang', 'es');
  await chooseExample(page, 'seed/09-deny-all-ingress-503');
  // Row 0: the ingress controller -> webapp-balanced TCP 80 (the 503).
  const row = page.locator('#rows tr.row[data-row="0"]');
  await expect(row).toHaveAttribute('data-api', 'denied');
  await row.locator('button.step-row').click();
  await expect(page.locator('#steps')).toHaveAttribute('data-total', '6');
  await expect(page.locator('#steps h3')).toHaveText('Paso a paso');
  await expectStep(page, 1, 6, 'ninguna NetworkPolicy de tipo Egress lo selecciona: no está aislado, se permite', null);
  await expect(page.locator('#step-current .step-current-side')).toContainText('Salida (egress) del origen');
  await expect(page.locator('#step-current .step-current-side')).toContainText('ingress-nginx/ingress-nginx-controller');
  await page.keyboard.press('ArrowRight');
  await expectStep(page, 2, 6, 'PERMITIDO', null);
  await page.keyboard.press('ArrowRight');
  await expectStep(page, 3, 6, 'webapp-balanced/default-deny-ingress lo selecciona (su podSelector coincide): aislado para ingress', 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy');
  expect(await marked(page)).toContain('podSelector: {}');
  await expect(page.locator('#step-current .step-current-side')).toContainText('Entrada (ingress) del destino');
  await page.screenshot({ path: path.join(OUT, 'steps-es-light.png') });
  // A policy without rules: nothing is allowed, whatever the peer.
  await page.locator('#steps-next').click();
  await expectStep(page, 4, 6, 'webapp-balanced/default-deny-ingress no tiene reglas de ingress: por sí sola no permite nada', null);
  await page.locator('#steps-next').click();
  await expectStep(page, 5, 6, 'DENEGADO', null);
  await page.locator('#steps-next').click();
  await expectStep(page, 6, 6, 'veredicto: DENEGADO', null);
  await expect(page.locator('#steps')).toHaveAttribute('data-verdict', 'denied');
  // Spanish to English: the same step, in the other language.
  await page.selectOption('#lang', 'en');
  await expectStep(page, 6, 6, 'verdict: DENIED', null);
  // The same steps from the Query tab's verdict: the external client (row 2).
  await page.locator('#tab-query').click();
  await expect(page.locator('#steps')).toHaveCount(0);
  await page.selectOption('#from', '');
  await page.fill('#from-ip', '203.0.113.50');
  await page.selectOption('#to', 'webapp-balanced/webapp-balanced');
  await page.fill('#port', '80');
  await expect(page.locator('#verdict')).toHaveAttribute('data-verdict', 'denied');
  await page.locator('#step-through').click();
  await expect(page.locator('#steps')).toBeFocused();
  await expectStep(page, 1, 6, 'outside the cluster: no NetworkPolicy applies here', null);
  await page.keyboard.press('End');
  await expectStep(page, 6, 6, 'verdict: DENIED', null);
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  await expectStep(page, 4, 6, 'webapp-balanced/default-deny-ingress has no ingress rules: by itself it allows nothing', null);
  await expect(page.locator('#steps')).toHaveAttribute('data-verdict', await page.locator('#verdict').getAttribute('data-verdict'));
});

test('screenshots of the steps panel: light and dark, English and Spanish', async ({ page }) => {
  await openApp(page);
  for (const [lang, dark] of [['en', true], ['es', true]]) {
    await page.selectOption('#lang', lang);
    if ((await page.locator('html').getAttribute('data-theme')) !== (dark ? 'dark' : 'light')) {
      await page.locator('#theme').click();
    }
    await chooseExample(page, 'seed/04-from-podselector-app-utils');
    await page.locator('#rows tr.row[data-row="1"] button.step-row').click();
    await expect(page.locator('#steps-counter')).toHaveText('1 / 8');
    for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowRight');
    await expect(page.locator('#steps-counter')).toHaveText('5 / 8');
    await expect(page.locator('#editor .cm-netpol-highlight').first()).toBeVisible();
    await page.screenshot({ path: path.join(OUT, `steps-${lang}-dark.png`) });
  }
});

/** Every step of the open panel, from the first: its words and the YAML marked for it. */
async function allSteps(page) {
  // The worker answers the steps of a new question asynchronously ("analysing…" until
  // then): read them once the panel has them.
  await expect(page.locator('#steps')).toHaveAttribute('data-total', /^[1-9]\d*$/);
  await page.locator('#steps').focus();
  await page.keyboard.press('Home');
  const total = Number(await page.locator('#steps').getAttribute('data-total'));
  const out = [];
  for (let n = 1; n <= total; n++) {
    await expect(page.locator('#steps-counter')).toHaveText(`${n} / ${total}`);
    out.push({ words: await page.locator('#step-current .step-current-text').innerText(), yaml: await stepRangeText(page) });
    if (n < total) await page.keyboard.press('ArrowRight');
  }
  return out;
}

test('recipe 09: the tier chain stepped through, AdminNetworkPolicy first and the baseline last, each marked', async ({ page }) => {
  await openApp(page);
  await chooseExample(page, 'recipes/09-global-default-deny-banp');
  // Row 5: frontend -> CoreDNS UDP 53, allowed by the AdminNetworkPolicy before any NetworkPolicy.
  const dns = page.locator('#rows tr.row[data-row="5"]');
  await expect(dns).toHaveAttribute('data-api', 'allowed');
  await dns.locator('button.step-row').click();
  let steps = await allSteps(page);
  const anp = steps.find((s) => s.words.includes('allow-dns'));
  expect(anp, JSON.stringify(steps, null, 1)).toBeTruthy();
  expect(anp.yaml).toMatch(/AdminNetworkPolicy|name: dns/);
  // The AdminNetworkPolicy decides the egress side before any NetworkPolicy: the chain
  // stops there, and the NetworkPolicy that selects frontend is not a step of that side.
  const egressEnd = steps.findIndex((s) => s.words.includes('ALLOWED'));
  expect(steps.slice(0, egressEnd).map((s) => s.words).join('\n')).not.toContain('frontend-to-backend');
  expect(steps[0].words).toContain('[ANP allow-dns prio 10] Allow');
  await expect(page.locator('#steps')).toHaveAttribute('data-verdict', 'allowed');
  expect(steps[steps.length - 1].words).toContain('ALLOWED');
  await page.screenshot({ path: path.join(OUT, 'steps-tiers-en.png') });
  // Row 2: backend -> db 5432: no NetworkPolicy isolates backend's egress, so the
  // baseline decides, and denies.
  const db = page.locator('#rows tr.row[data-row="2"]');
  await expect(db).toHaveAttribute('data-api', 'denied');
  await db.locator('button.step-row').click();
  steps = await allSteps(page);
  // The egress side's chain in order: the AdminNetworkPolicy (no rule for port 5432),
  // NetworkPolicy (backend not isolated), then the baseline's rule, which denies.
  const at = (text) => steps.findIndex((s) => s.words.includes(text));
  const [a, n, b] = [at('[ANP allow-dns prio 10] no rule matched'), at('[NetworkPolicy] not isolated'), at('[BANP default] Deny (rule egress[0] deny-all-egress)')];
  expect(a, JSON.stringify(steps, null, 1)).toBeGreaterThanOrEqual(0);
  expect(n).toBeGreaterThan(a);
  expect(b).toBeGreaterThan(n);
  expect(steps[a].yaml).toContain('kind: AdminNetworkPolicy');
  expect(steps[b].yaml.startsWith('name: deny-all-egress\n    action: Deny')).toBe(true);
  await expect(page.locator('#steps')).toHaveAttribute('data-verdict', 'denied');
  expect(steps[steps.length - 1].words).toContain('verdict: DENIED');
});
