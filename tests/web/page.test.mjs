// End to end: the built page in Debian's Chromium through playwright-core, served by
// scripts/serve.mjs (and, at the end, the single-file build from file://). Run by
// scripts/test-web.sh after `cargo xtask build-wasm`. Screenshots go to test-artifacts/web/.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { zipSync, unzipSync, strFromU8 } from 'fflate';
import {
  artifactsDir,
  assertLocalOnly,
  assertNoViolations,
  assertNoPatientInfo,
  assertUploadBlocked,
  distDir,
  launchBrowser,
  loadWasm,
  nativeCli,
  openPage,
  repoRoot,
  shot,
  startServer,
  statusCounts,
  tempDir,
  waitForFiles,
} from './helpers.mjs';

const SAMPLE = 'sample-ct-with-fake-phi.dcm';
let server;
let browser;
let fixtures;
let sampleBytes;
// The tags of the sample's elements in the eager report's order.
let sampleTags;
const timings = {};

// Files to add: the sample, a cleaned copy, a text file, a broken DICOM file, a zip archive
// and a folder tree.
function makeFixtures(wasm) {
  const dir = tempDir('leakcheck-web-');
  sampleBytes = wasm.sample();
  const clean = wasm.deidentify(sampleBytes, [], wasm.generate_key()).bytes;
  const broken = new Uint8Array(200);
  broken.set(new TextEncoder().encode('DICM'), 128);
  broken.set([0x02, 0x00, 0x10, 0x00, 0x55, 0x49, 0xff, 0x7f], 132); // (0002,0010) UI, length past the end
  const files = {
    'sample.dcm': sampleBytes,
    'clean.dcm': clean,
    'notes.txt': new TextEncoder().encode('Not a DICOM file.\n'),
    'broken.dcm': broken,
    'archive.zip': zipSync({ 'scans/a.dcm': sampleBytes, 'readme.txt': new TextEncoder().encode('hello') }),
    'study/series1/IM0001': sampleBytes,
    'study/series1/IM0002': clean,
    'study/notes.txt': new TextEncoder().encode('notes'),
  };
  for (const [name, bytes] of Object.entries(files)) {
    const file = path.join(dir, name);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, bytes);
  }
  return dir;
}

async function download(page, action) {
  const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 60000 }), action()]);
  const file = path.join(tempDir('leakcheck-dl-'), dl.suggestedFilename());
  await dl.saveAs(file);
  return { name: dl.suggestedFilename(), bytes: new Uint8Array(readFileSync(file)) };
}

async function openElementTable(page) {
  const table = page.locator('#detail [data-testid=element-table]');
  if (!(await table.evaluate((d) => d.open))) await table.locator('summary').click();
  return table;
}

async function flaggedTags(page) {
  return page.$$eval('#detail table.elements tbody tr.flagged', (rows) => rows.map((r) => r.querySelector('.tag code').textContent));
}

before(async () => {
  const wasm = await loadWasm();
  fixtures = makeFixtures(wasm);
  sampleTags = wasm.inspect(wasm.sample(), []).elements.map((e) => e.tag);
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  if (browser) await browser.close();
  if (server) server.stop();
  writeFileSync(path.join(artifactsDir, 'timings.json'), JSON.stringify(timings, null, 2) + '\n');
  console.log(`# timings: ${JSON.stringify(timings)}`);
});

