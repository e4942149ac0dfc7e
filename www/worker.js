// The only place that loads and calls the WebAssembly module. The page talks to it with
// messages {id, type, ...}; every reply is {id, ok, result | error, ms, memory}. File bytes
// arrive as transferred ArrayBuffers (not copies) and are transferred back with the reply, so
// the page can keep them without a second copy.
//
// The single-file build (cargo xtask build-wasm) runs this file as a classic script: it drops
// the two import lines below and defines `init`, `wasm`, `fflate` and `WASM_BASE64` instead.
import init, * as wasm from './pkg/dicom_leakcheck.js';
import * as fflate from './vendor/fflate.js';

// Sizes that stop a zip archive from filling the memory ("zip bomb").
const MAX_ZIP_ENTRIES = 100000;
const MAX_ZIP_TOTAL = 4 * 1024 * 1024 * 1024;

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

function memoryBytes() {
  return exportsOfModule && exportsOfModule.memory ? exportsOfModule.memory.buffer.byteLength : 0;
}

// A buffer of its own for each piece (so it can be transferred without taking others along).
function ownBuffer(view) {
  if (view.byteOffset === 0 && view.byteLength === view.buffer.byteLength) return view.buffer;
  return view.slice().buffer;
}

const handlers = {
  init() {
    return {
      result: {
        version: wasm.version(),
        options: wasm.options(),
        sampleName: wasm.sample_name(),
      },
    };
  },

  inspect({ buffer, options }) {
    const t = performance.now();
    const report = wasm.inspect(new Uint8Array(buffer), options);
    return { result: { report, buffer, inspectMs: performance.now() - t }, transfer: [buffer] };
  },

  deidentify({ buffer, options, key, regions }) {
    const t = performance.now();
    const args = [new Uint8Array(buffer), options, key || undefined];
    // Boxes the user kept or drew on the preview ({frame, x, y, w, h}), for the Clean Pixel
    // Data option (PS3.15 E.3.1); only a module whose deidentify takes them gets them.
    if (Array.isArray(regions) && regions.length && wasm.deidentify.length >= 4) args.push(regions);
    const done = wasm.deidentify(...args);
    const deidMs = performance.now() - t;
    // Inspect the output again with the same options, for the before/after view.
    const after = wasm.inspect(done.bytes, options);
    const output = ownBuffer(done.bytes);
    return {
      result: {
        buffer,
        output,
        before: done.report_before,
        after,
        residual: done.residual,
        changes: done.changes,
        warnings: done.warnings,
        sopInstanceUid: done.sop_instance_uid,
        deidMs,
      },
      transfer: [buffer, output],
    };
  },

  sample() {
    const buffer = ownBuffer(wasm.sample());
    return { result: { name: wasm.sample_name(), buffer }, transfer: [buffer] };
  },

  sampleUltrasound() {
    const buffer = ownBuffer(wasm.sample_ultrasound());
    return { result: { name: wasm.sample_ultrasound_name(), buffer }, transfer: [buffer] };
  },

  // ---- the image preview (preview.js) ----------------------------------------------------
  // The image's attributes and its overlay planes; `available: false` when this build of the
  // module cannot decode pixels.
  imageInfo({ buffer }) {
    if (typeof wasm.image_info !== 'function') return { result: { buffer, available: false }, transfer: [buffer] };
    const bytes = new Uint8Array(buffer);
    const info = wasm.image_info(bytes);
    let overlays = [];
    if (info && typeof wasm.overlays === 'function') {
      try {
        overlays = wasm.overlays(bytes) || [];
      } catch {
        // A broken overlay plane must not hide the image itself.
        overlays = [];
      }
    }
    return { result: { buffer, available: true, info, overlays }, transfer: [buffer] };
  },

  // One frame (0-based), decoded; with `detect`, the text finder's boxes on its luminance;
  // `overlayFrames`: [{group, frame}] multi-frame overlay planes whose bits are wanted (frame
  // counted within the plane).
  decodeFrame({ buffer, index, detect, overlayFrames }) {
    const bytes = new Uint8Array(buffer);
    const t = performance.now();
    const frame = wasm.decode_frame(bytes, index);
    const decodeMs = performance.now() - t;
    let boxes = null;
    if (detect && typeof wasm.detect_text === 'function' && frame.luma) {
      boxes = wasm.detect_text(frame.luma, frame.width, frame.height, 1);
    }
    const overlayBits = {};
    if (typeof wasm.overlay_bits === 'function') {
      for (const { group, frame: k } of overlayFrames || []) overlayBits[group] = wasm.overlay_bits(bytes, group, k);
    }
    const transfer = [buffer];
    const out = { width: frame.width, height: frame.height, kind: frame.kind, min: frame.min, max: frame.max };
    for (const name of ['values', 'rgb']) {
      const view = frame[name];
      if (view && view.length) {
        out[name] = view.byteOffset === 0 && view.byteLength === view.buffer.byteLength ? view : view.slice();
        transfer.push(out[name].buffer);
      }
    }
    return { result: { buffer, frame: out, boxes, overlayBits, decodeMs }, transfer };
  },

  // The text finder on an 8-bit image (1 or 3 channels).
  detectText({ pixels, width, height, channels }) {
    return { result: { boxes: wasm.detect_text(new Uint8Array(pixels), width, height, channels || 1) } };
  },

  generateKey() {
    return { result: { key: wasm.generate_key() } };
  },

  checkKey({ text }) {
    wasm.check_key(text);
    return { result: {} };
  },

  // Every entry of a zip archive, folders left out.
  unzip({ buffer }) {
    let count = 0;
    let total = 0;
    const files = fflate.unzipSync(new Uint8Array(buffer), {
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
    const entries = Object.entries(files).map(([name, view]) => ({ name, buffer: ownBuffer(view) }));
    return { result: { entries }, transfer: entries.map((e) => e.buffer) };
  },

  // A zip archive of the given files, written as a stream of chunks (fflate's Zip).
  zip({ files }) {
    const chunks = [];
    let failure = null;
    const archive = new fflate.Zip((error, chunk) => {
      if (error) failure = error;
      else if (chunk && chunk.length) chunks.push(ownBuffer(chunk));
    });
    for (const file of files) {
      const entry = new fflate.ZipDeflate(file.name, { level: 1 });
      archive.add(entry);
      entry.push(new Uint8Array(file.buffer), true);
    }
    archive.end();
    if (failure) throw failure;
    const buffers = files.map((f) => f.buffer);
    return { result: { chunks, buffers }, transfer: [...chunks, ...buffers] };
  },
};

self.onmessage = async (event) => {
  const { id, type } = event.data;
  const t = performance.now();
  try {
    await ready;
    const handler = handlers[type];
    if (!handler) throw new Error(`unknown request ${type}`);
    const { result, transfer = [] } = handler(event.data);
    self.postMessage({ id, ok: true, result, ms: performance.now() - t, memory: memoryBytes() }, transfer);
  } catch (e) {
    const error = {
      message: e && e.message ? e.message : String(e),
      notDicom: Boolean(e && e.notDicom),
      offset: e && typeof e.offset === 'number' ? e.offset : null,
      // A trap inside the module (a panic): this worker must not be used again.
      fatal: e instanceof WebAssembly.RuntimeError || exportsOfModule === null,
    };
    // The input is handed back even on failure, so the page keeps its bytes.
    const transfer = event.data.buffer instanceof ArrayBuffer ? [event.data.buffer] : [];
    self.postMessage({ id, ok: false, error, buffer: transfer[0] || null, ms: performance.now() - t, memory: memoryBytes() }, transfer);
  }
};
