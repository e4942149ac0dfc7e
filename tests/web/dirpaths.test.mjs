// The page's zip as a set (issue 10, classes 11 to 13), in Chromium: neutral folder and file
// names unless the user keeps them, the mapping only in the report, a DICOMDIR written anew
// (checked with dicom3tools' dcdirdmp), the DICOMDIR's card naming its patients, files added
// twice listed once, and every file left out of the zip named with the reason.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync, readFileSync, copyFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { unzipSync, strFromU8 } from 'fflate';
import { launchBrowser, loadWasm, openPage, shot, startServer, tempDir, waitForFiles, assertNoPatientInfo } from './helpers.mjs';

let server;
let browser;
let cd;

// Cleaning reads the burned-in text of every image twice (the search, then the check of the
// written output): on a loaded 2-core machine a zip with two ultrasound loops takes over a minute.
async function download(page, action) {
  const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 240000 }), action()]);
  const file = path.join(tempDir('leakcheck-dl-'), dl.suggestedFilename());
  await dl.saveAs(file);
  return { name: dl.suggestedFilename(), bytes: new Uint8Array(readFileSync(file)), file };
}

// A CD of the made-up patient DOE JOHN (ID LC-12345): his name in the folder and file names,
// a DICOMDIR by dcmtk's dcmgpdir naming him, an unreadable file and a text file.
function makeCd(wasm) {
  const dir = path.join(tempDir('leakcheck-cd-'), 'DOE_JOHN_CD');
  const sample = wasm.sample();
  const us = wasm.sample_ultrasound();
  const files = { 'DOE_JOHN/CT/IM1': sample, 'DOE_JOHN/US/IM1': us };
  for (const [name, bytes] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), bytes);
  }
  const made = spawnSync('dcmgpdir', ['+r', '+I', '+id', dir, '+D', path.join(dir, 'DICOMDIR')], { encoding: 'utf8' });
  assert.equal(made.status, 0, `dcmgpdir (dcmtk, scripts/setup.sh installs it): ${made.stderr}`);
  writeFileSync(path.join(dir, 'LC-12345 notes.txt'), 'Not DICOM.\n');
  // A meta group whose Transfer Syntax UID runs past the end: unreadable.
  const broken = new Uint8Array(200);
  broken.set(new TextEncoder().encode('DICM'), 128);
  broken.set([0x02, 0x00, 0x10, 0x00, 0x55, 0x49, 0xff, 0x7f], 132);
  writeFileSync(path.join(dir, 'DOE_JOHN', 'cut.dcm'), broken);
  return dir;
}

before(async () => {
  cd = makeCd(await loadWasm());
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  if (browser) await browser.close();
  if (server) server.stop();
});

