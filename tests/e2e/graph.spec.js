// The Graph tab and the workload Matrix (issue 13) on the release build. The expected
// edges are not typed here: each seed step's manifests (the editor text) go through
// `netpol connlist --format json` of the CLI built from the same tree (NETPOL_BIN, else
// $CARGO_TARGET_DIR/release/netpol, else target/release/netpol; scripts/test-web.sh
// builds it), and the SVG's edges must be exactly those.
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');
const { test, expect } = require('@playwright/test');
const { openClean, guardEachTest, ROOT, OUT, seedSteps, openApp, chooseExample, paste, bigCluster, editorText, editorSelection } = require('./helpers');

guardEachTest(test, (page, guard) => {
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) guard.errors.push(m.text());
  });
});

function netpolBin() {
  const candidates = [
    process.env.NETPOL_BIN,
    process.env.CARGO_TARGET_DIR && path.join(process.env.CARGO_TARGET_DIR, 'release/netpol'),
    path.join(ROOT, 'target/release/netpol'),
  ].filter(Boolean);
  const bin = candidates.find((p) => fs.existsSync(p));
  if (!bin) throw new Error(`no netpol binary (tried ${candidates.join(', ')}): cargo build --release --bin netpol`);
  return bin;
}

/** `netpol ARGS -` on `text`, parsed JSON (exit 0 or 1: findings are not failures). */
function cli(args, text) {
  try {
    return JSON.parse(execFileSync(netpolBin(), [...args, '-'], { input: text, maxBuffer: 64 << 20 }).toString());
  } catch (e) {
    if (e.stdout && e.stdout.length) return JSON.parse(e.stdout.toString());
    throw e;
  }
}

async function openGraph(page) {
  await page.locator('#tab-graph').click();
  await expect(page.locator('#eval-status')).toHaveAttribute('data-fresh', 'true', { timeout: 30_000 });
  await expect(page.locator('#graph')).toBeVisible();
}

/** The allowed edges drawn, one per direction (a line drawn both ways counts twice). */
async function drawnEdges(page) {
  const edges = await page.locator('#graph g.g-edge[data-denied="false"]').evaluateAll((els) =>
    els.map((e) => ({ from: e.dataset.from, to: e.dataset.to, connections: e.dataset.connections, label: e.dataset.label, both: e.dataset.both === 'true' })));
  return edges.flatMap((e) => (e.both ? [e, { ...e, from: e.to, to: e.from }] : [e]));
}

const key = (e) => `${e.from} => ${e.to} : ${e.connections}`;

/** `TCP 80,443; UDP 53; ICMP`, `All connections`, `TCP all ports`: does it allow (protocol, port)? */
function allows(connections, protocol, port) {
  if (connections === 'All connections') return true;
  return connections.split('; ').some((part) => {
    const [p, ports] = part.split(' ');
    if (p !== protocol) return false;
    if (protocol === 'ICMP') return true;
    if (part.endsWith('all ports')) return true;
    return ports.split(',').some((r) => {
      const [lo, hi] = r.split('-').map(Number);
      return port >= lo && port <= (hi || lo);
    });
  });
}

const steps = seedSteps();
for (const step of steps) {
  test(`${step.id}: the graph draws exactly the connections netpol connlist lists`, async ({ page }) => {
    await openApp(page);
    await chooseExample(page, step.id);
    await openGraph(page);
    const expected = cli(['connlist', '--format', 'json'], await editorText(page));
    const drawn = await drawnEdges(page);
    expect(drawn.map(key).sort()).toEqual(expected.map(key).sort());
    for (const e of drawn) expect(e.label).toBe(e.connections === 'All connections' ? 'All' : e.connections);
    // Every workload is a node, with its connlist name.
    const ids = await page.locator('#graph g.g-node').evaluateAll((els) => els.map((e) => e.dataset.id));
    for (const e of expected) {
      for (const end of [e.from, e.to]) expect(ids).toContain(end);
    }
  });
}

