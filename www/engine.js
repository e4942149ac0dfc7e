// The page's side of the worker (worker.js): requests as promises, cancellation by throwing
// the worker away, and a fresh worker when the old one trapped or grew too big (wasm memory
// is never given back).

// A worker whose wasm memory grew past this is replaced after its current request.
const RECYCLE_MEMORY_BYTES = 768 * 1024 * 1024;

let inlineWorkerUrl = null;

function spawnWorker() {
  // The single-file build carries the worker's source in a data block (see xtask build-wasm).
  const inline = document.getElementById('worker-source');
  if (inline) {
    if (!inlineWorkerUrl) {
      inlineWorkerUrl = URL.createObjectURL(new Blob([inline.textContent], { type: 'text/javascript' }));
    }
    return new Worker(inlineWorkerUrl, { name: 'dicom-leakcheck' });
  }
  return new Worker(new URL('./worker.js', import.meta.url), { type: 'module', name: 'dicom-leakcheck' });
}

export class CancelledError extends Error {
  constructor() {
    super('stopped');
    this.name = 'CancelledError';
  }
}

// Errors from the module keep the core's message; `notDicom` marks bytes that are no DICOM.
export class EngineError extends Error {
  constructor(info) {
    super(info.message);
    this.name = 'EngineError';
    this.notDicom = info.notDicom;
    this.offset = info.offset;
    this.fatal = info.fatal;
  }
}

export function createEngine() {
  let worker = null;
  let nextId = 1;
  let recycle = false;
  const pending = new Map();

  function start() {
    worker = spawnWorker();
    worker.onmessage = (event) => {
      const reply = event.data;
      const waiter = pending.get(reply.id);
      if (!waiter) return;
      pending.delete(reply.id);
      if (reply.ok) waiter.resolve({ ...reply.result, ms: reply.ms });
      else waiter.reject(new EngineError(reply.error));
      if (reply.error && reply.error.fatal) {
        stop(new EngineError({ message: 'the checker had to restart', fatal: true }));
      } else if (reply.memory > RECYCLE_MEMORY_BYTES || recycle) {
        recycle = pending.size > 0;
        if (!recycle) stop(null);
      }
    };
    worker.onerror = (event) => {
      event.preventDefault();
      stop(new EngineError({ message: `the checker stopped: ${event.message || 'unknown error'}`, fatal: true }));
    };
  }

  // Throws the worker away; requests still waiting fail with `error`. The next request
  // starts a fresh worker.
  function stop(error) {
    if (worker) worker.terminate();
    worker = null;
    recycle = false;
    for (const waiter of pending.values()) waiter.reject(error || new CancelledError());
    pending.clear();
  }

  return {
    // request('inspect', {buffer, options}, [buffer]) -> Promise of the worker's result.
    request(type, payload = {}, transfer = []) {
      if (!worker) start();
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker.postMessage({ ...payload, id, type }, transfer);
      });
    },
    // Stops whatever runs now (a long batch): the worker is terminated, not asked.
    cancel() {
      stop(new CancelledError());
    },
  };
}
