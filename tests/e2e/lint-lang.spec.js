// The lints in the page's language (netpol::lint::lint_in, Analysis::lints_in): seed step 4's
// trap, a `podSelector`-only peer meant for namespace `utils`, is explained in Spanish on
// the Spanish page, in the Problems list and in the editor's hover over the underlined
// peer; switching to English relabels both without editing the text (the worker sends the
// same diagnostics again in the new language), and back. The severity word follows the
// page's language too.
const { test, expect } = require('@playwright/test');
const path = require('path');
const { guardEachTest, OUT, openApp, chooseExample, editorText } = require('./helpers');

guardEachTest(test);

const STEP4 = 'seed/04-from-podselector-app-utils';
const WORDS = {
  es: {
    severity: 'aviso',
    message: 'un `podSelector` sin `namespaceSelector` solo selecciona pods del namespace de la propia política, `webapp-balanced`; hay pods que coinciden con `app=utils` en `utils`',
    help: 'para seleccionarlos, añade `namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: utils}}` al mismo peer (sin `-` delante)',
  },
  en: {
    severity: 'warning',
    message: "a `podSelector` without `namespaceSelector` only selects pods in the policy's own namespace `webapp-balanced`; pods matching `app=utils` exist in `utils`",
    help: 'to select them, add `namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: utils}}` to the same peer (no `-` before it)',
  },
};

/** The Problems list's entry of the trap. */
function problem(page) {
  return page.locator('#diagnostics button.diag[data-code="selector-matches-nothing"]');
}

/** Scrolls the editor to the step's NetworkPolicy and hovers the underlined peer. */
async function hoverTrap(page) {
  await page.evaluate(() => {
    const v = netpolEditor.viewOf(document.getElementById('editor'));
    const pos = v.state.doc.toString().lastIndexOf('kind: NetworkPolicy');
    v.scrollDOM.scrollTop = Math.max(0, v.lineBlockAt(pos).top - 40);
  });
  const mark = page.locator('.cm-lintRange-warning', { hasText: 'podSelector' }).first();
  await expect(mark).toBeVisible();
  await page.mouse.move(5, 5);
  await expect(page.locator('.cm-tooltip-lint')).toHaveCount(0);
  await mark.hover({ position: { x: 4, y: 4 } });
  return page.locator('.cm-tooltip-lint');
}

/** The trap is in `lang` (and not in the other language) in the list and the hover. */
async function expectWords(page, lang) {
  const other = lang === 'es' ? 'en' : 'es';
  const item = problem(page);
  await expect(item).toHaveCount(1);
  await expect(item.locator('.diag-msg')).toContainText(WORDS[lang].message);
  await expect(item.locator('.diag-help')).toContainText(WORDS[lang].help);
  await expect(item.locator('.diag-sev')).toHaveText(WORDS[lang].severity);
  await expect(item).not.toContainText(WORDS[other].message);
  const tip = await hoverTrap(page);
  await expect(tip).toContainText(WORDS[lang].message);
  await expect(tip).toContainText(WORDS[lang].help);
  await expect(tip).not.toContainText(WORDS[other].message);
}

test('step 4: the lint in Spanish in the Problems list and the hover, then in English, then Spanish again', async ({ page }) => {
  await openApp(page);
  await page.selectOption('#lang', 'es');
  await chooseExample(page, STEP4);
  const text = await editorText(page);
  await expectWords(page, 'es');
  // The code stays the same whatever the language.
  await expect(problem(page)).toHaveAttribute('data-code', 'selector-matches-nothing');
  await page.selectOption('#lang', 'en');
  await expectWords(page, 'en');
  // The quick fix's label follows the language too.
  await expect(page.locator('.cm-tooltip-lint button.cm-diagnosticAction', { hasText: 'Select namespace `utils` in this peer' })).toBeVisible();
  await page.selectOption('#lang', 'es');
  await expectWords(page, 'es');
  await expect(page.locator('.cm-tooltip-lint button.cm-diagnosticAction', { hasText: 'Seleccionar el namespace `utils` en este peer' })).toBeVisible();
  // Nothing was edited: the language is not a new version of the text.
  expect(await editorText(page)).toBe(text);
});

test('step 4 opened in English first, then Spanish: the Spanish lint', async ({ page }) => {
  await openApp(page);
  await chooseExample(page, STEP4);
  await expectWords(page, 'en');
  await page.selectOption('#lang', 'es');
  await expectWords(page, 'es');
});

for (const theme of ['light', 'dark']) {
  test(`screenshot: step 4's lint in Spanish (${theme})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: theme });
    await openApp(page);
    await page.selectOption('#lang', 'es');
    await chooseExample(page, STEP4);
    await expectWords(page, 'es');
    await problem(page).scrollIntoViewIfNeeded();
    const tip = await hoverTrap(page);
    await expect(tip).toBeVisible();
    await expect(tip).toContainText(WORDS.es.message);
    await page.screenshot({ path: path.join(OUT, `lint-es-step4-${theme}.png`) });
  });
}
