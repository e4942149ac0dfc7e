// Runs inside Chromium, one page load for all three libraries. bench/browser_bench.mjs calls
// window.bench.load(urls) once (fetching is not timed), then window.bench.run(...) per set.
import init, * as wasm from './pkg/dicom_leakcheck.js';

let files = [];
const ms = () => performance.now();

// Each job: a function of one file's bytes; a throw counts as a failure of that file.
// With a build from before a change (browser_bench.mjs --pkg-before), its jobs run in the same
// turns: before and after, side by side in one page.
// Ours, as the page parses each file of a batch: the report flagged first (`inspect_flagged`:
// the summary and flagged findings cross into JavaScript, the whole report is kept in the
// module), let go at once here (the page keeps it until the file is opened or cleared; the
// module bounds what it keeps). `-eager`: `inspect`, every element crossed.
// (A build from before this export: its eager report.)
const flaggedFirst = (b) => {
  if (typeof wasm.inspect_flagged !== 'function') return wasm.inspect(b, []);
  const report = wasm.inspect_flagged(b, []);
  if (report.handle) wasm.release_held(report.handle);
  return report;
};
const JOBS = {
  'parse:dicom-leakcheck': (b) => flaggedFirst(b),
  'parse:dicom-leakcheck-eager': (b) => wasm.inspect(b, []),
  'parse:dcmjs': (b) => dcmjs.data.DicomMessage.readFile(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength)),
  'parse:dicom-parser': (b) => dicomParser.parseDicom(b),
  'deid:dicom-leakcheck': (b, key) => wasm.deidentify(b, [], key).bytes,
  'deid:dcmjs': (b) => {
    const msg = dcmjs.data.DicomMessage.readFile(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
    dcmjs.anonymizer.cleanTags(msg.dict);
    return msg.write();
  },
};

window.bench = {
  async load(urls, withBefore) {
    await init();
    if (withBefore && !JOBS['parse:dicom-leakcheck-before']) {
      const before = await import('./pkg-before/dicom_leakcheck.js');
      await before.default();
      JOBS['parse:dicom-leakcheck-before'] = (b) => before.inspect(b, []);
      JOBS['deid:dicom-leakcheck-before'] = (b, key) => before.deidentify(b, [], key).bytes;
    }
    files = [];
    for (const url of urls) {
      const res = await fetch(url);
      if (!res.ok) throw new Error(`${url}: ${res.status}`);
      files.push(new Uint8Array(await res.arrayBuffer()));
    }
    return { files: files.length, bytes: files.reduce((n, f) => n + f.byteLength, 0) };
  },
  // Which files each job fails on (indexes), run once untimed (also the JIT warm-up).
  probe(key) {
    const failed = {};
    for (const [name, job] of Object.entries(JOBS)) {
      failed[name] = [];
      files.forEach((f, i) => {
        try { job(f, key); } catch { failed[name].push(i); }
      });
    }
    return failed;
  },
  // Times every job over the files not in `skip`, `reps` times, the jobs taking turns (A B A B,
  // so a change in the machine's speed falls on all alike); returns seconds per rep.
  run(key, skip, reps) {
    const keep = files.filter((_, i) => !skip.includes(i));
    const out = { files: keep.length, bytes: keep.reduce((n, f) => n + f.byteLength, 0), jobs: {} };
    for (const name of Object.keys(JOBS)) out.jobs[name] = [];
    for (let r = 0; r < reps; r++) {
      for (const [name, job] of Object.entries(JOBS)) {
        // The garbage of the job before (dcmjs leaves hundreds of MB) is collected untimed, so
        // its collection is not billed to the next job (browser_bench.mjs exposes gc).
        globalThis.gc?.();
        const t0 = ms();
        for (const f of keep) job(f, key);
        out.jobs[name].push((ms() - t0) / 1000);
      }
    }
    return out;
  },
  // Where the time of one job goes, per file: [{index, ms}] over `reps` runs (median).
  perFile(name, key, skip, reps) {
    const job = JOBS[name];
    return files
      .map((f, index) => {
        if (skip.includes(index)) return null;
        const times = [];
        for (let r = 0; r < reps; r++) {
          const t0 = ms();
          job(f, key);
          times.push(ms() - t0);
        }
        times.sort((a, b) => a - b);
        return { index, ms: times[Math.floor(times.length / 2)] };
      })
      .filter(Boolean);
  },
  clear() { files = []; },
};
