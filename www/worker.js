// The only place that loads and calls the WebAssembly module. The page talks to it with
// messages {id, type, ...}; every reply is {id, ok, result | error, ms, memory}. Files arrive as
// File/Blob objects (passed by reference, not copied) and are read here, so the page's thread
// never holds their bytes; outputs go back as Blobs (the browser's blob store, not the JS heap).
//
// The single-file build (cargo xtask build-wasm) runs this file as a classic script: it drops
// the two import lines below and defines `init`, `wasm`, `fflate` and `WASM_BASE64` instead.
import init, * as wasm from './pkg/dicom_leakcheck.js';
import * as fflate from './vendor/fflate.js';

// Sizes that stop a zip archive from filling the memory ("zip bomb").
const MAX_ZIP_ENTRIES = 100000;
const MAX_ZIP_TOTAL = 4 * 1024 * 1024 * 1024;
// A file whose check made the module's memory grow past this gets an error of its own.
const MEMORY_BUDGET = 1024 * 1024 * 1024;
// The image preview holds a whole file in the module's memory: this is the largest it takes.
const MAX_WHOLE_FILE = 512 * 1024 * 1024;
// A zip archive without Zip64 (fflate writes none) must stay below 4 GiB: a new archive is
// started before that.
const MAX_ARCHIVE = 4 * 1024 * 1024 * 1024 - 64 * 1024 * 1024;
// Output chunks are folded into a Blob every so often, so the JS heap holds little of it.
const FOLD_BYTES = 16 * 1024 * 1024;
// Test hooks exist only in workers the tests start (engine.js names them so).
const TEST_HOOKS = typeof self.name === 'string' && self.name.includes('test-hooks');

// ---- reading Blobs: by the worker, or bytes given by the page --------------------------------
// In WebKitGTK a worker started from a page opened from disk (file://) cannot read any Blob,
// not even one it made itself (NotReadableError), while the page's thread can. So the worker
// tries once, at start, to read a tiny Blob of its own (a probe, not a guess from the browser's
// name); when that fails, every read below asks the page for the bytes instead (engine.js
// reads the Blob and transfers the ArrayBuffer back). Everything that reads a Blob here goes
// through readBytes(); code that must read synchronously (FileReaderSync) cannot wait for the
// page, so it must first get the bytes with readBytes() when `await blobsReadable` is false.
// `bytes-from-page` in the worker's name (tests only) makes the probe fail on purpose.
const blobsReadable = (TEST_HOOKS && self.name.includes('bytes-from-page')
  ? Promise.resolve(false)
  : new Blob([new Uint8Array([42])]).arrayBuffer().then((b) => new Uint8Array(b)[0] === 42)
).catch(() => false);
const pageReads = new Map(); // read id -> {resolve, reject}
const PAGE_READ_CHUNK = 4 * 1024 * 1024;
let nextPageRead = 1;

function bytesFromPage(blob, start, end) {
  return new Promise((resolve, reject) => {
    const readId = nextPageRead++;
    pageReads.set(readId, { resolve, reject });
    self.postMessage({ pageRead: { readId, blob, start, end } });
  });
}

// The page's answer to bytesFromPage: {readId, bytes: ArrayBuffer} or {readId, error}.
function pageReadAnswered({ readId, bytes, error }) {
  const waiting = pageReads.get(readId);
  if (!waiting) return;
  pageReads.delete(readId);
  if (error) waiting.reject(new Error(`the page could not read the file: ${error}`));
  else waiting.resolve(new Uint8Array(bytes));
}

// Bytes [start, end) of a Blob (the whole Blob by default).
async function readBytes(blob, start = 0, end = blob.size) {
  if (await blobsReadable) return new Uint8Array(await blob.slice(start, end).arrayBuffer());
  return bytesFromPage(blob, start, end);
}

// A Blob's bytes in chunks, as blob.stream() gives them.
async function* chunksOf(blob) {
  if (await blobsReadable) {
    const reader = blob.stream().getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  }
  for (let at = 0; at < blob.size; at += PAGE_READ_CHUNK) yield await bytesFromPage(blob, at, Math.min(blob.size, at + PAGE_READ_CHUNK));
}

