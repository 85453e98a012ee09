// The workspace of files (issue 16): a lesson opens as the tutorial's files with the
// step's policy in front, the cluster behind a folder toggle; files are added, renamed,
// moved and closed, dropped (several, or a folder) and opened; the Problems list names
// the file and its line; the text round-trips through Helm's `# Source:` markers, the
// YAML download and the zip.
const { test, expect } = require('@playwright/test');
const { guardEachTest, OUT, openApp, chooseExample, editorText, editorFiles, waitFresh, setText } = require('./helpers');

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
