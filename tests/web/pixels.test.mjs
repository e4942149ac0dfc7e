// The pixel exports of the wasm bindings under Node, on the built-in sample (a synthetic CT
// with an overlay plane). Run by scripts/test-web.sh after the build.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { distDir, nativeCli, tempDir } from './helpers.mjs';

const pkg = new URL('pkg/', distDir());
const wasm = await import(new URL('dicom_leakcheck.js', pkg));
await wasm.default({ module_or_path: await readFile(new URL('dicom_leakcheck_bg.wasm', pkg)) });

test('image_info describes the sample image in snake_case', () => {
  const info = wasm.image_info(wasm.sample());
  assert.equal(info.encoding, 'uncompressed');
  assert.equal(info.frames, 1);
  assert.equal(info.samples_per_pixel, 1);
  assert.equal(info.bits_allocated, 16);
  assert.equal(info.lossy, false);
  assert.equal(info.cannot_decode, null);
  assert.ok(info.rows > 0 && info.columns > 0);
});

test('decode_frame gives gray values, their range and 8-bit luminance', () => {
  const bytes = wasm.sample();
  const info = wasm.image_info(bytes);
  const frame = wasm.decode_frame(bytes, 0);
  assert.equal(frame.kind, 'gray');
  assert.equal(frame.width, info.columns);
  assert.equal(frame.height, info.rows);
  assert.ok(frame.values instanceof Int32Array);
  assert.equal(frame.values.length, info.rows * info.columns);
  assert.equal(frame.min, 24); // the background of the synthetic head
  assert.ok(frame.max >= 1040);
  assert.ok(frame.luma instanceof Uint8Array);
  assert.equal(frame.luma.length, info.rows * info.columns);
  assert.throws(() => wasm.decode_frame(bytes, 1), /frame 1 of 1/);
});

test('overlays come with their bits; files without pixels give null', () => {
  const bytes = wasm.sample();
  const list = wasm.overlays(bytes);
  assert.equal(list.length, 1);
  const o = list[0];
  assert.equal(o.group, 0x6000);
  assert.equal(o.kind, 'graphics');
  assert.ok(o.bits instanceof Uint8Array);
  assert.equal(o.bits.length, o.rows * o.columns);
  assert.equal(wasm.overlay_bits(bytes, 0x6000, 0).length, o.rows * o.columns);
  assert.equal(wasm.overlay_bits(bytes, 0x6002, 0), null);
  assert.throws(() => wasm.image_info(new Uint8Array([1, 2, 3])), /DICOM/);
});

test('inspect reads the header only; search_pixels searches the frames afterwards', () => {
  const us = wasm.sample_ultrasound();
  const header = wasm.inspect(us, []).burned_in;
  assert.equal(header.pixels_checked, false);
  assert.equal(header.regions.filter((r) => r.source === 'detector').length, 0);
  assert.ok(['medium', 'high'].includes(header.header_risk), header.header_risk);
  const searched = wasm.search_pixels(us);
  assert.equal(searched.pixels_checked, true);
  assert.ok(searched.regions.some((r) => r.source === 'detector'), JSON.stringify(searched.regions));
  assert.equal(searched.risk, 'high');
});

// The page's regions are the core's: the wasm module with the text reader loaded (as a worker
// loads it) and the native CLI with the same models give the same boxes, the same text read and
// the same identifying attributes on the same file.
test('the page and the CLI agree on the burned-in regions of a file, text read included', async (t) => {
  const cli = nativeCli();
  if (!cli) {
    assert.ok(!process.env.CI, 'the release CLI is built by scripts/test.sh under CI');
    t.skip('the release CLI is not built (cargo build --release -p dicom-leakcheck-cli)');
    return;
  }
  const models = fileURLToPath(new URL('models/', distDir()));
  wasm.load_text_reader(await readFile(path.join(models, 'rec.onnx')), await readFile(path.join(models, 'dict.txt'), 'utf8'));
  const file = path.join(tempDir('leakcheck-agree-'), 'us.dcm');
  await writeFile(file, wasm.sample_ultrasound());
  const page = wasm.search_pixels(await readFile(file));
  const report = JSON.parse(execFileSync(cli, ['inspect', '--json', '--ocr-models', models, file]).toString());
  const native = report.files[0].burned_in;
  const shape = (r) => ({ frame: r.frame, all_frames: r.all_frames, x: r.x, y: r.y, w: r.w, h: r.h, source: r.source, text: r.text ?? null, identifies: r.identifies || [], pattern: r.pattern ?? null });
  assert.ok(page.text_read && native.text_read, 'both read the text');
  assert.ok(page.regions.some((r) => (r.identifies || []).includes('PatientName')), JSON.stringify(page.regions));
  assert.deepEqual(page.regions.map(shape), native.regions.map(shape));
  assert.equal(page.risk, native.risk);
  assert.deepEqual(page.reasons.map((r) => r.text), native.reasons.map((r) => r.text));
});
