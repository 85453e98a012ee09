// The manifest editor (CodeMirror, web/editor/main.js + web/src/codemirror.rs), driven as a
// person would: typing, hovering, accepting a completion, applying a quick fix, undoing,
// and only the keyboard. Asserts on the DOM: the underline's range, the hover's text, the
// completion list, the text after a fix. Screenshots go to tests/e2e/output/editor-*.png.
const fs = require('fs');
const path = require('path');
const { test, expect } = require('@playwright/test');
const { guardEachTest, OUT, openApp, paste, editorText, editorSelection, expectEditorText, typeText, revision, waitFresh } = require('./helpers');

guardEachTest(test);

// Two namespaces, a pod in each, a policy whose peer picks the utils namespace by label.
// `ñ` and an emoji before the policy: positions are UTF-16 in the editor, bytes in the core.
const CLUSTER = [
  '# café ñ 🚀 — non-ASCII text before everything',
  'apiVersion: v1',
  'kind: Namespace',
  'metadata:',
  '  name: utils',
  '  labels:',
  '    team: tools',
  '---',
  'apiVersion: v1',
  'kind: Pod',
  'metadata:',
  '  name: tool',
  '  namespace: utils',
  '  labels:',
  '    app: tool',
  'spec:',
  '  containers:',
  '  - name: c',
  '    image: x',
  '    ports:',
  '    - containerPort: 8080',
  '      name: http',
  '---',
  'apiVersion: v1',
  'kind: Pod',
  'metadata:',
  '  name: web',
  '  namespace: shop',
  '  labels:',
  '    app: web',
  '---',
  'apiVersion: networking.k8s.io/v1',
  'kind: NetworkPolicy',
  'metadata:',
  '  name: allow-utils',
  '  namespace: shop',
  'spec:',
  '  podSelector:',
  '    matchLabels:',
  '      app: web',
  '  policyTypes: [Ingres]',
  '  ingress:',
  '  - from:',
  '    - namespaceSelector:',
  '        matchLabels:',
  '          team: tools',
  '',
].join('\n');
/** The same, valid (an invalid NetworkPolicy is left out, as the API server would refuse it),
 *  plus a second policy with the error, for the screenshots. */
const VALID = CLUSTER.replace('[Ingres]', '[Ingress]');
const BROKEN = VALID + '---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: broken\n  namespace: shop\nspec:\n  podSelector: {}\n  policyTypes: [Egres]\n';

/** Viewport coordinates of the middle of the first occurrence of `needle` in the editor. */
async function coordsOf(page, needle, offset = 1) {
  return page.evaluate(([n, off]) => {
    const v = netpolEditor.viewOf(document.getElementById('editor'));
    const pos = v.state.doc.toString().indexOf(n) + off;
    v.dispatch({ effects: [] });
    const c = v.coordsAtPos(pos);
    return c && { x: (c.left + c.right) / 2, y: (c.top + c.bottom) / 2 };
  }, [needle, offset]);
}

/** Scrolls the editor to `needle` and moves the mouse over it. */
async function hoverText(page, needle, offset = 1) {
  await page.evaluate((n) => {
    const v = netpolEditor.viewOf(document.getElementById('editor'));
    const pos = v.state.doc.toString().indexOf(n);
    v.dispatch({ selection: { anchor: 0 }, scrollIntoView: false });
    v.scrollDOM.scrollTop = Math.max(0, v.lineBlockAt(pos).top - 80);
  }, needle);
  await page.waitForTimeout(100);
  await page.mouse.move(5, 5);
  const c = await coordsOf(page, needle, offset);
  expect(c, `coordinates of ${needle}`).not.toBeNull();
  await page.mouse.move(c.x, c.y);
}

/** Waits until the completion list offers `label` as its selected option, then accepts it
 *  with Enter (CodeMirror ignores Enter in the first 75 ms after the list opens). */
async function accept(page, label) {
  await expect(page.locator('.cm-tooltip-autocomplete li[aria-selected]')).toContainText(label);
  await page.waitForTimeout(200);
  await page.keyboard.press('Enter');
}

async function loadCluster(page, text = CLUSTER) {
  await openApp(page);
  await paste(page, text);
}

