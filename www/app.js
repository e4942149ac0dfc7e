// The page: collects files, has the workers check them (several at a time), shows the results,
// cleans and downloads. All work on file contents happens in the workers (worker.js); nothing
// is sent anywhere (see the Content-Security-Policy in index.html).

import { clear, byId, plural, saveBlob } from './dom.js';
import { createEngine, CancelledError, timeBudgetMs } from './engine.js';
import { filesFromDataTransfer, filesFromInput, isZip, baseName, sameFileKey } from './intake.js';
import { jsonReportHead, jsonReportEntry, JSON_REPORT_TAIL, CSV_REPORT_HEAD, csvReportRows, setCategoryLabels } from './reports.js';
import { createSettings } from './settings.js';
import { fileDetail, renderHex, nameLeaks, pixelVerdictLine } from './views.js';
import { createBatches, status } from './batch.js';
import { createFileList } from './filelist.js';
import { previewPanel, cleanedPreview } from './preview.js';
import { regionsForCleaning, burnedIn, boxesTouched } from './preview-state.js';
import { announce, showSummary, focusKeyOf, restoreFocus } from './focus.js';
import { groupingKeys, groupItems, groupOf, seriesItems, seriesSentence, forgetGroups } from './studies.js';
import { createThumbnails } from './thumbnails.js';
import { openSeries, seriesCard } from './series.js';
import { reportPanel, mayBeReport } from './sr.js';
import { zipEntries, leftOut, showZipSummary, wireKeepPaths, keepPaths } from './fileset.js';
import { createPixelPass, identifying } from './pixelpass.js';
import { createReader } from './reader.js';
import { refreshRisk } from './preview.js';

// `?test-hooks` (the tests only): workers that can spin or grow their memory (for files named
// *.spin, *.grow) or try an upload, and `budget-ms`, `pool`, `zip-max` overrides;
// `bytes-from-page` makes the workers take every file's bytes from the page (as when they
// cannot read Blobs).
const params = new URLSearchParams(location.search);
const testHooks = params.has('test-hooks');
// The text reader (OCR): the workers load it the first time an image is searched; in the
// single file the user picks its files, and then every image is searched again with it.
const reader = createReader({ onLoaded: () => searchImagesAgain() });
const engine = createEngine({ testHooks, bytesFromPage: testHooks && params.has('bytes-from-page'), size: testHooks ? Number(params.get('pool')) || undefined : undefined, reader: reader.hooks });
if (testHooks) {
  // The tests ask a worker to try an upload (it must be blocked): window.leakcheckTestHooks.
  window.leakcheckTestHooks = { tryUploadFromWorker: (url) => engine.request('tryUpload', { url }) };
}
const budgetOverride = testHooks ? Number(params.get('budget-ms')) || null : null;
function budgetFor(blob) {
  return budgetOverride || timeBudgetMs(blob.size);
}

const state = {
  // {id, path, blob, status, summary, transferSyntax, warnings, error, inspectMs, deid, report}
  // `report` (the full one) only for the file on screen.
  items: [],
  selected: null,
  // The key of the series on screen (studies.js), when a series rather than a file is open.
  selectedSeries: null,
  busy: false,
  progress: null,
  version: '',
};
let nextItemId = 1;
const settings = createSettings(engine, () => serial(recheckAll), forgetCleaned);
// Thumbnails of the series in the list, made when no batch runs; the list is redrawn (at most
// once a frame) as they arrive.
let listDrawPending = false;
const thumbnails = createThumbnails({
  request: (item, size) => engine.request('thumbnail', { blob: item.blob, size }, [], { budgetMs: budgetFor(item.blob) }),
  busy: () => state.busy,
  ready() {
    if (listDrawPending) return;
    listDrawPending = true;
    requestAnimationFrame(() => {
      listDrawPending = false;
      renderList();
    });
  },
});
const fileList = createFileList({ state, onSelect: (item) => select(item, true), onSelectSeries: (series) => selectSeries(series, true), thumbnails });
const renderList = () => {
  fileList.render();
  refreshSeriesVerdict();
  thumbnails.pump();
};
// "How it went" lines for batches of 20 files or more; two files per worker in flight.
const batches = createBatches({ state, lanes: engine.size * 2, memory: engine.memoryMax, redraw: renderList, onFilter: (f) => fileList.setFilter(f), bigBatch: 20 });
const runBatch = (items, label, work) => batches.run(items, label, work);
// Pixel verdicts arrive one by one after the header verdicts: the list is redrawn at most
// every 250 ms for them, the open card's verdict at once.
let verdictDrawPending = false;
const pixelPass = createPixelPass({
  engine,
  budgetFor,
  onVerdict(item, burnedIn) {
    if (state.selected === item) {
      item.pixelVerdict = burnedIn;
      showPixelVerdict(item);
    }
    if (verdictDrawPending || state.busy) return;
    verdictDrawPending = true;
    setTimeout(() => {
      verdictDrawPending = false;
      if (!state.busy) renderList();
    }, 250);
  },
});
const batchSummary = (items, label, run) => batches.summarize(items, label, run);

