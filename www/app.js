// The page: collects files, has the worker check them one by one, shows the results, cleans
// and downloads. All work on file contents happens in the worker (worker.js); nothing is sent
// anywhere (see the Content-Security-Policy in index.html).

import { h, clear, byId, plural, saveBlob } from './dom.js';
import { createEngine, CancelledError } from './engine.js';
import { filesFromDataTransfer, filesFromInput, isZip, baseName } from './intake.js';
import { jsonReport, csvReport } from './reports.js';
import { createSettings } from './settings.js';
import { verdictBadge, fileDetail, renderHex } from './views.js';
import { previewPanel, cleanedPreview } from './preview.js';
import { regionsForCleaning } from './preview-state.js';

const engine = createEngine();
const state = {
  items: [], // {id, path, blob, status, report, error, inspectMs, deid}
  selected: null,
  busy: false,
  version: '',
};
let nextItemId = 1;
// Set by the Stop button; a batch checks it between files (the worker may be idle then).
let stopRequested = false;
const settings = createSettings(engine, () => serial(recheckAll), forgetCleaned);

// Batches run one after another: files added during a batch wait for it.
let queue = Promise.resolve();
function serial(task) {
  const run = queue.then(task, task);
  queue = run.catch((e) => status(`Something went wrong: ${e.message}`));
  return run;
}

// Cleaned copies depend on the key: a new key means cleaning again.
function forgetCleaned() {
  for (const item of state.items) item.deid = null;
  renderList();
  renderDetail();
}

// ---- batches ---------------------------------------------------------------------------------

// Runs `work(item)` for each item in turn, with the progress bar and the Stop button.
// Returns false when stopped.
async function runBatch(items, label, work) {
  if (items.length === 0) return true;
  state.busy = true;
  document.body.classList.add('busy');
  const box = byId('progress');
  const bar = byId('progress-bar');
  const text = byId('progress-label');
  box.hidden = false;
  updateActivity();
  bar.max = items.length;
  bar.value = 0;
  let stopped = false;
  const t = performance.now();
  let shown = t;
  stopRequested = false;
  try {
    for (let i = 0; i < items.length; i++) {
      if (stopRequested) {
        stopped = true;
        break;
      }
      text.textContent = `${label} ${i + 1} of ${items.length}: ${items[i].path}`;
      try {
        await work(items[i]);
      } catch (e) {
        if (e instanceof CancelledError) {
          stopped = true;
          break;
        }
        throw e;
      }
      bar.value = i + 1;
      // Redraw the list now and then, not after every file (long batches).
      if (performance.now() - shown > 400) {
        renderList();
        shown = performance.now();
      }
    }
  } finally {
    state.busy = false;
    document.body.classList.remove('busy');
    box.hidden = true;
    updateActivity();
  }
  const seconds = ((performance.now() - t) / 1000).toFixed(1);
  const done = { Checking: 'Checked', Cleaning: 'Cleaned' }[label] || label;
  status(stopped ? `Stopped. ${label} was interrupted.` : `${done} ${plural(items.length, 'file')} in ${seconds} s.`);
  return !stopped;
}

// Messages and the progress bar live in a bar fixed to the bottom of the window, so they are
// seen wherever the user is on the page.
function status(message) {
  byId('status').textContent = message;
  byId('status-close').hidden = !message;
  updateActivity();
}

function updateActivity() {
  const active = !byId('progress').hidden || Boolean(byId('status').textContent);
  byId('activity').classList.toggle('active', active);
}

// ---- adding files ----------------------------------------------------------------------------