// dagre.js (netpol-graph.js) is imported by the module worker on the first graph request
// only, once; its curves (dagre's points, smoothed) are not the plain grid's straight lines.
test('the layout script loads in the worker on the first graph only', async ({ page }) => {
  const loads = [];
  page.on('request', (r) => { if (r.url().endsWith('/netpol-graph.js')) loads.push(r.url()); });
  await openApp(page);
  await chooseExample(page, 'seed/04-from-podselector-app-utils');
  await page.locator('#tab-matrix').click();
  await expect(page.locator('#eval-status')).toHaveAttribute('data-fresh', 'true');
  expect(loads).toEqual([]);
  await openGraph(page);
  expect(loads.length).toBe(1);
  const curved = await page.locator('#graph g.g-edge path.g-line').evaluateAll((els) => els.filter((e) => e.getAttribute('d').includes('C')).length);
  expect(curved).toBeGreaterThan(0);
  await page.locator('#tab-query').click();
  await openGraph(page);
  expect(loads.length).toBe(1);
});

test('the port chooser keeps the connections that allow that port', async ({ page }) => {
  await openApp(page);
  await chooseExample(page, 'seed/12-egress-allow-dns-and-webapp');
  await openGraph(page);
  const all = cli(['connlist', '--format', 'json'], await editorText(page));
  await page.selectOption('#graph-protocol', 'TCP');
  await page.locator('#graph-port').fill('80');
  await expect(page.locator('#eval-status')).toHaveAttribute('data-fresh', 'true');
  const drawn = await drawnEdges(page);
  const want = all.filter((e) => allows(e.connections, 'TCP', 80));
  expect(want.length).toBeLessThan(all.length);
  expect(drawn.map(key).sort()).toEqual(want.map(key).sort());
  for (const e of drawn) expect(e.label).toBe('TCP 80');
  await page.selectOption('#graph-protocol', 'UDP');
  await page.locator('#graph-port').fill('53');
  await expect(page.locator('#eval-status')).toHaveAttribute('data-fresh', 'true');
  const udp = await drawnEdges(page);
  expect(udp.map(key).sort()).toEqual(all.filter((e) => allows(e.connections, 'UDP', 53)).map(key).sort());
});

test('clicking an arrow shows its explanation, as the Query tab does', async ({ page }) => {
  await openApp(page);
  await chooseExample(page, 'seed/12-egress-allow-dns-and-webapp');
  await openGraph(page);
  const edge = page.locator('#graph g.g-edge[data-denied="false"][data-from="utils/utils[Deployment]"][data-to="webapp-balanced/webapp-balanced[Deployment]"]');
  await expect(edge).toHaveCount(1);
  await expect(edge).toHaveAttribute('data-connections', 'TCP 80');
  await edge.locator('.g-elabel').click();
  await expect(page.locator('#graph-explain')).toBeVisible();
  await expect(page.locator('#graph-explain #verdict')).toHaveAttribute('data-verdict', 'allowed');
  await expect(page.locator('#graph-explain #side-egress')).toBeVisible();
  await expect(page.locator('#graph-explain #side-ingress')).toBeVisible();
  // A denied connection a lesson row asked about is dashed; its explanation says denied.
  const denied = page.locator('#graph g.g-edge[data-denied="true"]').first();
  await expect(denied).toBeVisible();
  await denied.locator('.g-elabel').click();
  await expect(page.locator('#graph-explain #verdict')).toHaveAttribute('data-verdict', 'denied');
  // The same question in the Query tab.
  const from = await page.locator('#graph-explain').getAttribute('data-from');
  await page.locator('#graph-to-query').click();
  await expect(page.locator('#tab-query')).toHaveAttribute('aria-selected', 'true');
  await expect(page.locator('#from')).toHaveValue(from);
  await expect(page.locator('#verdict')).toHaveAttribute('data-verdict', 'denied');
});

