// The browser benchmark (issue 5): the criterion benches of crates/netpol/benches/engine.rs
// (load+index, one-port matrix, one query with its explanation, on `netpol::gen::cluster`
// at 1,000 and 5,000 pods) timed in WebAssembly in headless Chromium, and edit -> refreshed
// verdicts at seed size in the page. It reports medians (stdout and
// tests/e2e/output/bench.json) and asserts no timing. Runs only with BENCH=1, on a build
// with the `bench` feature: scripts/bench-web.sh.
const fs = require('fs');
const path = require('path');
const { test, expect } = require('@playwright/test');
const { OUT, openApp, chooseExample, installTypingProbe, readTypingProbe, paste, bigCluster } = require('./helpers');

test.skip(!process.env.BENCH, 'browser benchmark: scripts/bench-web.sh (BENCH=1, --features bench)');
test.setTimeout(20 * 60_000);

/** (pods, policies, namespaces): the criterion sizes. */
const SIZES = [[1000, 300, 30], [5000, 1000, 100]];
const DEBOUNCE_MS = 150; // web/src/components/app.rs: texts past 256 KiB
const SMALL_DEBOUNCE_MS = 0; // web/editor/main.js: up to 256 KiB, each change at once
const EXAMPLE = 'seed/14-conclusion-per-namespace';

const median = (v) => {
  const s = [...v].sort((a, b) => a - b);
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
};