// Batches run one after another: files added during a batch wait for it. The control that
// started a task gets focus back if the task's redraws made it drop (focus.js).
let queue = Promise.resolve();
function serial(task) {
  const focused = focusKeyOf(document.activeElement);
  const run = queue.then(task, task);
  queue = run.catch((e) => status(`Something went wrong: ${e.message}`)).finally(() => restoreFocus(focused));
  return run;
}

// Cleaned copies depend on the key: a new key means cleaning again.
function forgetCleaned() {
  for (const item of state.items) item.deid = null;
  renderList();
  renderDetail();
}

// ---- adding files ----------------------------------------------------------------------------

async function addSources(sources) {
  const added = [];
  const expand = async (path, blob, depth) => {
    if (depth < 2 && (await isZip(blob))) {
      try {
        const { entries } = await engine.request('unzip', { blob }, [], { budgetMs: budgetFor(blob) });
        for (const entry of entries) await expand(`${path}/${entry.name}`, entry.blob, depth + 1);
      } catch (e) {
        if (e instanceof CancelledError) throw e;
        added.push({ id: nextItemId++, path, blob, status: 'error', error: `This zip archive could not be opened: ${e.message}` });
      }
      return;
    }
    added.push({ id: nextItemId++, path, blob, status: 'queued' });
  };
  try {
    for (const { path, blob } of sources) await expand(path, blob, 0);
  } catch (e) {
    if (!(e instanceof CancelledError)) throw e;
  }
  // The same file added twice (the same folder dropped again) is listed once.
  const known = new Set(state.items.map((i) => sameFileKey(i.path, i.blob)));
  const fresh = added.filter((item) => {
    const key = sameFileKey(item.path, item.blob);
    if (known.has(key)) return false;
    known.add(key);
    return true;
  });
  const again = added.length - fresh.length;
  added.length = 0;
  added.push(...fresh);
  if (added.length === 0) {
    status(again ? `${plural(again, 'file')} added again: already in the list.` : 'No files were found in what was added.');
    return;
  }
  if (again) status(`${plural(again, 'file')} already in the list ${again === 1 ? 'was' : 'were'} not added again.`);
  for (const item of added) state.items.push(item);
  byId('results').hidden = false;
  renderList();
  const run = await checkItems(added);
  if (!state.selectedSeries && (!state.selected || !state.items.includes(state.selected))) {
    // The first series of several images with new files and patient information, as the list
    // shows them (a CD's DICOMDIR comes first on disk, but its images matter more); else the
    // first new file with patient information.
    const fresh = new Set(added);
    const series = groupItems(state.items)
      .patients.flatMap((p) => p.studies.flatMap((s) => s.series))
      .find((s) => s.items.length > 1 && s.items.some((i) => fresh.has(i) && i.status === 'leaks'));
    if (series) selectSeries(series, false);
    else select(added.find((i) => i.status === 'leaks') || added[0], false);
  } else {
    renderDetail();
  }
  // The results announce themselves: the summary on screen with focus, its verdict said.
  if (!run.stopped) {
    showSummary();
    announce(fileList.verdictText());
  }
}

// The same strings (patient names, summary sentences, warnings) come back for many files of
// one study: keeping one copy of each keeps a long list small.
const interned = new Map();
function intern(value) {
  if (typeof value === 'string') {
    if (value.length > 512) return value;
    const known = interned.get(value);
    if (known !== undefined) return known;
    if (interned.size < 100000) interned.set(value, value);
    return value;
  }
  if (Array.isArray(value)) return value.map(intern);
  if (value && typeof value === 'object') {
    const out = {};
    for (const [k, v] of Object.entries(value)) out[k] = intern(v);
    return out;
  }
  return value;
}

