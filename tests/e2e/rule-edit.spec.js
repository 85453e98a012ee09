// "How to allow it" offers the smallest edit of an existing rule (netpol::fix::rule_changes,
// issue 14): shown as a diff of the lines it changes, applied in place with one click,
// undoable, and the verdict follows. crates/netpol/tests/quickfix.rs checks the edits on
// fixtures and tests/properties.rs on generated clusters; here a person clicks them.
const { test, expect } = require('@playwright/test');
const fs = require('fs');
const path = require('path');
const { guardEachTest, OUT, ROOT, openApp, chooseExample, paste, editorText, expectEditorText } = require('./helpers');

guardEachTest(test);

async function ask(page, from, to, port) {
  await page.locator('#tab-query').click();
  await page.selectOption('#from', from);
  await page.selectOption('#to', to);
  await page.selectOption('#protocol', 'TCP');
  await page.locator('#port').fill(port);
}

test('seed step 4: the edit selects utils in the rule\'s own peer, shown as a diff, and the connection opens', async ({ page }) => {
  await openApp(page);
  await chooseExample(page, 'seed/04-from-podselector-app-utils');
  await ask(page, 'utils/utils', 'webapp-balanced/webapp-balanced', '80');
  await expect(page.locator('#verdict')).toHaveAttribute('data-verdict', 'denied');
  const edit = page.locator('#verdict .fixes .rule-edit');
  await expect(edit).toHaveCount(1);
  await expect(edit.locator('p').first()).toContainText('webapp-balanced/');
  await expect(edit.locator('pre.diff .del')).toHaveCount(1);
  await expect(edit.locator('pre.diff .ins').first()).toContainText('+ ');
  await expect(edit.locator('pre.diff .ins').first()).toContainText('namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: utils}}');
  // The new policy is still offered after it.
  await expect(page.locator('#verdict .fixes .fix:not(.rule-edit)')).toHaveCount(1);
  const before = await editorText(page);
  await edit.locator('button.apply-edit').click();
  await expect(page.locator('#verdict')).toHaveAttribute('data-verdict', 'allowed');
  const after = await editorText(page);
  expect(after.length).toBeGreaterThan(before.length);
  expect(after).toContain('namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: utils}}');
  expect(after).not.toContain('name: allow-ingress-utils-80');
  // One undo takes the whole edit back.
  await page.locator('#editor').focus();
  await page.keyboard.press('Control+z');
  await expectEditorText(page, before);
  await expect(page.locator('#verdict')).toHaveAttribute('data-verdict', 'denied');
});

for (const [lang, theme, title] of [['en', 'light', 'add the port to spec.ingress[0]'], ['es', 'dark', 'añade el puerto a spec.ingress[0]']]) {
  test(`a port added to the rule that lets the peer in, with its warning (${lang}, ${theme})`, async ({ page }) => {
    const text = fs.readFileSync(path.join(ROOT, 'tests/rule-edits/block-add-port.yaml'), 'utf8');
    await openApp(page);
    await page.selectOption('#lang', lang);
    if (theme === 'dark') await page.locator('#theme').click();
    await paste(page, text);
    await ask(page, 'shop/web', 'utils/tool', '8080');
    await expect(page.locator('#verdict')).toHaveAttribute('data-verdict', 'denied');
    const edit = page.locator('#verdict .fixes .rule-edit');
    await expect(edit).toHaveCount(1);
    await expect(edit.locator('p').first()).toContainText('utils/tool-in');
    await expect(edit.locator('p').first()).toContainText(title);
    await expect(edit.locator('pre.diff .del')).toHaveCount(0);
    await expect(edit.locator('pre.diff .ins')).toHaveText(['+     - {port: 8080, protocol: TCP}']);
    await expect(edit.locator('p.hint')).toBeVisible();
    await page.locator('#verdict .fixes').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(OUT, `rule-edit-${lang}-${theme}.png`) });
    await edit.locator('button.apply-edit').click();
    await expect(page.locator('#verdict')).toHaveAttribute('data-verdict', 'allowed');
    await expectEditorText(page, text.replace('      protocol: TCP\n', '      protocol: TCP\n    - {port: 8080, protocol: TCP}\n'));
  });
}