test('browser benchmark (wasm, headless Chromium)', async ({ page, browser }) => {
  await openApp(page);
  await page.evaluate(() => localStorage.clear());
  const exported = await page.evaluate(async () => typeof (await import('/netpol-web.js')).bench);
  expect(exported, 'the page was built without --features bench (use scripts/bench-web.sh)').toBe('function');

  const report = { browser: `chromium ${browser.version()}`, date: new Date().toISOString(), engine: [], refresh: {} };
  for (const [pods, policies, namespaces] of SIZES) {
    const runs = pods >= 5000 ? 7 : 15;
    const r = JSON.parse(await page.evaluate(
      async ([a, b, c, d]) => (await import('/netpol-web.js')).bench(a, b, c, d),
      [pods, policies, namespaces, runs],
    ));
    report.engine.push(r);
    console.log(`wasm ${pods} pods (${r.endpoints} endpoints, ${policies} policies, ${(r.yaml_bytes / 1e6).toFixed(1)} MB YAML): ` +
      `load+index ${r.load_index_median_ms.toFixed(1)} ms, matrix ${r.matrix_median_ms.toFixed(1)} ms, ` +
      `query ${(r.query_median_ms * 1000).toFixed(1)} µs (medians of ${runs})`);
  }

  // Seed size: the work between the debounce and refreshed verdicts, in wasm...
  const compute = JSON.parse(await page.evaluate(
    async ([id, n]) => (await import('/netpol-web.js')).bench_refresh(id, n), [EXAMPLE, 30],
  ));
  report.refresh.compute = compute;
  // ...and in the page: an input event until the status says the results are fresh (the
  // whole re-render of the Lesson tab with every row run; a seed step is analysed without
  // a debounce). Timer lateness is included, so this is an upper bound.
  await chooseExample(page, EXAMPLE);
  const runButtons = page.locator('#rows button.run');
  for (let i = 0; i < await runButtons.count(); i++) await runButtons.nth(i).click();
  const page_ms = [];
  for (let i = 0; i < 15; i++) {
    const ms = await page.evaluate(() => new Promise((resolve) => {
      const view = netpolEditor.viewOf(document.getElementById('editor'));
      const st = document.getElementById('eval-status');
      let t0 = 0;
      const obs = new MutationObserver(() => {
        if (st.dataset.fresh === 'true') { obs.disconnect(); resolve(performance.now() - t0); }
      });
      obs.observe(st, { attributes: true, attributeFilter: ['data-fresh'] });
      // One edit at the end, as typing it would make (the editor reports it at once).
      const doc = view.state.doc;
      const change = doc.sliceString(doc.length - 2) === '#\n'
        ? { from: doc.length - 2, to: doc.length, insert: '' }
        : { from: doc.length, insert: '#\n' };
      t0 = performance.now();
      view.dispatch({ changes: change, userEvent: 'input' });
    }));
    page_ms.push(ms - SMALL_DEBOUNCE_MS);
    await page.waitForTimeout(50);
  }
  report.refresh.page = { example: EXAMPLE, debounce_ms: SMALL_DEBOUNCE_MS, after_debounce_median_ms: median(page_ms), after_debounce_ms: page_ms };
  console.log(`seed size (${EXAMPLE}, ${compute.rows} rows): load+lint+verdicts in wasm ${compute.refresh_compute_median_ms.toFixed(2)} ms; ` +
    `edit -> refreshed page ${median(page_ms).toFixed(1)} ms (${SMALL_DEBOUNCE_MS} ms debounce; medians)`);

  // Typing with 5,000 pods pasted (the analysis runs in the worker) against a bare
  // textarea holding the same text: keydown -> next frame, in the page; and the time from
  // the last keystroke to fresh verdicts (debounce + analysis in the worker + render).
  const KEYS = 40;
  const big = await page.evaluate(async () => (await import('/netpol-web.js')).gen_text(5000, 1000, 100));
  const typing = async (p, sel) => {
    await installTypingProbe(p);
    await p.locator(sel).focus();
    await p.keyboard.press('Control+End');
    for (let i = 0; i < KEYS; i++) await p.keyboard.type('x');
  };
  const t0paste = Date.now();
  await paste(page, big, 120_000);
  const pasteMs = Date.now() - t0paste;
  await page.locator('#tab-query').click();
  await expect(page.locator('#eval-status')).toHaveAttribute('data-fresh', 'true', { timeout: 120_000 });
  const keyToFresh = [];
  const workerMs = [];
  let pageLat = [];
  // The page's thread's own time (the worker is another thread), from Chromium's
  // cumulative task, script and layout+style durations: per round (40 keys and the
  // answers), and from the end of the typing to fresh verdicts (the debounce's request,
  // the answer and its render; Playwright's polling of the status is in it too).
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const metrics = async () => Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value * 1000]));
  const mainMs = { task: [], script: [], layout: [], lastTask: [], lastScript: [] };
  for (let round = 0; round < 3; round++) {
    const m0 = await metrics();
    await typing(page, '#editor');
    const m1 = await metrics();
    await expect(page.locator('#eval-status')).toHaveAttribute('data-fresh', 'true', { timeout: 120_000 });
    await page.waitForTimeout(100);
    const m2 = await metrics();
    mainMs.task.push(m2.TaskDuration - m0.TaskDuration);
    mainMs.script.push(m2.ScriptDuration - m0.ScriptDuration);
    mainMs.layout.push(m2.LayoutDuration + m2.RecalcStyleDuration - m0.LayoutDuration - m0.RecalcStyleDuration);
    mainMs.lastTask.push(m2.TaskDuration - m1.TaskDuration);
    mainMs.lastScript.push(m2.ScriptDuration - m1.ScriptDuration);
    const r = await readTypingProbe(page);
    pageLat = pageLat.concat(r.lat);
    keyToFresh.push(r.keyToFresh);
    // The worker's own part: load, index, lint, diagnostics (Base.millis).
    workerMs.push(Number(await page.locator('#eval-status').getAttribute('data-ms')));
  }
  const bare = await browser.newPage();
  await bare.setContent('<textarea id=t wrap=off style="width:600px;height:500px;white-space:pre;font-family:monospace;line-height:20px"></textarea>');
  await bare.locator('#t').evaluate((el, t) => { el.value = t; }, big);
  let bareLat = [];
  for (let round = 0; round < 3; round++) {
    await typing(bare, '#t');
    await bare.waitForTimeout(100);
    bareLat = bareLat.concat((await readTypingProbe(bare)).lat);
  }
  await bare.close();
  const p95 = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length * 0.95)];
  report.typing = {
    pods: 5000, yaml_bytes: big.length, keys: KEYS * 3, paste_to_fresh_ms: pasteMs,
    page_key_to_frame_median_ms: median(pageLat), page_key_to_frame_p95_ms: p95(pageLat),
    bare_key_to_frame_median_ms: median(bareLat), bare_key_to_frame_p95_ms: p95(bareLat),
    last_key_to_fresh_verdicts_ms: keyToFresh, last_key_to_fresh_verdicts_median_ms: median(keyToFresh),
    worker_analysis_ms: workerMs, worker_analysis_median_ms: median(workerMs),
    main_thread_task_ms_per_round: mainMs.task, main_thread_task_median_ms: median(mainMs.task),
    main_thread_script_median_ms: median(mainMs.script), main_thread_layout_style_median_ms: median(mainMs.layout),
    main_thread_typed_to_fresh_task_ms: mainMs.lastTask, main_thread_typed_to_fresh_task_median_ms: median(mainMs.lastTask),
    main_thread_typed_to_fresh_script_median_ms: median(mainMs.lastScript),
    debounce_ms: DEBOUNCE_MS,
  };
  console.log(`typing with 5000 pods (${(big.length / 1e6).toFixed(1)} MB): keydown -> next frame median ${median(pageLat).toFixed(1)} ms ` +
    `(p95 ${p95(pageLat).toFixed(1)}), a bare textarea ${median(bareLat).toFixed(1)} ms (p95 ${p95(bareLat).toFixed(1)}); ` +
    `last keystroke -> fresh verdicts ${median(keyToFresh).toFixed(0)} ms (median of 3, ${DEBOUNCE_MS} ms debounce included; the worker's analysis ${median(workerMs).toFixed(0)} ms); paste -> fresh ${pasteMs} ms; ` +
    `the page's thread per round of ${KEYS} keys: tasks ${median(mainMs.task).toFixed(0)} ms, script ${median(mainMs.script).toFixed(0)} ms, layout+style ${median(mainMs.layout).toFixed(0)} ms; from the end of the typing to fresh verdicts: tasks ${median(mainMs.lastTask).toFixed(0)} ms, script ${median(mainMs.lastScript).toFixed(0)} ms (medians of 3)`);

  fs.mkdirSync(OUT, { recursive: true });
  fs.writeFileSync(path.join(OUT, 'bench.json'), JSON.stringify(report, null, 2) + '\n');
  console.log(`written ${path.join(OUT, 'bench.json')}`);
});