// What a batch keeps per file: verdict, count, patient name and ID (the list and the
// overview), what groups it into study and series, the transfer syntax and warnings. The full
// report (card, tables) stays in the worker that made it (`item.held`) until the file is opened.
function keepCompact(item, report) {
  const s = report.summary;
  // Patient → study → series (studies.js): a record shared by the series, and two fields.
  const keys = groupingKeys(s, report, intern);
  item.summary = {
    verdict: s.verdict,
    flagged: s.flagged,
    patient_name: intern(s.patient_name || null),
    patient_id: intern(s.patient_id || null),
    says_deidentified: Boolean(s.says_deidentified),
    group: keys.group,
    instance_number: keys.instance_number,
    burned_in_risk: keys.burned_in_risk,
    // A DICOMDIR names its patients in its records (the list and the overview show them).
    is_dicomdir: Boolean(s.is_dicomdir),
    patients: s.is_dicomdir && s.patients ? intern(s.patients) : null,
  };
  item.transferSyntax = intern(report.transfer_syntax);
  item.hasPixels = Boolean(report.has_pixels || report.pixel_data);
  item.warnings = report.warnings && report.warnings.length ? intern(report.warnings) : null;
  item.status = s.verdict === 'leaks' ? 'leaks' : 'clean';
}

function failItem(item, e, what) {
  if (e instanceof CancelledError) {
    item.status = 'stopped';
    throw e;
  }
  item.report = null;
  item.summary = null;
  item.status = e.notDicom ? 'skipped' : 'error';
  item.error = e.notDicom ? e.message : `This file ${what}: ${e.message}`;
  item.budget = e.budget || null;
}

function inspectRequest(item, want) {
  if (testHooks && /\.spin$/.test(item.path)) return engine.request('spin', {}, [], { budgetMs: budgetFor(item.blob) });
  if (testHooks && /\.grow$/.test(item.path)) return engine.request('grow', { mb: 1100 }, [], { budgetMs: budgetFor(item.blob) });
  return engine.request('inspectFile', { blob: item.blob, options: settings.chosen(), want }, [], { budgetMs: budgetFor(item.blob) });
}

// The whole reports kept in the workers' modules for `items` (see worker.js `heldReport`) are
// let go: the files were cleared, or are being checked again.
function releaseHeld(items) {
  const byWorker = new Map();
  for (const item of items) {
    if (!item.held) continue;
    const { worker, handle } = item.held;
    if (!byWorker.has(worker)) byWorker.set(worker, []);
    byWorker.get(worker).push(handle);
    item.held = null;
  }
  // A worker that was replaced took its reports with it: the request then does nothing.
  for (const [worker, handles] of byWorker) engine.request('releaseHeld', { handles, held: true }, [], { worker }).catch(() => {});
}

async function inspectItem(item) {
  try {
    const options = JSON.stringify(settings.chosen());
    const { report, inspectMs, held, worker } = await inspectRequest(item, 'summary');
    keepCompact(item, report);
    // The whole report stays in that worker's module, for when the file is opened.
    item.held = held ? { worker, handle: held, options } : null;
    item.report = null;
    item.inspectMs = inspectMs;
    item.error = null;
    item.budget = null;
    item.damaged = null;
  } catch (e) {
    failItem(item, e, 'could not be read');
    // A damaged file still names people: say whom, from the part before the damage.
    if (item.status === 'error' && !item.budget && typeof e.offset === 'number') {
      try {
        item.damaged = (await engine.request('damaged', { blob: item.blob, options: settings.chosen() }, [], { budgetMs: budgetFor(item.blob) })).damaged;
      } catch (again) {
        if (again instanceof CancelledError) throw again;
        item.damaged = null;
      }
    }
  }
}

async function checkItems(items) {
  for (const item of items) item.deid = null;
  // Their reports are made anew: the kept ones are let go (one request per worker).
  releaseHeld(items);
  const run = await runBatch(items, 'Checking', inspectItem);
  if (run.stopped) {
    for (const item of items) if (item.status === 'queued') item.status = 'stopped';
  }
  // The run's one duration, shown in the summary (and the how-it-went line).
  state.lastRun = run.stopped ? null : { files: items.length, seconds: run.seconds };
  batchSummary(items, 'Checking', run);
  renderList();
  renderDetail();
  // Pixels second: every header verdict is on screen; the pixel searches follow.
  if (!run.stopped) pixelPass.add(items);
  return run;
}

// Options changed: the reports depend on them, so every readable file is checked again.
async function recheckAll() {
  const items = state.items.filter((i) => i.status !== 'skipped');
  if (items.length) {
    status('Options changed: checking the files again.');
    // An open series' table of findings depends on the options: read again.
    if (openedSeries) Object.assign(openedSeries, { table: null, reading: null });
    const run = await checkItems(items);
    // Said, but focus stays with the option the user just changed.
    if (!run.stopped) {
      status('');
      announce(fileList.verdictText());
    }
  }
}

