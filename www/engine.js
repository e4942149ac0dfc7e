// The page's side of the workers (worker.js): a small pool of them, requests as promises,
// a time budget per request, cancellation by throwing the workers away, and a fresh worker
// when one trapped, overran its budget or grew too big (wasm memory is never given back).

// One worker per core, at most 4 (each holds its own copy of the module and its memory).
export const POOL_SIZE = Math.max(1, Math.min((typeof navigator !== 'undefined' && navigator.hardwareConcurrency) || 2, 4));

// A worker whose wasm memory grew past this is replaced after its current request.
const RECYCLE_MEMORY_BYTES = 768 * 1024 * 1024;

// A file may take 60 s plus 1 s per MB (a 2 GB file read by ranges: about 35 minutes at most).
export function timeBudgetMs(bytes) {
  return 60000 + Math.ceil((bytes || 0) / (1024 * 1024)) * 1000;
}

let inlineWorkerUrl = null;

function spawnWorker(name) {
  // The single-file build carries the worker's source in a data block (see xtask build-wasm).
  const inline = document.getElementById('worker-source');
  if (inline) {
    if (!inlineWorkerUrl) {
      inlineWorkerUrl = URL.createObjectURL(new Blob([inline.textContent], { type: 'text/javascript' }));
    }
    return new Worker(inlineWorkerUrl, { name });
  }
  return new Worker(new URL('./worker.js', import.meta.url), { type: 'module', name });
}

// Reads bytes [start, end) of a Blob on the page's thread for a worker that cannot read Blobs
// itself (WebKitGTK, page opened from disk), and transfers them to it (not copied).
function giveBytes(worker, { readId, blob, start, end }) {
  blob
    .slice(start, end)
    .arrayBuffer()
    .then(
      (bytes) => worker.postMessage({ pageRead: { readId, bytes } }, [bytes]),
      (e) => worker.postMessage({ pageRead: { readId, error: (e && e.message) || String(e) } }),
    );
}

export class CancelledError extends Error {
  constructor() {
    super('stopped');
    this.name = 'CancelledError';
  }
}

// Errors from the module keep the core's message; `notDicom` marks bytes that are no DICOM;
// `budget` is 'time' or 'memory' when the file overran one.
export class EngineError extends Error {
  constructor(info) {
    super(info.message);
    this.name = 'EngineError';
    this.notDicom = info.notDicom;
    this.offset = info.offset;
    this.fatal = info.fatal;
    this.budget = info.budget || null;
  }
}

