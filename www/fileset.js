// The cleaned files as a set in the zip: neutral paths (P001/ST001/SE001/IM0001, one folder
// per patient, study and series, as the command line writes them) unless the user keeps the
// names, a DICOMDIR written anew over the cleaned files when the set had one, and which files
// are not in the archive and why. The module's `file_set` (in the worker) does the work.

import { h, clear, byId, plural } from './dom.js';

const KEEP_PATHS_KEY = 'dicom-leakcheck.keep-paths';
export const ZIP_FOLDER = 'dicom-leakcheck-cleaned';

// The "keep names" setting, remembered in this browser.
export function keepPaths() {
  try {
    return localStorage.getItem(KEEP_PATHS_KEY) === 'yes';
  } catch {
    return false;
  }
}

export function wireKeepPaths(onChange) {
  const box = byId('keep-paths');
  box.checked = keepPaths();
  box.addEventListener('change', () => {
    try {
      localStorage.setItem(KEEP_PATHS_KEY, box.checked ? 'yes' : 'no');
    } catch {
      // Storage may be off (private windows): the setting lasts for this visit only.
    }
    onChange();
  });
}

// The zip's entries for the cleaned `items` ({name, blob}), each item's path in the zip
// (item.deid.zipPath, for the report), and the DICOMDIRs written: asks the worker.
export async function zipEntries(request, items) {
  const kept = byId('keep-paths').checked;
  const entries = items.map((item) => ({ path: item.path, patient_key: item.deid.patientKey, record_keys: item.deid.recordKeys }));
  const { paths, dicomdirs } = await request('fileSet', { entries, keepPaths: kept });
  const files = [];
  const used = new Set();
  items.forEach((item, i) => {
    if (paths[i] === null) {
      item.deid.zipPath = null;
      return;
    }
    // Kept names can repeat (two folders added with the same names): "name (2)".
    let name = `${ZIP_FOLDER}/${paths[i]}`;
    for (let n = 2; used.has(name); n++) name = `${ZIP_FOLDER}/${paths[i]} (${n})`;
    used.add(name);
    item.deid.zipPath = name;
    files.push({ name, blob: item.deid.blob });
  });
  for (const d of dicomdirs) {
    files.push({ name: `${ZIP_FOLDER}/${d.path}`, blob: d.blob });
    for (const item of items) if (item.deid.zipPath === null) item.deid.zipPath = `${ZIP_FOLDER}/${d.path}`;
  }
  return { files, dicomdirs, kept };
}

// Files of the list that are not in the archive, with why: unreadable, not DICOM, not done,
// too large for a zip here, or (a DICOMDIR's) not indexed.
export function leftOut(items, failedInZip, dicomdirs, cleaned) {
  const out = [];
  for (const item of items) {
    if (item.deid) continue;
    const why = {
      error: item.error || 'could not be read',
      skipped: 'not a DICOM file',
      stopped: 'not checked (stopped)',
      queued: 'not checked yet',
    }[item.status];
    // A damaged file: whom it names, in the core's first sentence.
    const named = item.damaged ? ` ${item.damaged.text.split('. ')[0]}.` : '';
    out.push({ path: item.path, why: `${why || 'not cleaned'}${named}` });
  }
  for (const f of failedInZip) out.push({ path: f.name, why: f.error });
  const notIndexed = [];
  for (const d of dicomdirs) {
    for (const [index, reason] of d.left_out) notIndexed.push({ path: cleaned[index].path, why: `not in the new DICOMDIR: ${reason}` });
  }
  return { out, notIndexed };
}

// The zip's summary: what was written where, and every file left out with the reason.
export function showZipSummary({ saved, names, dicomdirs, kept, out, notIndexed }) {
  const box = clear(byId('zip-summary'));
  const parts = [
    h('strong', {}, `${plural(saved, 'cleaned file')} in ${names.join(', ')}`),
    kept ? ' (same folders and file names as before)' : ' (neutral folder and file names: P001/ST001/SE001/IM0001…; your report says which file is which)',
    dicomdirs.length ? `, with a new DICOMDIR (${plural(dicomdirs[0].files, 'file')}, ${plural(dicomdirs[0].patients, 'patient')})` : '',
    '.',
  ];
  box.append(h('p', {}, parts));
  const list = (title, rows) =>
    rows.length
      ? h('details', { open: rows.length <= 10 }, h('summary', {}, title), h('ul', {}, rows.slice(0, 1000).map((r) => h('li', {}, h('span', { class: 'file-name' }, r.path), `: ${r.why}`))))
      : null;
  box.append(list(`Not in the archive: ${plural(out.length, 'file')}`, out), list(`In the archive but not in the DICOMDIR: ${plural(notIndexed.length, 'file')}`, notIndexed));
  box.dataset.leftOut = String(out.length);
  box.hidden = false;
}