// Issue 14's "a 16 MiB paste scrolls and types without stutter": 16 MiB of manifests
// (about 60,000 pods) pasted into the editor, then scrolled through (jumps and a wheel)
// and typed into at its end and in its middle, each keydown timed to the next frame on
// the page's thread. The analysis runs in the worker meanwhile (or says the text is past
// the page's limits); it is not waited for. Reported, not asserted: bench-16mib.json.
test('16 MiB paste: scrolling and typing in the editor (wasm, headless Chromium)', async ({ page }) => {
  await openApp(page);
  let pods = 60000;
  let text = bigCluster(pods);
  while (text.length < 16 * 1024 * 1024) {
    pods += 2000;
    text = bigCluster(pods);
  }
  const t0 = Date.now();
  await paste(page, text, 300_000);
  const pasteMs = Date.now() - t0;
  // Scrolling: jumps to 20 places, then 60 wheel steps, each to its next frame.
  const scroll = await page.evaluate(async () => {
    const v = netpolEditor.viewOf(document.getElementById('editor'));
    const frame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    const jumps = [];
    for (let i = 0; i < 20; i++) {
      const t = performance.now();
      v.scrollDOM.scrollTop = (v.scrollDOM.scrollHeight * i) / 20;
      await frame();
      jumps.push(performance.now() - t);
    }
    const wheel = [];
    for (let i = 0; i < 60; i++) {
      const t = performance.now();
      v.scrollDOM.scrollTop += 120;
      await frame();
      wheel.push(performance.now() - t);
    }
    return { jumps, wheel, lines: v.state.doc.lines };
  });
  const typeAt = async (where) => {
    await installTypingProbe(page);
    await page.evaluate((w) => {
      const v = netpolEditor.viewOf(document.getElementById('editor'));
      const pos = w === 'end' ? v.state.doc.length : v.state.doc.line(Math.floor(v.state.doc.lines / 2)).to;
      v.dispatch({ selection: { anchor: pos }, scrollIntoView: true });
      v.focus();
    }, where);
    for (let i = 0; i < 40; i++) await page.keyboard.type('x');
    await page.waitForTimeout(100);
    return (await readTypingProbe(page)).lat;
  };
  const atEnd = await typeAt('end');
  const inMiddle = await typeAt('middle');
  const p95 = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length * 0.95)];
  const max = (v) => Math.max(...v);
  const r = {
    bytes: text.length, pods, lines: scroll.lines, paste_ms: pasteMs,
    scroll_jump_frame_median_ms: median(scroll.jumps), scroll_jump_frame_max_ms: max(scroll.jumps),
    scroll_wheel_frame_median_ms: median(scroll.wheel), scroll_wheel_frame_p95_ms: p95(scroll.wheel),
    type_end_key_to_frame_median_ms: median(atEnd), type_end_key_to_frame_p95_ms: p95(atEnd),
    type_middle_key_to_frame_median_ms: median(inMiddle), type_middle_key_to_frame_p95_ms: p95(inMiddle),
  };
  console.log(`16 MiB paste (${(text.length / 1048576).toFixed(1)} MiB, ${pods} pods, ${scroll.lines} lines): paste ${pasteMs} ms; ` +
    `scroll jump to next frame median ${r.scroll_jump_frame_median_ms.toFixed(1)} ms (max ${r.scroll_jump_frame_max_ms.toFixed(1)}), ` +
    `wheel step median ${r.scroll_wheel_frame_median_ms.toFixed(1)} ms (p95 ${r.scroll_wheel_frame_p95_ms.toFixed(1)}); ` +
    `typing at the end: keydown -> next frame median ${r.type_end_key_to_frame_median_ms.toFixed(1)} ms (p95 ${r.type_end_key_to_frame_p95_ms.toFixed(1)}), ` +
    `in the middle ${r.type_middle_key_to_frame_median_ms.toFixed(1)} ms (p95 ${r.type_middle_key_to_frame_p95_ms.toFixed(1)})`);
  fs.mkdirSync(OUT, { recursive: true });
  fs.writeFileSync(path.join(OUT, 'bench-16mib.json'), JSON.stringify(r, null, 2) + '\n');
});

