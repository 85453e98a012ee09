// Playwright for the playground's end-to-end tests (tests/e2e). Debian's chromium, no
// browser download; the release build in dist/ is served by a local static server.
const { defineConfig } = require('@playwright/test');
const path = require('path');

const PORT = Number(process.env.E2E_PORT || 8137);
const root = path.resolve(__dirname, '..');
// The directory served: dist/ (scripts/test-web.sh), dist-bench/ (scripts/bench-web.sh).
const DIST = path.join(root, process.env.E2E_DIST || 'dist');

module.exports = defineConfig({
  testDir: path.join(root, 'tests/e2e'),
  outputDir: path.join(root, 'tests/e2e/output/results'),
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${PORT}/`,
    viewport: { width: 1440, height: 900 },
    launchOptions: {
      executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
      args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
  },
  webServer: {
    command: `python3 -m http.server ${PORT} --bind 127.0.0.1 --directory ${DIST}`,
    url: `http://127.0.0.1:${PORT}/index.html`,
    reuseExistingServer: false,
    timeout: 20_000,
    stdout: 'ignore',
    stderr: 'ignore',
  },
});
