// The workspace of files (issue 16): a lesson opens as the tutorial's files with the
// step's policy in front, the cluster behind a folder toggle; files are added, renamed,
// moved and closed, dropped (several, or a folder) and opened; the Problems list names
// the file and its line; the text round-trips through Helm's `# Source:` markers, the
// YAML download and the zip.
const { test, expect } = require('@playwright/test');
const fs = require('fs');
const path = require('path');
const { openClean, guardEachTest, ROOT, OUT, openApp, chooseExample, editorText, editorFiles, waitFresh, revision, paste } = require('./helpers');

guardEachTest(test);

test('a seed step opens as the tutorial files, its policy in front', async ({ page }) => {
  await openApp(page);
  await chooseExample(page, 'seed/02-default-deny-ingress');
  await expect(page.locator('#eval-status')).toHaveAttribute('data-fresh', 'true');
  const { files, active } = await editorFiles(page);
  expect(files.map((f) => f.name)).toEqual([
    'cluster/namespaces.yaml', 'cluster/utils.yaml', 'cluster/troubleshoot.yaml', 'cluster/webapp-balanced.yaml',
    'cluster/kube-system.yaml', 'cluster/ingress-nginx.yaml', 'default-deny-ingress.yaml',
  ]);
  expect(active).toBe(6);
  // The open file is the policy: line 1 of the editor is its first line.
  await expect(page.locator('#editor .cm-line').first()).toHaveText('apiVersion: networking.k8s.io/v1');
  // The cluster's folder is collapsed: one toggle, one visible tab.
  await expect(page.locator('.cm-netpol-folder')).toHaveText('▸ cluster/ (6)');
  await expect(page.locator('.cm-netpol-files [role="tab"]')).toHaveCount(1);
  await page.locator('.cm-netpol-folder').click();
  await expect(page.locator('.cm-netpol-files [role="tab"]')).toHaveCount(7);
  await page.locator('.cm-netpol-files [role="tab"][data-name="cluster/utils.yaml"]').click();
  await expect(page.locator('#editor')).toContainText('name: utils');
  await expect(page.locator('.cm-netpol-files [role="tab"][aria-selected="true"]')).toHaveAttribute('data-name', 'cluster/utils.yaml');
});

test('the text and its files round-trip: join(split(x)) is x, for Helm output and random texts', async ({ page }) => {
  await openApp(page);
  const bad = await page.evaluate(() => {
    const { split, join } = netpolEditor.workspace;
    const pieces = ['---\n', '# Source: a.yaml\n', '# Source: b/c.yaml\n', '# Source:  spaced \n', 'kind: Pod\n', 'x', '\n', '--- \n', '# Source: a.yaml', ''];
    let seed = 7;
    const rnd = (n) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
    const cases = ['', 'kind: Pod\n', '---\n# Source: a.yaml\nkind: Pod\n---\n# Source: a.yaml\nkind: Service\n---\n# Source: b.yaml\n'];
    for (let k = 0; k < 3000; k++) {
      let t = '';
      for (let n = rnd(12); n > 0; n--) t += pieces[rnd(pieces.length)];
      cases.push(t);
    }
    return cases.filter((t) => join(split(t)) !== t);
  });
  expect(bad).toEqual([]);
  // Helm repeats a template's marker before each of its documents: one file.
  const files = await page.evaluate(() => netpolEditor.workspace.split('---\n# Source: chart/templates/np.yaml\nkind: NetworkPolicy\n---\n# Source: chart/templates/np.yaml\nkind: NetworkPolicy\n---\n# Source: chart/templates/svc.yaml\nkind: Service\n'));
  expect(files.map((f) => f.name)).toEqual(['chart/templates/np.yaml', 'chart/templates/svc.yaml']);
});

const NS = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n';
const POD = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  namespace: shop\n  labels: {app: web}\nspec:\n  containers: [{name: c, image: nginx}]\n';
const DENY = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: deny\n  namespace: shop\nspec:\n  podSelector: {}\n  policyTypes: [Ingress]\n  ingres: []\n';

