// Speed of the pixel text finder in wasm (Node 20), next to the native numbers.
//
//   cargo xtask build-wasm                                   # dist/pkg: the wasm the page ships
//   cargo run --release -p dicom-leakcheck --example detector_bench             # native numbers + frames in target/
//   node bench/detector.mjs
//
// Builds nothing itself: it loads dist/pkg (DIST_DIR overrides) the way tests/web/wasm.test.mjs
// does. Frames come from target/detector-bench/ (DejaVu text on medical-looking backgrounds,
// written by the example, which also records its native ms/frame); without them it makes simple
// frames here (noise plus blocky text from a tiny built-in bitmap font) and has no native column.
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const RUNS = 20;
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const dist = process.env.DIST_DIR ? path.resolve(process.env.DIST_DIR) : path.join(root, 'dist');
const pkg = path.join(dist, 'pkg');
if (!existsSync(path.join(pkg, 'dicom_leakcheck_bg.wasm'))) {
  console.error(`${dist} has no built page: run \`cargo xtask build-wasm\` first`);
  process.exit(1);
}
const wasm = await import(pathToFileURL(path.join(pkg, 'dicom_leakcheck.js')));
await wasm.default({ module_or_path: await readFile(path.join(pkg, 'dicom_leakcheck_bg.wasm')) });

const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

// ---- frames ----
const benchDir = path.join(root, 'target', 'detector-bench');
let frames;
if (existsSync(path.join(benchDir, 'frames.json'))) {
  const index = JSON.parse(await readFile(path.join(benchDir, 'frames.json'), 'utf8'));
  frames = await Promise.all(index.map(async (f) => ({ ...f, rgb: new Uint8Array(await readFile(path.join(benchDir, f.file))) })));
  console.log(`frames: ${frames.length} from ${path.relative(root, benchDir)} (native numbers from the example)`);
} else {
  frames = [];
  for (const [w, h] of [[512, 512], [1024, 768]]) for (let seed = 1; seed <= 4; seed++) frames.push(simpleFrame(w, h, seed));
  console.log(`frames: ${frames.length} simple ones (run the example for DejaVu frames and native numbers)`);
}

// A tiny 3x5 font: enough for banners of digits and a few letters.
function simpleFrame(w, h, seed) {
  const glyphs = {
    0: '111101101101111', 1: '010110010010111', 2: '111001111100111', 3: '111001111001111', 4: '101101111001001',
    5: '111100111001111', 6: '111100111101111', 7: '111001010010010', 8: '111101111101111', 9: '111101111001111',
    D: '110101101101110', O: '111101101101111', E: '111100110100111', J: '001001001101111', H: '101101111101101',
    N: '101111111111101', '/': '001001010100100', ' ': '000000000000000',
  };
  let s = seed * 2654435761 >>> 0;
  const rand = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  const rgb = new Uint8Array(w * h * 3);
  for (let i = 0; i < w * h; i++) {
    const v = Math.max(0, Math.min(255, 60 + (rand() + rand() + rand() - 1.5) * 40)) | 0;
    rgb[3 * i] = rgb[3 * i + 1] = rgb[3 * i + 2] = v;
  }
  const text = ['DOE JOHN 12/03/1970', 'ID 0045521', 'HN 7'];
  const scale = 3;
  text.forEach((line, row) => {
    const y0 = 8 + row * 8 * scale;
    [...line].forEach((ch, k) => {
      const g = glyphs[ch] || glyphs[' '];
      for (let gy = 0; gy < 5; gy++) for (let gx = 0; gx < 3; gx++) {
        if (g[gy * 3 + gx] !== '1') continue;
        for (let dy = 0; dy < scale; dy++) for (let dx = 0; dx < scale; dx++) {
          const x = 8 + (k * 4 + gx) * scale + dx, y = y0 + gy * scale + dy;
          if (x < w && y < h) rgb.fill(230, 3 * (y * w + x), 3 * (y * w + x) + 3);
        }
      }
    });
  });
  return { width: w, height: h, background: 'Noise (simple)', rgb, native_ms: null, boxes: null };
}

// ---- timing ----
const rows = new Map();
let mismatches = 0;
for (const f of frames) {
  let boxes = wasm.detect_text(f.rgb, f.width, f.height, 3); // warm-up
  const times = [];
  for (let r = 0; r < RUNS; r++) {
    const t = performance.now();
    boxes = wasm.detect_text(f.rgb, f.width, f.height, 3);
    times.push(performance.now() - t);
  }
  if (f.boxes !== null && boxes.length !== f.boxes) mismatches++;
  const key = `${f.width}x${f.height}`;
  if (!rows.has(key)) rows.set(key, { wasm: [], native: [] });
  rows.get(key).wasm.push(median(times));
  if (f.native_ms !== null) rows.get(key).native.push(f.native_ms);
}
console.log(`\nms/frame: median of ${RUNS} runs per frame, then the median over frames (RGB in, luma conversion included in wasm)`);
console.log('size        frames  native   wasm   wasm max');
for (const [key, r] of rows) {
  const native = r.native.length ? median(r.native).toFixed(2) : '-';
  console.log(`${key.padEnd(11)} ${String(r.wasm.length).padStart(6)} ${native.padStart(7)} ${median(r.wasm).toFixed(2).padStart(6)} ${Math.max(...r.wasm).toFixed(2).padStart(9)}`);
}
if (mismatches) console.log(`note: ${mismatches} frames gave a different number of boxes in wasm than natively`);