test('a diagnostic is underlined on its exact range, with a gutter marker and its message on hover', async ({ page }) => {
  await loadCluster(page);
  const mark = page.locator('.cm-lintRange-error');
  await expect(mark).toHaveCount(1);
  await expect(mark).toHaveText('Ingres');
  await expect(page.locator('.cm-lint-marker-error')).toHaveCount(1);
  // The Problems list has it too, with the same range in editor positions.
  const item = page.locator('#diagnostics button.diag.error');
  await expect(item).toHaveCount(1);
  const [from, to] = [Number(await item.getAttribute('data-from')), Number(await item.getAttribute('data-to'))];
  const text = await editorText(page);
  expect(text.slice(from, to)).toBe('Ingres');
  await hoverText(page, 'Ingres', 2);
  const tip = page.locator('.cm-tooltip-lint');
  await expect(tip).toBeVisible();
  await expect(tip).toContainText('did you mean `Ingress`?');
  // Problems list -> editor: the click selects the range.
  await item.click();
  expect(await editorSelection(page)).toBe('Ingres');
});

test('a quick fix replaces the value in place, and undo brings it back', async ({ page }) => {
  await loadCluster(page);
  await hoverText(page, 'Ingres', 2);
  const fix = page.locator('.cm-tooltip-lint button.cm-diagnosticAction', { hasText: 'Replace with `Ingress`' });
  await expect(fix).toBeVisible();
  const before = await revision(page);
  await fix.click();
  await expectEditorText(page, CLUSTER.replace('[Ingres]', '[Ingress]'));
  await waitFresh(page, before);
  await expect(page.locator('.cm-lintRange-error')).toHaveCount(0);
  await expect(page.locator('#diagnostics button.diag.error')).toHaveCount(0);
  await page.locator('#editor').focus();
  await page.keyboard.press('Control+z');
  await expectEditorText(page, CLUSTER);
  await expect(page.locator('.cm-lintRange-error')).toHaveText('Ingres');
});

test('a misspelt field name is renamed by its quick fix ("did you mean `podSelector`?")', async ({ page }) => {
  await openApp(page);
  await paste(page, CLUSTER.replace('[Ingres]', '[Ingress]').replace('  podSelector:', '  podSelecter:'));
  const mark = page.locator('.cm-lintRange-warning', { hasText: 'podSelecter' });
  await expect(mark).toHaveCount(1);
  await hoverText(page, 'podSelecter', 3);
  await expect(page.locator('.cm-tooltip-lint')).toContainText('did you mean `podSelector`?');
  await page.locator('.cm-tooltip-lint button.cm-diagnosticAction', { hasText: 'podSelector' }).click();
  await expectEditorText(page, CLUSTER.replace('[Ingres]', '[Ingress]'));
});

test('"Show in Problems" in the editor moves to the Problems entry', async ({ page }) => {
  await loadCluster(page);
  await hoverText(page, 'Ingres', 2);
  await page.locator('.cm-tooltip-lint button.cm-diagnosticAction', { hasText: 'Show in Problems' }).click();
  await expect(page.locator('#diagnostics button.diag.error')).toBeFocused();
});

test('hovering a policy, a peer and a pod says what they select now', async ({ page }) => {
  await loadCluster(page, VALID);
  const hover = page.locator('.cm-netpol-hover');
  await hoverText(page, 'app: web\n  policyTypes', 2);
  await expect(hover).toContainText('NetworkPolicy shop/allow-utils');
  await expect(hover).toContainText('selects 1 pod: shop/web');
  await hoverText(page, 'namespaceSelector', 3);
  await expect(hover).toContainText('matches namespaces: utils');
  await expect(hover).toContainText('matches 1 pod: utils/tool');
  await hoverText(page, 'name: web', 7);
  await expect(hover).toContainText('Pod shop/web');
  await expect(hover).toContainText('ingress: isolated by shop/allow-utils');
  await expect(hover).toContainText('egress: not isolated');
});

test('hovers are in Spanish when the page is', async ({ page }) => {
  await loadCluster(page, VALID);
  await page.selectOption('#lang', 'es');
  await hoverText(page, 'namespaceSelector', 3);
  await expect(page.locator('.cm-netpol-hover')).toContainText('coincide con los namespaces: utils');
  // The quick fix and the way to the Problems list too, though the text was analysed in English.
  await paste(page, CLUSTER);
  await page.selectOption('#lang', 'en');
  await page.selectOption('#lang', 'es');
  await hoverText(page, 'Ingres', 2);
  await expect(page.locator('.cm-tooltip-lint button.cm-diagnosticAction')).toHaveText(['Cambiar por `Ingress`', 'Ver en Problemas']);
});

