// WebKitGTK: Debian's WebKitWebDriver (package webkit2gtk-driver) driving MiniBrowser, through
// selenium-webdriver 4 (usingServer: selenium never looks for or downloads a driver itself).
// WebKitGTK has no headless mode: one Xvfb (package xvfb) is started for the run, tall enough
// for whole-page screenshots (the session makes the window as tall as the page for them); an
// existing DISPLAY is used only when there is no Xvfb. Every session starts its own WebKitWebDriver with HOME set to a fresh folder,
// since that is where MiniBrowser saves downloads.
//
// What this driver cannot do, and what stands in for it:
// - no WebDriver BiDi in WebKitGTK 2.50: no request events (session.requests is null; the
//   served page's requests are recorded by the tests' proxy, attempts at other origins by the
//   sink server and the page's CSP violation events), no console events and no script that runs
//   before the page's own: the recorders are put in right after the page has loaded (and
//   MiniBrowser ignores --enable-write-console-messages-to-stdout under --automation);
// - no colour-scheme emulation: MiniBrowser's --dark-mode, so a session is light or dark;
// - the window cannot be narrower than MiniBrowser allows (about 450 CSS px of page).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { installRecorders, sleep } from './common.mjs';

const driverBinary = process.env.WEBKIT_WEBDRIVER || '/usr/bin/WebKitWebDriver';
const miniBrowser = process.env.WEBKIT_MINIBROWSER || `/usr/lib/${process.arch === 'arm64' ? 'aarch64' : 'x86_64'}-linux-gnu/webkit2gtk-4.1/MiniBrowser`;
const xvfb = '/usr/bin/Xvfb';

// The tallest window (CSS px) a screenshot makes; the Xvfb screen is a little taller.
const MAX_SHOT_HEIGHT = 4000;
let display = null;
let xvfbProcess = null;

export function missing() {
  if (!existsSync(driverBinary)) return `${driverBinary} not found (Debian package webkit2gtk-driver)`;
  if (!existsSync(miniBrowser)) return `${miniBrowser} not found (Debian package webkit2gtk-driver brings it)`;
  if (!process.env.DISPLAY && !existsSync(xvfb)) return 'no DISPLAY and no Xvfb (Debian package xvfb)';
  return null;
}

