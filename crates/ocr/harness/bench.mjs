// Times dicom-leakcheck-ocr in wasm under Node: model load, detection per frame/crop size,
// recognition per line, memory. Usage:
//   node bench.mjs path/to/ocr_wasm_harness.wasm MODELS_DIR BENCH_DIR
// BENCH_DIR is written by `cargo run --release --example eval -- bench-images DIR`.
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';

const [wasmPath, modelsDir, benchDir] = process.argv.slice(2);
const t0 = performance.now();
const { instance } = await WebAssembly.instantiate(fs.readFileSync(wasmPath), {});
const tInst = performance.now() - t0;
const x = instance.exports;
const mem = () => x.memory.buffer.byteLength;
const MB = (n) => (n / 1048576).toFixed(1);

function put(bytes) {
  const p = x.h_alloc(bytes.length);
  new Uint8Array(x.memory.buffer, p, bytes.length).set(bytes);
  return p;
}
function out() {
  const b = new Uint8Array(x.memory.buffer, x.h_out_ptr(), x.h_out_len());
  return new TextDecoder().decode(b);
}
function readPgm(file) {
  const b = fs.readFileSync(file);
  // "P5\nW H\n255\n" header as written by testutil/render.rs
  let i = 0, fields = [];
  while (fields.length < 4) {
    let s = '';
    while (b[i] !== 0x0a && b[i] !== 0x20) s += String.fromCharCode(b[i++]);
    i++;
    fields.push(s);
  }
  return { w: +fields[1], h: +fields[2], data: b.subarray(i) };
}

console.log(`instantiate: ${tInst.toFixed(0)} ms, memory ${MB(mem())} MB`);
const det = fs.readFileSync(`${modelsDir}/det.onnx`);
const rec = fs.readFileSync(`${modelsDir}/rec.onnx`);
const dict = fs.readFileSync(`${modelsDir}/dict.txt`);
const pd = put(det), pr = put(rec), pdi = put(dict);
let t = performance.now();
const rc = x.h_load(pd, det.length, pr, rec.length, pdi, dict.length);
const tLoad = performance.now() - t;
if (rc !== 0) throw new Error(out());
x.h_free(pd, det.length); x.h_free(pr, rec.length); x.h_free(pdi, dict.length);
console.log(`load det+rec: ${tLoad.toFixed(0)} ms, memory after load ${MB(mem())} MB`);

const median = (a) => a.slice().sort((p, q) => p - q)[a.length >> 1];
function timeIt(n, f) {
  f();
  const v = [];
  for (let i = 0; i < n; i++) { const s = performance.now(); f(); v.push(performance.now() - s); }
  return median(v);
}

const manifest = JSON.parse(fs.readFileSync(`${benchDir}/manifest.json`, 'utf8'));
const images = new Map();
for (const m of manifest) {
  const img = readPgm(`${benchDir}/${m.file}`);
  images.set(m.file, { ...img, ptr: put(img.data), lines: m.lines });
}

function detect(img, scale, region) {
  const [rx, ry, rw, rh] = region ?? [0, 0, img.w, img.h];
  const n = x.h_detect(img.ptr, img.w, img.h, rx, ry, rw, rh, scale, 0);
  if (n < 0) throw new Error(out());
  return JSON.parse(out());
}
function recognize(img, rects, pol = 2, batch = 4) {
  const flat = new Uint32Array(rects.flatMap((r) => r.slice(0, 4)));
  const p = put(new Uint8Array(flat.buffer));
  const n = x.h_recognize(img.ptr, img.w, img.h, p, rects.length, pol, batch, 0);
  x.h_free(p, flat.byteLength);
  if (n < 0) throw new Error(out());
  return JSON.parse(out());
}

for (const f of ['frame512.pgm', 'frame1024x768.pgm']) {
  const img = images.get(f);
  const ms = timeIt(3, () => detect(img, 1));
  const boxes = detect(img, 1);
  console.log(`detect ${img.w}x${img.h}: ${ms.toFixed(0)} ms (${boxes.length} boxes), memory ${MB(mem())} MB`);
}
{
  const img = images.get('crop300x60.pgm');
  for (const s of [1, 2, 3, 4]) {
    const ms = timeIt(5, () => detect(img, s));
    console.log(`detect 300x60 crop at scale ${s}: ${ms.toFixed(1)} ms -> ${JSON.stringify(detect(img, s))}`);
  }
}
{
  const img = images.get('frame512.pgm');
  for (const [i, l] of img.lines.entries()) {
    if (i % 3 !== 0) continue;
    for (const pol of [2, 3]) {
      const ms = timeIt(5, () => recognize(img, [l], pol, 1));
      const r = recognize(img, [l], pol, 1);
      console.log(`recognize ${l[4].length} chars at 10px, ${pol === 2 ? 'Auto' : 'Both'}: ${ms.toFixed(0)} ms -> ${JSON.stringify(r[0])}`);
    }
  }
  for (const b of [1, 4, 7]) {
    const ms = timeIt(3, () => recognize(img, img.lines, 2, b));
    console.log(`recognize 7 lines, batch ${b}: ${ms.toFixed(0)} ms (${(ms / 7).toFixed(0)} ms/line)`);
  }
}
// Accuracy check: the wasm engine must read the same as the native one.
let n = 0, exact = 0, nospace = 0;
const t1 = performance.now();
for (const [f, img] of images) {
  if (!f.startsWith('lines-')) continue;
  const r = recognize(img, img.lines, 2, 7);
  img.lines.forEach((l, i) => {
    n++;
    exact += r[i][0] === l[4];
    nospace += r[i][0].replace(/ /g, '') === l[4].replace(/ /g, '');
  });
}
console.log(`accuracy on ${n} bench lines (6/8/12 px, DejaVuSans + NotoSans, 4 styles): exact ${(100 * exact / n).toFixed(1)}%, ignoring spaces ${(100 * nospace / n).toFixed(1)}% (${((performance.now() - t1) / n).toFixed(0)} ms/line)`);
console.log(`memory at end: ${MB(mem())} MB`);