test('clicking a workload focuses on its ins and outs and the policies selecting it', async ({ page }) => {
  await openApp(page);
  await chooseExample(page, 'seed/12-egress-allow-dns-and-webapp');
  await openGraph(page);
  const id = 'utils/utils[Deployment]';
  const all = cli(['connlist', '--format', 'json'], await editorText(page));
  const focused = cli(['connlist', '--focus', 'utils/utils', '--format', 'json'], await editorText(page));
  expect(focused.length).toBeLessThan(all.length);
  await page.locator(`#graph g.g-node[data-id="${id}"]`).click();
  await expect(page.locator('#graph-focus')).toHaveAttribute('data-id', id);
  await expect(page.locator('#eval-status')).toHaveAttribute('data-fresh', 'true');
  const drawn = await drawnEdges(page);
  expect(drawn.map(key).sort()).toEqual(focused.map(key).sort());
  await expect(page.locator(`#graph g.g-node[data-id="${id}"]`)).toHaveClass(/focused/);
  await expect(page.locator(`#graph g.g-node[data-id="${id}"]`)).toHaveAttribute('data-egress-isolated', 'true');
  for (const p of ['utils/default-deny-egress', 'utils/allow-dns-egress', 'utils/allow-webapp-egress']) {
    await expect(page.locator('#graph-focus-egress')).toContainText(p);
  }
  await expect(page.locator('#graph-focus-ingress')).not.toContainText('utils/');
  // A policy button selects it in the editor.
  await page.locator('#graph-focus-egress button', { hasText: 'utils/allow-dns-egress' }).click();
  const selected = await editorSelection(page);
  expect(selected).toContain('allow-dns-egress');
  await page.locator('#graph-clear-focus').click();
  await expect(page.locator('#graph-focus')).toHaveCount(0);
  expect((await drawnEdges(page)).length).toBe(all.length);
});

