// Burned-in text through the page, in every engine (engines.test.mjs): the built-in ultrasound,
// whose banner names its made-up patient, searched with the text reader (loaded lazily by the
// workers; picked by the user in the single file), each box listing what was read and whom it
// identifies, cleaned with the defaults (the identifying text is blacked out without touching
// Settings), and the check after cleaning green only when the output's header AND pixels were
// searched and read again and are clean; then the box with the name removed and the file cleaned
// again: amber, saying the name is still written in the image and where.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { textOf, waitFor } from './engines/common.mjs';
import { openChecker, waitForFiles } from './flows.mjs';
import { CD_PATIENT, CD_STUDY, ctSlice } from './synthetic.mjs';

const rowsOf = (session) =>
  session.evaluate(() =>
    [...document.querySelectorAll('[data-testid=box-list] li')].map((li) => ({ key: li.dataset.key, identifies: li.dataset.identifies, cleaned: li.dataset.cleaned, text: li.textContent })),
  );

// Opens the one file listed and waits for its pixel verdict (the pixels searched and read).
async function openAndWaitForVerdict(session) {
  await session.click('#file-list button[data-path]');
  await waitFor(session, () => {
    const v = document.querySelector('[data-testid=pixel-verdict]');
    return v && v.dataset.state === 'done';
  }, null, { timeout: 120000, what: 'the pixel verdict' });
}

async function cleanAndCheck(session, what) {
  await session.evaluate(() => {
    const old = document.querySelector('[data-testid=residual]');
    if (old) old.remove();
  });
  await session.click('[data-focus=clean-file]');
  await waitFor(session, () => Boolean(document.querySelector('[data-testid=residual]')), null, { timeout: 120000, what: `the check after cleaning (${what})` });
  return session.evaluate(() => {
    const r = document.querySelector('[data-testid=residual]');
    return { state: r.dataset.state, text: r.textContent };
  });
}

// {url, readerFiles: [rec.onnx, dict.txt] paths to pick (the single file), shots}
export async function burnedInFlow(session, { url, readerFiles, shots }) {
  await openChecker(session, url);
  if (readerFiles) {
    await session.setFiles('#reader-files', readerFiles);
  }
  await session.click('#sample-us-btn');
  await waitForFiles(session, 1);
  // The pixels second: the reader loads (lazily), then the verdict names the patient.
  await openAndWaitForVerdict(session);
  const reader = await session.evaluate(() => document.getElementById('reader').dataset.state);
  assert.equal(reader, 'ready', `${session.engine}: the text reader loaded: ${await textOf(session, '#reader-status')}`);
  assert.match(await textOf(session, '[data-testid=pixel-verdict]'), /identifies someone/, `${session.engine}: the verdict`);
  await waitFor(session, () => document.querySelectorAll('[data-testid=box-list] li').length > 0, null, { timeout: 120000, what: 'the boxes with what was read' });
  const rows = await rowsOf(session);
  const named = rows.find((r) => r.identifies.split(' ').includes('PatientName'));
  assert.ok(named, `${session.engine}: a box reads the patient's name: ${JSON.stringify(rows)}`);
  assert.match(named.text, /the patient's name/, `${session.engine}: said in plain words`);
  assert.equal(named.cleaned, 'true', `${session.engine}: blacked out by default`);
  assert.equal(await session.evaluate(() => document.querySelector('[data-testid=text-panel]').dataset.cleaning), 'identifying', `${session.engine}: clean by default`);
  const risk = await textOf(session, '[data-testid=burned-in-risk]');
  assert.match(risk, /The patient's name .+ is written in the image/i, `${session.engine}: the reason in plain words: ${risk}`);
  await session.screenshot(shots('us-read'));

  // Cleaned with the defaults: the header and the image checked again.
  const clean = await cleanAndCheck(session, 'defaults');
  await session.screenshot(shots('us-cleaned'));
  assert.equal(clean.state, 'clean', `${session.engine}: after cleaning with the defaults: ${clean.text}`);
  assert.match(clean.text, /nothing identifying is left \(the header and the image/, `${session.engine}: ${clean.text}`);

  // The user removes the box over the name: cleaning leaves it, and the page says so.
  await session.click(`[data-testid=box-list] li[data-key="${named.key}"] button`);
  const left = await cleanAndCheck(session, 'a box removed');
  await session.screenshot(shots('us-left'));
  assert.equal(left.state, 'left', `${session.engine}: the name left in the image is reported: ${left.text}`);
  assert.match(left.text, /The patient's name .+ is still written in the image \((upper|lower|top|bottom|left|right|middle)/i, `${session.engine}: what is left and where: ${left.text}`);
  return { boxes: rows.length, read: rows.map((r) => r.text) };
}

// A 512×512 CT slice of a made-up patient with his name and ID written small (DejaVu Sans, 11 px:
// capitals about 8 px) in its lower right corner, as a viewer's export writes them; the text is
// drawn by the engine's own canvas, then written into the stored values here.
async function ctWithName(session) {
  const side = 512;
  const coverage = await session.evaluate((side) => {
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = side;
    const g = canvas.getContext('2d');
    g.fillStyle = '#000';
    g.fillRect(0, 0, side, side);
    g.fillStyle = '#fff';
    g.font = '11px "DejaVu Sans", sans-serif';
    g.textBaseline = 'top';
    g.fillText('Name: ROE, RICHARD', 372, 474);
    g.fillText('ID: RR-4711', 372, 490);
    const d = g.getImageData(0, 0, side, side).data;
    let out = '';
    for (let i = 0; i < d.length; i += 4) out += String.fromCharCode(d[i]);
    return btoa(out);
  }, side);
  const text = Buffer.from(coverage, 'base64');
  const series = { uid: '2.25.27182818.7', number: 7, description: 'EXPORT' };
  const { bytes } = ctSlice({ patient: CD_PATIENT, study: CD_STUDY, series, instance: 1, side, text });
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'leakcheck-ctname-')), 'ct-export.dcm');
  writeFileSync(file, bytes);
  return file;
}

// {url, readerFiles, shots}: the CT's name read and identified, its box blacked out by default,
// green only after the output was checked again.
export async function ctNameFlow(session, { url, readerFiles, shots }) {
  await openChecker(session, url);
  if (readerFiles) await session.setFiles('#reader-files', readerFiles);
  await session.setFiles('#pick-files', [await ctWithName(session)]);
  await waitForFiles(session, 1);
  await openAndWaitForVerdict(session);
  await waitFor(session, () => document.querySelectorAll('[data-testid=box-list] li').length > 0, null, { timeout: 120000, what: 'the boxes with what was read' });
  const rows = await rowsOf(session);
  await session.screenshot(shots('ct-name-read'));
  const named = rows.filter((r) => r.identifies.split(' ').includes('PatientName') || r.identifies.split(' ').includes('PatientID'));
  assert.ok(named.length > 0, `${session.engine}: the name or ID is read and identified: ${JSON.stringify(rows)}`);
  for (const r of named) assert.equal(r.cleaned, 'true', `${session.engine}: blacked out by default: ${r.text}`);
  const clean = await cleanAndCheck(session, 'defaults');
  await session.screenshot(shots('ct-name-cleaned'));
  assert.equal(clean.state, 'clean', `${session.engine}: after cleaning: ${clean.text}`);
  return { boxes: rows.length, read: rows.map((r) => r.text) };
}
