// Chromium: Debian's /usr/bin/chromium through playwright-core (never a downloaded browser).
// One browser for the whole run; every session is a fresh context (its own profile).
import { existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CHROMIUM_ARGS } from '../helpers.mjs';
import { installRecorders } from './common.mjs';

const executable = process.env.CHROMIUM || '/usr/bin/chromium';
let browser = null;

export function missing() {
  return existsSync(executable) ? null : `${executable} not found (Debian package chromium)`;
}

export async function version() {
  return (await launched()).version();
}

async function launched() {
  if (!browser) {
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: executable, args: CHROMIUM_ARGS });
  }
  return browser;
}

export async function shutdown() {
  if (browser) await browser.close();
  browser = null;
}

export async function openSession({ colorScheme = 'light', viewport = { width: 1280, height: 900 } } = {}) {
  const context = await (await launched()).newContext({ acceptDownloads: true, colorScheme, viewport, deviceScaleFactor: 1 });
  await context.addInitScript(installRecorders);
  const downloadDir = mkdtempSync(path.join(os.tmpdir(), 'leakcheck-chromium-dl-'));
  const requests = [];
  // Chromium reports a request that CSP then blocks (XHR, beacon) as a request that failed
  // with net::ERR_BLOCKED_BY_CSP: `failure` keeps that.
  const seen = new Map();
  context.on('request', (r) => {
    const record = { url: r.url(), method: r.method(), hasBody: Boolean(r.postDataBuffer()), failure: null };
    seen.set(r, record);
    requests.push(record);
  });
  context.on('requestfailed', (r) => {
    if (seen.has(r)) seen.get(r).failure = (r.failure() && r.failure().errorText) || 'failed';
  });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(`uncaught: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  // Downloads are saved where the other engines put theirs, under the name the page gave.
  const saving = [];
  page.on('download', (d) => saving.push(d.saveAs(path.join(downloadDir, d.suggestedFilename()))));
  return {
    engine: 'chromium',
    downloadDir,
    requests,
    async goto(url) {
      await page.goto(url);
    },
    evaluate: (fn, arg) => page.evaluate(fn, arg),
    setFiles: (selector, paths) => page.setInputFiles(selector, paths),
    click: (selector) => page.click(selector),
    press: (key) => page.keyboard.press(key),
    async wheel(selector, deltaY) {
      await page.hover(selector);
      await page.mouse.wheel(0, deltaY);
    },
    setViewport: (size) => page.setViewportSize(size),
    screenshot: (file) => page.screenshot({ path: file, fullPage: true }),
    async consoleErrors() {
      return errors;
    },
    async close() {
      await Promise.allSettled(saving);
      await context.close();
    },
  };
}
