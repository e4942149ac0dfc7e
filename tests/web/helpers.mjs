// Shared by the web tests: where things are, and small checks.
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import path from 'node:path';

export const repoRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');

// The built page (cargo xtask build-wasm); DIST_DIR overrides.
export function distDir() {
  const dir = process.env.DIST_DIR ? path.resolve(process.env.DIST_DIR) : path.join(repoRoot, 'dist');
  if (!existsSync(path.join(dir, 'pkg', 'dicom_leakcheck_bg.wasm'))) {
    throw new Error(`${dir} has no built page: run \`cargo xtask build-wasm\` (or scripts/test-web.sh) first`);
  }
  return pathToFileURL(dir + path.sep);
}

// Values of the sample's fake patient that must not survive cleaning.
export const IDENTIFYING = ['DOE', 'LC-12345', '19700101', 'ST. ELSEWHERE', '555-0100', 'HOUSE^GREGORY'];

export function leftovers(bytes) {
  const text = Buffer.from(bytes).toString('latin1');
  return IDENTIFYING.filter((value) => text.includes(value));
}

import { spawn, spawnSync } from 'node:child_process';
import http from 'node:http';
import { mkdirSync, mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import os from 'node:os';
import assert from 'node:assert/strict';

export const artifactsDir = path.join(process.env.ARTIFACTS || path.join(repoRoot, 'test-artifacts'), 'web');
mkdirSync(artifactsDir, { recursive: true });

// The wasm module (web build) loaded in Node, for making fixtures and checking outputs.
let moduleLoaded = null;
export async function loadWasm() {
  if (!moduleLoaded) {
    moduleLoaded = (async () => {
      const pkg = new URL('pkg/', distDir());
      const wasm = await import(new URL('dicom_leakcheck.js', pkg));
      await wasm.default({ module_or_path: readFileSync(new URL('dicom_leakcheck_bg.wasm', pkg)) });
      return wasm;
    })();
  }
  return moduleLoaded;
}

// Starts scripts/serve.mjs on a free port; resolves to {url, stop()}.
export function startServer() {
  const child = spawn(process.execPath, [path.join(repoRoot, 'scripts', 'serve.mjs'), new URL(distDir()).pathname], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', SERVE_EXIT_WITH_STDIN: '1' },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const m = out.match(/at (http:\/\/127\.0\.0\.1:\d+\/)/);
      if (m) resolve({ url: m[1], stop: () => child.kill() });
    });
    child.on('exit', (code) => reject(new Error(`serve.mjs exited (${code}): ${out}`)));
  });
}

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

// Debian's Chromium through playwright-core (never a downloaded browser). Playwright gives
// every launch a fresh temporary user-data-dir and deletes it on close.
export async function launchBrowser() {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
}

// A fresh context and page that record every request and every CSP violation.
export async function openPage(browser, url, contextOptions = {}) {
  const context = await browser.newContext({ acceptDownloads: true, ...contextOptions });
  await context.addInitScript(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__violations.push({ blockedURI: e.blockedURI, directive: e.effectiveDirective || e.violatedDirective, disposition: e.disposition });
    });
  });
  const requests = [];
  context.on('request', (r) => requests.push({ url: r.url(), method: r.method(), body: r.postData() }));
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);
  await page.waitForFunction(() => document.body.dataset.ready, null, { timeout: 30000 });
  assert.equal(await page.getAttribute('body', 'data-ready'), 'true', 'the checker started');
  return { context, page, requests, errors };
}

// Nothing went to another origin and nothing carried a body (an upload).
export function assertLocalOnly(requests, pageUrl) {
  const allowed = new URL(pageUrl).protocol === 'file:' ? null : new URL(pageUrl).origin;
  for (const r of requests) {
    const u = new URL(r.url);
    const local = ['blob:', 'data:'].includes(u.protocol) || (allowed ? u.origin === allowed : u.protocol === 'file:');
    assert.ok(local, `request to another origin: ${r.url}`);
    assert.equal(r.method, 'GET', `${r.method} ${r.url}`);
    assert.ok(!r.body, `request with a body: ${r.url}`);
  }
}

// An upload attempted from the page (and from its worker) is blocked by the CSP.
export async function assertUploadBlocked(page) {
  const attempt = async () => {
    try {
      await fetch('https://example.invalid/upload', { method: 'POST', body: 'x' });
      return 'sent';
    } catch (e) {
      return `blocked: ${e.message}`;
    }
  };
  const fromPage = await page.evaluate(attempt);
  assert.match(fromPage, /^blocked/, 'fetch from the page');
  const violations = await page.evaluate(() => window.__violations);
  assert.ok(
    violations.some((v) => v.blockedURI.includes('example.invalid') && v.directive === 'connect-src'),
    `a connect-src violation was reported: ${JSON.stringify(violations)}`,
  );
  for (const worker of page.workers()) {
    assert.match(await worker.evaluate(attempt), /^blocked/, 'fetch from the worker');
  }
  return violations;
}

