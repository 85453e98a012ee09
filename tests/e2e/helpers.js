// Shared helpers for the playground's end-to-end tests.
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');
const { expect } = require('@playwright/test');

const ROOT = path.resolve(__dirname, '../..');
const OUT = path.join(__dirname, 'output');

/** Every request must stay on the page's origin; call in each test, check at the end. */
function guardRequests(page, baseURL) {
  const origin = new URL(baseURL).origin;
  const foreign = [];
  page.on('request', (r) => {
    const u = r.url();
    if (!(u.startsWith(origin + '/') || u.startsWith('data:') || u.startsWith('blob:'))) foreign.push(u);
  });
  const dialogs = [];
  page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  return { foreign, dialogs, errors };
}

/** The seed steps in order, each with its single-connection rows read from the file. */
function seedSteps() {
  const dir = path.join(ROOT, 'examples/seed');
  return fs.readdirSync(dir).filter((f) => /^\d\d-.*\.yaml$/.test(f)).sort().map((f) => {
    const text = fs.readFileSync(path.join(dir, f), 'utf8');
    // Each row: `allowed`, or the `outcome:` through a Service (partial, no-backends).
    const rows = [...text.matchAll(/^\s*-\s*\{from:.*\ballowed:\s*(true|false)\b.*\}\s*$/gm)].map((m) => {
      const o = m[0].match(/\boutcome:\s*"?([a-z-]+)/);
      return o ? o[1] : (m[1] === 'true' ? 'allowed' : 'denied');
    });
    return { id: 'seed/' + f.replace(/\.yaml$/, ''), rows };
  });
}

async function openApp(page, url = '/') {
  await page.goto(url);
  await expect(page.locator('#editor')).toBeVisible();
}

async function chooseExample(page, id) {
  const value = await page.locator(`#examples option[data-id="${id}"]`).getAttribute('value');
  await page.selectOption('#examples', value);
  await expect(page.locator('#lesson')).toHaveAttribute('data-example', id);
}

/** A share fragment as the page makes it: JSON, raw deflate, base64url. */
function shareFragment(obj) {
  const raw = zlib.deflateRawSync(Buffer.from(JSON.stringify(obj)));
  return 's=' + raw.toString('base64url');
}

/** Sets the editor text as one paste (Playwright's fill is slow on very large text) and
 *  waits until the page has evaluated it. */
async function paste(page, text) {
  await page.locator('#editor').evaluate((el, t) => {
    el.value = t;
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }, text);
  await expect(page.locator('#eval-status')).toHaveAttribute('data-fresh', 'true', { timeout: 30_000 });
}

module.exports = { paste, ROOT, OUT, guardRequests, seedSteps, openApp, chooseExample, shareFragment };