test('completion offers field names at the cursor path, enum values and names from the cluster', async ({ page }) => {
  await loadCluster(page);
  await page.locator('#editor').focus();
  await page.keyboard.press('Control+End');
  const list = page.locator('.cm-tooltip-autocomplete');
  // A peer's fields, under `from:`.
  await typeText(page, '    - ');
  await page.keyboard.type('na');
  await expect(list).toContainText('namespaceSelector');
  await accept(page, 'namespaceSelector');
  await expectEditorText(page, CLUSTER + '    - namespaceSelector:\n        ');
  // A label key of namespaces, then its values, from the pasted cluster.
  await page.keyboard.type('matchLabels:');
  await typeText(page, '\n          ');
  await page.keyboard.type('te');
  await accept(page, 'team');
  await page.keyboard.type('t');
  await accept(page, 'tools');
  await expectEditorText(page, CLUSTER + '    - namespaceSelector:\n        matchLabels:\n          team: tools');
  // A protocol.
  await typeText(page, '\n    ports:\n    - protocol: ');
  await page.keyboard.press('Control+Space');
  await expect(list).toContainText('TCP');
  await expect(list).toContainText('SCTP');
  await page.keyboard.press('Escape');
});

test('completion knows AdminNetworkPolicy, ClusterNetworkPolicy and Calico fields and values', async ({ page }) => {
  const ANP = CLUSTER.replace('[Ingres]', '[Ingress]') + '---\napiVersion: policy.networking.k8s.io/v1alpha1\nkind: AdminNetworkPolicy\nmetadata:\n  name: guard\nspec:\n  priority: 10\n  subject:\n';
  await loadCluster(page, ANP);
  await page.locator('#editor').focus();
  await page.keyboard.press('Control+End');
  const list = page.locator('.cm-tooltip-autocomplete');
  // The subject's fields, then a namespace label key from the cluster inside `namespaces`.
  await typeText(page, '    ');
  await page.keyboard.type('na');
  await accept(page, 'namespaces');
  await page.keyboard.type('matchLabels:');
  await typeText(page, '\n        ');
  await page.keyboard.type('te');
  await accept(page, 'team');
  await page.keyboard.type('t');
  await accept(page, 'tools');
  // A rule's action: ANP's three, not NetworkPolicy's nothing.
  await typeText(page, '\n  ingress:\n  - action: ');
  await page.keyboard.press('Control+Space');
  await expect(list).toContainText('Allow');
  await expect(list).toContainText('Pass');
  await page.keyboard.press('Escape');
  // A ClusterNetworkPolicy (v1alpha2) has `protocols`, and its actions are Accept/Deny/Pass.
  await paste(page, 'apiVersion: policy.networking.k8s.io/v1alpha2\nkind: ClusterNetworkPolicy\nmetadata:\n  name: c\nspec:\n  tier: Admin\n  priority: 5\n  egress:\n  - name: dns\n    action: ');
  await page.locator('#editor').focus();
  await page.keyboard.press('Control+End');
  await page.keyboard.press('Control+Space');
  await expect(list).toContainText('Accept');
  await expect(list).not.toContainText('Allow');
  await page.keyboard.press('Escape');
  await typeText(page, 'Accept\n    pro');
  await accept(page, 'protocols');
  await expectEditorText(page, /    protocols:\n    - $/);
  // Calico's NetworkPolicy shares the kind: the apiVersion tells, and its actions include Log.
  await paste(page, 'apiVersion: projectcalico.org/v3\nkind: NetworkPolicy\nmetadata:\n  name: p\n  namespace: shop\nspec:\n  ingress:\n  - action: ');
  await page.locator('#editor').focus();
  await page.keyboard.press('Control+End');
  await page.keyboard.press('Control+Space');
  await expect(list).toContainText('Log');
  await page.keyboard.press('Escape');
  await typeText(page, 'Allow\n    ');
  await page.keyboard.type('des');
  await accept(page, 'destination');
  await page.keyboard.type('not');
  await expect(list).toContainText('notNets');
  await page.keyboard.press('Escape');
});

test('keyboard only: Tab indents, Esc then Tab leaves the editor, search opens with Ctrl+F', async ({ page }) => {
  await openApp(page);
  await paste(page, 'a');
  await page.locator('#editor').focus();
  await page.keyboard.press('End');
  await page.keyboard.press('Tab');
  await expectEditorText(page, 'a  ');
  await page.keyboard.press('Escape');
  await page.keyboard.press('Tab');
  const inEditor = await page.evaluate(() => !!document.activeElement.closest('.cm-editor'));
  expect(inEditor).toBe(false);
  // Back in, Ctrl+F opens search; Esc closes it and returns to the text.
  await page.locator('#editor').focus();
  await page.keyboard.press('Control+f');
  await expect(page.locator('.cm-search')).toBeVisible();
  await page.keyboard.type('a');
  await page.keyboard.press('Escape');
  await expect(page.locator('.cm-search')).toHaveCount(0);
  // Multiple cursors (Ctrl+D selects the next occurrence too) and undo.
  await paste(page, 'x\nx\n');
  await page.locator('#editor').focus();
  await page.keyboard.press('Control+Home');
  await page.keyboard.press('Shift+End');
  await page.keyboard.press('Control+d');
  await page.keyboard.type('y');
  await expectEditorText(page, 'y\ny\n');
  await page.keyboard.press('Control+z');
  await expectEditorText(page, 'x\nx\n');
});