// The Graph tab's work (web/src/analyzer/graph_layout/: the workload view's edges and the dagre
// layout) at 50, 500 and 5,000 pods in workloads of 3 (netpol::group::gen): the whole
// view within the page's limits (300 workloads, 500 edges; past them it answers "too
// big" at once), one namespace, and the whole view laid out past the limits. Reported,
// never asserted: tests/e2e/output/bench-graph.json.
test('graph layout benchmark (wasm, headless Chromium)', async ({ page }) => {
  await openApp(page);
  // The benchmark runs on the page's thread: import dagre and its adapter as the worker
  // does (web/worker.js), or the plain-grid stand-in would be timed.
  await page.evaluate(async () => { self.netpolLayout = (await import('/netpol-graph.js')).layout; });
  expect(await page.evaluate(() => typeof self.netpolLayout)).toBe('function');
  const rows = [];
  for (const [pods, policies, namespaces] of [[50, 15, 5], [500, 150, 15], [5000, 1000, 100]]) {
    const runs = pods >= 5000 ? 3 : 7;
    const r = JSON.parse(await page.evaluate(
      async ([a, b, c, d]) => (await import('/netpol-web.js')).bench_graph(a, b, c, 3, 100, d),
      [pods, policies, namespaces, runs],
    ));
    rows.push(r);
    const fmt = (c) => (c ? `${c.too_big ? 'too big' : `${c.nodes} nodes, ${c.edges} edges`}: total ${c.total_median_ms.toFixed(1)} ms, layout ${c.layout_median_ms.toFixed(1)} ms` : 'skipped');
    console.log(`graph ${pods} pods (${r.groups} groups): page [${fmt(r.page)}]; one namespace [${fmt(r.namespace)}]; unlimited [${fmt(r.unlimited)}]`);
  }
  fs.mkdirSync(OUT, { recursive: true });
  fs.writeFileSync(path.join(OUT, 'bench-graph.json'), JSON.stringify(rows, null, 2) + '\n');
});

/** Adds a CPU profile's self and total time per function (ms) to the maps; its sampled
 *  time. A wasm frame's name is a demangled Rust path with its hash: the path is kept. */
function addProfile(profile, self, total) {
  const short = (n) => n.replace(/::h[0-9a-f]{16}$/, '');
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children || []) parent.set(c, n.id);
  const deltas = profile.timeDeltas || [];
  const name = (n) => short(n.callFrame.functionName || `(anonymous ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber})`);
  let sampled = 0;
  profile.samples.forEach((id, k) => {
    const dt = (deltas[k + 1] ?? 0) / 1000; // the time until the next sample, ms
    const leaf = byId.get(id);
    self.set(name(leaf), (self.get(name(leaf)) || 0) + dt);
    sampled += dt;
    const seen = new Set();
    for (let at = id; at !== undefined; at = parent.get(at)) {
      const nm = name(byId.get(at));
      if (seen.has(nm)) continue;
      seen.add(nm);
      total.set(nm, (total.get(nm) || 0) + dt);
    }
  });
  return sampled;
}

