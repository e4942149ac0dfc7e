// Firefox ESR: Debian's /usr/bin/firefox-esr through puppeteer-core 24 over WebDriver BiDi
// (puppeteer-core, not puppeteer: nothing downloads a browser; 25.x needs Node 22). Every
// session launches its own Firefox with a fresh profile, because the colour scheme and the
// download folder are preferences fixed at launch (BiDi has no media emulation here).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { installRecorders } from './common.mjs';

const executable = process.env.FIREFOX || '/usr/bin/firefox-esr';

export function missing() {
  return existsSync(executable) ? null : `${executable} not found (Debian package firefox-esr)`;
}

function launch(prefs) {
  return import('puppeteer-core').then(({ default: puppeteer }) =>
    puppeteer.launch({ browser: 'firefox', executablePath: executable, headless: true, extraPrefsFirefox: prefs }),
  );
}

export async function version() {
  return spawnSync(executable, ['--version'], { encoding: 'utf8' }).stdout.trim();
}

export async function shutdown() {}

export async function openSession({ colorScheme = 'light', viewport = { width: 1280, height: 900 } } = {}) {
  const downloadDir = mkdtempSync(path.join(os.tmpdir(), 'leakcheck-firefox-dl-'));
  const browser = await launch({
    // 0: dark, 1: light (what the page's prefers-color-scheme sees).
    'layout.css.prefers-color-scheme.content-override': colorScheme === 'dark' ? 0 : 1,
    // Save downloads to downloadDir without asking.
    'browser.download.folderList': 2,
    'browser.download.dir': downloadDir,
    'browser.download.useDownloadDir': true,
    'browser.download.always_ask_before_handling_new_types': false,
    'browser.helperApps.neverAsk.saveToDisk': 'application/dicom,application/zip,application/json,text/csv,text/plain,application/octet-stream',
  });
  const page = await browser.newPage();
  await page.setViewport(viewport);
  await page.evaluateOnNewDocument(installRecorders);
  const requests = [];
  const seen = new Map();
  page.on('request', (r) => {
    const record = { url: r.url(), method: r.method(), hasBody: r.hasPostData(), failure: null };
    seen.set(r, record);
    requests.push(record);
  });
  page.on('requestfailed', (r) => {
    if (seen.has(r)) seen.get(r).failure = (r.failure() && r.failure().errorText) || 'failed';
  });
  const errors = [];
  page.on('pageerror', (e) => errors.push(`uncaught: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  return {
    engine: 'firefox',
    downloadDir,
    requests,
    async goto(url) {
      await page.goto(url);
    },
    evaluate: (fn, arg) => page.evaluate(fn, arg),
    async setFiles(selector, paths) {
      const input = await page.$(selector);
      await input.uploadFile(...paths);
    },
    // The page draws the list's rows again as results arrive (once a second at most): a row
    // found just before that is detached by the time puppeteer scrolls to it, so it is found
    // again (Playwright's click, in Chromium, waits the same way).
    async click(selector) {
      for (let attempt = 1; ; attempt++) {
        try {
          return await page.click(selector);
        } catch (e) {
          if (attempt >= 5 || !/detached/i.test(e && e.message)) throw e;
        }
      }
    },
    press: (key) => page.keyboard.press(key),
    async wheel(selector, deltaY) {
      await page.hover(selector);
      await page.mouse.wheel({ deltaY });
    },
    setViewport: (size) => page.setViewport(size),
    screenshot: (file) => page.screenshot({ path: file, fullPage: true }),
    async consoleErrors() {
      return errors;
    },
    async close() {
      await browser.close();
    },
  };
}