test('a link in the Cluster tab selects that exact policy in the editor', async ({ page }) => {
  await loadCluster(page, VALID);
  await page.locator('#tab-cluster').click();
  await page.locator('#cluster .policy-link, #cluster button', { hasText: 'shop/allow-utils' }).first().click();
  const sel = await editorSelection(page);
  expect(sel.startsWith('apiVersion: networking.k8s.io/v1')).toBe(true);
  expect(sel).toContain('name: allow-utils');
  expect(sel).not.toContain('kind: Pod');
  await expect(page.locator('.cm-netpol-highlight').first()).toBeVisible();
});

for (const lang of ['en', 'es']) {
  for (const theme of ['light', 'dark']) {
    test(`screenshots: diagnostic, hover, completion (${lang}, ${theme})`, async ({ page }) => {
      await page.emulateMedia({ colorScheme: theme });
      await loadCluster(page, BROKEN);
      if (lang === 'es') await page.selectOption('#lang', 'es');
      // The page, clipped to the editor's pane (a locator's screenshot would scroll, and
      // scrolling closes the tooltips).
      const shot = async (what) => {
        const box = await page.locator('.editor-pane').boundingBox();
        await page.screenshot({ path: path.join(OUT, `editor-${what}-${lang}-${theme}.png`), clip: { ...box, width: box.width + 320 } });
      };
      await hoverText(page, 'Egres', 2);
      await expect(page.locator('.cm-tooltip-lint')).toBeVisible();
      await shot('diagnostic');
      await hoverText(page, 'namespaceSelector', 3);
      await expect(page.locator('.cm-netpol-hover')).toBeVisible();
      await shot('hover');
      await page.mouse.move(5, 5);
      await page.locator('#editor').focus();
      await page.keyboard.press('Control+End');
      await typeText(page, '  ingress:\n  - from:\n    - ');
      await page.keyboard.press('Control+Space');
      await expect(page.locator('.cm-tooltip-autocomplete')).toContainText('namespaceSelector');
      await shot('completion');
    });
  }
}

test('Download saves the text as typed, and Open file reads it back to the same problems', async ({ page }) => {
  await openApp(page);
  const broken = CLUSTER.replace('team: tools', 'team: tools\n    bad key: [');
  let r = await revision(page);
  await paste(page, broken);
  await waitFresh(page, r);
  // Typed, not set: the download is the editor's text, not the state's last set text.
  await page.locator('.cm-line').last().click();
  await page.keyboard.press('End');
  r = await revision(page);
  await page.keyboard.type(' # typed last');
  await waitFresh(page, r);
  const text = await editorText(page);
  expect(text).toContain('# typed last');
  const problems = await page.locator('#diagnostics button.diag').evaluateAll((els) => els.map((e) => e.textContent));
  expect(problems.length).toBeGreaterThan(0);

  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#download').click()]);
  expect(download.suggestedFilename()).toBe('manifests.yaml');
  const saved = fs.readFileSync(await download.path(), 'utf8');
  expect(saved).toBe(text);

  // Something else, then the saved file through "Open file…": it joins the workspace as
  // a file of its own (after a marker), and its problems come back at the same lines,
  // now named by the file.
  r = await revision(page);
  const other = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: other\n';
  await paste(page, other);
  await waitFresh(page, r);
  r = await revision(page);
  const file = path.join(OUT, 'downloaded-manifests.yaml');
  fs.writeFileSync(file, saved);
  await page.locator('#file').setInputFiles(file);
  await expectEditorText(page, other + '---\n# Source: downloaded-manifests.yaml\n' + text);
  await waitFresh(page, r);
  await expect(page.locator('.cm-netpol-files [role="tab"][aria-selected="true"]')).toHaveAttribute('data-name', 'downloaded-manifests.yaml');
  await expect.poll(() => page.locator('#diagnostics button.diag').evaluateAll((els) => els.map((e) => e.textContent)))
    .toEqual(problems.map((p) => p.replace(/^(.)/, '$1downloaded-manifests.yaml:')));
});