// The full report of the file on screen (element table, hex view, before/after): the one its
// worker kept (flagged first, the rest crossed now), else read again from its File; only this
// one file's details are kept.
let detailRequest = 0;
async function loadDetail(item) {
  const request = ++detailRequest;
  item.loading = true;
  try {
    const options = settings.chosen();
    // The report the batch's check kept in its worker, when it was made with these options;
    // else (or when the worker let it go) the file is inspected again.
    const held = item.held && item.held.options === JSON.stringify(options) ? item.held : null;
    const r = await engine.request('heldReport', { held: held && held.handle, blob: item.blob, options }, [], { budgetMs: budgetFor(item.blob), worker: held ? held.worker : undefined });
    let before = null;
    let after = null;
    if (item.deid) {
      before = r.report;
      const a = await engine.request('inspectFile', { blob: item.deid.blob, options, want: 'full' }, [], { budgetMs: budgetFor(item.deid.blob) });
      after = a.report;
      // Cleaned in a batch: the output's pixels are searched now, for the check after cleaning.
      if (!item.deid.pixelsAfter && after.pixel_data) {
        item.deid.pixelsAfter = (await engine.request('searchPixels', { blob: item.deid.blob }, [], { budgetMs: budgetFor(item.deid.blob) })).burnedIn;
      }
    }
    if (request !== detailRequest || state.selected !== item) return;
    for (const other of state.items) if (other !== item && other.report) other.report = null;
    item.report = r.report;
    // Whether the details came from the report the batch kept (not inspected again).
    item.detailFromHeld = Boolean(r.fromHeld);
    if (typeof r.inspectMs === 'number') item.inspectMs = r.inspectMs;
    if (item.deid) Object.assign(item.deid, { before, after });
  } catch (e) {
    if (request !== detailRequest || state.selected !== item) return;
    if (!(e instanceof CancelledError)) item.detailError = e.message;
  } finally {
    item.loading = false;
  }
  if (state.selected === item) renderDetail();
}

// ---- cleaning and downloads ------------------------------------------------------------------

// <name>.deid.dcm; a neutral name when the file's name repeats the patient's name or ID and
// the user did not ask to keep names (Settings).
function cleanName(item) {
  if (!keepPaths() && nameLeaks(item).length) return 'cleaned.deid.dcm';
  return `${baseName(item.path).replace(/\.(dcm|dicom|dic)$/i, '')}.deid.dcm`;
}

// The options to clean `item` with: the chosen ones, and Clean Pixel Data (PS3.15 E.3.1) by
// default when its image shows text that identifies someone (previewContext.textCleaning).
function optionsFor(item) {
  const chosen = settings.chosen().filter((o) => o !== 'clean-pixel-data' && o !== 'clean-all-pixel-text');
  const cleaning = previewContext.textCleaning(item);
  if (cleaning === 'all') return [...chosen, 'clean-all-pixel-text'];
  if (cleaning === 'identifying') return [...chosen, 'clean-pixel-data'];
  return chosen;
}

async function deidentifyItem(item, key, want) {
  try {
    // The boxes as the user left them on the preview (undefined: the core's own).
    const options = optionsFor(item);
    const how = previewContext.textCleaning(item);
    const regions = how === 'none' ? undefined : regionsForCleaning(item, how);
    const r = await engine.request('deidentifyFile', { blob: item.blob, options, key, want, regions }, [], { budgetMs: budgetFor(item.blob) * 2 });
    keepCompact(item, r.before);
    item.deid = {
      name: cleanName(item),
      blob: r.output,
      before: want === 'full' ? r.before : null,
      after: r.after || null,
      residual: r.residual,
      // The output's pixels searched and read again (null: not checked yet, or no image).
      pixelsAfter: r.pixelsAfter || null,
      changes: r.changes,
      warnings: intern(r.warnings),
      sopInstanceUid: r.sopInstanceUid,
      recordKeys: r.recordKeys,
      patientKey: r.patientKey,
    };
    if (want === 'full') item.report = r.before;
  } catch (e) {
    if (e instanceof CancelledError) throw e;
    item.deid = null;
    failItem(item, e, 'could not be cleaned');
  }
}