function decodeBase64(text) {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

let exportsOfModule = null;
const ready = (typeof WASM_BASE64 === 'string'
  ? init({ module_or_path: decodeBase64(WASM_BASE64) })
  : init()
).then((exported) => {
  exportsOfModule = exported;
});

// ---- the text reader (OCR), loaded the first time pixels are searched ---------------------
// Reading burned-in text needs the OCR model (models/rec.onnx, about 16 MB) and its dictionary
// (models/dict.txt). They are loaded lazily: checking headers never waits for them. The served
// page fetches them from its own origin; the single file (connect-src 'none') asks the page
// for the files the user picked ("Load the text reader"). The page is told how it goes
// ({reader: {state: 'loading' | 'ready' | 'unavailable', why}}), and a search made without the
// reader says so in its verdict (`text_read` false, the core's `text-not-read` reason): never
// "clean".
const SINGLE_FILE = typeof WASM_BASE64 === 'string';
let readerLoad = null; // a promise of {state, why}
const readerFileAnswers = new Map(); // request id -> resolve
let nextReaderFiles = 1;

function tellReader(state, why) {
  self.postMessage({ reader: { state, why: why || null } });
  return { state, why: why || null };
}

async function fetchReaderFiles() {
  const get = async (name) => {
    const r = await fetch(new URL(`./models/${name}`, self.location.href));
    if (!r.ok) throw new Error(`models/${name} is not on the page's server (HTTP ${r.status})`);
    return r;
  };
  const [model, dictionary] = await Promise.all([get('rec.onnx'), get('dict.txt')]);
  return { model: new Uint8Array(await model.arrayBuffer()), dictionary: await dictionary.text() };
}

// The single file: the files the user picked on the page, or null when none were.
function readerFilesFromPage() {
  return new Promise((resolve) => {
    const askId = nextReaderFiles++;
    readerFileAnswers.set(askId, resolve);
    self.postMessage({ readerFiles: { askId } });
  });
}

function readerFilesAnswered({ askId, model, dictionary }) {
  const resolve = readerFileAnswers.get(askId);
  readerFileAnswers.delete(askId);
  if (resolve) resolve(model ? { model: new Uint8Array(model), dictionary } : null);
}

async function loadReader() {
  if (typeof wasm.load_text_reader !== 'function') return tellReader('unavailable', 'this build of the page has no text reader');
  tellReader('loading');
  try {
    const files = SINGLE_FILE ? await readerFilesFromPage() : await fetchReaderFiles();
    if (!files) return tellReader('unavailable', 'the text reader was not loaded: use “Load the text reader” to pick its files');
    wasm.load_text_reader(files.model, files.dictionary);
    return tellReader('ready');
  } catch (e) {
    return tellReader('unavailable', `the text reader could not be loaded: ${e && e.message ? e.message : e}`);
  }
}

// Loads the reader once per worker; a single file without picked files asks again next time.
async function ensureReader() {
  if (!readerLoad) readerLoad = loadReader();
  const status = await readerLoad;
  if (status.state !== 'ready' && SINGLE_FILE) readerLoad = null;
  return status;
}

function memoryBytes() {
  return exportsOfModule && exportsOfModule.memory ? exportsOfModule.memory.buffer.byteLength : 0;
}

function budgetError(message) {
  const e = new Error(message);
  e.budget = 'memory';
  return e;
}

// ---- files by ranges: the core's session reads what it needs --------------------------------
// The module's `inspect_file`/`deidentify_file`/`search_pixels_file` run the core's range loop
// themselves, reading the File with FileReaderSync on Blob.slice: the header, what follows
// Pixel Data, fragment headers read ahead; the pixel data never enters the module's memory
// unless the request needs it. Where this worker cannot read Blobs (see readBytes), the page
// reads for it, which a synchronous read cannot wait for: the same core session is then driven
// from here through the module's thin `Session` class (need, give, finish).
async function bySession(blob, readHere, startSession) {
  if (await blobsReadable) return readHere();
  const session = startSession();
  try {
    for (;;) {
      const ranges = session.need();
      if (ranges.length === 0) return session.finish();
      const parts = await Promise.all(ranges.map(({ offset, length }) => readBytes(blob, offset, offset + length)));
      ranges.forEach(({ offset }, i) => session.give(offset, parts[i]));
    }
  } finally {
    session.free();
  }
}

const inspectBlob = async (blob, options) =>
  (await bySession(blob, () => wasm.inspect_file(blob, options), () => wasm.Session.inspect(blob.size, options))).report;

// ---- flagged first: the whole report kept in the module, the rest crossed when asked for -----
// A batch needs each file's summary and flagged findings only; `inspect_file_flagged` gives just
// those (most of a report's elements are not flagged) and keeps the whole report in the module
// under `report.handle`, so opening the file later crosses the rest without inspecting it again
// (`heldReport`). The module bounds what it keeps and lets the oldest go first; a handle let go
// answers null, and the file is then inspected again. Modules without it: the eager report.
const flaggedFirst = () => typeof wasm.inspect_file_flagged === 'function';

const inspectBlobFlagged = async (blob, options) =>
  (await bySession(blob, () => wasm.inspect_file_flagged(blob, options), () => wasm.Session.inspect_flagged(blob.size, options))).report;

// The whole report (the eager `inspect`'s) from the one kept under `handle`, or null when it is
// no longer kept: the flagged findings put back in their places among the unflagged elements.
function heldWhole(handle) {
  const first = wasm.held_flagged(handle);
  const rest = first && wasm.unflagged_elements(handle);
  if (!first || !rest) return null;
  const { element_count: count, element_positions: positions, handle: _handle, ...report } = first;
  const elements = new Array(count);
  positions.forEach((at, i) => {
    elements[at] = first.elements[i];
  });
  let next = 0;
  for (let at = 0; at < count; at++) if (elements[at] === undefined) elements[at] = rest[next++];
  return { ...report, elements };
}

// Whether a de-identification touches the pixels (PS3.15 E.3.1 Clean Pixel Data).
const cleansPixels = (options, regions) =>
  Boolean(regions) || (Array.isArray(options) && (options.includes('clean-pixel-data') || options.includes('clean-all-pixel-text')));

const deidentifyBlob = (blob, options, key, regions) =>
  bySession(blob, () => wasm.deidentify_file(blob, options, key, regions), () => wasm.Session.deidentify(blob.size, options, key, regions));

// The burned-in verdict with the pixels searched (the "pixels second" of a batch).
const searchPixelsOf = async (blob) =>
  (await bySession(blob, () => ({ report: { burned_in: wasm.search_pixels_file(blob) } }), () => wasm.Session.search_pixels(blob.size))).report.burned_in;

async function readWhole(blob) {
  if (blob.size > MAX_WHOLE_FILE) throw budgetError(`needed too much memory (the file is ${Math.round(blob.size / 1048576)} MB; use the command-line tool for files this large)`);
  return readBytes(blob);
}

// A file for the preview: held in the module's memory (HeldFile: copied in once, every frame
// decoded from there) when this build has it, else its bytes passed on every call.
function previewSource(bytes) {
  if (typeof wasm.HeldFile === 'function') {
    const held = new wasm.HeldFile(bytes);
    return {
      imageInfo: () => held.image_info(),
      decodeFrame: (index) => held.decode_frame(index),
      overlays: () => held.overlays(),
      overlayBits: (group, frame) => held.overlay_bits(group, frame),
      burnedIn: () => (typeof held.burned_in === 'function' ? held.burned_in() : null),
      free: () => held.free(),
    };
  }
  return {
    imageInfo: () => wasm.image_info(bytes),
    decodeFrame: (index) => wasm.decode_frame(bytes, index),
    overlays: () => wasm.overlays(bytes),
    overlayBits: (group, frame) => wasm.overlay_bits(bytes, group, frame),
    burnedIn: () => null,
    free() {},
  };
}

// The file being previewed (one at a time; see the preview handlers).
let previewed = { id: null, source: null };

// Runs `use(source)` on the file `fileId` (kept for the next request) or, without an id, on
// `blob` read for this request alone.
async function withPreview(fileId, blob, use) {
  if (fileId == null) {
    const source = previewSource(await readWhole(blob));
    try {
      return use(source);
    } finally {
      source.free();
    }
  }
  if (previewed.id !== fileId || !previewed.source) {
    // Released before reading the next, so two files are never held at once.
    if (previewed.source) previewed.source.free();
    previewed = { id: null, source: null };
    previewed = { id: fileId, source: previewSource(await readWhole(blob)) };
  }
  return use(previewed.source);
}

// What the page keeps per file in a batch: the list and the overview need no more (the card
// and the tables come from the full report, read again when the file is opened).
function compact(report) {
  const s = report.summary;
  return {
    // The page's list groups files by patient, study and series (www/studies.js).
    summary: {
      verdict: s.verdict, flagged: s.flagged, patient_name: s.patient_name || null, patient_id: s.patient_id || null, says_deidentified: Boolean(s.says_deidentified),
      patient_name_placeholder: s.patient_name_placeholder, kind: s.kind, modality: s.modality, study_instance_uid: s.study_instance_uid, series_instance_uid: s.series_instance_uid,
      study_date: s.study_date, study_description: s.study_description, series_description: s.series_description, series_number: s.series_number, instance_number: s.instance_number,
      is_dicomdir: Boolean(s.is_dicomdir), patients: s.is_dicomdir ? s.patients : null,
    },
    burned_in: report.burned_in ? { risk: report.burned_in.risk } : null,
    transfer_syntax: report.transfer_syntax,
    warnings: report.warnings && report.warnings.length ? report.warnings : null,
    // Whether a pixel search should follow (header first, pixels second).
    has_pixels: Boolean(report.pixel_data),
  };
}

function shaped(report, want) {
  if (want === 'full') return report;
  if (want === 'findings') return { summary: report.summary, transfer_syntax: report.transfer_syntax, warnings: report.warnings, findings: report.elements.filter((e) => e.flagged) };
  return compact(report);
}

const handlers = {
  async init() {
    return {
      version: wasm.version(), options: wasm.options(), categories: wasm.categories(), sampleName: wasm.sample_name(), ranges: typeof wasm.inspect_file === 'function', blobsReadable: await blobsReadable,
      // What a read text identifies, in plain words ({PatientName: "The patient's name", …}).
      identifiedWords: typeof wasm.identified_words === 'function' ? wasm.identified_words() : {},
      reader: typeof wasm.load_text_reader === 'function',
    };
  },

  // {blob, options, want: 'summary' | 'findings' | 'full'}. With 'summary', `held` is the
  // handle of the whole report kept in this worker's module (for `heldReport`), or null.
  async inspectFile({ blob, options, want }) {
    const t = performance.now();
    if (want === 'full' || !flaggedFirst()) {
      const report = await inspectBlob(blob, options);
      return { report: shaped(report, want), held: null, inspectMs: performance.now() - t };
    }
    const report = await inspectBlobFlagged(blob, options);
    const inspectMs = performance.now() - t;
    // Only the summary is kept by the page: the whole report stays here until it is opened.
    if (want === 'summary') return { report: compact(report), held: report.handle, inspectMs };
    if (report.handle) wasm.release_held(report.handle);
    return { report: shaped(report, want), held: null, inspectMs };
  },

  // {held, blob, options}: the whole report of a file opened on the page, from the one kept
  // under `held` (the elements the batch did not cross are crossed now, nothing is inspected
  // again); when it is no longer kept (or `held` is null: this is not the worker that kept it),
  // the file is inspected again. `inspectMs` only then.
  async heldReport({ held, blob, options }) {
    const whole = held && typeof wasm.held_flagged === 'function' ? heldWhole(held) : null;
    if (whole) return { report: whole, fromHeld: true };
    const t = performance.now();
    const report = await inspectBlob(blob, options);
    return { report, fromHeld: false, inspectMs: performance.now() - t };
  },

  // {handles}: reports of files the page no longer has. `held` is null when the worker that
  // kept them was replaced (engine.js): they went with it.
  releaseHeld({ handles, held }) {
    if (typeof wasm.release_held !== 'function' || held === null) return { released: 0 };
    return { released: (handles || []).filter((handle) => wasm.release_held(handle)).length };
  },

  // {blob}: the burned-in text verdict with the pixels searched, asked for after the header
  // report of each file (header first, pixels second: a batch never waits for the pixels).
  async searchPixels({ blob }) {
    await ensureReader();
    const t = performance.now();
    return { burnedIn: await searchPixelsOf(blob), searchMs: performance.now() - t };
  },

  // {blob, options, key, want}: the cleaned file as a Blob; with want 'full', the reports
  // before and after (the output inspected again) for the before/after view.
  async deidentifyFile({ blob, options, key, want, regions }) {
    // `regions`: under Clean Pixel Data (PS3.15 E.3.1), every box the user left on the preview
    // ({frame, all_frames, x, y, w, h}); undefined when the user did not touch the boxes, so
    // the core blacks out what it found itself (text finder and known screen layouts).
    const boxes = Array.isArray(regions) ? regions : undefined;
    // Cleaning pixels reads the text found, and the core reads the output's pixels again.
    if (cleansPixels(options, boxes)) await ensureReader();
    const t = performance.now();
    const done = await deidentifyBlob(blob, options, key || undefined, boxes);
    // Pieces are new bytes or ranges of the input: the pixel data is never copied here.
    const output = new Blob(done.pieces.map((p) => (p instanceof Uint8Array ? p : blob.slice(p.offset, p.offset + p.length))), { type: 'application/dicom' });
    const deidMs = performance.now() - t;
    const result = {
      output,
      before: shaped(done.report_before, want),
      residual: done.residual,
      changes: done.changes,
      warnings: done.warnings,
      sopInstanceUid: done.sop_instance_uid,
      // For the zip's paths and DICOMDIR (fileSet); undefined from a module without them.
      recordKeys: done.record_keys,
      patientKey: done.patient_key,
      deidMs,
    };
    // The written output's pixels searched and read again (matched with the input's patient):
    // the core does it when it cleaned pixels (`pixels_after`); otherwise, for the card, the
    // output is searched here, so "nothing identifying is left" is said only when its pixels
    // were checked too (PS3.15 E.3.1).
    result.pixelsAfter = done.pixels_after || null;
    if (want === 'full') {
      result.after = await inspectBlob(output, options);
      if (!result.pixelsAfter && result.after.pixel_data) {
        await ensureReader();
        result.pixelsAfter = await searchPixelsOf(output);
      }
    }
    return result;
  },

  // {blob, options}: for a file that could not be read, what the part before the damage says
  // ({text, readable_bytes, summary, findings}), or null. Reads the header again to find the
  // damage, then the bytes up to it only.
  async damaged({ blob, options }) {
    if (typeof wasm.inspect_damaged !== 'function') return { damaged: null };
    try {
      await inspectBlob(blob, options);
      return { damaged: null };
    } catch (e) {
      if (!e || e.notDicom || typeof e.offset !== 'number' || e.offset > blob.size) return { damaged: null };
      const prefix = await readBytes(blob, 0, e.offset);
      return { damaged: wasm.inspect_damaged(prefix, e.offset, typeof e.tagNumber === 'number' ? e.tagNumber : undefined, options) };
    }
  },

  // {entries: [{path, patient_key, record_keys}], keepPaths}: each cleaned file's path in the
  // zip (null for a DICOMDIR) and the DICOMDIRs written anew over them, as Blobs.
  fileSet({ entries, keepPaths }) {
    const { paths, dicomdirs } = wasm.file_set(entries, Boolean(keepPaths), false);
    return {
      paths,
      dicomdirs: dicomdirs.map((d) => ({ path: d.path, blob: new Blob([d.bytes], { type: 'application/dicom' }), files: d.files, patients: d.patients, left_out: d.left_out })),
    };
  },

  sample() {
    return { name: wasm.sample_name(), blob: new Blob([wasm.sample()], { type: 'application/dicom' }) };
  },

  sampleUltrasound() {
    return { name: wasm.sample_ultrasound_name(), blob: new Blob([wasm.sample_ultrasound()], { type: 'application/dicom' }) };
  },

  // ---- the image preview (preview.js) ----------------------------------------------------
  // The page sends every preview request of a file to the same worker (engine.js pins them),
  // with a `fileId`: the file is read once and its bytes kept here until another file is
  // previewed, so moving through frames does not read the file again. Without `fileId` (the
  // cleaned copy, shown once) nothing is kept.

  // The image's attributes and its overlay planes; `available: false` when this build of the
  // module cannot decode pixels.
  async imageInfo({ fileId, blob }) {
    if (typeof wasm.image_info !== 'function') return { available: false };
    return withPreview(fileId, blob, (source) => {
      const info = source.imageInfo();
      let overlays = [];
      if (info) {
        try {
          overlays = source.overlays() || [];
        } catch {
          // A broken overlay plane must not hide the image itself.
          overlays = [];
        }
      }
      return { available: true, info, overlays };
    });
  },

  // One frame (0-based), decoded; `overlayFrames`: [{group, frame}] multi-frame overlay planes
  // whose bits are wanted (frame counted within the plane). The boxes over text come from the
  // core's search only (the report's, or `burnedIn` below), never from the shown frame.
  async decodeFrame({ fileId, blob, index, overlayFrames }) {
    return withPreview(fileId, blob, (source) => {
      const t = performance.now();
      const frame = source.decodeFrame(index);
      const decodeMs = performance.now() - t;
      const overlayBits = {};
      for (const { group, frame: k } of overlayFrames || []) overlayBits[group] = source.overlayBits(group, k);
      const out = { width: frame.width, height: frame.height, kind: frame.kind, min: frame.min, max: frame.max, window: frame.window || null };
      for (const name of ['values', 'rgb']) if (frame[name] && frame[name].length) out[name] = frame[name];
      return { frame: out, overlayBits, decodeMs };
    });
  },

  // The burned-in verdict with the pixels searched (every frame), for a file whose report was
  // made by ranges from its header alone (`pixels_checked` false); null without HeldFile.
  async burnedIn({ fileId, blob }) {
    await ensureReader();
    return withPreview(fileId, blob, (source) => ({ burnedIn: source.burnedIn() }));
  },

  // A small picture of a file's image, for its series in the list (wasm `thumbnail`).
  async thumbnail({ blob, size }) {
    if (typeof wasm.thumbnail !== 'function') return { thumbnail: null };
    return { thumbnail: wasm.thumbnail(await readWhole(blob), size) };
  },

  // A structured report's content tree (PS3.3 C.17.3), flagged as `inspect` flags it; null
  // for any other file.
  async srContent({ blob, options }) {
    if (typeof wasm.sr_content !== 'function') return { tree: null };
    return { tree: wasm.sr_content(await readWhole(blob), options) };
  },

  generateKey() {
    return { key: wasm.generate_key() };
  },

  checkKey({ text }) {
    wasm.check_key(text);
    return {};
  },

  // Every entry of a zip archive as a Blob, folders left out.
  async unzip({ blob }) {
    let count = 0;
    let total = 0;
    const files = fflate.unzipSync(await readBytes(blob), {
      filter(entry) {
        if (entry.name.endsWith('/')) return false;
        count += 1;
        total += entry.originalSize;
        if (count > MAX_ZIP_ENTRIES || total > MAX_ZIP_TOTAL) {
          throw new Error('the archive is too large to open here (more than 4 GB or 100,000 files when unpacked)');
        }
        return true;
      },
    });
    return { entries: Object.entries(files).map(([name, view]) => ({ name, blob: new Blob([view]) })) };
  },

  // Zip archives of the given files ({name, blob}), streamed: each file is read chunk by chunk
  // into a stored entry (DICOM barely compresses; stored entries need no buffering), and the
  // archive's chunks are folded into Blobs as they come. fflate writes no Zip64, so a new
  // archive is started before one would reach 4 GiB; a file that alone is that large fails.
  async zip({ id, files, maxArchive }) {
    // (`maxArchive` only in tests, to split small sets.)
    const limit = TEST_HOOKS && maxArchive ? maxArchive : MAX_ARCHIVE;
    const archives = [];
    const failed = [];
    let parts = [];
    let chunks = [];
    let chunkBytes = 0;
    let written = 0;
    let archive = null;
    let failure = null;
    const fold = () => {
      if (chunks.length) parts.push(new Blob(chunks));
      chunks = [];
      chunkBytes = 0;
    };
    const open = () => {
      archive = new fflate.Zip((error, chunk, final) => {
        if (error) failure = error;
        else if (chunk && chunk.length) {
          chunks.push(chunk);
          chunkBytes += chunk.length;
          written += chunk.length;
          if (chunkBytes >= FOLD_BYTES) fold();
        }
        if (final) {
          fold();
          archives.push(new Blob(parts, { type: 'application/zip' }));
          parts = [];
        }
      });
      written = 0;
    };
    const close = () => {
      if (archive) archive.end();
      archive = null;
    };
    let packed = 0;
    let told = performance.now();
    for (const { name, blob } of files) {
      packed += 1;
      if (performance.now() - told > 250) {
        self.postMessage({ id, progress: packed - 1 });
        told = performance.now();
      }
      // Local header, data descriptor and central directory entry: well under 1 KB + name.
      const overhead = 256 + 3 * name.length;
      if (blob.size + overhead > limit) {
        failed.push({ name, error: 'larger than 4 GB, which a zip archive cannot hold here: download it on its own' });
        continue;
      }
      // The margin below 4 GiB leaves room for the central directory.
      if (archive && written + blob.size + overhead > limit) close();
      if (!archive) open();
      const entry = new fflate.ZipPassThrough(name);
      archive.add(entry);
      for await (const chunk of chunksOf(blob)) {
        entry.push(chunk, false);
        if (failure) throw failure;
      }
      entry.push(new Uint8Array(0), true);
      if (failure) throw failure;
    }
    close();
    if (failure) throw failure;
    return { archives, failed };
  },
};

if (TEST_HOOKS) {
  // Busy for `ms` (or for ever): stands in for a file that takes too long.
  handlers.spin = ({ ms }) => {
    const until = performance.now() + (ms || 1e12);
    while (performance.now() < until) {
      // spinning on purpose
    }
    return {};
  };
  // Grows the module's memory by `mb` MB: stands in for a file that needs too much.
  handlers.grow = ({ mb }) => {
    exportsOfModule.memory.grow(Math.ceil((mb * 1024 * 1024) / 65536));
    return {};
  };
  // Tries to send something to `url` (another origin) from this worker: the page's
  // Content-Security-Policy must block every attempt. Says how each one ended.
  handlers.tryUpload = async ({ url }) => {
    const violations = [];
    self.addEventListener('securitypolicyviolation', (e) => violations.push({ blockedURI: e.blockedURI, directive: e.effectiveDirective || e.violatedDirective }));
    const outcome = {};
    try {
      const r = await fetch(url + '/worker-fetch', { method: 'POST', body: 'x' });
      outcome.fetch = `sent (${r.status})`;
    } catch (e) {
      outcome.fetch = `blocked: ${e.message}`;
    }
    outcome.xhr = await new Promise((resolve) => {
      try {
        const xhr = new XMLHttpRequest();
        xhr.open('POST', url + '/worker-xhr');
        xhr.onload = () => resolve(`sent (${xhr.status})`);
        xhr.onerror = () => resolve('blocked: error event');
        xhr.send('x');
      } catch (e) {
        resolve(`blocked: ${e.message}`);
      }
    });
    // Violation events are queued as tasks: let them arrive.
    await new Promise((resolve) => setTimeout(resolve, 200));
    return { outcome, violations };
  };
}

self.onmessage = async (event) => {
  if (event.data.pageRead) return pageReadAnswered(event.data.pageRead);
  if (event.data.readerFiles) return readerFilesAnswered(event.data.readerFiles);
  const { id, type } = event.data;
  const t = performance.now();
  try {
    await ready;
    const handler = handlers[type];
    if (!handler) throw new Error(`unknown request ${type}`);
    const result = await handler(event.data);
    if (memoryBytes() > MEMORY_BUDGET) throw budgetError(`needed too much memory (${Math.round(memoryBytes() / 1048576)} MB)`);
    self.postMessage({ id, ok: true, result, ms: performance.now() - t, memory: memoryBytes() });
  } catch (e) {
    const trapped = e instanceof WebAssembly.RuntimeError;
    let budget = e && e.budget ? e.budget : null;
    let message = e && e.message ? e.message : String(e);
    // An allocation that failed: in the module (a trap while memory is large) or in JS.
    if (!budget && (e instanceof RangeError || (trapped && memoryBytes() > MEMORY_BUDGET / 2))) {
      budget = 'memory';
      message = `needed too much memory (${message})`;
    }
    const error = {
      message,
      budget,
      notDicom: Boolean(e && e.notDicom),
      offset: e && typeof e.offset === 'number' ? e.offset : null,
      // A trap inside the module (a panic), or memory past the budget: this worker must not
      // be used again.
      fatal: trapped || budget === 'memory' || exportsOfModule === null,
    };
    self.postMessage({ id, ok: false, error, ms: performance.now() - t, memory: memoryBytes() });
  }
};
