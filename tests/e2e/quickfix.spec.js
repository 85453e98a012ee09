// The quick fixes of the seed's two traps (netpol::quickfix, issue 14): a `podSelector`-only
// peer meant for another namespace, and a `namespaceSelector` on a label the namespace
// lacks. Each is offered on the lint in the editor, applied in place, undoable, and the
// fixed text has the tutorial's fixed step's verdicts (crates/netpol/tests/quickfix.rs
// checks the connectivity pair by pair; here the lint goes and the rows change).
const { test, expect } = require('@playwright/test');
const path = require('path');
const { guardEachTest, OUT, openApp, chooseExample, editorText, expectEditorText, revision, waitFresh } = require('./helpers');

guardEachTest(test);

/** Scrolls the editor to the step's NetworkPolicy (the editor draws only the lines in
 *  view, the cluster comes first) and hovers the underlined range that contains `needle`. */
async function hoverWarning(page, needle) {
  await page.evaluate(() => {
    const v = netpolEditor.viewOf(document.getElementById('editor'));
    const pos = v.state.doc.toString().lastIndexOf('kind: NetworkPolicy');
    v.scrollDOM.scrollTop = Math.max(0, v.lineBlockAt(pos).top - 40);
  });
  const mark = page.locator('.cm-lintRange-warning', { hasText: needle }).first();
  await expect(mark).toBeVisible();
  await page.mouse.move(5, 5);
  await mark.hover({ position: { x: 4, y: 4 } });
}

// The first row of steps 4 and 6: utils pings webapp-balanced.
const ROW_UTILS = '#rows tr.row[data-row="0"]';

for (const [lang, label] of [['en', 'Select namespace `utils` in this peer'], ['es', 'Seleccionar el namespace `utils` en este peer']]) {
  test(`step 4: the podSelector-only peer gets namespaceSelector utils (${lang}), and undo takes it back`, async ({ page }) => {
    await openApp(page);
    await page.selectOption('#lang', lang);
    await chooseExample(page, 'seed/04-from-podselector-app-utils');
    const before = await editorText(page);
    const utilsRow = page.locator(ROW_UTILS);
    await expect(utilsRow).toHaveAttribute('data-api', 'denied');
    await hoverWarning(page, 'podSelector');
    const fix = page.locator('.cm-tooltip-lint button.cm-diagnosticAction', { hasText: label });
    await expect(fix).toBeVisible();
    await page.screenshot({ path: path.join(OUT, `quickfix-step4-${lang}.png`) });
    const rev = await revision(page);
    await fix.click();
    await waitFresh(page, rev);
    const after = await editorText(page);
    expect(after).toContain('- namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: utils}}\n');
    await expect(page.locator('.cm-lintRange-warning', { hasText: 'podSelector' })).toHaveCount(0);
    // The tutorial's intended result (step 5): utils is let in.
    await expect(utilsRow).toHaveAttribute('data-api', 'allowed');
    await page.locator('#editor').focus();
    await page.keyboard.press('Control+z');
    await expectEditorText(page, before);
  });
}

test('step 6: namespaceSelector `name: utils` becomes `kubernetes.io/metadata.name: utils`', async ({ page }) => {
  await openApp(page);
  await chooseExample(page, 'seed/06-namespaceselector-name-utils');
  const before = await editorText(page);
  await hoverWarning(page, 'namespaceSelector');
  const fix = page.locator('.cm-tooltip-lint button.cm-diagnosticAction', { hasText: 'Select namespace `utils` by `kubernetes.io/metadata.name`' });
  await expect(fix).toBeVisible();
  const rev = await revision(page);
  await fix.click();
  await waitFresh(page, rev);
  const after = await editorText(page);
  // Exactly one key renamed: the namespaceSelector's `name`.
  const i = before.indexOf('name: utils', before.indexOf('namespaceSelector'));
  expect(after).toBe(before.slice(0, i) + 'kubernetes.io/metadata.name: utils' + before.slice(i + 'name: utils'.length));
  await expect(page.locator('.cm-lintRange-warning', { hasText: 'namespaceSelector' })).toHaveCount(0);
  await expect(page.locator(ROW_UTILS)).toHaveAttribute('data-api', 'allowed');
});