// Cleans the given files (those not cleaned yet with the current options) and downloads the
// result: one file as <name>.deid.dcm, several as one zip (streamed; several when over 4 GB).
async function cleanAndDownload(items) {
  if (state.busy) return;
  const readable = items.filter((i) => i.summary && (i.status === 'leaks' || i.status === 'clean'));
  if (readable.length === 0) {
    status('There is no readable DICOM file to clean.');
    return;
  }
  if (readable.length === 1 && readable[0].summary.is_dicomdir) {
    // Cleaned on its own, a DICOMDIR would keep offsets and file IDs that no longer fit.
    status('A DICOMDIR is the index of the files of its folder: it is written anew, over the cleaned files, when the whole folder is cleaned (Remove patient information and download all).');
    return;
  }
  const key = await settings.keyForCleaning();
  const todo = readable.filter((i) => !i.deid);
  // One file: its before/after view right away. Many: compact results, details on demand.
  const want = todo.length === 1 ? 'full' : 'summary';
  const run = await runBatch(todo, 'Cleaning', (item) => deidentifyItem(item, key, want));
  batchSummary(todo, 'Cleaning', run);
  for (const item of readable) if (item.deid) item.deid.unsaved = false;
  renderList();
  renderDetail();
  if (run.stopped) return;
  const done = readable.filter((i) => i.deid);
  if (done.length === 0) return;
  const residual = done.reduce((n, i) => n + i.deid.residual.length, 0);
  const keyNote = settings.hasUserKey() ? '' : ' A one-time key was used: make or load a key (Settings) to get the same new IDs next time.';
  const residualNote = residual ? ` Warning: ${plural(residual, 'element')} may still identify someone.` : '';
  if (done.length === 1 && !done[0].summary.is_dicomdir) {
    saveBlob(done[0].deid.blob, done[0].deid.name);
    status(`Cleaned file saved as ${done[0].deid.name}.${residualNote}${keyNote}`);
    return;
  }
  let set;
  try {
    set = await zipEntries((type, payload) => engine.request(type, payload, [], { budgetMs: timeBudgetMs(0) }), done);
  } catch (e) {
    status(`The cleaned files could not be arranged for the zip archive: ${e.message}`);
    return;
  }
  const { files, dicomdirs, kept } = set;
  const total = files.reduce((n, f) => n + f.blob.size, 0);
  const packing = batches.track('Packing into a zip archive:', files.length);
  try {
    status('Packing the cleaned files into a zip archive…');
    const maxArchive = testHooks ? Number(params.get('zip-max')) || undefined : undefined;
    const { archives, failed } = await engine.request('zip', { files, maxArchive }, [], { budgetMs: timeBudgetMs(total) * 2, onProgress: packing.update });
    packing.end();
    const names = archives.map((_, i) => (i === 0 ? 'dicom-leakcheck-cleaned.zip' : `dicom-leakcheck-cleaned-${i + 1}.zip`));
    archives.forEach((blob, i) => saveBlob(blob, names[i]));
    const split = archives.length > 1 ? ` The files were split into ${archives.length} archives (${names.join(', ')}): one zip archive can hold at most 4 GB here.` : '';
    const saved = files.length - failed.length;
    const { out, notIndexed } = leftOut(items, failed, dicomdirs, done);
    const left = out.length ? ` Not in the archive: ${out.slice(0, 5).map((f) => `${f.path} (${f.why})`).join('; ')}${out.length > 5 ? ` and ${out.length - 5} more (listed above)` : ''}.` : '';
    const where = kept ? 'same folders and file names as before' : 'neutral folder and file names; the report says which is which';
    status(`${plural(saved, 'cleaned file')} saved in ${names[0]} (${where}).${split}${left}${residualNote}${keyNote}`);
    showZipSummary({ saved, names, dicomdirs, kept, out, notIndexed });
  } catch (e) {
    packing.end();
    status(e instanceof CancelledError ? 'Stopped.' : `The zip archive could not be made: ${e.message}`);
  }
}

// Cleans one file without saving it, so the user can check the cleaned image first. The
// download button then saves this same output: item.deid is dropped whenever the options, the
// key or the boxes change (forgetCleaned, onRegionsChange), so it is never out of date.
async function cleanForPreview(item) {
  if (state.busy) return;
  if (!item.deid) {
    const key = await settings.keyForCleaning();
    const run = await runBatch([item], 'Cleaning', (it) => deidentifyItem(it, key, 'full'));
    batchSummary([item], 'Cleaning', run);
  }
  if (item.deid) {
    item.deid.unsaved = true;
    status('Not saved yet: check the image, then download.');
  }
  renderList();
  renderDetail();
}

function reportContext() {
  return { version: state.version, options: settings.chosen() };
}

