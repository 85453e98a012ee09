// Teaching with the playground (issue 16): seed steps by deep link, lesson rows answered
// without a click, the simulated console of every row of every step (checked against the
// core's snapshots in tests/console/), exercises graded live, predict mode, Back, embed
// mode, #src= lessons, and the built site served under a sub-path.
const { test, expect } = require('@playwright/test');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawn } = require('child_process');
const { guardEachTest, ROOT, OUT, guardRequests, seedSteps, openApp, chooseExample, paste } = require('./helpers');

const currentGuard = guardEachTest(test);

/** The console snapshot of a seed step (tests/console/STEM.expected): per row, the
 *  prompt + command line and the output lines, and whether the tutorial's recording
 *  differs from the API. */
function consoleSnapshot(stem) {
  const text = fs.readFileSync(path.join(ROOT, 'tests/console', `${stem}.expected`), 'utf8');
  return text.split(/^## row /m).slice(1).map((section) => {
    const lines = section.split('\n').slice(1);
    const end = lines.findIndex((l) => l.startsWith('note en: ') || l.startsWith('recorded by the tutorial: '));
    const body = end < 0 ? lines : lines.slice(0, end);
    return {
      command: body[0],
      output: body.slice(1).join('\n').replace(/\s+$/, ''),
      differs: /^recorded by the tutorial: .*DIFFERS/m.test(section),
    };
  });
}

/** The manifests of an exercise's start, with `replace` (file name -> path of the new
 *  file) applied: what a student would have typed. */
function exerciseText(file, replace = {}) {
  const dir = path.join(ROOT, 'examples/exercises');
  const src = fs.readFileSync(path.join(dir, file), 'utf8');
  const manifests = src.split(/^manifests:\s*$/m)[1].split(/^expect:/m)[0]
    .split('\n').filter((l) => /^  - /.test(l)).map((l) => l.replace(/^  - /, '').trim());
  const texts = manifests.map((m) => {
    const name = path.basename(m);
    const p = replace[name] || path.join(dir, m);
    return fs.readFileSync(p, 'utf8');
  });
  return texts.map((t) => (t.endsWith('\n') ? t : t + '\n')).join('---\n');
}

const steps = seedSteps();

test('each seed step opens by deep link, answers every row at once, and prints its console', async ({ page }) => {
  test.setTimeout(180_000);
  expect(steps.length).toBeGreaterThanOrEqual(14);
  for (const step of steps) {
    const stem = step.id.replace('seed/', '');
    await page.goto('/#example=' + step.id.slice(0, 'seed/NN'.length));
    await expect(page.locator('#lesson')).toHaveAttribute('data-example', step.id);
    const rows = page.locator('#rows tr.row');
    await expect(rows).toHaveCount(step.rows.length);
    const snap = consoleSnapshot(stem);
    expect(snap.length, `${stem}: console snapshot rows`).toBe(step.rows.length);
    for (let i = 0; i < step.rows.length; i++) {
      // The API's verdict, without pressing anything.
      await expect(rows.nth(i), `${stem} row ${i}`).toHaveAttribute('data-api', step.rows[i]);
      await expect(rows.nth(i).locator('.match')).toHaveClass(/yes/);
      const block = page.locator('#rows tbody.row-group').nth(i).locator('.console-block');
      await expect(block.locator('.badge-simulated')).toBeVisible();
      const pre = block.locator('.console.api pre.console-out');
      const shown = (await pre.textContent()).replace(/\s+$/, '');
      const want = [snap[i].command, snap[i].output].filter((s) => s !== '').join('\n');
      expect(shown, `${stem} row ${i}: the console as the core simulates it`).toBe(want);
      await expect(block).toHaveAttribute('data-differs', String(snap[i].differs));
    }
  }
});

test('step 4: the tutorial\'s recorded output and the API\'s verdict side by side, with the reason', async ({ page }) => {
  await openApp(page, '/#example=seed/04');
  await page.selectOption('#lang', 'es');
  const first = page.locator('#rows tbody.row-group').first().locator('.console-block');
  await expect(first).toHaveAttribute('data-differs', 'true');
  await expect(first.locator('.console.api pre')).toContainText('100% packet loss');
  await expect(first.locator('.console.recorded figcaption')).toHaveText('Lo que registró el tutorial');
  await expect(first.locator('.console.recorded pre')).toContainText('time=0.289 ms');
  await expect(first.locator('.console-why')).toContainText('podSelector');
  await expect(first.locator('.badge-simulated')).toHaveText('simulado');
  // troubleshoot: the tutorial agrees with the API.
  const third = page.locator('#rows tbody.row-group').nth(2).locator('.console-block');
  await expect(third.locator('.console-agrees')).toContainText('El tutorial registró el mismo resultado');
  // Step 6: only a claim, no output recorded.
  await page.goto('/#example=seed/06');
  await expect(page.locator('#lesson')).toHaveAttribute('data-example', 'seed/06-namespaceselector-name-utils');
  await expect(page.locator('.console.recorded figcaption').first()).toHaveText('Lo que afirma el tutorial (sin salida registrada)');
});

