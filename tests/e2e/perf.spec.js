// Typing with 1,000 pods pasted: reports per-key cost against a bare textarea and the
// evaluation time; asserts that no keystroke is lost and results refresh after the debounce.
const { test, expect } = require('@playwright/test');
const { openApp, paste, bigCluster, editorText } = require('./helpers');

/** Milliseconds per typed key at the end of `text` in a bare textarea: the browser's own cost. */
async function bareTextareaPerKey(context, text, keys) {
  const p = await context.newPage();
  await p.setContent('<textarea id=t wrap=off style="width:600px;height:500px;white-space:pre;font-family:monospace;line-height:20px"></textarea>');
  await p.locator('#t').evaluate((el, t) => { el.value = t; }, text);
  await p.locator('#t').focus();
  await p.keyboard.press('Control+End');
  const t0 = Date.now();
  for (let i = 0; i < keys; i++) await p.keyboard.type('x');
  const ms = (Date.now() - t0) / keys;
  await p.close();
  return ms;
}

for (const tab of ['query', 'matrix', 'cluster']) {
  test(`typing with 1,000 pods (${tab} tab)`, async ({ page, context }) => {
    await openApp(page);
    await page.evaluate((t) => localStorage.clear());
    const text = bigCluster(1000);
    const t0paste = Date.now();
    await paste(page, text);
    const pasteMs = Date.now() - t0paste;
    const evalMs = Number(await page.locator('#eval-status').getAttribute('data-ms'));
    await page.locator(`#tab-${tab}`).click();
    const ed = page.locator('#editor');
    await ed.focus();
    await page.keyboard.press('Control+End');
    const keys = 30;
    const t0 = Date.now();
    for (let i = 0; i < keys; i++) await page.keyboard.type('x');
    const perKey = (Date.now() - t0) / keys;
    await expect(page.locator('#eval-status')).toHaveAttribute('data-fresh', 'true', { timeout: 30_000 });
    const after = Number(await page.locator('#eval-status').getAttribute('data-ms'));
    const bare = await bareTextareaPerKey(context, text, keys);
    console.log(`1000 pods, ${tab} tab: paste to result ${pasteMs} ms, evaluation ${evalMs.toFixed(1)} ms (after edits ${after.toFixed(1)} ms); typing ${perKey.toFixed(1)} ms per key, a bare textarea ${bare.toFixed(1)} ms`);
    // Timings are reported, never asserted (they depend on the machine's load); what is
    // asserted is that every keystroke landed and the results caught up after the debounce.
    expect(await editorText(page)).toMatch(/x{30}$/);
    expect(Number.isFinite(after)).toBe(true);
  });
}
