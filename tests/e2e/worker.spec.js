// The analysis runs in a Web Worker (web/src/bridge.rs, web/src/worker.rs (the page's own binary, started by web/worker.js)): typing
// never waits for it, the verdict that finally shows is the latest text's (answers for
// older revisions are dropped), and a worker that panics is restarted with the text kept.
// Timings are printed, never asserted (scripts/bench-web.sh reports them at 5,000 pods).
const { test, expect } = require('@playwright/test');
const { guardEachTest, openApp, paste, setText, typeText, editorText, expectEditorText, bigCluster, installTypingProbe, readTypingProbe, median } = require('./helpers');

guardEachTest(test);

// Opens every connection of namespace ns0 (bigCluster denies everything there).
const ALLOW_NS0 = '---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: open\n  namespace: ns0\nspec:\n  podSelector: {}\n  policyTypes: [Ingress, Egress]\n  ingress:\n  - {}\n  egress:\n  - {}\n';

async function fresh(page) {
  await expect(page.locator('#eval-status')).toHaveAttribute('data-fresh', 'true', { timeout: 60_000 });
  // The verdict shown is for the text's revision.
  const rev = await page.locator('#eval-status').getAttribute('data-revision');
  await expect(page.locator('#verdict')).toHaveAttribute('data-revision', rev);
}

test('typing while 3,000 pods are analysed stays responsive; the latest text decides', async ({ page }) => {
  test.setTimeout(180_000);
  await openApp(page);
  await page.evaluate(() => localStorage.clear());
  const text = bigCluster(3000);
  await paste(page, text);
  await page.locator('#tab-query').click();
  await page.selectOption('#from', 'ns0/pod0');
  await page.selectOption('#to', 'ns0/pod10');
  await page.locator('#port').fill('80');
  await fresh(page);
  await expect(page.locator('#verdict')).toHaveAttribute('data-verdict', 'denied');

  // Type a policy that opens ns0, key by key: every pause past the debounce starts an
  // analysis of the whole text in the worker while the next keys arrive.
  await installTypingProbe(page);
  const ed = page.locator('#editor');
  await ed.focus();
  await page.keyboard.press('Control+End');
  const t0 = Date.now();
  await typeText(page, ALLOW_NS0);
  const perKey = (Date.now() - t0) / ALLOW_NS0.length;
  expect(await editorText(page)).toBe(text + ALLOW_NS0);
  await fresh(page);
  await expect(page.locator('#verdict')).toHaveAttribute('data-verdict', 'allowed');
  const probe = await readTypingProbe(page);
  console.log(`3000 pods: ${ALLOW_NS0.length} keys, ${perKey.toFixed(1)} ms per key (round trip), ` +
    `keydown -> next frame median ${median(probe.lat).toFixed(1)} ms, max ${Math.max(...probe.lat).toFixed(1)} ms; ` +
    `last key -> fresh verdict ${probe.keyToFresh.toFixed(0)} ms`);

  // An edit that takes it back, right after another one: the older answer (allowed) may
  // arrive after the newer edit; it is dropped, and the newer text's verdict shows.
  await setText(page, text + ALLOW_NS0 + '# one\n');
  await page.waitForTimeout(200);
  await setText(page, text);
  await fresh(page);
  await expect(page.locator('#verdict')).toHaveAttribute('data-verdict', 'denied');
  await page.waitForTimeout(1000);
  await expect(page.locator('#verdict')).toHaveAttribute('data-verdict', 'denied');
  await expect(page.locator('#eval-status')).toHaveAttribute('data-fresh', 'true');
  expect(await editorText(page)).toBe(text);
});

test('a worker panic shows a notice, the worker restarts and the text is kept', async ({ page }) => {
  await openApp(page);
  await page.evaluate(() => localStorage.clear());
  const text = 'apiVersion: v1\nkind: Pod\nmetadata: {name: a, namespace: x}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: b, namespace: x}\n';
  await paste(page, text);
  await page.locator('#tab-query').click();
  await page.selectOption('#from', 'x/a');
  await page.selectOption('#to', 'x/b');
  await fresh(page);
  await expect(page.locator('#verdict')).toHaveAttribute('data-verdict', 'allowed');

  const ed = page.locator('#editor');
  await ed.focus();
  await page.keyboard.press('Control+End');
  await page.keyboard.type('# kept');
  await page.evaluate(() => window.dispatchEvent(new Event('netpol:crash-worker')));
  await expect(page.locator('#notice.error')).toBeVisible();
  await expect(page.locator('#notice')).toContainText('restarted');
  expect(await editorText(page)).toBe(text + '# kept');

  // The new worker has the text: results come back, and answer new questions.
  await fresh(page);
  await expect(page.locator('#verdict')).toHaveAttribute('data-verdict', 'allowed');
  await setText(page, text + '---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny, namespace: x}\nspec: {podSelector: {}, policyTypes: [Ingress]}\n');
  await fresh(page);
  await expect(page.locator('#verdict')).toHaveAttribute('data-verdict', 'denied');
  await page.locator('#notice button').click();
  await expect(page.locator('#notice')).toHaveCount(0);
  await page.reload();
  await expectEditorText(page, /kind: NetworkPolicy/);
});