test('files are added, renamed, moved and closed, and the text (and problems) follow', async ({ page }) => {
  await openApp(page);
  await paste(page, NS + '---\n' + POD);
  // A new file: it opens, its name is being edited.
  await page.locator('#file-add').click();
  const rename = page.locator('.cm-netpol-rename');
  await expect(rename).toBeFocused();
  await rename.fill('policies/deny.yaml');
  await rename.press('Enter');
  await expect(page.locator('.cm-netpol-files [role="tab"][aria-selected="true"]')).toHaveAttribute('data-name', 'policies/deny.yaml');
  await page.locator('#editor').click();
  let r = await revision(page);
  await page.locator('#editor').evaluate((el, t) => {
    const data = new DataTransfer();
    data.setData('text/plain', t);
    el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, DENY);
  await waitFresh(page, r);
  expect(await editorText(page)).toBe(NS + '---\n' + POD + '---\n# Source: policies/deny.yaml\n' + DENY);
  // The typo's problem names the file and its own line (9: `ingres`), and its tab counts it.
  const typo = page.locator('#diagnostics button.diag', { hasText: 'ingres' }).first();
  await expect(typo.locator('.diag-pos')).toHaveText(/^policies\/deny\.yaml:9:\d+$/);
  await expect(page.locator('.cm-netpol-files [data-name="policies/deny.yaml"] .cm-netpol-file-badge')).toHaveText(/^[1-9]/);
  // Open the other file, then a click on the problem brings the file back and selects it.
  await page.locator('.cm-netpol-files [role="tab"]').first().click();
  await expect(page.locator('#editor')).toContainText('kind: Pod');
  await typo.click();
  await expect(page.locator('.cm-netpol-files [role="tab"][aria-selected="true"]')).toHaveAttribute('data-name', 'policies/deny.yaml');
  const sel = await page.evaluate(() => {
    const v = netpolEditor.viewOf(document.getElementById('editor'));
    const m = v.state.selection.main;
    return v.state.sliceDoc(m.from, m.to);
  });
  expect(sel).toContain('ingres');

  // Rename by F2 on the tab; move it first with Alt+Shift+←.
  const tab = page.locator('.cm-netpol-files [role="tab"][aria-selected="true"]');
  await tab.focus();
  await page.keyboard.press('F2');
  await page.locator('.cm-netpol-rename').fill('deny-all.yaml');
  r = await revision(page);
  await page.keyboard.press('Enter');
  await waitFresh(page, r);
  expect(await editorText(page)).toContain('---\n# Source: deny-all.yaml\n' + DENY);
  r = await revision(page);
  await page.locator('.cm-netpol-files [role="tab"][aria-selected="true"]').focus();
  await page.keyboard.press('Alt+Shift+ArrowLeft');
  await waitFresh(page, r);
  // The first file had no name (no marker): moving gives it one, and the policy is first.
  expect(await editorText(page)).toBe('---\n# Source: deny-all.yaml\n' + DENY + '---\n# Source: manifests.yaml\n' + NS + '---\n' + POD);
  await expect(page.locator('.cm-netpol-files [role="tab"]').first()).toHaveAttribute('data-name', 'deny-all.yaml');

  // Close it (confirmed): the text and the problems are those of the cluster alone. The
  // page's dialog guard fails on any real dialog, so the answer to `confirm` is given
  // here, and what was asked is kept.
  await page.evaluate(() => { window.asked = []; window.confirm = (q) => { window.asked.push(q); return window.answer; }; window.answer = true; });
  r = await revision(page);
  await page.locator('.cm-netpol-file-close[aria-label="Close deny-all.yaml"]').click();
  await waitFresh(page, r);
  expect(await editorText(page)).toBe('---\n# Source: manifests.yaml\n' + NS + '---\n' + POD);
  await expect(page.locator('#diagnostics button.diag', { hasText: 'ingres' })).toHaveCount(0);
  expect(await page.evaluate(() => window.asked)).toEqual(['Close `deny-all.yaml`? Its text is not kept.']);
  // Dismissed, nothing closes.
  await page.locator('#file-add').click();
  await page.locator('.cm-netpol-rename').press('Enter');
  await page.locator('#editor').click();
  await page.keyboard.type('# a note');
  await page.evaluate(() => { window.answer = false; });
  await page.locator('.cm-netpol-file-close').last().click();
  expect(await page.evaluate(() => window.asked.length)).toBe(2);
  await expect(page.locator('.cm-netpol-files [role="tab"]')).toHaveCount(2);
});

test('dropping several files adds them as files; the zip holds each under its name', async ({ page }) => {
  await openApp(page);
  await paste(page, NS);
  const r = await revision(page);
  await page.locator('#editor').evaluate((el, [pod, deny]) => {
    const data = new DataTransfer();
    data.items.add(new File([pod], 'pod.yaml', { type: 'application/yaml' }));
    data.items.add(new File([deny], 'deny.yaml', { type: 'application/yaml' }));
    el.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
  }, [POD, DENY]);
  await waitFresh(page, r);
  const { files, active } = await editorFiles(page);
  expect(files.map((f) => [f.name, f.text])).toEqual([[null, NS], ['pod.yaml', POD], ['deny.yaml', DENY]]);
  expect(active).toBe(1);
  await expect(page.locator('#diagnostics button.diag', { hasText: 'ingres' }).first().locator('.diag-pos')).toHaveText(/^deny\.yaml:9:/);

  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#download-zip').click()]);
  expect(download.suggestedFilename()).toBe('manifests.zip');
  const { unzipSync, strFromU8 } = require(path.join(ROOT, 'web/editor/node_modules/fflate'));
  const entries = unzipSync(new Uint8Array(fs.readFileSync(await download.path())));
  expect(Object.fromEntries(Object.entries(entries).map(([k, v]) => [k, strFromU8(v)]))).toEqual({ 'manifests.yaml': NS, 'pod.yaml': POD, 'deny.yaml': DENY });

  // The YAML download opened in a fresh page gives the same files back.
  const [yaml] = await Promise.all([page.waitForEvent('download'), page.locator('#download').click()]);
  const saved = fs.readFileSync(await yaml.path(), 'utf8');
  expect(saved).toBe(await editorText(page));
  const file = path.join(OUT, 'workspace-manifests.yaml');
  fs.writeFileSync(file, saved);
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await page.locator('#editor').evaluate((el) => netpolEditor.workspaceOf(el).setText(''));
  await page.locator('#file').setInputFiles(file);
  await expect.poll(async () => (await editorFiles(page)).files.map((f) => f.name)).toEqual(['workspace-manifests.yaml', 'pod.yaml', 'deny.yaml']);
});

for (const lang of ['es', 'en']) {
  test(`screenshot: step 04 in the workspace (${lang}, light and dark)`, async ({ page }) => {
    for (const theme of ['light', 'dark']) {
      await openClean(page, { theme, lang, example: 'seed/04-from-podselector-app-utils' });
      await expect(page.locator('.cm-netpol-files [role="tab"][aria-selected="true"]')).toHaveAttribute('data-name', 'default-deny-ingress.yaml');
      await page.screenshot({ path: path.join(OUT, `workspace-04-${lang}-${theme}.png`) });
      await page.locator('.cm-netpol-folder').click();
      await page.locator('.cm-netpol-files [data-name="cluster/utils.yaml"]').click();
      await page.screenshot({ path: path.join(OUT, `workspace-04-${lang}-${theme}-open.png`) });
    }
  });
}