test('the current step is in the URL, and Back returns to the previous one', async ({ page }) => {
  await openApp(page, '/#example=seed/02');
  await expect(page.locator('#lesson')).toHaveAttribute('data-example', 'seed/02-default-deny-ingress');
  await chooseExample(page, 'seed/04-from-podselector-app-utils');
  await expect(page).toHaveURL(/#example=seed\/04$/);
  await page.locator('#next-step').click();
  await expect(page.locator('#lesson')).toHaveAttribute('data-example', 'seed/05-fix-namespace-and-pod-selector');
  await expect(page).toHaveURL(/#example=seed\/05$/);
  await page.goBack();
  await expect(page.locator('#lesson')).toHaveAttribute('data-example', 'seed/04-from-podselector-app-utils');
  await page.goBack();
  await expect(page.locator('#lesson')).toHaveAttribute('data-example', 'seed/02-default-deny-ingress');
  // Visited steps are marked in the course outline (localStorage).
  await expect(page.locator('#examples option[data-id="seed/04-from-podselector-app-utils"]')).toHaveAttribute('data-progress', 'visited');
  // An exercise by number or name; an unknown one says so.
  await page.goto('/#exercise=egress-default-deny');
  await expect(page.locator('#lesson')).toHaveAttribute('data-example', 'exercises/01-egress-default-deny');
  await page.goto('/#example=seed/99');
  await page.reload();
  await expect(page.locator('#notice')).toContainText('seed/99');
});

test('predict the verdict: a row shows its verdict and console once guessed', async ({ page }) => {
  await openApp(page, '/#example=seed/04');
  await page.locator('#predict').check();
  const row = page.locator('#rows tr.row').first();
  await expect(row).toHaveAttribute('data-api', '');
  await expect(page.locator('#rows tr.console-row')).toHaveCount(0);
  await row.locator('.predict-allow').click();
  await expect(row).toHaveAttribute('data-api', 'denied');
  await expect(row.locator('.guess')).toHaveClass(/wrong/);
  await page.locator('#rows tr.row').nth(1).locator('.predict-deny').click();
  await expect(page.locator('#rows tr.row').nth(1).locator('.guess')).toHaveClass(/right/);
  await expect(page.locator('#rows tr.console-row')).toHaveCount(2);
});

test('an exercise solved by typing: the goals turn green, Check reveals the hidden ones', async ({ page }) => {
  await openApp(page, '/#exercise=07');
  await expect(page.locator('#lesson')).toHaveAttribute('data-kind', 'exercise');
  const goals = page.locator('#goals li.goal');
  await expect(goals).toHaveCount(4);
  await expect(goals.nth(0)).toHaveClass(/fail/);
  await expect(goals.nth(3)).toHaveClass(/locked/);
  await expect(page.locator('#exercise')).toHaveAttribute('data-solved', 'false');
  const solution = path.join(ROOT, 'examples/exercises/07-and-vs-or-peers/solution/network-policy-ingress-deny-all.yaml');
  await paste(page, exerciseText('07-and-vs-or-peers.yaml', { 'network-policy-ingress-deny-all.yaml': solution }));
  for (let i = 0; i < 3; i++) await expect(goals.nth(i)).toHaveClass(/pass/);
  await expect(page.locator('#rules li.rule.pass')).toHaveCount(3);
  await expect(page.locator('#exercise')).toHaveAttribute('data-solved', 'true');
  await page.locator('#check').click();
  await expect(goals.nth(3)).toHaveClass(/pass/);
  await expect(page.locator('#exercise-status')).toHaveClass(/solved/);
  await expect(page.locator('#examples option[data-id="exercises/07-and-vs-or-peers"]')).toHaveAttribute('data-progress', 'solved');
  // The work is kept per exercise: reopening it restores it; Start over resets.
  await page.reload();
  await expect(page.locator('#exercise')).toHaveAttribute('data-solved', 'true');
  await expect(page.locator('.restored')).toBeVisible();
  await page.locator('#reset').click();
  await expect(page.locator('#exercise')).toHaveAttribute('data-solved', 'false');
});

test('a wrong attempt stays red and the hint shows', async ({ page }) => {
  await openApp(page, '/#exercise=02');
  await page.selectOption('#lang', 'es');
  const wrong = path.join(ROOT, 'examples/exercises/02-egress-allow-dns-and-webapp/wrong/utils-allow-dns-and-webapp.yaml');
  await paste(page, exerciseText('02-egress-allow-dns-and-webapp.yaml') + '---\n' + fs.readFileSync(wrong, 'utf8'));
  const goals = page.locator('#goals li.goal');
  await expect(goals.nth(0)).toHaveClass(/fail/);
  await expect(goals.nth(0)).toContainText('utils vuelve a resolver nombres');
  await expect(goals.nth(1)).toHaveClass(/pass/);
  await expect(page.locator('#hints')).toHaveCount(0);
  await page.locator('#check').click();
  await expect(page.locator('#exercise')).toHaveAttribute('data-solved', 'false');
  await expect(page.locator('#hints li')).toHaveCount(1);
  await expect(page.locator('#hints li').first()).toContainText('Mantén `default-deny-egress`'.replace(/`/g, ''));
  await page.locator('#hint').click();
  await expect(page.locator('#hints li')).toHaveCount(2);
  await expect(page.locator('#hints li').nth(1)).toContainText('namespaceSelector');
  await expect(goals.nth(0)).toHaveClass(/fail/);
});

test('embed mode: no header, one file and one view, a link to the full playground', async ({ page }) => {
  await page.setViewportSize({ width: 900, height: 600 });
  await page.goto('/?embed#example=seed/04');
  await expect(page.locator('#lesson')).toHaveAttribute('data-example', 'seed/04-from-podselector-app-utils');
  await expect(page.locator('.toolbar')).toHaveCount(0);
  await expect(page.locator('.tabs')).toHaveCount(0);
  await expect(page.locator('#embed-bar')).toBeVisible();
  await expect(page.locator('#editor')).toBeVisible();
  const href = await page.locator('#open-playground').getAttribute('href');
  expect(href).toMatch(/\/#example=seed\/04$/);
  expect(href).not.toContain('embed');
  await expect(page.locator('#open-playground')).toHaveAttribute('target', '_blank');
  await expect(page.locator('#rows tr.row').first()).toHaveAttribute('data-api', 'denied');
  await page.screenshot({ path: path.join(OUT, 'teach-embed.png') });
  // `#embed` in the fragment works too.
  await page.goto('/#exercise=01&embed');
  await expect(page.locator('#embed-bar')).toContainText('Homework 1');
});

test('#src= refuses anything but a path inside the site', async ({ page }) => {
  for (const bad of ['https://example.com/x.yaml', '../x.yaml', '%2e%2e/x.yaml', '/etc/passwd', '//example.com/x.yaml']) {
    await page.goto('/#src=' + bad);
    await page.reload();
    await expect(page.locator('#notice')).toContainText(/refused|no path/);
  }
  await page.goto('/#src=lessons/missing.yaml');
  await page.reload();
  await expect(page.locator('#notice')).toContainText('HTTP 404');
});

// ---------------------------------------------------------------- the site under a sub-path

/** The built site copied to /course/playground/ of a fresh directory, with a trainer's
 *  lesson beside it, served on its own port. */
let sub;
test.describe('the built site under a sub-path', () => {
  test.beforeAll(async () => {
    const dist = path.join(ROOT, process.env.E2E_DIST || 'dist');
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-subpath-'));
    const site = path.join(root, 'course', 'playground');
    fs.cpSync(dist, site, { recursive: true });
    fs.mkdirSync(path.join(site, 'lessons'));
    fs.copyFileSync(path.join(ROOT, 'examples/seed/cluster.yaml'), path.join(site, 'lessons/cluster.yaml'));
    fs.writeFileSync(path.join(site, 'lessons/my-step.yaml'), [
      'name: "my step: utils may reach the web app on port 80"',
      'title: {en: "My step: one namespace in", es: "Mi paso: un namespace dentro"}',
      'lesson: {en: "A trainer\'s own step, hosted beside the playground.", es: "Un paso propio del formador, alojado junto al playground."}',
      'manifests:',
      '  - cluster.yaml',
      '  - apiVersion: networking.k8s.io/v1',
      '    kind: NetworkPolicy',
      '    metadata: {name: only-utils, namespace: webapp-balanced}',
      '    spec:',
      '      podSelector: {}',
      '      ingress: [{from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: utils}}}]}]',
      'expect:',
      '  - {from: utils/utils, to: webapp-balanced/webapp-balanced, port: 80, allowed: true, command: "nc -zv 192.169.62.30 80"}',
      '  - {from: troubleshoot/troubleshoot, to: webapp-balanced/webapp-balanced, port: 80, allowed: false, command: "nc -zv 192.169.62.30 80"}',
      '',
    ].join('\n'));
    fs.writeFileSync(path.join(site, 'lessons/escape.yaml'), 'name: x\nmanifests: [../../secret.yaml]\nexpect: [{from: a/b, to: a/c, port: 80, allowed: true}]\n');
    // A free port of the machine's choosing (other sessions may hold E2E_PORT + 1).
    const port = await new Promise((resolve) => {
      const s = require('net').createServer();
      s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
    });
    const child = spawn('python3', ['-m', 'http.server', String(port), '--bind', '127.0.0.1', '--directory', root], { stdio: 'ignore' });
    sub = { root, child, base: `http://127.0.0.1:${port}/course/playground/` };
    for (let i = 0; i < 100; i++) {
      try { if ((await fetch(sub.base + 'index.html')).ok) break; } catch (e) { /* not yet */ }
      await new Promise((r) => setTimeout(r, 100));
    }
  });
  test.afterAll(() => {
    if (sub) {
      sub.child.kill();
      fs.rmSync(sub.root, { recursive: true, force: true });
    }
  });

  test('the seed smoke test runs there: styles, worker, every step\'s verdicts', async ({ page }) => {
    test.setTimeout(120_000);
    const g = guardRequests(page, sub.base);
    await page.goto(sub.base + '#example=seed/01');
    await expect(page.locator('#lesson')).toHaveAttribute('data-example', 'seed/01-default-allow-all');
    // The stylesheet loaded from the sub-path (a relative URL).
    const bg = await page.locator('.toolbar').evaluate((el) => getComputedStyle(el).borderBottomStyle);
    expect(bg).toBe('solid');
    for (const step of steps) {
      await chooseExample(page, step.id);
      const rows = page.locator('#rows tr.row');
      await expect(rows).toHaveCount(step.rows.length);
      for (let i = 0; i < step.rows.length; i++) await expect(rows.nth(i)).toHaveAttribute('data-api', step.rows[i]);
    }
    expect(g.foreign).toEqual([]);
    expect(g.errors).toEqual([]);
    currentGuard().foreign.length = 0;
  });

  test('#src= loads a trainer\'s step from beside the site, and no file above it', async ({ page }) => {
    const g = guardRequests(page, sub.base);
    await page.goto(sub.base + '#src=lessons/my-step.yaml');
    await expect(page.locator('#lesson')).toHaveAttribute('data-example', 'src:lessons/my-step.yaml');
    await expect(page.locator('#lesson h2')).toHaveText('My step: one namespace in');
    const rows = page.locator('#rows tr.row');
    await expect(rows.nth(0)).toHaveAttribute('data-api', 'allowed');
    await expect(rows.nth(1)).toHaveAttribute('data-api', 'denied');
    await expect(page.locator('.console-block').first()).toContainText('kubectl exec -i -t utils-646c66795d-qdtg9 --namespace utils -- nc -zv 192.169.62.30 80');
    // A manifest path that climbs out of the site is refused, not fetched.
    await page.goto(sub.base + '#src=lessons/escape.yaml');
    await page.reload();
    await expect(page.locator('#notice')).toContainText('refused');
    expect(g.foreign).toEqual([]);
    expect(g.errors).toEqual([]);
    currentGuard().foreign.length = 0;
  });
});

// ---------------------------------------------------------------- screenshots (Spanish)

for (const theme of ['light', 'dark']) {
  test(`screenshots in Spanish, ${theme}: a step, its console block, an exercise half-done`, async ({ page }) => {
    await openApp(page, '/#example=seed/04');
    await page.selectOption('#lang', 'es');
    const dark = (await page.locator('html').getAttribute('data-theme')) === 'dark';
    if (dark !== (theme === 'dark')) await page.locator('#theme').click();
    await expect(page.locator('#rows tr.row').first()).toHaveAttribute('data-api', 'denied');
    await page.screenshot({ path: path.join(OUT, `teach-step-es-${theme}.png`) });
    await page.locator('#rows tbody.row-group').first().locator('.console-block')
      .screenshot({ path: path.join(OUT, `teach-console-es-${theme}.png`) });
    // Homework 2, half done: the web app rule is there, DNS is not yet.
    await page.goto('/#exercise=02');
    const half = path.join(ROOT, 'examples/exercises/02-egress-allow-dns-and-webapp/wrong/utils-allow-dns-and-webapp.yaml');
    await paste(page, exerciseText('02-egress-allow-dns-and-webapp.yaml') + '---\n' + fs.readFileSync(half, 'utf8'));
    await expect(page.locator('#goals li.goal').nth(1)).toHaveClass(/pass/);
    await page.locator('#hint').click();
    await page.screenshot({ path: path.join(OUT, `teach-exercise-es-${theme}.png`), fullPage: true });
  });
}
