// The image preview in headless Chromium: the ultrasound sample with burned-in text (canvas
// drawn, frames and cine, boxes found over the banner, a box drawn and one removed), window and
// level on the CT sample, phone width, and cleaning the pixels inside the boxes. Run by
// scripts/test-web.sh after `cargo xtask build-wasm`. Screenshots: test-artifacts/web/preview-*.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { artifactsDir, assertLocalOnly, assertNoViolations, distDir, launchBrowser, loadWasm, openPage, repoRoot, shot, startServer, tempDir, waitForFiles } from './helpers.mjs';

const US = 'sample-ultrasound-with-burned-in-text.dcm';
// Where the sample draws its patient banner (crates/core/src/sample/us.rs, US_BANNER): x, y, w, h.
const BANNER = { x: 8, y: 6, w: 520, h: 40 };
// Pixels the core blacks out around every box (crates/core/src/pixels/clean.rs, MARGIN).
const MARGIN = 3;
const STAGE = '#detail .pv-stage';
const CANVAS = '#detail [data-testid=preview-canvas]';
const corpusDir = path.join(process.env.LEAKCHECK_CORPUS || path.join(repoRoot, '.cache', 'corpus', 'pydicom-3.0.2'), 'test_files');
const corpus = existsSync(path.join(corpusDir, 'examples_overlay.dcm')) ? corpusDir : null;
const timings = {};
let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  if (browser) await browser.close();
  if (server) server.stop();
  writeFileSync(path.join(artifactsDir, 'preview-timings.json'), JSON.stringify(timings, null, 2) + '\n');
  console.log(`# preview timings: ${JSON.stringify(timings)}`);
});

async function download(page, action) {
  const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 60000 }), action()]);
  const file = path.join(tempDir('leakcheck-dl-'), dl.suggestedFilename());
  await dl.saveAs(file);
  return { name: dl.suggestedFilename(), bytes: new Uint8Array(readFileSync(file)) };
}

// A summary of the canvas's pixels: a hash, how many are not black, how many grey levels.
function canvasStats(page, selector = CANVAS) {
  return page.$eval(selector, (c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let hash = 0;
    let lit = 0;
    const levels = new Set();
    for (let i = 0; i < d.length; i += 4) {
      hash = (Math.imul(hash, 31) + d[i] * 65536 + d[i + 1] * 256 + d[i + 2]) >>> 0;
      if (d[i] || d[i + 1] || d[i + 2]) lit += 1;
      levels.add(d[i]);
    }
    return { width: c.width, height: c.height, hash, lit, levels: levels.size };
  });
}

async function loadSample(page, button, name) {
  const listed = Number((await page.getAttribute('#file-list', 'data-total')) || 0);
  await page.click(button);
  const files = await waitForFiles(page, listed + 1);
  assert.equal(files[name], 'leaks');
  await page.locator('#file-list .file-row', { hasText: name }).click();
  // (The ultrasound's card is ready once its banner has been read: the first read loads the
  // text reader, slow on a loaded 2-core machine.)
  await page.waitForSelector(`${STAGE}[data-ready=true]`, { timeout: 120000 });
  await page.$eval(STAGE, (s) => s.scrollIntoView({ block: 'center' }));
}

// The boxes drawn on the shown frame, in image pixels: [{source, key, x, y, w, h}].
function boxes(page) {
  return page.$$eval('#detail .pv-boxes .pv-box', (els) =>
    els.map((e) => ({ source: e.dataset.source, key: e.dataset.key, x: parseFloat(e.style.left), y: parseFloat(e.style.top), w: parseFloat(e.style.width), h: parseFloat(e.style.height) })),
  );
}

// Screen coordinates of an image pixel (the canvas is scaled and moved by a transform).
async function screenPoint(page, x, y) {
  const { r, width } = await page.$eval(CANVAS, (c) => ({ r: c.getBoundingClientRect().toJSON(), width: c.width }));
  const s = r.width / width;
  return { x: r.left + x * s, y: r.top + y * s };
}