// Issue 17: where the page's own thread spends the time from the last keystroke to fresh
// verdicts, by function, at 5,000 pods (the typing benchmark's cluster). Each round types
// one key under a CPU profile of the page (Chrome DevTools Protocol, the main thread
// only: the worker is another target) until the results are fresh. Meant for a build
// whose .wasm keeps its function names (BENCHMARKS.md, "Profiling the page's thread");
// with BENCH_PROFILE=1 only. Reported, never asserted: tests/e2e/output/bench-profile.json.
test('typing profile (main thread, CDP)', async ({ page }) => {
  test.skip(!process.env.BENCH_PROFILE, 'BENCH_PROFILE=1 on a build that keeps names');
  await openApp(page);
  await page.evaluate(() => localStorage.clear());
  const big = await page.evaluate(async () => (await import('/netpol-web.js')).gen_text(5000, 1000, 100));
  await paste(page, big, 120_000);
  await page.locator('#tab-query').click();
  const fresh = () => expect(page.locator('#eval-status')).toHaveAttribute('data-fresh', 'true', { timeout: 120_000 });
  await fresh();
  await page.locator('#editor').focus();
  await page.keyboard.press('Control+End');
  // Warm up: a few keys, as the benchmark types them.
  for (let i = 0; i < 5; i++) await page.keyboard.type('x');
  await fresh();
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  const ROUNDS = Number(process.env.BENCH_PROFILE_ROUNDS || 10);
  const self = new Map();
  const total = new Map();
  let sampled = 0;
  const wall = [];
  for (let round = 0; round < ROUNDS; round++) {
    await installTypingProbe(page);
    // Waited for in the page (Playwright's polling of the attribute would be profiled).
    await page.evaluate(() => {
      const st = document.getElementById('eval-status');
      const rev = st.dataset.revision;
      window.__fresh = new Promise((resolve) => {
        const obs = new MutationObserver(() => {
          if (st.dataset.fresh === 'true' && st.dataset.revision !== rev) { obs.disconnect(); resolve(); }
        });
        obs.observe(st, { attributes: true });
      });
    });
    await cdp.send('Profiler.start');
    await page.keyboard.type('x');
    await page.evaluate(() => window.__fresh);
    await page.waitForTimeout(50);
    const { profile } = await cdp.send('Profiler.stop');
    wall.push((await readTypingProbe(page)).keyToFresh);
    sampled += addProfile(profile, self, total);
    fs.mkdirSync(OUT, { recursive: true });
    fs.writeFileSync(path.join(OUT, `typing-${round}.cpuprofile`), JSON.stringify(profile));
  }
  const per = (m) => [...m].map(([k, v]) => [k, +(v / ROUNDS).toFixed(2)]).sort((a, b) => b[1] - a[1]).slice(0, 40);
  const r = {
    rounds: ROUNDS, sampled_ms_per_round: +(sampled / ROUNDS).toFixed(1),
    key_to_fresh_ms: wall, key_to_fresh_median_ms: median(wall),
    self_ms_per_round: per(self), total_ms_per_round: per(total),
  };
  console.log(`typing profile: ${ROUNDS} rounds, key -> fresh median ${median(wall).toFixed(0)} ms`);
  console.log('self ms/round:\n' + r.self_ms_per_round.slice(0, 25).map(([k, v]) => `  ${v.toFixed(2).padStart(7)}  ${k}`).join('\n'));
  console.log('total ms/round:\n' + r.total_ms_per_round.slice(0, 40).map(([k, v]) => `  ${v.toFixed(2).padStart(7)}  ${k}`).join('\n'));
  fs.mkdirSync(OUT, { recursive: true });
  fs.writeFileSync(path.join(OUT, 'bench-profile.json'), JSON.stringify(r, null, 2) + '\n');
});