// options: {size, testHooks, reader (reader.js hooks)}. Test hooks (a request type that spins) exist only in workers
// started with them, which only the tests ask for (see app.js).
export function createEngine(options = {}) {
  const size = Math.max(1, options.size || POOL_SIZE);
  // (`bytesFromPage`, tests only: the workers act as if they could not read Blobs.)
  const workerName = options.testHooks ? `dicom-leakcheck test-hooks${options.bytesFromPage ? ' bytes-from-page' : ''}` : 'dicom-leakcheck';
  const slots = []; // {worker, job}
  const queue = []; // jobs waiting for a worker
  // Jobs that wait until no other job does ({background: true}): the pixel search that follows
  // each file's header verdict never delays what the user asked for.
  const background = [];
  // Requests pinned to one worker ({pin: 'preview'}): the worker keeps state between them (the
  // previewed file's bytes). A pin is kept while its worker lives.
  const pins = new Map(); // pin -> slot
  // Each worker's number, given back with its results (`worker`): state kept in one worker (a
  // report held in its module, see worker.js `heldReport`) is asked for with {worker}.
  let nextSerial = 1;
  let nextId = 1;
  let memoryMax = 0;
  // {status({state, why}), files() -> Promise<{model: ArrayBuffer, dictionary} | null>}
  const reader = options.reader || null;

  function giveReaderFiles(worker, askId) {
    (reader ? reader.files() : Promise.resolve(null)).then(
      (files) => worker.postMessage({ readerFiles: { askId, ...(files || {}) } }, files ? [files.model] : []),
      () => worker.postMessage({ readerFiles: { askId } }),
    );
  }

  function retire(slot) {
    slot.worker.terminate();
    const i = slots.indexOf(slot);
    if (i >= 0) slots.splice(i, 1);
    for (const [pin, pinned] of pins) if (pinned === slot) pins.delete(pin);
  }

  function finish(slot, job, error, result) {
    clearTimeout(job.timer);
    slot.job = null;
    if (error) job.reject(error);
    else job.resolve(result);
  }

  function spawn() {
    const slot = { worker: spawnWorker(workerName), job: null, serial: nextSerial++ };
    slot.worker.onmessage = (event) => {
      const reply = event.data;
      // A worker that cannot read Blobs asks for bytes (see readBytes in worker.js).
      if (reply.pageRead) return giveBytes(slot.worker, reply.pageRead);
      // The text reader (reader.js): how its loading goes, and its files in the single file.
      if (reply.reader) return reader && reader.status(reply.reader);
      if (reply.readerFiles) return giveReaderFiles(slot.worker, reply.readerFiles.askId);
      const job = slot.job;
      if (!job || job.id !== reply.id) return;
      // A long request (packing a zip) says how far it got.
      if (typeof reply.progress === 'number') {
        if (job.onProgress) job.onProgress(reply.progress);
        return;
      }
      if (typeof reply.memory === 'number') memoryMax = Math.max(memoryMax, reply.memory);
      if (reply.ok) finish(slot, job, null, { ...reply.result, ms: reply.ms, memory: reply.memory, worker: slot.serial });
      else finish(slot, job, new EngineError(reply.error));
      if ((reply.error && reply.error.fatal) || reply.memory > RECYCLE_MEMORY_BYTES) retire(slot);
      pump();
    };
    slot.worker.onerror = (event) => {
      event.preventDefault();
      const job = slot.job;
      retire(slot);
      if (job) finish(slot, job, new EngineError({ message: `the checker stopped: ${event.message || 'unknown error'}`, fatal: true }));
      pump();
    };
    slots.push(slot);
    return slot;
  }

  function dispatch(slot, job) {
    slot.job = job;
    job.timer = setTimeout(() => {
      // The worker is busy in the module and cannot be asked: it is thrown away.
      retire(slot);
      const seconds = Math.round(job.budgetMs / 1000);
      finish(slot, job, new EngineError({ message: `took too long (more than ${seconds} s); it was stopped so the others could go on`, budget: 'time' }));
      pump();
    }, job.budgetMs);
    slot.worker.postMessage({ ...job.payload, id: job.id, type: job.type }, job.transfer);
  }

  function pump() {
    for (let i = 0; i < queue.length; ) {
      const job = queue[i];
      let slot = job.pin ? pins.get(job.pin) : null;
      if (job.worker != null) {
        slot = slots.find((s) => s.serial === job.worker) || null;
        // Its worker was replaced, and what it kept with it: any worker does, told so.
        if (!slot) Object.assign(job, { worker: null, payload: { ...job.payload, held: null } });
      }
      if (slot && slot.job) {
        // Its worker is busy: the job waits for that one, the others go on.
        i += 1;
        continue;
      }
      if (!slot) slot = slots.find((s) => !s.job) || (slots.length < size ? spawn() : null);
      if (!slot) return;
      if (job.pin) pins.set(job.pin, slot);
      queue.splice(i, 1);
      dispatch(slot, job);
    }
    while (queue.length === 0 && background.length) {
      const slot = slots.find((s) => !s.job) || (slots.length < size ? spawn() : null);
      if (!slot) return;
      dispatch(slot, background.shift());
    }
  }

  return {
    size,
    // request('inspectFile', {blob, options}, [], {budgetMs, onProgress, pin, worker, background})
    // -> Promise of the worker's result, with `worker`: the number of the worker that answered.
    // Requests with the same `pin` go to the same worker (a new one if it was replaced); with
    // `worker` (a number an earlier result gave), to that worker, or to any with `held: null` in
    // the payload when it is gone; `background` ones only to a worker no other request waits for.
    request(type, payload = {}, transfer = [], { budgetMs, onProgress, pin, worker, background: later } = {}) {
      return new Promise((resolve, reject) => {
        const job = { id: nextId++, type, payload, transfer, resolve, reject, onProgress, pin: pin || null, worker: worker == null ? null : worker, budgetMs: budgetMs || timeBudgetMs(0), timer: null };
        (later && !pin && job.worker == null ? background : queue).push(job);
        pump();
      });
    },
    // Stops whatever runs now (a long batch): the workers are terminated, not asked.
    cancel() {
      const error = new CancelledError();
      for (const slot of [...slots]) {
        const job = slot.job;
        retire(slot);
        if (job) finish(slot, job, error);
      }
      for (const job of [...queue.splice(0), ...background.splice(0)]) job.reject(error);
    },
    // The largest wasm memory any worker reported (bytes).
    memoryMax: () => memoryMax,
    workers: () => slots.length,
  };
}