async function drag(page, from, to) {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move((from.x + to.x) / 2, (from.y + to.y) / 2, { steps: 3 });
  await page.mouse.move(to.x, to.y, { steps: 3 });
  await page.mouse.up();
}

async function drawBox(page, b) {
  await page.click('#detail .pv-mode[data-mode=box]');
  const before = (await boxes(page)).length;
  await drag(page, await screenPoint(page, b.x, b.y), await screenPoint(page, b.x + b.w, b.y + b.h));
  await page.waitForFunction((n) => document.querySelectorAll('#detail .pv-boxes .pv-box').length === n + 1, before);
  return (await boxes(page)).filter((x) => x.source === 'user').pop();
}

// A box shows its × when hovered or focused.
async function removeBox(page, key) {
  const box = page.locator(`#detail .pv-box[data-key="${key}"]`);
  await box.hover();
  await box.locator('.pv-box-x').click();
}

const overlaps = (a, b) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

describe('image preview', () => {
  test('ultrasound sample: drawn, frames and cine, boxes over the banner, draw and remove a box', async () => {
    const { context, page, requests, errors } = await openPage(browser, server.url, { viewport: { width: 1280, height: 1000 } });
    await loadSample(page, '#sample-us-btn', US);
    const first = await canvasStats(page);
    assert.deepEqual([first.width, first.height], [640, 480]);
    assert.ok(first.lit > 640 * 480 * 0.2, `the canvas shows the image (${first.lit} lit pixels)`);
    assert.ok(first.levels > 50, `many grey levels (${first.levels})`);

    // Six frames: the slider moves to another frame, Play runs the loop.
    const slider = page.locator('#detail [data-testid=frame-slider]');
    assert.equal(await slider.getAttribute('max'), '6');
    await slider.fill('3');
    await page.waitForSelector(`${STAGE}[data-frame="2"]`);
    assert.notEqual((await canvasStats(page)).hash, first.hash, 'frame 3 differs from frame 1');
    timings.firstFrameCaption = await page.textContent('#detail .pv-caption');
    const t = Date.now();
    await page.click('#detail [data-testid=play]');
    await page.waitForFunction(() => document.querySelector('#detail .pv-stage').dataset.frame !== '2', null, { timeout: 10000 });
    await page.waitForTimeout(1500);
    await page.click('#detail [data-testid=play]');
    timings.playedMs = Date.now() - t;
    timings.framesSkippedWhilePlaying = Number((await page.getAttribute(STAGE, 'data-skipped')) || 0);
    await slider.fill('1');
    await page.waitForSelector(`${STAGE}[data-frame="0"]`);

    // The text finder's boxes (or the report's) cover the banner.
    await page.waitForFunction(() => Number(document.querySelector('#detail .pv-stage').dataset.boxes) > 0, null, { timeout: 30000 });
    const found = (await boxes(page)).filter((b) => b.source !== 'user');
    assert.ok(found.some((b) => overlaps(b, BANNER)), `a box over the banner: ${JSON.stringify(found)}`);
    await shot(page, 'preview-us-desktop');

    // Draw two boxes, remove the second with its ×.
    const kept = await drawBox(page, { x: 460, y: 420, w: 170, h: 50 });
    assert.ok(Math.abs(kept.x - 460) <= 3 && Math.abs(kept.w - 170) <= 4, `the box is where it was drawn: ${JSON.stringify(kept)}`);
    const extra = await drawBox(page, { x: 40, y: 300, w: 60, h: 40 });
    await removeBox(page, extra.key);
    const after = await boxes(page);
    assert.ok(!after.some((b) => b.key === extra.key), 'removed');
    assert.ok(after.some((b) => b.key === kept.key), 'the other is kept');
    // By keyboard: a focused box goes with Delete.
    const small = after.filter((b) => b.source !== 'user').sort((a, b) => b.y - a.y)[0];
    await page.focus(`#detail .pv-box[data-key="${small.key}"]`);
    await page.keyboard.press('Delete');
    assert.ok(!(await boxes(page)).some((b) => b.key === small.key), 'removed with Delete');
    // Boxes drawn for every frame are shown on the other frames too.
    await slider.fill('2');
    await page.waitForSelector(`${STAGE}[data-frame="1"]`);
    assert.ok((await boxes(page)).some((b) => b.key === kept.key));

    // Zoom: 1:1, wheel, fit.
    await page.getByRole('button', { name: '1:1' }).click();
    assert.match(await page.textContent('#detail .pv-zoom'), /^100%$/);
    const p = await screenPoint(page, 320, 240);
    await page.mouse.move(p.x, p.y);
    // On a loop the wheel goes through the frames; with Ctrl it zooms.
    await page.mouse.wheel(0, 120);
    await page.waitForSelector(`${STAGE}[data-frame="2"]`);
    assert.match(await page.textContent('#detail .pv-zoom'), /^100%$/, 'the wheel alone does not zoom a loop');
    await page.keyboard.down('Control');
    await page.mouse.wheel(0, -200);
    await page.keyboard.up('Control');
    assert.notEqual(await page.textContent('#detail .pv-zoom'), '100%');
    await page.getByRole('button', { name: 'Fit' }).click();
    await shot(page, 'preview-us-boxes', false);
    assertLocalOnly(requests, server.url);
    await assertNoViolations(page);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('CT sample: window/level drag changes the pixels, Reset restores them', async () => {
    const { context, page, errors } = await openPage(browser, server.url, { viewport: { width: 1280, height: 1000 } });
    await loadSample(page, '#sample-btn', 'sample-ct-with-fake-phi.dcm');
    const start = await canvasStats(page);
    assert.ok(start.lit > 0, 'not blank');
    const wl = await page.getAttribute(STAGE, 'data-wl');
    assert.equal(wl, '40/400', 'the file’s own window (0028,1050/1051)');
    assert.equal(await page.getAttribute('#detail .pv-mode[data-mode=wl]', 'aria-pressed'), 'true');
    const box = await page.$eval(STAGE, (s) => s.getBoundingClientRect().toJSON());
    const c = { x: box.left + box.width / 2, y: box.top + box.height / 2 };
    await drag(page, c, { x: c.x - 120, y: c.y + 60 });
    assert.notEqual(await page.getAttribute(STAGE, 'data-wl'), wl);
    assert.notEqual((await canvasStats(page)).hash, start.hash, 'the drag changed the pixels');
    await shot(page, 'preview-ct-window', false);
    await page.click('#detail [data-testid=preview-reset]');
    assert.equal(await page.getAttribute(STAGE, 'data-wl'), wl);
    assert.equal((await canvasStats(page)).hash, start.hash, 'Reset restores the pixels');
    // One frame: no slider.
    assert.equal(await page.locator('#detail [data-testid=frame-slider]').count(), 0);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('phone width, dark theme: the preview fits, no sideways scrolling', async () => {
    const { context, page, errors } = await openPage(browser, server.url, { viewport: { width: 390, height: 844 }, deviceScaleFactor: 1, colorScheme: 'dark' });
    await loadSample(page, '#sample-us-btn', US);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `no sideways scrolling (${overflow} px too wide)`);
    const stage = await page.$eval(STAGE, (s) => s.getBoundingClientRect().toJSON());
    const image = await page.$eval(CANVAS, (c) => c.getBoundingClientRect().toJSON());
    assert.ok(image.width <= stage.width + 1 && image.left >= stage.left - 1, 'the image fits the stage');
    await page.$eval('#detail .preview', (e) => e.scrollIntoView({ block: 'start' }));
    await shot(page, 'preview-us-phone', false);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('single-file build (file://): the ultrasound is drawn', async () => {
    const url = new URL('dicom-leakcheck.html', distDir()).href;
    const { context, page, requests, errors } = await openPage(browser, url, { viewport: { width: 1280, height: 1000 } });
    await loadSample(page, '#sample-us-btn', US);
    const stats = await canvasStats(page);
    assert.ok(stats.lit > 640 * 480 * 0.2, `the canvas shows the image (${stats.lit} lit pixels)`);
    assertLocalOnly(requests, url);
    await assertNoViolations(page);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('real files (pydicom corpus): an overlay plane drawn and hidden', { skip: corpus ? false : 'needs the corpus (scripts/fetch-corpus.sh)' }, async () => {
    const { context, page, errors } = await openPage(browser, server.url, { viewport: { width: 1280, height: 1000 } });
    await page.setInputFiles('#pick-files', [path.join(corpus, 'examples_overlay.dcm')]);
    await waitForFiles(page, 1);
    await page.locator('#file-list .file-row', { hasText: 'examples_overlay.dcm' }).click();
    await page.waitForSelector(`${STAGE}[data-ready=true]`);
    const overlay = '#detail .pv-overlay';
    assert.equal(await page.isVisible(overlay), true, 'the overlay plane is drawn');
    assert.ok((await canvasStats(page, overlay)).lit > 50, 'the overlay has set bits');
    await page.getByLabel(/Show the overlay plane/).uncheck();
    assert.equal(await page.isVisible(overlay), false, 'and can be hidden');
    await page.$eval(STAGE, (s) => s.scrollIntoView({ block: 'center' }));
    await page.getByLabel(/Show the overlay plane/).check();
    await shot(page, 'preview-overlay', false);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('an encoding that cannot be decoded shows the reason, not a broken canvas', async () => {
    const wasm = await loadWasm();
    // The CT sample with Bits Allocated (0028,0100) 12: packed 12-bit pixels, retired and not
    // decoded here. Explicit VR LE: tag, "US", length 2, value.
    const bytes = Buffer.from(wasm.sample());
    const at = bytes.indexOf(Buffer.from([0x28, 0x00, 0x00, 0x01, 0x55, 0x53, 0x02, 0x00, 0x10, 0x00]));
    assert.ok(at > 0);
    bytes[at + 8] = 12;
    const { context, page, errors } = await openPage(browser, server.url);
    await page.setInputFiles('#pick-files', { name: 'packed-12-bit.dcm', mimeType: 'application/dicom', buffer: bytes });
    await waitForFiles(page, 1);
    const message = page.locator('#detail [data-testid=preview-message]');
    await message.waitFor();
    assert.match(await message.textContent(), /Bits Allocated 12/);
    assert.equal(await page.locator('#detail [data-testid=preview-canvas]').count(), 0, 'no broken canvas');
    assert.deepEqual(errors, []);
    await context.close();
  });

  // Needs the integrated core: the report's burned_in part and deidentify(…, regions) with
  // the clean-pixel-data option offered by the page.
  test('burned-in risk high with reasons; cleaning blacks out the boxes and nothing else', async () => {
    const wasm = await loadWasm();
    const { context, page, requests, errors } = await openPage(browser, server.url, { viewport: { width: 1280, height: 1000 } });
    await page.click('#options-panel summary');
    const option = page.locator('#opt-clean-pixel-data');
    assert.equal(await option.isDisabled(), false, 'the page offers “Clean burned-in text” (clean-pixel-data)');
    await option.check();
    await loadSample(page, '#sample-us-btn', US);

    const risk = page.locator('#detail [data-testid=burned-in-risk]');
    assert.equal(await risk.getAttribute('data-risk'), 'high');
    assert.match(await risk.textContent(), /Risk of text burned into the image: High/);
    assert.ok((await risk.locator('.pv-reasons li').count()) > 0, 'reasons in plain words');

    await page.waitForFunction(() => Number(document.querySelector('#detail .pv-stage').dataset.boxes) > 0, null, { timeout: 30000 });
    const user = await drawBox(page, { x: 460, y: 420, w: 170, h: 50 });
    const gone = await drawBox(page, { x: 40, y: 300, w: 60, h: 40 });
    await removeBox(page, gone.key);
    const kept = await boxes(page);
    assert.ok(kept.some((b) => b.key === user.key));
    assert.ok(kept.some((b) => b.source !== 'user' && overlaps(b, BANNER)));

    const file = await download(page, () => page.getByRole('button', { name: 'Remove patient information and download this file' }).click());
    const before = wasm.decode_frame(wasm.sample_ultrasound(), 0);
    const cleaned = wasm.decode_frame(file.bytes, 0);
    assert.equal(cleaned.width, 640);
    const at = (f, x, y) => [f.rgb[(y * 640 + x) * 3], f.rgb[(y * 640 + x) * 3 + 1], f.rgb[(y * 640 + x) * 3 + 2]].join();
    // Every box shown covers every frame (found on all frames, drawn with "every frame"): the
    // last frame is checked too.
    for (const f of [cleaned, wasm.decode_frame(file.bytes, 5)]) {
      for (const b of kept) {
        const x0 = Math.ceil(b.x);
        const y0 = Math.ceil(b.y);
        const first = at(f, x0, y0);
        for (let y = y0; y < Math.floor(b.y + b.h); y++) {
          for (let x = x0; x < Math.floor(b.x + b.w); x++) assert.equal(at(f, x, y), first, `uniform inside ${JSON.stringify(b)} at ${x},${y}`);
        }
      }
    }
    // The core fills each box with a margin of MARGIN pixels (crates/core/src/pixels/clean.rs: glyph edges
    // reach beyond tight boxes), plus one for rounding.
    const m = MARGIN + 1;
    const inside = (x, y) => kept.some((b) => x >= Math.floor(b.x) - m && x < Math.ceil(b.x + b.w) + m && y >= Math.floor(b.y) - m && y < Math.ceil(b.y + b.h) + m);
    let outside = 0;
    for (let y = 0; y < 480; y++) {
      for (let x = 0; x < 640; x++) {
        if (inside(x, y)) continue;
        outside += 1;
        if (at(cleaned, x, y) !== at(before, x, y)) assert.fail(`pixel ${x},${y} outside the boxes changed`);
      }
    }
    assert.ok(outside > 640 * 480 * 0.5);
    // The before/after view shows the cleaned frame.
    await page.waitForSelector('#detail [data-testid=cleaned-canvas][data-ready=true]');
    await page.locator('#detail .pv-after').scrollIntoViewIfNeeded();
    await shot(page, 'preview-cleaned', false);
    assertLocalOnly(requests, server.url);
    await assertNoViolations(page);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('show the cleaned image first: nothing saved until the download button', async () => {
    const { context, page, requests, errors } = await openPage(browser, server.url, { viewport: { width: 1280, height: 1000 } });
    let downloads = 0;
    page.on('download', () => {
      downloads += 1;
    });
    await page.click('#options-panel summary');
    await page.locator('#opt-clean-pixel-data').check();
    await loadSample(page, '#sample-us-btn', US);
    await page.waitForFunction(() => Number(document.querySelector('#detail .pv-stage').dataset.boxes) > 0, null, { timeout: 30000 });
    const show = page.getByRole('button', { name: 'Show the cleaned image first' });
    await show.click();
    await page.waitForSelector('#detail [data-testid=cleaned-canvas][data-ready=true]', { timeout: 60000 });
    assert.match(await page.textContent('#detail [data-testid=not-saved]'), /Not saved yet: check the image, then download\./);
    // The banner rows of the cleaned frame are black (the found boxes cover the banner).
    const banner = await page.$eval(
      '#detail [data-testid=cleaned-canvas]',
      (c, b) => {
        const d = c.getContext('2d').getImageData(b.x + 10, b.y + 10, b.w - 20, b.h - 20).data;
        let lit = 0;
        for (let i = 0; i < d.length; i += 4) if (d[i] > 8 || d[i + 1] > 8 || d[i + 2] > 8) lit += 1;
        return { lit, total: d.length / 4, width: c.width };
      },
      BANNER,
    );
    assert.equal(banner.width, 640);
    assert.equal(banner.lit, 0, `the banner is blacked out (${banner.lit} of ${banner.total} pixels lit)`);
    await page.locator('#detail .pv-after').scrollIntoViewIfNeeded();
    await shot(page, 'preview-cleaned-not-saved', false);
    assert.equal(downloads, 0, 'nothing was saved');

    const file = await download(page, () => page.getByRole('button', { name: 'Remove patient information and download this file' }).click());
    assert.equal(downloads, 1);
    assert.match(file.name, /\.deid\.dcm$/);
    assert.equal(await page.locator('#detail [data-testid=not-saved]').count(), 0, 'the note goes once saved');
    assertLocalOnly(requests, server.url);
    await assertNoViolations(page);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('boxes left as found: the core cleans its own regions on every frame; a file without text says why', async () => {
    const wasm = await loadWasm();
    const { context, page, errors } = await openPage(browser, server.url, { viewport: { width: 1280, height: 1000 } });
    await page.click('#options-panel summary');
    await page.locator('#opt-clean-pixel-data').check();
    await loadSample(page, '#sample-us-btn', US);
    await page.waitForFunction(() => Number(document.querySelector('#detail .pv-stage').dataset.boxes) > 0, null, { timeout: 30000 });
    const file = await download(page, () => page.getByRole('button', { name: 'Remove patient information and download this file' }).click());
    // Untouched boxes: the page sends no regions, and the core blacks out what it found.
    const found = wasm.search_pixels(wasm.sample_ultrasound()).regions;
    // The banner is on every frame; a find of one frame alone (unread here: no reader in this
    // module) is cleaned on its frame only.
    assert.ok(found.filter((r) => r.all_frames).length >= 4, JSON.stringify(found));
    for (const index of [0, 2, 5]) {
      const before = wasm.decode_frame(wasm.sample_ultrasound(), index);
      const cleaned = wasm.decode_frame(file.bytes, index);
      const at = (f, x, y) => [f.rgb[(y * 640 + x) * 3], f.rgb[(y * 640 + x) * 3 + 1], f.rgb[(y * 640 + x) * 3 + 2]].join();
      for (const r of found.filter((f) => f.all_frames || f.frame === index)) {
        const first = at(cleaned, r.x, r.y);
        let changed = 0;
        for (let y = r.y; y < r.y + r.h; y++) {
          for (let x = r.x; x < r.x + r.w; x++) {
            assert.equal(at(cleaned, x, y), first, `frame ${index}: uniform inside ${JSON.stringify(r)} at ${x},${y}`);
            if (at(before, x, y) !== first) changed += 1;
          }
        }
        assert.ok(changed > 0, `frame ${index}: the text in ${JSON.stringify(r)} is gone`);
      }
    }
    // Searched again (without a reader here): nothing of the banner is left. (A find of one
    // frame alone that the page's reader read as no text is not a region there, so the page
    // leaves it; this module, without a reader, still counts it.)
    const again = wasm.search_pixels(file.bytes).regions;
    assert.deepEqual(again.filter((r) => r.all_frames), [], `the banner is gone: ${JSON.stringify(again)}`);

    // The CT sample has no text in its pixels: the result says the pixels were not cleaned.
    await loadSample(page, '#sample-btn', 'sample-ct-with-fake-phi.dcm');
    await download(page, () => page.getByRole('button', { name: 'Remove patient information and download this file' }).click());
    await page.waitForSelector('#detail .diff');
    assert.match(await page.textContent('#detail .diff'), /The pixels were not cleaned \(no burned-in text was found or marked\)/);
    assert.deepEqual(errors, []);
    await context.close();
  });
});