test('the SVG export is a valid SVG document with the same picture', async ({ page }) => {
  await openApp(page);
  await chooseExample(page, 'seed/04-from-podselector-app-utils');
  await openGraph(page);
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#graph-export-svg').click()]);
  expect(download.suggestedFilename()).toBe('netpol-graph.svg');
  const text = fs.readFileSync(await download.path(), 'utf8');
  expect(text.startsWith('<?xml')).toBe(true);
  const parsed = await page.evaluate((t) => {
    const doc = new DOMParser().parseFromString(t, 'image/svg+xml');
    const root = doc.documentElement;
    return {
      error: doc.getElementsByTagName('parsererror').length,
      root: root.localName,
      ns: root.namespaceURI,
      edges: root.querySelectorAll('[data-from]').length,
      nodes: root.querySelectorAll('[data-id]').length,
      // Colours travel as presentation attributes (the page's CSS is not in the file).
      styled: [...root.querySelectorAll('path, rect, polygon, text')].every((e) => e.hasAttribute('fill')),
      scripts: root.querySelectorAll('script').length,
    };
  }, text);
  expect(parsed.error).toBe(0);
  expect(parsed.root).toBe('svg');
  expect(parsed.ns).toBe('http://www.w3.org/2000/svg');
  expect(parsed.edges).toBe(await page.locator('#graph g.g-edge').count());
  expect(parsed.nodes).toBe(await page.locator('#graph g.g-node').count());
  expect(parsed.styled).toBe(true);
  expect(parsed.scripts).toBe(0);
  const [png] = await Promise.all([page.waitForEvent('download'), page.locator('#graph-export-png').click()]);
  expect(png.suggestedFilename()).toBe('netpol-graph.png');
  const bytes = fs.readFileSync(await png.path());
  expect(bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  // Twice the SVG's size.
  const w = Number(await page.locator('#graph').getAttribute('width'));
  expect(bytes.readUInt32BE(16)).toBe(Math.ceil(w * 2));
});

test('the same manifests draw the same picture', async ({ page }) => {
  await openApp(page);
  await chooseExample(page, 'seed/12-egress-allow-dns-and-webapp');
  await openGraph(page);
  const first = await page.locator('#graph').evaluate((e) => e.outerHTML);
  await chooseExample(page, 'seed/04-from-podselector-app-utils');
  await openGraph(page);
  await chooseExample(page, 'seed/12-egress-allow-dns-and-webapp');
  await openGraph(page);
  expect(await page.locator('#graph').evaluate((e) => e.outerHTML)).toBe(first);
});

test('beyond a few hundred workloads: a message and the namespace filter, never a frozen tab', async ({ page }) => {
  test.setTimeout(120_000);
  await openApp(page);
  await paste(page, bigCluster(400));
  await page.locator('#tab-graph').click();
  await expect(page.locator('#graph-too-big')).toBeVisible({ timeout: 30_000 });
  await expect(page.locator('#graph')).toHaveCount(0);
  await page.selectOption('#graph-namespace', 'ns3');
  await expect(page.locator('#eval-status')).toHaveAttribute('data-fresh', 'true', { timeout: 30_000 });
  await expect(page.locator('#graph')).toBeVisible();
  const ns = await page.locator('#graph g.g-ns').evaluateAll((els) => els.map((e) => e.dataset.namespace));
  expect(ns).toContain('ns3');
  // Every edge touches the namespace.
  const drawn = await drawnEdges(page);
  for (const e of drawn) expect(e.from.startsWith('ns3/') || e.to.startsWith('ns3/')).toBe(true);
  // The page stayed responsive meanwhile: the editor answers.
  await page.locator('#tab-query').click();
  await expect(page.locator('#from')).toBeVisible();
});

test('the Matrix tab shows workloads by default, as netpol matrix --by workload, and pods on demand', async ({ page }) => {
  await openApp(page);
  await chooseExample(page, 'seed/04-from-podselector-app-utils');
  await page.locator('#tab-matrix').click();
  await expect(page.locator('#matrix')).toHaveAttribute('data-by', 'workload');
  const m = cli(['matrix', '--by', 'workload', '--port', '80', '--format', 'json'], await editorText(page));
  const cells = await page.locator('#matrix td.cell').evaluateAll((els) => els.map((e) => [e.dataset.from, e.dataset.to, e.dataset.cell]));
  const want = [];
  m.endpoints.forEach((f, i) => m.endpoints.forEach((t, j) => want.push([f, t, m.allowed[i][j]])));
  expect(cells.length).toBe(want.length);
  for (const [f, t, c] of cells) {
    const w = want.find((x) => x[0] === f && x[1] === t);
    expect(w, `${f} -> ${t}`).toBeTruthy();
    expect(c === 'allowed' ? true : c === 'denied' ? false : null).toBe(w[2]);
  }
  // Short names under their namespace.
  await expect(page.locator('#matrix th.ns-col', { hasText: 'webapp-balanced' })).toHaveCount(1);
  await expect(page.locator('#matrix tbody th[scope="row"]').first()).not.toContainText('/');
  // A cell opens the Query tab on one of its pods.
  await page.locator('#matrix td.cell.deny button').first().click();
  await expect(page.locator('#tab-query')).toHaveAttribute('aria-selected', 'true');
  await expect(page.locator('#verdict')).toHaveAttribute('data-verdict', 'denied');
  // Pods on demand.
  await page.locator('#tab-matrix').click();
  await page.locator('#matrix-pods').check();
  await expect(page.locator('#matrix')).toHaveAttribute('data-by', 'pod');
  const pods = cli(['matrix', '--port', '80', '--format', 'json'], await editorText(page));
  await expect(page.locator('#matrix tbody tr')).toHaveCount(pods.endpoints.length);
});

// Screenshots of seed steps 1, 4, 9 and 12: light and dark, English and Spanish.
for (const step of ['seed/01-default-allow-all', 'seed/04-from-podselector-app-utils', 'seed/09-deny-all-ingress-503', 'seed/12-egress-allow-dns-and-webapp']) {
  for (const lang of ['en', 'es']) {
    test(`screenshot graph ${step} (${lang}, light and dark)`, async ({ page }) => {
      for (const theme of ['light', 'dark']) {
        await openClean(page, { theme, lang, example: step });
        await openGraph(page);
        const name = `graph-${step.replace('seed/', '').slice(0, 2)}-${theme}-${lang}.png`;
        await page.screenshot({ path: path.join(OUT, name) });
        await page.locator('#graph').screenshot({ path: path.join(OUT, `graph-only-${step.replace('seed/', '').slice(0, 2)}-${theme}-${lang}.png`) });
      }
    });
  }
}
