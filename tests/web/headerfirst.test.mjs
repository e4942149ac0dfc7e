// Header first, pixels second, in Chromium: each file's verdict comes from its header; the
// search of its pixels for burned-in text follows in the background, and the row and the
// open card are updated when that verdict arrives. Run by scripts/test-web.sh after the build.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, openPage, startServer, waitForFiles } from './helpers.mjs';

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  if (browser) await browser.close();
  if (server) server.stop();
});

test('the header verdicts come first; the pixel verdicts follow and update the list and the card', async () => {
  const { context, page, errors } = await openPage(browser, server.url);
  // What the list shows, in order, each time it changes: header verdicts and pixel states.
  await page.evaluate(() => {
    window.__seen = [];
    const list = document.getElementById('file-list');
    new MutationObserver(() => {
      for (const row of list.querySelectorAll('.file-row')) {
        const pixels = row.querySelector('[data-pixels]');
        window.__seen.push(`${row.querySelector('.file-name').textContent}|${row.dataset.status}|${pixels ? pixels.dataset.pixels : 'none'}`);
      }
    }).observe(list, { subtree: true, childList: true, attributes: true });
  });
  await page.click('#sample-us-btn');
  const status = await waitForFiles(page, 1);
  const [name] = Object.keys(status);
  assert.equal(status[name], 'leaks');
  // The ultrasound's banner is found in its pixels: the row says so, and so does the card.
  await page.waitForSelector('#file-list [data-pixels=high]', { timeout: 120000 });
  assert.match(await page.textContent('#file-list .file-row'), /text in the image/);
  const line = page.locator('[data-testid=pixel-verdict]');
  await page.waitForSelector('[data-testid=pixel-verdict][data-state=done]', { timeout: 120000 });
  // The page serves the text reader: the banner is read, and it names the patient.
  assert.match(await line.textContent(), /Text that identifies someone is written in the image: \d+ regions?; it is blacked out when cleaning \(risk high\)/);
  const seen = await page.evaluate(() => window.__seen);
  const states = [...new Set(seen.filter((s) => s.startsWith(`${name}|`)))];
  // Never a pixel verdict before the header verdict; a pending search before the verdict.
  const firstVerdict = states.findIndex((s) => s.includes('|leaks|'));
  const firstPixels = states.findIndex((s) => /\|(pending|high|medium|low)$/.test(s));
  assert.ok(firstVerdict >= 0 && firstPixels >= firstVerdict, states.join(' → '));
  assert.ok(states.some((s) => s.endsWith('|pending')), states.join(' → '));

  // A CT sample: no text found in its pixels; its row carries the verdict, but no pill.
  await page.click('#sample-btn');
  await waitForFiles(page, 2);
  await page.waitForFunction(() => {
    const marks = [...document.querySelectorAll('#file-list [data-pixels]')];
    return marks.length === 2 && marks.every((m) => m.dataset.pixels !== 'pending');
  }, null, { timeout: 60000 });
  const ct = await page.$$eval('#file-list .file-row', (rows) => rows.map((r) => r.querySelector('[data-pixels]')).filter((m) => m.hidden).map((m) => m.dataset.pixels));
  assert.equal(ct.length, 1, 'the CT has no pill');
  assert.match(ct[0], /^(low|medium)$/);
  assert.deepEqual(errors, []);
  await context.close();
});