// An X display for MiniBrowser: an Xvfb of our own, else DISPLAY.
async function ensureDisplay() {
  if (display) return display;
  if (!existsSync(xvfb)) return (display = process.env.DISPLAY);
  xvfbProcess = spawn(xvfb, ['-displayfd', '3', '-screen', '0', `1600x${MAX_SHOT_HEIGHT + 200}x24`, '-nolisten', 'tcp'], { stdio: ['ignore', 'ignore', 'ignore', 'pipe'] });
  display = await new Promise((resolve, reject) => {
    let out = '';
    xvfbProcess.stdio[3].on('data', (chunk) => {
      out += chunk;
      if (out.includes('\n')) resolve(`:${out.trim()}`);
    });
    xvfbProcess.on('exit', (code) => reject(new Error(`Xvfb exited (${code})`)));
  });
  return display;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

async function startDriver(home) {
  const port = await freePort();
  const env = { ...process.env, HOME: home, DISPLAY: await ensureDisplay() };
  const log = [];
  const child = spawn(driverBinary, [`--port=${port}`], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const keep = (chunk) => log.push(String(chunk));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${url}/status`)).ok) return { url, child, log };
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null) break;
    await sleep(100);
  }
  child.kill();
  throw new Error(`WebKitWebDriver did not start: ${log.join('')}`);
}

// WebKitGTK's version is not in its user agent (which names Safari's): Debian's package says it.
export async function version() {
  const run = spawnSync('dpkg-query', ['-W', '-f', '${Version}', 'webkit2gtk-driver'], { encoding: 'utf8' });
  return run.status === 0 ? `WebKitGTK ${run.stdout.trim()}` : 'WebKitGTK (version unknown)';
}

export async function shutdown() {
  if (xvfbProcess) {
    xvfbProcess.kill();
    xvfbProcess = null;
    display = null;
  }
}

export async function openSession({ colorScheme = 'light', viewport = { width: 1280, height: 900 } } = {}) {
  const { Builder, By } = await import('selenium-webdriver');
  const downloadDir = mkdtempSync(path.join(os.tmpdir(), 'leakcheck-webkit-dl-'));
  const driverProcess = await startDriver(downloadDir);
  const capabilities = {
    browserName: 'MiniBrowser',
    'webkitgtk:browserOptions': { binary: miniBrowser, args: ['--automation', ...(colorScheme === 'dark' ? ['--dark-mode'] : [])] },
  };
  let driver;
  try {
    driver = await new Builder().usingServer(driverProcess.url).withCapabilities(capabilities).build();
  } catch (e) {
    driverProcess.child.kill();
    throw e;
  }
  // The window's outer size: the page gets what is left inside MiniBrowser's frame (its
  // toolbar), measured once.
  await driver.manage().window().setRect(viewport);
  const inner = await driver.executeScript('return [innerWidth, innerHeight]');
  const frame = { width: Math.max(0, viewport.width - inner[0]), height: Math.max(0, viewport.height - inner[1]) };
  let viewportNow = viewport;
  const setViewport = async ({ width, height }) => {
    await driver.manage().window().setRect({ width: width + frame.width, height: height + frame.height });
    viewportNow = { width, height };
  };
  await setViewport(viewport);
  // A function is called with `arg` (a returned promise is awaited by the driver); a string is
  // run as a script of its own.
  const evaluate = (fn, arg) => (typeof fn === 'string' ? driver.executeScript(fn) : driver.executeScript(`return (${fn})(arguments[0]);`, arg === undefined ? null : arg));
  return {
    engine: 'webkit',
    downloadDir,
    requests: null,
    async goto(url) {
      await driver.get(url);
      await evaluate(installRecorders);
    },
    evaluate,
    async setFiles(selector, paths) {
      // Selenium's file upload: the paths, one per line, typed into the input.
      await driver.findElement(By.css(selector)).sendKeys(paths.join('\n'));
    },
    // The page draws the list's rows again as results arrive: a row found just before that is
    // stale, so it is found again (as firefox.mjs does; Playwright's click waits the same way).
    async click(selector) {
      for (let attempt = 1; ; attempt++) {
        try {
          const element = await driver.findElement(By.css(selector));
          await driver.executeScript('arguments[0].scrollIntoView({block: "center"})', element);
          await element.click();
          return;
        } catch (e) {
          if (attempt >= 5 || !(e && e.name === 'StaleElementReferenceError')) throw e;
        }
      }
    },
    async press(key) {
      const { Key } = await import('selenium-webdriver');
      const named = { ArrowDown: Key.ARROW_DOWN, ArrowUp: Key.ARROW_UP, ArrowLeft: Key.ARROW_LEFT, ArrowRight: Key.ARROW_RIGHT, End: Key.END, Home: Key.HOME, Enter: Key.ENTER, Tab: Key.TAB, PageDown: Key.PAGE_DOWN, PageUp: Key.PAGE_UP, ' ': Key.SPACE };
      await driver.actions().sendKeys(named[key] || key).perform();
    },
    // WebKitWebDriver 2.50 accepts W3C "wheel" actions, but no wheel event reaches the page
    // (tried: the action performs, the page's listener sees nothing). A WheelEvent is
    // dispatched on the element instead, which runs the same handler.
    async wheel(selector, deltaY) {
      await evaluate(
        ([sel, dy]) => {
          const el = document.querySelector(sel);
          const r = el.getBoundingClientRect();
          el.dispatchEvent(new WheelEvent('wheel', { deltaY: dy, deltaMode: 0, bubbles: true, cancelable: true, clientX: r.left + r.width / 2, clientY: r.top + r.height / 2 }));
        },
        [selector, deltaY],
      );
    },
    setViewport,
    // WebDriver's screenshot is of the viewport: the window is made as tall as the page
    // (up to MAX_SHOT_HEIGHT) for it, then given its size back.
    async screenshot(file) {
      const height = await evaluate(() => document.documentElement.scrollHeight);
      const tall = Math.min(MAX_SHOT_HEIGHT, height) > viewportNow.height;
      const before = viewportNow;
      if (tall) {
        await setViewport({ width: before.width, height: Math.min(MAX_SHOT_HEIGHT, height) });
        await evaluate(() => window.scrollTo(0, 0));
      }
      writeFileSync(file, Buffer.from(await driver.takeScreenshot(), 'base64'));
      if (tall) await setViewport(before);
    },
    async consoleErrors() {
      return (await evaluate(() => window.__consoleErrors || [])) || [];
    },
    async close() {
      try {
        await driver.quit();
      } finally {
        driverProcess.child.kill();
      }
    },
  };
}