// The reports list every flagged element of every file: those are read again (in the workers,
// in parallel) rather than kept for every file of a long list. Entries are written in the
// list's order as soon as the files before them are done, and folded into a Blob every 4 MB,
// so a report of 10,000 files never sits in the JS heap.
async function downloadReport(kind) {
  if (state.busy) return;
  const items = state.items;
  const index = new Map(items.map((item, i) => [item, i]));
  const parts = [];
  let text = [];
  let textLength = 0;
  const write = (piece) => {
    text.push(piece);
    textLength += piece.length;
    if (textLength > 4 * 1024 * 1024) {
      parts.push(new Blob(text));
      text = [];
      textLength = 0;
    }
  };
  write(kind === 'json' ? jsonReportHead(reportContext()) : CSV_REPORT_HEAD);
  const ready = new Map();
  let written = 0;
  const flush = () => {
    while (written < items.length && (ready.has(written) || !items[written].summary)) {
      const item = items[written];
      const full = ready.get(written) || null;
      ready.delete(written);
      write(kind === 'json' ? jsonReportEntry(item, full, written === 0) : csvReportRows(item, full));
      written += 1;
    }
  };
  flush();
  const readable = items.filter((i) => i.summary);
  const run = await runBatch(readable, 'Making the report:', async (item) => {
    let full = null;
    try {
      const { report } = await engine.request('inspectFile', { blob: item.blob, options: settings.chosen(), want: 'findings' }, [], { budgetMs: budgetFor(item.blob) });
      full = { summary: report.summary, findings: report.findings };
    } catch (e) {
      if (e instanceof CancelledError) throw e;
    }
    ready.set(index.get(item), full);
    flush();
  });
  renderDetail();
  if (run.stopped) return;
  if (kind === 'json') write(JSON_REPORT_TAIL);
  parts.push(new Blob(text));
  const type = kind === 'json' ? 'application/json' : 'text/csv';
  saveBlob(new Blob(parts, { type }), `dicom-leakcheck-report.${kind}`);
  status(`The report of ${plural(items.length, 'file')} was saved.`);
}

// ---- rendering -------------------------------------------------------------------------------

function renderDetail() {
  // A control of the card that had focus gets it back in the redrawn card.
  const focused = byId('detail').contains(document.activeElement) ? focusKeyOf(document.activeElement) : null;
  const box = clear(byId('detail'));
  if (state.selectedSeries) {
    renderSeries(box);
    restoreFocus(focused);
    return;
  }
  const item = state.selected;
  if (!item) return;
  box.append(
    fileDetail(item, {
      busy: state.busy,
      onClean: (it) => serial(() => cleanAndDownload([it])),
      onShowCleaned: (it) => serial(() => cleanForPreview(it)),
      pixelCleaning: previewContext.pixelCleaning,
      textCleaning: previewContext.textCleaning,
      showBytes,
      preview: (item) => previewPanel(item, previewContext),
      cleanedPreview: (item) => cleanedPreview(item, previewContext),
      reportContent: (item) => (mayBeReport(item.report) ? reportPanel(item, previewContext, settings.chosen()) : null),
    }),
  );
  restoreFocus(focused);
  // Details are read again when needed (compact results keep only the summary).
  const needsReport = item.summary && !item.report;
  const needsDiff = item.deid && !item.deid.after;
  if ((needsReport || needsDiff) && !item.detailError && !item.loading) loadDetail(item);
}

// A pixel verdict arrived for the open file: its line in the card and the risk over its image.
function showPixelVerdict(item) {
  const card = document.getElementById(`detail-${item.id}`);
  if (!card) return;
  const line = card.querySelector('[data-testid=pixel-verdict]');
  if (line) line.replaceWith(pixelVerdictLine(item));
  refreshRisk(card, item);
}

// What the image preview (preview.js) may use: the workers, the chosen options, and a way to
// say that the boxes to black out changed (a cleaned copy made before is then out of date).
// Preview requests are pinned to one worker, which keeps the previewed file's bytes.
const previewContext = {
  request: (type, payload) => engine.request(type, payload, [], { pin: 'preview', budgetMs: budgetFor(payload.blob) }),
  pixelCleaning: () => settings.chosen().includes('clean-pixel-data') || settings.chosen().includes('clean-all-pixel-text'),
  // How a file's burned-in text is cleaned: 'all' (every text found), 'identifying' (what
  // identifies someone, the known screen layouts, and all text on images that routinely carry
  // it: the core's Clean Pixel Data) or 'none'. The user's choice for the file (the image
  // panel), else the Settings, else 'identifying' when the image shows identifying text.
  textCleaning(item) {
    if (item.textCleaning) return item.textCleaning;
    const chosen = settings.chosen();
    if (chosen.includes('clean-all-pixel-text')) return 'all';
    if (chosen.includes('clean-pixel-data')) return 'identifying';
    const b = burnedIn(item);
    const found = b && b.regions ? b.regions.filter(identifying).length : (item.pixels && item.pixels.identifying) || 0;
    return found || boxesTouched(item) ? 'identifying' : 'none';
  },
  setTextCleaning(item, how) {
    item.textCleaning = how;
    previewContext.onRegionsChange(item);
  },
  identifiedWords: {},
  onRegionsChange(item) {
    if (!item.deid) return;
    item.deid = null;
    renderList();
    for (const stale of document.querySelectorAll(`#detail-${item.id} .diff, #detail-${item.id} [data-testid=not-saved]`)) stale.remove();
  },
};