describe('served page', () => {
  test('starts with requests to its own origin only, and blocks an upload', async () => {
    const { context, page, requests, errors } = await openPage(browser, server.url);
    await shot(page, '01-start');
    await assertUploadBlocked(page);
    assertLocalOnly(requests, server.url);
    assert.ok(requests.some((r) => r.url.endsWith('.wasm')), 'the module came from the same origin');
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('sample: the patient name is flagged with reason, action and effect; hex view marks it', async () => {
    const { context, page, requests, errors } = await openPage(browser, server.url);
    const t = Date.now();
    await page.click('#sample-btn');
    await page.waitForSelector('[data-testid=summary-text]');
    timings.sampleClickToCardMs = Date.now() - t;
    timings.sampleInspectMsInWorker = Number(await page.getAttribute('[data-inspect-ms]', 'data-inspect-ms'));
    timings.workerStartMs = Number(await page.getAttribute('body', 'data-init-ms'));
    assert.match(await page.textContent('[data-testid=summary-text]'), /DOE JOHN.*LC-12345/);
    assert.match(await page.textContent('[data-testid=overview]'), /Patient information found in 1 of 1 file/);
    await shot(page, '02-sample-card');

    const table = await openElementTable(page);
    const row = table.locator('tr.flagged', { hasText: 'DOE^JOHN' }).filter({ hasText: '(0010,0010)' });
    await assert.doesNotReject(row.waitFor());
    const cells = await row.locator('td').allTextContents();
    assert.match(cells[1], /PatientName/);
    assert.match(cells[1], /patient info/);
    assert.match(cells[3], /PS3\.15 action [XZDCU]/, 'the action is shown');
    assert.ok(cells[4].length > 5, 'the reason is shown');
    // Private elements show their creator; the file header is there when not filtering.
    assert.ok((await table.locator('tr', { hasText: 'vendor: ACME_PRIVATE_1' }).count()) > 0);
    // The details came from the report the check kept in its worker (flagged first: the
    // batch crossed the summary and flagged findings only), not from inspecting again; the
    // unflagged elements are all there once the table is opened, in the eager report's order.
    assert.equal(await table.getAttribute('data-from-held'), 'true');
    await table.locator('input[role=switch]').uncheck();
    assert.ok((await table.locator('tr.meta').count()) > 3, 'file meta elements are listed');
    const shownTags = await table.locator('tbody tr .tag code').allTextContents();
    assert.deepEqual(shownTags, sampleTags, 'every element, flagged or not, in order');
    assert.ok((await table.locator('tbody tr:not(.flagged)').count()) > 10, 'the unflagged elements are shown');
    // Collapse a sequence: its items disappear.
    const seq = table.locator('tr', { hasText: '(0008,1110)' }).first();
    const before = await table.locator('tbody tr:not([hidden])').count();
    await seq.locator('.seq-toggle').click();
    assert.equal(await table.locator('tbody tr:not([hidden])').count(), before - 2);
    await seq.locator('.seq-toggle').click();
    // Filter by text.
    await table.locator('input[type=search]').fill('patientname');
    assert.equal(await table.locator('tbody tr:not([hidden])').count(), 1);
    await table.locator('input[type=search]').fill('');
    await table.locator('input[role=switch]').check();
    await shot(page, '03-element-table');

    // The bytes of the patient name are highlighted in the hex view.
    await row.locator('.bytes-link').click();
    await page.waitForSelector('#detail .hex-lines mark.hex-a');
    const marked = await page.$$eval('#detail .hex-lines mark.hex-a', (m) => m.map((x) => x.textContent).join(''));
    assert.ok(marked.includes('DOE^JOHN'), `DOE^JOHN is marked in the ASCII column: ${marked}`);
    assert.ok((await page.locator('#detail .hex-lines mark[title="(0010,0010) PatientName"]').count()) >= 1);
    await shot(page, '04-hex-view');

    // The sample again: the same file is listed once (issue 10, class 13).
    await page.click('#sample-btn');
    await page.waitForFunction(() => /already in the list/.test(document.getElementById('status').textContent));
    assert.equal(await page.getAttribute('#file-list', 'data-total'), '1');
    // Another file: the module is warm now.
    const t2 = Date.now();
    await page.click('#sample-us-btn');
    await waitForFiles(page, 2);
    timings.secondSampleClickToListedMs = Date.now() - t2;
    await page.locator('#file-list .file-row').nth(1).click();
    timings.secondSampleInspectMsInWorker = Number(await page.getAttribute('#detail [data-inspect-ms]', 'data-inspect-ms'));
    assertLocalOnly(requests, server.url);
    await assertNoViolations(page);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('pick files: DICOM, non-DICOM, broken and zip; clean all into one zip; reports', async () => {
    const { context, page, requests, errors } = await openPage(browser, server.url);
    await page.setInputFiles('#pick-files', ['sample.dcm', 'clean.dcm', 'notes.txt', 'broken.dcm', 'archive.zip'].map((f) => path.join(fixtures, f)));
    const status = await waitForFiles(page, 6);
    assert.deepEqual(status, {
      'sample.dcm': 'leaks',
      'clean.dcm': 'clean',
      'notes.txt': 'skipped',
      'broken.dcm': 'error',
      'archive.zip/scans/a.dcm': 'leaks',
      'archive.zip/readme.txt': 'skipped',
    });
    assert.match(await page.textContent('[data-testid=overview]'), /Patient information found in 2 of 3 files/);
    await shot(page, '05-batch');

    const zip = await download(page, () => page.click('#clean-btn'));
    assert.equal(zip.name, 'dicom-leakcheck-cleaned.zip');
    const entries = unzipSync(zip.bytes);
    // Neutral paths, numbered in the order a folder walk gives: a.dcm and sample.dcm are the
    // same patient and series; clean.dcm (already cleaned) names nobody.
    assert.deepEqual(Object.keys(entries).sort(), [
      'dicom-leakcheck-cleaned/P001/ST001/SE001/IM0001',
      'dicom-leakcheck-cleaned/P001/ST001/SE001/IM0002',
      'dicom-leakcheck-cleaned/P002/ST001/SE001/IM0001',
    ]);
    for (const [name, bytes] of Object.entries(entries)) timings.checkedWith = await assertNoPatientInfo(bytes, name);

    const json = await download(page, () => page.click('#report-json-btn'));
    const report = JSON.parse(strFromU8(json.bytes));
    assert.equal(report.files.length, 6);
    const sample = report.files.find((f) => f.path === 'sample.dcm');
    assert.equal(sample.ok, true);
    assert.ok(sample.findings.some((f) => f.tag === '(0010,0010)' && f.value === 'DOE^JOHN'));
    assert.ok(sample.deidentified.changes.removed > 0);
    assert.equal(sample.deidentified.path_in_zip, 'dicom-leakcheck-cleaned/P001/ST001/SE001/IM0002', 'the report maps old to new paths');
    assert.equal(report.files.find((f) => f.path === 'notes.txt').verdict, 'skipped');
    const csv = await download(page, () => page.click('#report-csv-btn'));
    const lines = strFromU8(csv.bytes).split('\r\n');
    assert.match(lines[0], /^file,verdict,tag,path,keyword/);
    assert.ok(lines.some((l) => l.startsWith('sample.dcm,leaks,"(0010,0010)"') && l.includes('DOE^JOHN')));
    assertLocalOnly(requests, server.url);
    await assertNoViolations(page);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('drop files, then drop a folder (recursed), and pick a folder', async () => {
    const { context, page, requests, errors } = await openPage(browser, server.url);
    const b64 = (name) => readFileSync(path.join(fixtures, name)).toString('base64');
    // Two files in a real DataTransfer.
    await page.evaluate(
      ({ files }) => {
        const dt = new DataTransfer();
        for (const f of files) dt.items.add(new File([Uint8Array.from(atob(f.data), (c) => c.charCodeAt(0))], f.name));
        const zone = document.getElementById('drop');
        for (const type of ['dragenter', 'dragover', 'drop']) zone.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: dt }));
      },
      { files: [{ name: 'dropped.dcm', data: b64('sample.dcm') }, { name: 'dropped.txt', data: b64('notes.txt') }] },
    );
    let status = await waitForFiles(page, 2);
    assert.deepEqual(status, { 'dropped.dcm': 'leaks', 'dropped.txt': 'skipped' });

    // A folder: what a real folder drop gives (FileSystem entries), recursed by the page.
    await page.evaluate(
      ({ files }) => {
        const make = (data, name) => new File([Uint8Array.from(atob(data), (c) => c.charCodeAt(0))], name);
        const fileEntry = (fullPath, file) => ({ isFile: true, isDirectory: false, name: file.name, fullPath, file: (ok) => ok(file) });
        const dirEntry = (fullPath, children) => ({
          isFile: false,
          isDirectory: true,
          name: fullPath.split('/').pop(),
          fullPath,
          createReader() {
            let given = 0;
            // Batches of one, like a browser that returns entries in several calls.
            return { readEntries: (ok) => ok(given < children.length ? [children[given++]] : []) };
          },
        });
        const root = dirEntry('/dropped-study', [
          dirEntry('/dropped-study/series1', [
            fileEntry('/dropped-study/series1/IM0001', make(files.a, 'IM0001')),
            fileEntry('/dropped-study/series1/IM0002', make(files.b, 'IM0002')),
          ]),
          fileEntry('/dropped-study/readme.txt', make(files.c, 'readme.txt')),
        ]);
        const transfer = { items: [{ kind: 'file', webkitGetAsEntry: () => root, getAsFile: () => null }], files: [], dropEffect: 'none' };
        const zone = document.getElementById('drop');
        for (const type of ['dragenter', 'dragover', 'drop']) {
          const event = new Event(type, { bubbles: true, cancelable: true });
          Object.defineProperty(event, 'dataTransfer', { value: transfer });
          zone.dispatchEvent(event);
        }
      },
      { files: { a: b64('sample.dcm'), b: b64('clean.dcm'), c: b64('notes.txt') } },
    );
    status = await waitForFiles(page, 5);
    assert.equal(status['dropped-study/series1/IM0001'], 'leaks');
    assert.equal(status['dropped-study/series1/IM0002'], 'clean');
    assert.equal(status['dropped-study/readme.txt'], 'skipped');

    // The folder picker (webkitdirectory).
    await page.setInputFiles('#pick-folder', path.join(fixtures, 'study'));
    status = await waitForFiles(page, 8);
    assert.equal(status['study/series1/IM0001'], 'leaks');
    assert.equal(status['study/series1/IM0002'], 'clean');
    assert.equal(status['study/notes.txt'], 'skipped');
    await shot(page, '06-dropped-folder');
    assertLocalOnly(requests, server.url);
    await assertNoViolations(page);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('an option re-checks the files, and is remembered', async () => {
    const { context, page, errors } = await openPage(browser, server.url);
    await page.click('#sample-btn');
    await waitForFiles(page, 1);
    await openElementTable(page);
    assert.ok((await flaggedTags(page)).includes('(0010,1010)'), 'Patient Age flagged by default');
    const flaggedBefore = (await flaggedTags(page)).length;
    await page.click('#options-panel summary');
    await page.getByLabel('Keep age, sex, size and weight').check();
    await page.waitForFunction((n) => document.querySelectorAll('#detail table.elements tr.flagged').length < n, flaggedBefore);
    await openElementTable(page);
    assert.ok(!(await flaggedTags(page)).includes('(0010,1010)'), 'Patient Age kept with the option');
    await shot(page, '07-options');
    // "Keep real dates" and "Shift dates" exclude each other.
    await page.getByLabel('Keep real dates').check();
    await page.getByLabel('Shift dates').check();
    assert.equal(await page.getByLabel('Keep real dates').isChecked(), false);

    await page.reload();
    await page.waitForFunction(() => document.body.dataset.ready === 'true');
    await page.click('#options-panel summary');
    assert.equal(await page.getByLabel('Keep age, sex, size and weight').isChecked(), true, 'remembered');
    // Clean Pixel Data is implemented in the core: offered, with plain help.
    assert.equal(await page.getByLabel('Clean burned-in text').isDisabled(), false, 'offered');
    assert.match(await page.textContent('#opt-clean-pixel-data-help'), /boxes shown on the image/);
    await page.click('#options-reset');
    assert.equal(await page.getByLabel('Keep age, sex, size and weight').isChecked(), false);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('clean one file: <name>.deid.dcm with nothing identifying; before and after shown', async () => {
    const { context, page, requests, errors } = await openPage(browser, server.url);
    await page.click('#sample-btn');
    await waitForFiles(page, 1);
    const file = await download(page, () => page.getByRole('button', { name: 'Remove patient information and download this file' }).click());
    assert.equal(file.name, 'sample-ct-with-fake-phi.deid.dcm');
    timings.checkedWith = await assertNoPatientInfo(file.bytes, file.name);
    await page.waitForSelector('#detail .diff');
    assert.match(await page.textContent('[data-testid=residual]'), /nothing identifying is left/);
    const diff = await page.$$eval('#detail .diff-table tbody tr', (rows) => rows.map((r) => [...r.cells].map((c) => c.textContent)));
    const name = diff.find((r) => r[0].includes('(0010,0010)'));
    assert.equal(name[1], 'DOE^JOHN');
    assert.notEqual(name[2], 'DOE^JOHN');
    assert.ok(diff.some((r) => r[0].includes('(0010,1040)') && r[2] === '(removed)'), 'the address is removed');
    assert.ok(diff.some((r) => r[0].includes('(0012,0062)') && r[2] === 'YES'), 'Patient Identity Removed added');
    await page.locator('#detail .diff').scrollIntoViewIfNeeded();
    await shot(page, '08-after-cleaning');
    assertLocalOnly(requests, server.url);
    await assertNoViolations(page);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('key: make, save once, load from a file, remember only when asked', async () => {
    const { context, page, errors } = await openPage(browser, server.url);
    await page.click('#key-panel summary');
    await page.click('#key-new');
    await page.waitForFunction(() => document.getElementById('key-text').value);
    const shown = await page.inputValue('#key-text');
    assert.match(shown, /^dicom-leakcheck-key-v1:[0-9a-f]{64}$/);
    await shot(page, '09-key');
    const saved = await download(page, () => page.click('#key-save'));
    assert.equal(saved.name, 'dicom-leakcheck.key');
    assert.equal(strFromU8(saved.bytes).trim(), shown);
    await page.click('#key-hide');
    assert.equal(await page.isHidden('#key-shown'), true);
    assert.equal(await page.evaluate(() => localStorage.getItem('dicom-leakcheck.key')), null, 'not stored unless asked');

    // The same key gives the same new UIDs: clean the sample twice with a loaded key.
    const keyFile = path.join(tempDir('leakcheck-key-'), 'my.key');
    writeFileSync(keyFile, saved.bytes);
    await page.setInputFiles('#key-file', keyFile);
    await page.waitForFunction(() => /Key loaded from my\.key/.test(document.getElementById('key-message').textContent));
    await page.check('#key-remember');
    assert.equal(await page.evaluate(() => localStorage.getItem('dicom-leakcheck.key')), shown);
    await page.uncheck('#key-remember');
    assert.equal(await page.evaluate(() => localStorage.getItem('dicom-leakcheck.key')), null);
    await page.setInputFiles('#key-file', { name: 'bad.key', mimeType: 'text/plain', buffer: Buffer.from('nonsense') });
    await page.waitForFunction(() => /Could not use bad\.key: not a dicom-leakcheck key/.test(document.getElementById('key-message').textContent));

    const wasm = await loadWasm();
    const expected = wasm.deidentify(sampleBytes, [], shown).bytes;
    await page.click('#sample-btn');
    await waitForFiles(page, 1);
    const file = await download(page, () => page.click('#clean-btn'));
    assert.deepEqual(Buffer.from(file.bytes), Buffer.from(expected), 'same key, same output as the module in Node');
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('a long batch shows progress, can be stopped, and the page works on', async () => {
    const { context, page, errors } = await openPage(browser, server.url);
    const files = Array.from({ length: 1500 }, (_, i) => ({ name: `copy-${i}.dcm`, mimeType: 'application/dicom', buffer: Buffer.from(sampleBytes) }));
    await page.setInputFiles('#pick-files', files);
    await page.waitForSelector('#progress:not([hidden])');
    await shot(page, '10-progress', false);
    await page.click('#cancel-btn');
    await page.waitForFunction(() => /Stopped/.test(document.getElementById('status').textContent));
    const counts = await statusCounts(page);
    assert.equal(Object.values(counts).reduce((a, b) => a + b, 0), 1500);
    assert.ok(counts.stopped > 0, `some files were not checked: ${JSON.stringify(counts)}`);
    assert.equal(counts.queued, undefined);
    // A fresh worker takes over.
    await page.click('#sample-btn');
    await waitForFiles(page, 1501);
    assert.equal((await statusCounts(page)).leaks, (counts.leaks || 0) + 1, 'the sample was checked');
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('keyboard only: reach "Try a sample", open the details', async () => {
    const { context, page, errors } = await openPage(browser, server.url);
    let focused = '';
    for (let i = 0; i < 20 && focused !== 'sample-btn'; i++) {
      await page.keyboard.press('Tab');
      focused = await page.evaluate(() => document.activeElement.id);
    }
    assert.equal(focused, 'sample-btn');
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
    assert.notEqual(outline, 'none', 'focus is visible');
    await page.keyboard.press('Enter');
    await waitForFiles(page, 1);
    await page.focus('#detail [data-testid=element-table] summary');
    await page.keyboard.press('Enter');
    assert.equal(await page.$eval('#detail [data-testid=element-table]', (d) => d.open), true);
    // Every control has a name.
    const unnamed = await page.$$eval('button, input:not([hidden]), select, textarea', (els) =>
      els.filter((e) => !e.hidden && !e.closest('[hidden]')).filter((e) => !(e.labels && e.labels.length) && !e.getAttribute('aria-label') && !e.textContent.trim()).map((e) => e.outerHTML.slice(0, 80)),
    );
    assert.deepEqual(unnamed, []);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('phone width and dark theme', async () => {
    const phone = await openPage(browser, server.url, { viewport: { width: 390, height: 844 }, colorScheme: 'dark', deviceScaleFactor: 1 });
    await phone.page.click('#sample-btn');
    await waitForFiles(phone.page, 1);
    const overflow = await phone.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `no sideways scrolling at phone width (${overflow} px too wide)`);
    await shot(phone.page, '11-phone-dark');
    await phone.context.close();
    const dark = await openPage(browser, server.url, { viewport: { width: 1280, height: 900 }, colorScheme: 'dark' });
    await dark.page.click('#sample-btn');
    await waitForFiles(dark.page, 1);
    await openElementTable(dark.page);
    await shot(dark.page, '12-desktop-dark');
    await dark.context.close();
  });
});

// The pydicom corpus's DICOMDIR set (scripts/fetch-corpus.sh), when it and the native CLI are
// there: the page must find what the CLI finds and clean to the same bytes with the same key.
const corpusSet = path.join(process.env.LEAKCHECK_CORPUS || path.join(repoRoot, '.cache', 'corpus', 'pydicom-3.0.2'), 'test_files', 'dicomdirtests');
const parity = existsSync(corpusSet) && nativeCli() ? false : 'needs the corpus (scripts/fetch-corpus.sh) and the release CLI';

describe('real files: the page and the native CLI agree', () => {
  test('a DICOMDIR set: same findings, same cleaned bytes with the same key', { skip: parity }, async () => {
    const cli = nativeCli();
    const wasm = await loadWasm();
    const work = tempDir('leakcheck-parity-');
    const keyFile = path.join(work, 'parity.key');
    writeFileSync(keyFile, wasm.generate_key());
    const inspected = spawnSync(cli, ['inspect', '--json', corpusSet], { encoding: 'utf8', maxBuffer: 1 << 28 });
    const native = new Map(JSON.parse(inspected.stdout).files.map((f) => [path.relative(path.dirname(corpusSet), f.path), f]));
    const outDir = path.join(work, 'native');
    const deid = spawnSync(cli, ['deid', '--key', keyFile, '--out', outDir, corpusSet], { encoding: 'utf8' });
    assert.equal(deid.status, 0, deid.stderr);

    const { context, page, requests, errors } = await openPage(browser, server.url);
    await page.click('#key-panel summary');
    await page.setInputFiles('#key-file', keyFile);
    await page.waitForFunction(() => /Key loaded/.test(document.getElementById('key-message').textContent));
    const tCheck = Date.now();
    await page.setInputFiles('#pick-folder', corpusSet);
    const status = await waitForFiles(page, native.size);
    timings.corpusCheckMs = Date.now() - tCheck;
    const report = JSON.parse(strFromU8((await download(page, () => page.click('#report-json-btn'))).bytes));
    for (const file of report.files) {
      const other = native.get(file.path);
      assert.ok(other, `${file.path} is not in the CLI's report`);
      assert.equal(file.ok, other.ok, `${file.path}: readable`);
      if (other.ok) {
        assert.equal(file.summary.flagged, other.summary.flagged, `${file.path}: flagged`);
        assert.equal(status[file.path], other.summary.verdict, `${file.path}: verdict`);
        assert.deepEqual(file.findings.map((f) => f.path), other.findings.map((f) => f.path), `${file.path}: findings`);
      }
    }
    timings.corpusFiles = native.size;
    const t = Date.now();
    const zip = await download(page, () => page.click('#clean-btn'));
    timings.corpusCleanAndZipMs = Date.now() - t;
    let compared = 0;
    // Same neutral paths (numbered in the folder walk's order) and the same DICOMDIR.
    for (const [name, bytes] of Object.entries(unzipSync(zip.bytes))) {
      const relative = name.replace(/^dicom-leakcheck-cleaned\//, '');
      const theirs = readFileSync(path.join(outDir, relative));
      assert.ok(Buffer.from(bytes).equals(theirs), `${relative}: the page and the CLI wrote different bytes`);
      compared += 1;
    }
    const written = spawnSync('find', [outDir, '-type', 'f'], { encoding: 'utf8' }).stdout.trim().split('\n');
    assert.equal(compared, written.length);
    assert.ok(written.some((f) => f.endsWith('/DICOMDIR')), 'the CLI wrote a DICOMDIR; the page the same bytes');
    await shot(page, '14-dicomdir-set');
    assertLocalOnly(requests, server.url);
    await assertNoViolations(page);
    assert.deepEqual(errors, []);
    await context.close();
  });
});

describe('single-file build (file://)', () => {
  test('sample, flagged, cleaned and downloaded; nothing fetched; upload blocked', async () => {
    const url = new URL('dicom-leakcheck.html', distDir()).href;
    const html = readFileSync(new URL(url), 'utf8');
    assert.match(html, /connect-src 'none'/);
    assert.doesNotMatch(html, /<script[^>]+src=/, 'no external script');
    const { context, page, requests, errors } = await openPage(browser, url);
    await page.click('#sample-btn');
    await waitForFiles(page, 1);
    assert.match(await page.textContent('[data-testid=summary-text]'), /DOE JOHN/);
    await openElementTable(page);
    assert.ok((await flaggedTags(page)).includes('(0010,0010)'));
    const file = await download(page, () => page.click('#clean-btn'));
    assert.equal(file.name, 'sample-ct-with-fake-phi.deid.dcm');
    await assertNoPatientInfo(file.bytes, `single file: ${file.name}`);
    await shot(page, '13-single-file');
    await assertUploadBlocked(page);
    assertLocalOnly(requests, url);
    await assertNoViolations(page);
    assert.deepEqual(errors, []);
    await context.close();
  });
});