// No Content-Security-Policy violation other than the injected upload attempts.
export async function assertNoViolations(page) {
  const violations = await page.evaluate(() => window.__violations);
  assert.deepEqual(violations.filter((v) => !v.blockedURI.includes('example.invalid')), [], 'CSP violations');
}

export function shot(page, name, fullPage = true) {
  return page.screenshot({ path: path.join(artifactsDir, `${name}.png`), fullPage });
}

// Waits until `n` files are listed and no batch runs; returns {path: status} of the rows on
// the list's page (the first 200 files). The list is switched to one row per file (copies of
// the sample would otherwise form a series) unless `grouped`.
export async function waitForFiles(page, n, timeout = 60000, { grouped = false } = {}) {
  await page.waitForFunction(
    (n) => {
      const list = document.getElementById('file-list');
      const counts = JSON.parse(list.dataset.counts || '{}');
      return Number(list.dataset.total) === n && !document.body.classList.contains('busy') && !counts.queued;
    },
    n,
    { timeout },
  );
  if (!grouped) {
    await page.evaluate(() => {
      const view = document.getElementById('list-filter');
      if (view.value === 'files') return;
      view.value = 'files';
      view.dispatchEvent(new Event('change'));
    });
  }
  return page.$$eval('#file-list .file-row', (rows) =>
    Object.fromEntries(rows.map((r) => [r.querySelector('.file-name').textContent, r.dataset.status])),
  );
}

// How many files have each status, over the whole list.
export function statusCounts(page) {
  return page.$eval('#file-list', (list) => JSON.parse(list.dataset.counts || '{}'));
}

export function tempDir(prefix) {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

// The native CLI when built (scripts/test.sh builds it), else null.
export function nativeCli() {
  const cli = process.env.LEAKCHECK_CLI || path.join(repoRoot, 'target', 'release', 'dicom-leakcheck');
  return existsSync(cli) ? cli : null;
}

// A de-identified file: no identifying value in its bytes, and nothing flagged when it is
// inspected again, by the native CLI when there is one, else by the wasm module in Node.
export async function assertNoPatientInfo(bytes, label) {
  assert.deepEqual(leftovers(bytes), [], `${label}: identifying values left in the bytes`);
  const cli = nativeCli();
  let summary;
  let findings;
  if (cli) {
    const dir = tempDir('leakcheck-out-');
    const file = path.join(dir, 'out.dcm');
    writeFileSync(file, bytes);
    const run = spawnSync(cli, ['inspect', '--json', file], { encoding: 'utf8' });
    assert.ok(run.stdout, `${label}: the CLI printed nothing (${run.status}): ${run.stderr}`);
    const json = JSON.parse(run.stdout);
    assert.equal(json.files[0].ok, true, `${label}: the CLI could not read it`);
    ({ summary, findings } = json.files[0]);
  } else {
    const wasm = await loadWasm();
    const report = wasm.inspect(bytes, []);
    summary = report.summary;
    findings = report.elements.filter((e) => e.flagged);
  }
  assert.equal(summary.flagged, 0, `${label}: still flagged: ${JSON.stringify(findings)}`);
  assert.equal(summary.says_deidentified, true, `${label}: Patient Identity Removed is set`);
  return cli ? 'native CLI' : 'wasm in Node';
}

// A proxy in front of a server that records every request reaching it ({url, method, bodyBytes}):
// what the served page asked its own origin for, whatever the engine's driver reports.
export function startRecordingProxy(target) {
  const requests = [];
  const upstream = new URL(target);
  const server = http.createServer((req, res) => {
    let bodyBytes = 0;
    req.on('data', (chunk) => (bodyBytes += chunk.length));
    req.on('end', () => {
      requests.push({ url: new URL(req.url, `http://${req.headers.host}`).href, method: req.method, bodyBytes });
      const forward = http.request({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode, answer.headers);
        answer.pipe(res);
      });
      forward.on('error', (e) => {
        res.writeHead(502);
        res.end(String(e));
      });
      forward.end();
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${server.address().port}/`, requests, stop: () => server.close() }));
  });
}

// "Another origin" for upload attempts: a server on another port of this machine that records
// anything that reaches it (nothing should) and would accept it (so a leak would succeed
// visibly instead of failing for want of a network).
export function startSink() {
  const hits = [];
  const server = http.createServer((req, res) => {
    hits.push({ url: req.url, method: req.method });
    res.writeHead(200, { 'Access-Control-Allow-Origin': '*', 'Content-Type': 'text/plain' });
    res.end('received\n');
  });
  server.on('upgrade', (req, socket) => {
    hits.push({ url: req.url, method: 'websocket' });
    socket.destroy();
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve({ origin: `http://127.0.0.1:${server.address().port}`, hits, stop: () => server.close() }));
  });
}