describe('the cleaned set', () => {
  test('neutral paths, a new DICOMDIR, the DICOMDIR card names the patient, files left out named', async () => {
    const { context, page, errors } = await openPage(browser, server.url);
    await page.setInputFiles('#pick-folder', cd);
    const rows = await waitForFiles(page, 5);
    assert.equal(rows['DOE_JOHN_CD/DOE_JOHN/cut.dcm'], 'error');
    assert.equal(rows['DOE_JOHN_CD/LC-12345 notes.txt'], 'skipped');

    // Regression: the DICOMDIR's card said "names no patient" while its records named him.
    await page.click('#file-list .file-row:has-text("DOE_JOHN_CD/DICOMDIR")');
    const card = await page.textContent('[data-testid=summary-text]');
    assert.match(card, /This DICOMDIR .* names 1 patient: DOE JOHN \(ID LC-12345/, card);
    assert.match(await page.textContent('[data-testid=dicomdir-patients]'), /DOE JOHN, ID LC-12345/);
    assert.match(await page.textContent('#file-list .file-row:has-text("DOE_JOHN_CD/DICOMDIR")'), /names 1 patient/);
    // Cleaned on its own, a DICOMDIR would be wrong: the page says to clean the folder.
    await page.click('#detail .actions button.primary');
    await page.waitForFunction(() => /written anew, over the cleaned files/.test(document.getElementById('status').textContent));
    await shot(page, '30-dicomdir-card');

    // Regression: paths carried the patient's name and ID into the zip.
    const zip = await download(page, () => page.click('#clean-btn'));
    const entries = unzipSync(zip.bytes);
    const names = Object.keys(entries).sort();
    assert.deepEqual(names, [
      'dicom-leakcheck-cleaned/DICOMDIR',
      'dicom-leakcheck-cleaned/P001/ST001/SE001/IM0001',
      'dicom-leakcheck-cleaned/P001/ST002/SE001/IM0001',
    ]);
    for (const name of names) await assertNoPatientInfo(entries[name], name);
    // The DICOMDIR, checked by dicom3tools: every offset leads to a record, every file exists.
    const out = tempDir('leakcheck-zip-');
    for (const name of names) {
      mkdirSync(path.dirname(path.join(out, name)), { recursive: true });
      writeFileSync(path.join(out, name), entries[name]);
    }
    const dump = spawnSync('dcdirdmp', [path.join(out, 'dicom-leakcheck-cleaned', 'DICOMDIR')], { encoding: 'utf8' });
    assert.equal(dump.status, 0, `dcdirdmp (dicom3tools, scripts/setup.sh installs it): ${dump.stderr}`);
    assert.doesNotMatch(dump.stdout + dump.stderr, /error|invalid/i);
    assert.match(dump.stdout + dump.stderr, /P001\\ST002\\SE001\\IM0001/);

    // Regression: "N cleaned files saved" without a word on the files left out.
    const status = await page.textContent('#status');
    assert.match(status, /3 cleaned files saved in dicom-leakcheck-cleaned\.zip \(neutral folder and file names/, status);
    assert.match(status, /Not in the archive: .*DOE_JOHN_CD\/DOE_JOHN\/cut\.dcm \(This file could not be read: the element declares/, status);
    const summary = await page.textContent('[data-testid=zip-summary]');
    assert.match(summary, /Not in the archive: 2 files/, summary);
    assert.match(summary, /LC-12345 notes\.txt: not a DICOM file/, summary);
    assert.match(summary, /with a new DICOMDIR \(2 files, 1 patient\)/, summary);
    await shot(page, '31-zip-summary');

    // The mapping from old to new paths is in the report.
    const report = JSON.parse(strFromU8((await download(page, () => page.click('#report-json-btn'))).bytes));
    const byPath = Object.fromEntries(report.files.map((f) => [f.path, f.deidentified && f.deidentified.path_in_zip]));
    assert.equal(byPath['DOE_JOHN_CD/DOE_JOHN/US/IM1'], 'dicom-leakcheck-cleaned/P001/ST002/SE001/IM0001');
    assert.equal(byPath['DOE_JOHN_CD/DICOMDIR'], 'dicom-leakcheck-cleaned/DICOMDIR');
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('a damaged file names its patient, and says it is not cleaned', async () => {
    // Regression: a file cut off inside its Pixel Data said only "could not be read".
    const wasm = await loadWasm();
    const sample = wasm.sample();
    const file = path.join(tempDir('leakcheck-cut-'), 'cut.dcm');
    writeFileSync(file, sample.slice(0, sample.length - 1000));
    const { context, page, errors } = await openPage(browser, server.url);
    await page.setInputFiles('#pick-files', file);
    const rows = await waitForFiles(page, 1);
    assert.equal(rows['cut.dcm'], 'error');
    await page.waitForFunction(() => /damaged, names DOE JOHN/.test(document.querySelector('#file-list .file-extra').textContent));
    await page.click('#file-list .file-row');
    const damaged = await page.textContent('[data-testid=damaged]');
    assert.match(damaged, /This file is damaged, but it names DOE JOHN \(ID LC-12345, born 1970-01-01\)/);
    assert.match(damaged, /no cleaned copy is written/);
    assert.match(damaged, /Patient IDLC-12345/);
    await shot(page, '32-damaged-card');
    const report = JSON.parse(strFromU8((await download(page, () => page.click('#report-json-btn'))).bytes));
    assert.match(report.files[0].damaged.text, /names DOE JOHN/);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('the same files added twice are listed once; keeping names keeps them', async () => {
    const { context, page, errors } = await openPage(browser, server.url);
    await page.setInputFiles('#pick-folder', cd);
    await waitForFiles(page, 5);
    await page.setInputFiles('#pick-folder', cd);
    await page.waitForFunction(() => /already in the list/.test(document.getElementById('status').textContent));
    assert.equal(await page.getAttribute('#file-list', 'data-total'), '5', 'no file listed twice');
    // A copy under another name is another file.
    const other = path.join(tempDir('leakcheck-copy-'), 'copy.dcm');
    copyFileSync(path.join(cd, 'DOE_JOHN', 'CT', 'IM1'), other);
    await page.setInputFiles('#pick-files', other);
    await waitForFiles(page, 6);
    // Two other files of the same name (picked from two folders): both listed, both zipped.
    await page.setInputFiles('#pick-files', [path.join(cd, 'DOE_JOHN', 'CT', 'IM1'), path.join(cd, 'DOE_JOHN', 'US', 'IM1')]);
    await waitForFiles(page, 8);

    await page.click('#options-panel summary');
    await page.check('#keep-paths');
    const zip = await download(page, () => page.click('#clean-btn'));
    const names = Object.keys(unzipSync(zip.bytes)).sort();
    assert.deepEqual(names, [
      'dicom-leakcheck-cleaned/DOE_JOHN_CD/DICOMDIR',
      'dicom-leakcheck-cleaned/DOE_JOHN_CD/DOE_JOHN/CT/IM1',
      'dicom-leakcheck-cleaned/DOE_JOHN_CD/DOE_JOHN/US/IM1',
      'dicom-leakcheck-cleaned/IM1',
      'dicom-leakcheck-cleaned/IM1 (2)',
      'dicom-leakcheck-cleaned/copy.dcm',
    ]);
    assert.match(await page.textContent('#status'), /same folders and file names as before/);
    // Remembered for the next visit.
    await page.reload();
    await page.waitForSelector('body[data-ready=true]');
    assert.equal(await page.isChecked('#keep-paths'), true);
    assert.deepEqual(errors, []);
    await context.close();
  });
});
