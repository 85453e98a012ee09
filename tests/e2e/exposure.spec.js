// The Cluster tab's exposure beyond the input (netpol::exposure, issue 15): per workload,
// who could reach it and whom it could reach because a rule also matches what is not in
// the text, in words, with the rule, in English and Spanish; the words are the CLI's
// (`netpol exposure`, tests/exposure/seed snapshots).
const path = require('path');
const { test, expect } = require('@playwright/test');
const { guardEachTest, OUT, openApp, chooseExample, editorSelection } = require('./helpers');

guardEachTest(test);

const WEB = 'webapp-balanced/webapp-balanced[Deployment]';

test('step 10: port 80 open to any pod and any address, with the rule, which selects its range', async ({ page }) => {
  await openApp(page);
  await chooseExample(page, 'seed/10-allow-port-80-tcp');
  await page.locator('#tab-cluster').click();
  const web = page.locator(`#exposures li.exposure[data-workload="${WEB}"]`);
  await expect(web).toBeVisible();
  const item = web.locator('li.exposure-item[data-direction="ingress"]').first();
  await expect(item).toContainText('reachable on TCP 80 from any pod in any namespace and any address');
  await expect(item).toHaveClass(/wide/);
  await expect(item).toHaveClass(/certain/);
  // Egress: no policy selects it.
  await expect(web.locator('li.exposure-item[data-direction="egress"]').first()).toContainText('not isolated');
  await item.locator('button.policy-link').click();
  // The rule `spec.ingress[0]`: its ports are in the selection.
  expect(await editorSelection(page)).toContain('port: 80');
  await page.locator('#exposure-title').scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(OUT, 'exposure-step10-en.png') });
});

test('step 6 in Spanish: a namespace label nothing carries yet, said as such', async ({ page }) => {
  await openApp(page);
  await page.selectOption('#lang', 'es');
  await chooseExample(page, 'seed/06-namespaceselector-name-utils');
  await page.locator('#tab-cluster').click();
  await expect(page.locator('#exposure-title')).toHaveText('Exposición más allá de la entrada');
  const item = page.locator(`#exposures li.exposure[data-workload="${WEB}"] li.exposure-item[data-direction="ingress"]`).first();
  await expect(item).toContainText('desde cualquier pod de los namespaces etiquetados name=utils');
  await expect(item).toContainText('aún no coincide con nada de la entrada');
  await expect(item).not.toHaveClass(/wide/);
  await page.locator('#theme').click();
  await expect(page.locator('#theme')).toHaveAttribute('aria-pressed', 'true');
  await page.locator('#exposure-title').scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(OUT, 'exposure-step06-es-dark.png') });
});

test('step 2 (deny all ingress): reachable from nothing beyond the input', async ({ page }) => {
  await openApp(page);
  await chooseExample(page, 'seed/02-default-deny-ingress');
  await page.locator('#tab-cluster').click();
  const web = page.locator(`#exposures li.exposure[data-workload="${WEB}"]`);
  await expect(web.locator('p.summary[data-direction="ingress"]')).toContainText('reachable from nothing beyond the input');
  await expect(web.locator('li.exposure-item[data-direction="ingress"]')).toHaveCount(0);
});