// ---- a series open as one (series.js) -----------------------------------------------------

let openedSeries = null;
let nextSeriesId = 1;

// The open series as it is now (files may have been added or cleared), when it still has
// several images.
function currentSeries() {
  if (!openedSeries) return null;
  const items = seriesItems(state.items, openedSeries.identity);
  if (items.length < 2) return null;
  const g = groupOf(items[0]);
  return { key: openedSeries.key, identity: openedSeries.identity, items, number: g.series_number, description: g.series_description, kind: g.kind };
}

function renderSeries(box) {
  const series = currentSeries();
  if (!series) {
    // Its files were cleared or no longer form a series.
    leaveSeries();
    return;
  }
  box.append(
    seriesCard(series, openedSeries, {
      request: previewContext.request,
      pixelCleaning: previewContext.pixelCleaning,
      onRegionsChange() {},
      readFindings: (item) => engine.request('inspectFile', { blob: item.blob, options: settings.chosen(), want: 'findings' }, [], { budgetMs: budgetFor(item.blob) }).then((r) => r.report.findings),
      lanes: engine.size * 2,
      busy: state.busy,
      onOpenFile: (item) => select(item, true),
      onClean: (list) => serial(() => cleanAndDownload(list)),
    }),
  );
}

// The open series' sentence as its pixel verdicts arrive (with every redraw of the list).
function refreshSeriesVerdict() {
  if (!openedSeries) return;
  const series = currentSeries();
  const line = series && document.querySelector(`#detail-${openedSeries.id} [data-testid=series-summary]`);
  if (line) line.textContent = `${seriesSentence(series)}.`;
}

function leaveSeries() {
  if (openedSeries) {
    // Stops reading its findings; its decoded slices are dropped.
    openedSeries.reading = null;
    if (openedSeries.view) openedSeries.view.cache.clear();
  }
  openedSeries = null;
  state.selectedSeries = null;
}

function selectSeries(series, focus) {
  if (state.selected) dropSelected();
  state.selected = null;
  if (!openedSeries || openedSeries.key !== series.key) {
    leaveSeries();
    openedSeries = openSeries(series, `s${nextSeriesId++}`);
  }
  state.selectedSeries = series.key;
  renderList();
  renderDetail();
  if (focus) {
    const heading = document.querySelector(`#detail-${openedSeries.id} h3`);
    if (heading) heading.focus();
  }
}

// The text reader was loaded after images were searched without it: every image is searched
// again (their text is now read), and the open file's image with it.
function searchImagesAgain() {
  const items = state.items.filter((i) => i.hasPixels);
  for (const item of items) {
    item.pixels = null;
    item.pixelVerdict = null;
    item.deid = null;
    if (item.view) Object.assign(item.view, { loaded: false, burnedIn: null });
  }
  pixelPass.add(items);
  renderList();
  renderDetail();
}

// What the file on screen held that no other needs: its full report, its decoded frames.
function dropSelected() {
  state.selected.report = null;
  state.selected.detailError = null;
  state.selected.pixelVerdict = null;
  if (state.selected.deid) Object.assign(state.selected.deid, { before: null, after: null });
  // Decoded frames are dropped; the boxes the user drew or removed stay with the file.
  if (state.selected.view) state.selected.view.cache.clear();
}

function select(item, focus) {
  leaveSeries();
  if (state.selected && state.selected !== item) dropSelected();
  state.selected = item;
  renderList();
  renderDetail();
  if (focus) {
    const heading = document.querySelector(`#detail-${item.id} h3`);
    if (heading) heading.focus();
  }
}

