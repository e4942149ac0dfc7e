// Time of the burned-in text search per frame in wasm (Node 20) next to native, with and
// without the text reader, on files of the benchmark set (issue 9's speed targets: a median of
// at most 30 ms per clean 512x512 frame, at most 1 s per frame with text, in wasm).
//
//   scripts/bench-burned-in.sh                      # builds the set (.cache/burned-in/set)
//   cargo xtask build-wasm                          # dist/pkg and dist/models
//   cargo build --release -p dicom-leakcheck --example burned_in_timing
//   node bench/burned_in/timing.mjs [PER_CATEGORY]  # default 6 files per category and split
//
// Times are CPU time (Node: process.cpuUsage; native: every thread's schedstat), median of
// three runs per file, divided by the file's frames: on a shared machine they move less than
// wall time. The native column comes from the example (same files, same order).
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const perCategory = Number(process.argv[2] || 6);
const dist = process.env.DIST_DIR ? path.resolve(process.env.DIST_DIR) : path.join(root, 'dist');
const pkg = path.join(dist, 'pkg');
const setDir = path.join(root, '.cache', 'burned-in', 'set');
const native = path.join(root, 'target', 'release', 'examples', 'burned_in_timing');
for (const [file, hint] of [
  [path.join(pkg, 'dicom_leakcheck_bg.wasm'), 'cargo xtask build-wasm'],
  [path.join(dist, 'models', 'rec.onnx'), 'cargo xtask build-wasm (it fetches the models)'],
  [path.join(setDir, 'manifest.json'), 'scripts/bench-burned-in.sh'],
  [native, 'cargo build --release -p dicom-leakcheck --example burned_in_timing'],
]) {
  if (!existsSync(file)) {
    console.error(`${file} is missing: run \`${hint}\` first`);
    process.exit(1);
  }
}
const wasm = await import(pathToFileURL(path.join(pkg, 'dicom_leakcheck.js')));
await wasm.default({ module_or_path: await readFile(path.join(pkg, 'dicom_leakcheck_bg.wasm')) });

const cpuMs = (f) => {
  const t = process.cpuUsage();
  f();
  const d = process.cpuUsage(t);
  return (d.user + d.system) / 1000;
};
const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const pct = (v, q) => [...v].sort((a, b) => a - b)[Math.min(v.length - 1, Math.floor(q * v.length))];
const time3 = (f) => median([cpuMs(f), cpuMs(f), cpuMs(f)]);

const manifest = JSON.parse(await readFile(path.join(setDir, 'manifest.json'), 'utf8'));
const picked = [];
const seen = new Map();
for (const f of manifest.files) {
  const k = `${f.split}/${f.category}`;
  const n = seen.get(k) || 0;
  if (n < perCategory) {
    seen.set(k, n + 1);
    picked.push(f);
  }
}
const files = picked.map((f) => path.join(setDir, f.path));

console.error(`native: ${files.length} files ...`);
const nativeLines = execFileSync(native, [path.join(dist, 'models'), ...files], { maxBuffer: 1 << 26 })
  .toString()
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l));

const bytesOf = await Promise.all(files.map(async (f) => new Uint8Array(await readFile(f))));
console.error(`wasm: ${files.length} files, finder alone ...`);
const wasmFind = bytesOf.map((bytes) => time3(() => wasm.search_pixels(bytes)));

const t = performance.now();
wasm.load_text_reader(await readFile(path.join(dist, 'models', 'rec.onnx')), await readFile(path.join(dist, 'models', 'dict.txt'), 'utf8'));
const loadMs = performance.now() - t;

console.error(`wasm: ${files.length} files, with the reader ...`);
const rows = [];
for (let i = 0; i < files.length; i++) {
  const frames = Math.max(1, nativeLines[i].frames);
  let regions = 0;
  const readMs = time3(() => {
    regions = wasm.search_pixels(bytesOf[i]).regions.length;
  });
  rows.push({
    ...picked[i],
    frames,
    wasmFind: wasmFind[i] / frames,
    wasmRead: readMs / frames,
    nativeFind: nativeLines[i].find_ms / frames,
    nativeRead: nativeLines[i].read_ms / frames,
    regions,
  });
}

const groups = new Map();
for (const r of rows) {
  const clean = r.category.startsWith('clean');
  const big = r.rows >= 512 && r.cols >= 512;
  const key = clean ? (big && r.family !== 'photo' && ['CT', 'MR'].includes(r.family) ? 'clean CT/MR, >= 512x512' : 'clean, other') : r.category;
  if (!groups.has(key)) groups.set(key, []);
  groups.get(key).push(r);
}
console.log(`model load in wasm: ${loadMs.toFixed(0)} ms (wall)`);
console.log('');
console.log('Median ms per frame (CPU); p90 of wasm with the reader. Frames: the files\' frames (a cine is sampled, so its time per frame is low).');
console.log('');
console.log('| files | n | frames | native, finder | wasm, finder | native, with reader | wasm, with reader | wasm p90, with reader | wasm / native |');
console.log('|---|---|---|---|---|---|---|---|---|');
for (const [key, g] of [...groups.entries()].sort()) {
  const m = (f) => median(g.map(f));
  const ratio = m((r) => r.wasmRead) / Math.max(0.01, m((r) => r.nativeRead));
  const cell = (f) => m(f).toFixed(1);
  console.log(`| ${key} | ${g.length} | ${g.reduce((s, r) => s + r.frames, 0)} | ${cell((r) => r.nativeFind)} | ${cell((r) => r.wasmFind)} | ${cell((r) => r.nativeRead)} | ${cell((r) => r.wasmRead)} | ${pct(g.map((r) => r.wasmRead), 0.9).toFixed(1)} | ${ratio.toFixed(2)} |`);
}