async function addSources(sources) {
  const added = [];
  const expand = async (path, blob, depth) => {
    if (depth < 2 && (await isZip(blob))) {
      try {
        const buffer = await blob.arrayBuffer();
        const { entries } = await engine.request('unzip', { buffer }, [buffer]);
        for (const entry of entries) await expand(`${path}/${entry.name}`, new Blob([entry.buffer]), depth + 1);
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
  if (added.length === 0) {
    status('No files were found in what was added.');
    return;
  }
  state.items.push(...added);
  byId('results').hidden = false;
  renderList();
  await checkItems(added);
  if (!state.selected || !state.items.includes(state.selected)) {
    select(added.find((i) => i.status === 'leaks') || added[0], false);
  } else {
    renderDetail();
  }
}

async function inspectItem(item) {
  const buffer = await item.blob.arrayBuffer();
  try {
    const { report, inspectMs } = await engine.request('inspect', { buffer, options: settings.chosen() }, [buffer]);
    item.report = report;
    item.inspectMs = inspectMs;
    item.error = null;
    item.status = report.summary.verdict === 'leaks' ? 'leaks' : 'clean';
  } catch (e) {
    if (e instanceof CancelledError) {
      item.status = 'stopped';
      throw e;
    }
    item.report = null;
    item.status = e.notDicom ? 'skipped' : 'error';
    item.error = e.notDicom ? e.message : `This file could not be read: ${e.message}`;
  }
}

async function checkItems(items) {
  for (const item of items) item.deid = null;
  const ok = await runBatch(items, 'Checking', inspectItem);
  if (!ok) {
    for (const item of items) if (item.status === 'queued') item.status = 'stopped';
  }
  renderList();
  renderDetail();
}

// Options changed: the reports depend on them, so every readable file is checked again.
async function recheckAll() {
  const items = state.items.filter((i) => i.status !== 'skipped');
  if (items.length) {
    status('Options changed: checking the files again.');
    await checkItems(items);
  }
}

// ---- cleaning and downloads ------------------------------------------------------------------

function cleanName(path) {
  return `${baseName(path).replace(/\.(dcm|dicom|dic)$/i, '')}.deid.dcm`;
}

async function deidentifyItem(item, key) {
  const buffer = await item.blob.arrayBuffer();
  try {
    const regions = regionsForCleaning(item);
    const r = await engine.request('deidentify', { buffer, options: settings.chosen(), key, regions }, [buffer]);
    item.report = r.before;
    item.deid = {
      name: cleanName(item.path),
      blob: new Blob([r.output], { type: 'application/dicom' }),
      before: r.before,
      after: r.after,
      residual: r.residual,
      changes: r.changes,
      warnings: r.warnings,
      sopInstanceUid: r.sopInstanceUid,
    };
  } catch (e) {
    if (e instanceof CancelledError) throw e;
    item.deid = null;
    item.status = 'error';
    item.error = `This file could not be cleaned: ${e.message}`;
  }
}

// Cleans the given files (those not cleaned yet with the current options) and downloads the
// result: one file as <name>.deid.dcm, several as one zip.
async function cleanAndDownload(items) {
  if (state.busy) return;
  const readable = items.filter((i) => i.report && (i.status === 'leaks' || i.status === 'clean'));
  if (readable.length === 0) {
    status('There is no readable DICOM file to clean.');
    return;
  }
  const key = await settings.keyForCleaning();
  const todo = readable.filter((i) => !i.deid);
  const ok = await runBatch(todo, 'Cleaning', (item) => deidentifyItem(item, key));
  renderList();
  renderDetail();
  if (!ok) return;
  const done = readable.filter((i) => i.deid);
  if (done.length === 0) return;
  const residual = done.reduce((n, i) => n + i.deid.residual.length, 0);
  const keyNote = settings.hasUserKey() ? '' : ' A one-time key was used: make or load a key (Settings) to get the same new IDs next time.';
  if (done.length === 1) {
    saveBlob(done[0].deid.blob, done[0].deid.name);
    status(`Cleaned file saved as ${done[0].deid.name}.${residual ? ` Warning: ${plural(residual, 'element')} may still identify someone.` : ''}${keyNote}`);
    return;
  }
  const files = [];
  const used = new Set();
  for (const item of done) {
    let name = `dicom-leakcheck-cleaned/${item.path}`;
    for (let n = 2; used.has(name); n++) name = `dicom-leakcheck-cleaned/${item.path} (${n})`;
    used.add(name);
    files.push({ name, buffer: await item.deid.blob.arrayBuffer() });
  }
  try {
    status('Packing the cleaned files into a zip archive…');
    const { chunks } = await engine.request('zip', { files }, files.map((f) => f.buffer));
    saveBlob(new Blob(chunks, { type: 'application/zip' }), 'dicom-leakcheck-cleaned.zip');
    status(`${plural(done.length, 'cleaned file')} saved in dicom-leakcheck-cleaned.zip (same folders and file names as before).${residual ? ` Warning: ${plural(residual, 'element')} may still identify someone.` : ''}${keyNote}`);
  } catch (e) {
    status(e instanceof CancelledError ? 'Stopped.' : `The zip archive could not be made: ${e.message}`);
  }
}

function reportContext() {
  return { version: state.version, options: settings.chosen() };
}

// ---- rendering -------------------------------------------------------------------------------

function renderOverview() {
  const box = clear(byId('overview'));
  const items = state.items;
  const count = (s) => items.filter((i) => i.status === s).length;
  const patients = new Map();
  let flagged = 0;
  for (const item of items) {
    if (!item.report) continue;
    flagged += item.report.summary.flagged;
    const s = item.report.summary;
    if (s.patient_name || s.patient_id) {
      const label = [s.patient_name, s.patient_id ? `ID ${s.patient_id}` : null].filter(Boolean).join(', ');
      patients.set(label, (patients.get(label) || 0) + 1);
    }
  }
  const leaks = count('leaks');
  const checked = leaks + count('clean');
  const headline = leaks
    ? `Patient information found in ${leaks} of ${plural(checked, 'file')}.`
    : checked
      ? `Nothing identifying found in ${plural(checked, 'file')}.`
      : 'No DICOM file checked yet.';
  const parts = [
    [count('clean'), 'with nothing identifying'],
    [count('skipped'), 'skipped (not DICOM)'],
    [count('error'), 'could not be read'],
    [count('stopped'), 'not checked (stopped)'],
    [count('queued'), 'waiting to be checked'],
  ].filter(([n]) => n > 0);
  box.append(
    h('p', { class: 'headline', 'data-testid': 'overview' }, headline),
    h(
      'ul',
      { class: 'overview-facts' },
      h('li', {}, plural(flagged, 'element'), ' that would be removed or changed'),
      h('li', {}, plural(patients.size, 'patient'), patients.size ? ': ' : '', [...patients.entries()].slice(0, 8).map(([label, n], i) => [i ? '; ' : '', h('strong', {}, label), n > 1 ? ` (${n} files)` : ''])),
      patients.size > 8 ? h('li', {}, `and ${patients.size - 8} more patients`) : null,
      parts.length ? h('li', {}, parts.map(([n, what]) => `${plural(n, 'file')} ${what}`).join('; ')) : null,
    ),
  );
}

function renderList() {
  renderOverview();
  const list = clear(byId('file-list'));
  for (const item of state.items) {
    const s = item.report && item.report.summary;
    const extra = s ? [s.patient_name, s.flagged ? `${s.flagged} to remove or change` : null].filter(Boolean).join(' · ') : item.error || '';
    list.append(
      h(
        'li',
        {},
        h(
          'button',
          {
            type: 'button',
            class: 'file-row',
            'aria-current': state.selected === item ? 'true' : null,
            'data-status': item.status,
            onclick: () => select(item, true),
          },
          verdictBadge(item.status),
          h('span', { class: 'file-name' }, item.path),
          baseName(item.path).toUpperCase() === 'DICOMDIR' ? h('span', { class: 'pill' }, 'index of the folder') : null,
          h('span', { class: 'file-extra' }, extra),
          item.deid ? h('span', { class: 'pill pill-ok' }, 'cleaned') : null,
        ),
      ),
    );
  }
  const readable = state.items.some((i) => i.report);
  byId('clean-btn').disabled = !readable || state.busy;
  byId('clean-btn').textContent = state.items.filter((i) => i.report).length > 1 ? 'Remove patient information and download all (zip)' : 'Remove patient information and download';
}

function renderDetail() {
  const box = clear(byId('detail'));
  if (!state.selected) return;
  box.append(
    fileDetail(state.selected, {
      busy: state.busy,
      onClean: (item) => serial(() => cleanAndDownload([item])),
      showBytes,
      preview: (item) => previewPanel(item, previewContext),
      cleanedPreview: (item) => cleanedPreview(item, previewContext),
    }),
  );
}

// What the image preview (preview.js) may use: the worker, the chosen options, and a way to
// say that the boxes to black out changed (a cleaned copy made before is then out of date).
const previewContext = {
  request: (type, payload, transfer) => engine.request(type, payload, transfer),
  pixelCleaning: () => settings.chosen().includes('clean-pixel-data'),
  onRegionsChange(item) {
    if (!item.deid) return;
    item.deid = null;
    renderList();
    const diff = document.querySelector(`#detail-${item.id} .diff`);
    if (diff) diff.remove();
  },
};

function select(item, focus) {
  state.selected = item;
  renderList();
  renderDetail();
  if (focus) {
    const heading = document.querySelector(`#detail-${item.id} h3`);
    if (heading) heading.focus();
  }
}

// Opens the hex view of the selected file at `offset` (reads the file's bytes again).
let hexRequest = 0;
async function showBytes(item, offset, keepFocus) {
  const panel = byId(`hex-${item.id}`);
  if (!panel) return;
  const request = ++hexRequest;
  panel.querySelector('.hex-body').dataset.from = 'loading';
  panel.open = true;
  const bytes = new Uint8Array(await item.blob.arrayBuffer());
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
      const { name, buffer } = await engine.request('sample');
      await addSources([{ path: name, blob: new Blob([buffer], { type: 'application/dicom' }) }]);
    });
  });
  byId('sample-us-btn').addEventListener('click', async () => {
    await serial(async () => {
      const { name, buffer } = await engine.request('sampleUltrasound');
      await addSources([{ path: name, blob: new Blob([buffer], { type: 'application/dicom' }) }]);
    });
  });
  byId('status-close').addEventListener('click', () => status(''));
  byId('cancel-btn').addEventListener('click', () => {
    stopRequested = true;
    engine.cancel();
  });
  byId('clean-btn').addEventListener('click', () => serial(() => cleanAndDownload(state.items)));
  byId('report-json-btn').addEventListener('click', () => {
    const json = JSON.stringify(jsonReport(state.items, reportContext()), null, 2);
    saveBlob(new Blob([json], { type: 'application/json' }), 'dicom-leakcheck-report.json');
  });
  byId('report-csv-btn').addEventListener('click', () => {
    saveBlob(new Blob([csvReport(state.items)], { type: 'text/csv' }), 'dicom-leakcheck-report.csv');
  });
  byId('clear-btn').addEventListener('click', () => {
    if (state.busy) engine.cancel();
    state.items = [];
    state.selected = null;
    byId('results').hidden = true;
    renderList();
    renderDetail();
    status('The list is cleared.');
  });
}

async function main() {
  wireDropZone();
  wireButtons();
  settings.wireKey();
  try {
    const t = performance.now();
    const info = await engine.request('init');
    state.version = info.version;
    byId('version').textContent = info.version;
    settings.renderOptions(info.options);
    document.body.dataset.ready = 'true';
    document.body.dataset.initMs = (performance.now() - t).toFixed(0);
  } catch (e) {
    status(`The checker could not start in this browser: ${e.message}`);
    document.body.dataset.ready = 'failed';
  }
}

main();