// Opens the hex view of the selected file at `offset`. Reads the file's first 32 MB at most:
// the flagged elements are in the header, not in the pixel data at the end.
const HEX_READ = 32 * 1024 * 1024;
let hexRequest = 0;
async function showBytes(item, offset, keepFocus) {
  const panel = byId(`hex-${item.id}`);
  if (!panel) return;
  const request = ++hexRequest;
  panel.querySelector('.hex-body').dataset.from = 'loading';
  panel.open = true;
  const blob = item.blob.size > HEX_READ ? item.blob.slice(0, Math.max(HEX_READ, offset + 65536)) : item.blob;
  const bytes = new Uint8Array(await blob.arrayBuffer());
  if (request !== hexRequest || !panel.isConnected) return;
  const line = renderHex(panel, item, bytes, offset);
  if (line && !keepFocus) {
    line.scrollIntoView({ block: 'center' });
    panel.querySelector('.hex-lines').focus({ preventScroll: true });
  }
}

// ---- wiring ----------------------------------------------------------------------------------

function wireDropZone() {
  const zone = byId('drop');
  let depth = 0;
  zone.addEventListener('dragenter', (e) => {
    e.preventDefault();
    depth += 1;
    zone.classList.add('dragging');
  });
  zone.addEventListener('dragover', (e) => {
    e.preventDefault();
    if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
  });
  zone.addEventListener('dragleave', () => {
    depth = Math.max(0, depth - 1);
    if (depth === 0) zone.classList.remove('dragging');
  });
  zone.addEventListener('drop', async (e) => {
    e.preventDefault();
    depth = 0;
    zone.classList.remove('dragging');
    if (!e.dataTransfer) return;
    const sources = await filesFromDataTransfer(e.dataTransfer);
    await serial(() => addSources(sources));
  });
  // A file dropped anywhere else must not make the browser open it instead.
  window.addEventListener('dragover', (e) => e.preventDefault());
  window.addEventListener('drop', (e) => e.preventDefault());
}

function wireButtons() {
  for (const [button, input] of [
    ['pick-files-btn', 'pick-files'],
    ['pick-folder-btn', 'pick-folder'],
  ]) {
    byId(button).addEventListener('click', () => byId(input).click());
    byId(input).addEventListener('change', async (e) => {
      const sources = filesFromInput(e.target);
      e.target.value = '';
      await serial(() => addSources(sources));
    });
  }
  byId('sample-btn').addEventListener('click', async () => {
    await serial(async () => {
      const { name, blob } = await engine.request('sample');
      await addSources([{ path: name, blob }]);
    });
  });
  byId('sample-us-btn').addEventListener('click', async () => {
    await serial(async () => {
      const { name, blob } = await engine.request('sampleUltrasound');
      await addSources([{ path: name, blob }]);
    });
  });
  byId('cancel-btn').addEventListener('click', () => {
    batches.stop();
    pixelPass.clear();
    engine.cancel();
  });
  byId('clean-btn').addEventListener('click', () => serial(() => cleanAndDownload(state.items)));
  byId('report-json-btn').addEventListener('click', () => serial(() => downloadReport('json')));
  byId('report-csv-btn').addEventListener('click', () => serial(() => downloadReport('csv')));
  byId('clear-btn').addEventListener('click', () => {
    pixelPass.clear();
    if (state.busy) engine.cancel();
    releaseHeld(state.items);
    state.items = [];
    state.selected = null;
    leaveSeries();
    state.lastRun = null;
    thumbnails.clear();
    forgetGroups();
    interned.clear();
    byId('batch-summary').hidden = true;
    byId('results').hidden = true;
    renderList();
    renderDetail();
    status('The list is cleared.');
  });
}

async function main() {
  wireDropZone();
  wireButtons();
  fileList.wire();
  settings.wireKey();
  reader.wire();
  wireKeepPaths(() => byId('zip-summary').hidden = true);
  try {
    const t = performance.now();
    const info = await engine.request('init');
    state.version = info.version;
    byId('version').textContent = info.version;
    settings.renderOptions(info.options);
    setCategoryLabels(info.categories);
    previewContext.identifiedWords = info.identifiedWords || {};
    document.body.dataset.ready = 'true';
    document.body.dataset.pool = String(engine.size);
    document.body.dataset.ranges = String(info.ranges);
    // "page" when the workers cannot read Blobs and are given the bytes by the page.
    document.body.dataset.bytesFrom = info.blobsReadable ? 'worker' : 'page';
    document.body.dataset.initMs = (performance.now() - t).toFixed(0);
  } catch (e) {
    status(`The checker could not start in this browser: ${e.message}`);
    document.body.dataset.ready = 'failed';
  }
}

main();