// Issue 17: where the page's thread spends the time from pasting the 5,000-pod text
// (2.0 MB) to fresh verdicts (the target is 1 s). One paste under a CPU profile of the
// page (the worker is another thread: its time shows as waiting). BENCH_PROFILE=1 only;
// reported, never asserted: tests/e2e/output/bench-paste-profile.json.
test('paste profile (main thread, CDP)', async ({ page }) => {
  test.skip(!process.env.BENCH_PROFILE, 'BENCH_PROFILE=1 on a build that keeps names');
  await openApp(page);
  await page.evaluate(() => localStorage.clear());
  const big = await page.evaluate(async () => (await import('/netpol-web.js')).gen_text(5000, 1000, 100));
  await page.locator('#tab-query').click();
  await expect(page.locator('#eval-status')).toHaveAttribute('data-fresh', 'true', { timeout: 60_000 });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  const t0 = Date.now();
  await paste(page, big, 120_000);
  const wall = Date.now() - t0;
  const { profile } = await cdp.send('Profiler.stop');
  const self = new Map();
  const total = new Map();
  const sampled = addProfile(profile, self, total);
  const top = (m) => [...m].map(([k, v]) => [k, +v.toFixed(1)]).sort((a, b) => b[1] - a[1]).slice(0, 40);
  const r = { paste_to_fresh_ms: wall, sampled_ms: +sampled.toFixed(1), self_ms: top(self), total_ms: top(total) };
  console.log(`paste profile: paste -> fresh ${wall} ms, sampled ${sampled.toFixed(0)} ms`);
  console.log('self ms:\n' + r.self_ms.slice(0, 25).map(([k, v]) => `  ${v.toFixed(1).padStart(8)}  ${k}`).join('\n'));
  console.log('total ms:\n' + r.total_ms.slice(0, 30).map(([k, v]) => `  ${v.toFixed(1).padStart(8)}  ${k}`).join('\n'));
  fs.mkdirSync(OUT, { recursive: true });
  fs.writeFileSync(path.join(OUT, 'bench-paste-profile.json'), JSON.stringify(r, null, 2) + '\n');
  fs.writeFileSync(path.join(OUT, 'paste.cpuprofile'), JSON.stringify(profile));
});

// Issue 17's rows: last keystroke -> fresh verdicts at 50, 500 and 5,000 pods (the Query
// tab open, a key typed at the end of the text, 5 rounds each: the worker's analysis
// `Base.millis` and the whole time the page saw), and the first paste of the 5,000-pod
// text in fresh browser contexts (a new worker, wasm compiled anew, 5 contexts). Reported
// in tests/e2e/output/bench-sizes.json, never asserted.
test('edit -> fresh verdicts by size, and the first paste (wasm, headless Chromium)', async ({ browser }) => {
  const report = { date: new Date().toISOString(), sizes: [], first_paste: [] };
  const gen = (page, [p, n, ns]) => page.evaluate(async ([a, b, c]) => (await import('/netpol-web.js')).gen_text(a, b, c), [p, n, ns]);
  const fresh = (page) => expect(page.locator('#eval-status')).toHaveAttribute('data-fresh', 'true', { timeout: 120_000 });
  for (const size of [[50, 10, 2], [500, 100, 10], [5000, 1000, 100]]) {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await openApp(page);
    const text = await gen(page, size);
    await paste(page, text, 120_000);
    await page.locator('#tab-query').click();
    await fresh(page);
    const keyToFresh = [];
    const worker = [];
    for (let round = 0; round < 6; round++) {
      await installTypingProbe(page);
      await page.locator('#editor').focus();
      await page.keyboard.press('Control+End');
      await page.keyboard.type(round % 2 ? '#' : '\n');
      await page.waitForFunction(() => window.__probe.freshAt > window.__probe.lastKey, null, { timeout: 120_000 });
      await fresh(page);
      const r = await readTypingProbe(page);
      if (round > 0) {
        keyToFresh.push(+r.keyToFresh.toFixed(1));
        worker.push(Number(await page.locator('#eval-status').getAttribute('data-ms')));
      }
    }
    const row = { pods: size[0], bytes: text.length, key_to_fresh_ms: keyToFresh, key_to_fresh_median_ms: median(keyToFresh), worker_ms: worker, worker_median_ms: median(worker) };
    report.sizes.push(row);
    console.log(`${size[0]} pods (${text.length} bytes): last key -> fresh verdicts median ${row.key_to_fresh_median_ms} ms, the worker's analysis ${row.worker_median_ms} ms`);
    await ctx.close();
  }
  let text = null;
  for (let i = 0; i < 5; i++) {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await openApp(page);
    text = text || await gen(page, [5000, 1000, 100]);
    await page.locator('#tab-query').click();
    await fresh(page);
    const t0 = Date.now();
    await paste(page, text, 120_000);
    report.first_paste.push({ paste_to_fresh_ms: Date.now() - t0, worker_ms: Number(await page.locator('#eval-status').getAttribute('data-ms')) });
    await ctx.close();
  }
  console.log(`first paste of 5,000 pods: ${JSON.stringify(report.first_paste)}; median ${median(report.first_paste.map((r) => r.paste_to_fresh_ms))} ms`);
  fs.mkdirSync(OUT, { recursive: true });
  fs.writeFileSync(path.join(OUT, 'bench-sizes.json'), JSON.stringify(report, null, 2) + '\n');
});
