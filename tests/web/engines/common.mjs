// What the three engine adapters (chromium.mjs, firefox.mjs, webkit.mjs) share. A session is one
// page in a fresh browser profile, driven through the same small interface whatever the engine:
//
//   session.engine                 'chromium' | 'firefox' | 'webkit'
//   session.goto(url)              navigate; the CSP-violation recorder is in place before the
//                                  page's scripts run where the driver can do that
//   session.evaluate(fn, arg)      fn(arg) in the page (fn must not use outer variables); awaited
//   session.setFiles(sel, paths)   files for an <input type=file>, as a user picking them
//   session.click(sel)             a real click (the driver's, not element.click())
//   session.press(key)             a real key press on the focused element ('ArrowDown',
//                                  'End', 'Enter', '2', …)
//   session.wheel(sel, deltaY)     the mouse wheel over an element (WebKit: see webkit.mjs)
//   session.setViewport({width, height})
//   session.screenshot(file)
//   session.requests               every request the driver reports ({url, method, hasBody,
//                                  failure}: the driver's reason when it failed), or null when
//                                  this engine's driver reports none (WebKit)
//   session.consoleErrors()        console errors and uncaught errors the driver or the page saw
//   session.downloadDir            where this session's downloads land
//   session.close()
//
// and these helpers, written once against that interface.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

// Put in the page before its own scripts where the driver allows it: records every
// Content-Security-Policy violation (the only trace of a request that CSP blocked: such a
// request never reaches the network, so no driver reports it), and console errors and uncaught
// errors for drivers that do not report them.
export function installRecorders() {
  if (window.__violations) return;
  window.__violations = [];
  window.__consoleErrors = [];
  document.addEventListener('securitypolicyviolation', (e) => {
    window.__violations.push({ blockedURI: e.blockedURI, directive: e.effectiveDirective || e.violatedDirective, disposition: e.disposition });
  });
  window.addEventListener('error', (e) => window.__consoleErrors.push(`uncaught: ${e.message}`));
  window.addEventListener('unhandledrejection', (e) => window.__consoleErrors.push(`unhandled rejection: ${e.reason && e.reason.message ? e.reason.message : e.reason}`));
  const original = console.error;
  console.error = (...args) => {
    window.__consoleErrors.push(args.map(String).join(' '));
    original.apply(console, args);
  };
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Waits until fn(arg), run in the page, returns something truthy; returns it.
export async function waitFor(session, fn, arg, { timeout = 60000, what = 'the page' } = {}) {
  const until = Date.now() + timeout;
  let last;
  for (;;) {
    last = await session.evaluate(fn, arg);
    if (last) return last;
    if (Date.now() > until) throw new Error(`${session.engine}: timed out after ${timeout} ms waiting for ${what}`);
    await sleep(100);
  }
}

export function textOf(session, selector) {
  return session.evaluate((sel) => {
    const el = document.querySelector(sel);
    return el ? el.textContent : null;
  }, selector);
}

// Names browsers give a download while it is being written.
const PARTIAL = /\.(part|crdownload|download|wkdownload|tmp)$/i;

// Waits for a download named `name` to be complete in the session's download folder (the
// browser writes it under a temporary name or grows it: its size must hold still);
// returns its bytes.
export async function waitForDownload(session, name, timeout = 60000) {
  const file = path.join(session.downloadDir, name);
  const until = Date.now() + timeout;
  let lastSize = -1;
  for (;;) {
    const partial = readdirSync(session.downloadDir).some((f) => f !== name && f.startsWith(name.replace(/\.[^.]*$/, '')) && PARTIAL.test(f));
    if (existsSync(file) && !partial) {
      const size = statSync(file).size;
      if (size > 0 && size === lastSize) return new Uint8Array(readFileSync(file));
      lastSize = size;
    }
    if (Date.now() > until) {
      throw new Error(`${session.engine}: no complete download ${name} after ${timeout} ms (folder: ${readdirSync(session.downloadDir).join(', ') || 'empty'})`);
    }
    await sleep(250);
  }
}
