// Large files through the wasm bindings under Node: `scan` and `deidentify_ranges` read only
// the byte ranges they ask for. A 2 GB Pixel Data is a hole that is never read: the output
// pieces copy it by range. Run by scripts/test-web.sh after the build.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { distDir, leftovers } from './helpers.mjs';

const pkg = new URL('pkg/', distDir());
const wasm = await import(new URL('dicom_leakcheck.js', pkg));
const exports = await wasm.default({ module_or_path: await readFile(new URL('dicom_leakcheck_bg.wasm', pkg)) });

// The caller's loop, as the page runs it: start with nothing, read what is asked, call again.
function drive(total, read, step) {
  const segments = [];
  let rounds = 0;
  let bytesRead = 0;
  for (;;) {
    rounds += 1;
    assert.ok(rounds < 100, 'the loop ends');
    const result = step(segments, total);
    if (!result.need) return { result, rounds, bytesRead };
    assert.ok(result.need.length > 0);
    for (const { offset, length } of result.need) {
      assert.ok(Number.isInteger(offset) && length > 0 && offset + length <= total, `${offset}+${length}`);
      bytesRead += length;
      segments.push({ offset, bytes: read(offset, length) });
    }
  }
}

const fromBytes = (bytes) => (offset, length) => bytes.slice(offset, offset + length);

test('scan of the sample in parts gives the same report as inspect', () => {
  const bytes = wasm.sample();
  const { result, rounds } = drive(bytes.length, fromBytes(bytes), (s, t) => wasm.scan(s, t, ['clean-descriptors']));
  assert.ok(rounds <= 2, `${rounds} rounds`);
  assert.deepEqual(result.report, wasm.inspect(bytes, ['clean-descriptors']));
});

test('deidentify_ranges of the sample assembles to the bytes deidentify writes', () => {
  const bytes = wasm.sample();
  const key = wasm.generate_key();
  const { result } = drive(bytes.length, fromBytes(bytes), (s, t) => wasm.deidentify_ranges(s, t, [], key));
  const whole = wasm.deidentify(bytes, [], key);
  const out = new Uint8Array(result.output_length);
  let at = 0;
  for (const piece of result.pieces) {
    const part = piece instanceof Uint8Array ? piece : bytes.subarray(piece.offset, piece.offset + piece.length);
    out.set(part, at);
    at += part.length;
  }
  assert.equal(at, result.output_length);
  assert.deepEqual(out, whole.bytes);
  assert.deepEqual(result.residual, whole.residual);
  assert.equal(result.sop_instance_uid, whole.sop_instance_uid);
  assert.deepEqual(result.changes, whole.changes);
});

// The sample's header, then Pixel Data (OW) declaring `hole` bytes that are never given, then
// a private element after it that names the patient.
function virtualFile(hole) {
  const sample = wasm.sample();
  const pixelAt = wasm.inspect(sample, []).pixel_data.offset;
  const header = new Uint8Array(12);
  header.set([0xe0, 0x7f, 0x10, 0x00, 0x4f, 0x57, 0, 0]);
  new DataView(header.buffer).setUint32(8, hole, true);
  const element = (group, elem, vr, text) => {
    const value = Buffer.from(text.length % 2 ? `${text} ` : text, 'latin1');
    const out = new Uint8Array(8 + value.length);
    const view = new DataView(out.buffer);
    view.setUint16(0, group, true);
    view.setUint16(2, elem, true);
    out.set(Buffer.from(vr, 'latin1'), 4);
    view.setUint16(6, value.length, true);
    out.set(value, 8);
    return out;
  };
  const head = Buffer.concat([sample.subarray(0, pixelAt), header]);
  const tail = Buffer.concat([element(0x7fe1, 0x0010, 'LO', 'TAILCO'), element(0x7fe1, 0x1001, 'LO', 'DOE^JOHN')]);
  const holeStart = head.length;
  const total = head.length + hole + tail.length;
  const read = (offset, length) => {
    assert.ok(length <= 1 << 20, `asked for ${length} bytes at ${offset}`);
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i += 1) {
      const at = offset + i;
      if (at < holeStart) out[i] = head[at];
      else if (at >= holeStart + hole) out[i] = tail[at - holeStart - hole];
    }
    return out;
  };
  return { total, read, holeStart, holeEnd: holeStart + hole };
}

test('a 2 GB Pixel Data is never read: scan and deidentify_ranges work from the header and tail', () => {
  const hole = 2_000_000_000;
  const file = virtualFile(hole);
  const scanned = drive(file.total, file.read, (s, t) => wasm.scan(s, t, []));
  assert.ok(scanned.rounds <= 3, `${scanned.rounds} rounds`);
  assert.ok(scanned.bytesRead < 3 << 20, `read ${scanned.bytesRead} bytes`);
  const report = scanned.result.report;
  assert.equal(report.pixel_data.length, 12 + hole);
  assert.equal(report.pixel_data.offset, file.holeStart - 12);
  assert.ok(report.elements.some((e) => e.tag === '(7FE1,1001)' && e.value === 'DOE^JOHN' && e.flagged));

  const done = drive(file.total, file.read, (s, t) => wasm.deidentify_ranges(s, t, [], wasm.generate_key())).result;
  assert.deepEqual(done.residual, []);
  assert.equal(done.report_before.summary.verdict, 'leaks');
  const copies = done.pieces.filter((p) => !(p instanceof Uint8Array));
  assert.ok(
    copies.some((p) => p.offset <= file.holeStart && p.offset + p.length >= file.holeEnd),
    `Pixel Data is one copied range: ${JSON.stringify(copies)}`,
  );
  assert.ok(copies.every((p) => p.offset + p.length <= file.holeEnd), 'the tail is rewritten, not copied');
  const written = done.pieces.filter((p) => p instanceof Uint8Array);
  assert.ok(written.reduce((n, p) => n + p.length, 0) < 64 * 1024);
  for (const piece of written) assert.deepEqual(leftovers(piece), []);
  const sum = done.pieces.reduce((n, p) => n + p.length, 0);
  assert.equal(done.output_length, sum);
  assert.ok(done.output_length > hole);
  // The module's whole linear memory (it only grows) stayed far below the file's size.
  const memory = exports.memory.buffer.byteLength;
  assert.ok(memory < 64 << 20, `wasm memory grew to ${memory} bytes`);
  if (process.env.VERBOSE) console.log(`wasm memory after a 2 GB file: ${memory} bytes`);
});

test('bad segments are an Error', () => {
  assert.throws(() => wasm.scan([{ offset: 0, bytes: new Uint8Array(10) }], 5, []), Error);
  assert.throws(() => wasm.scan([{ offset: -1, bytes: new Uint8Array(1) }], 5, []), Error);
  assert.throws(() => wasm.scan('nope', 5, []), Error);
  assert.throws(() => wasm.scan([], 1.5, []), Error);
});

test('next_fragment lets the loop read fragment headers ahead when there is no offset table', () => {
  const sample = wasm.sample();
  const pixelAt = wasm.inspect(sample, []).pixel_data.offset;
  const parts = [sample.subarray(0, pixelAt), new Uint8Array([0xe0, 0x7f, 0x10, 0x00, 0x4f, 0x42, 0, 0, 0xff, 0xff, 0xff, 0xff])];
  const item = (length) => {
    const header = new Uint8Array(8);
    header.set([0xfe, 0xff, 0x00, 0xe0]);
    new DataView(header.buffer).setUint32(4, length, true);
    return header;
  };
  parts.push(item(0));
  for (let i = 0; i < 300; i += 1) {
    const length = 10_000 + 2 * (i % 50);
    parts.push(item(length), new Uint8Array(length).fill(i % 256));
  }
  parts.push(new Uint8Array([0xfe, 0xff, 0xdd, 0xe0, 0, 0, 0, 0]));
  const bytes = new Uint8Array(Buffer.concat(parts));
  const read = fromBytes(bytes);
  const readAhead = (offset, length) => {
    // The loop's read, plus the chain of fragment headers after an 8-byte one.
    const out = [{ offset, bytes: read(offset, length) }];
    let at = offset;
    let next = length === 8 ? wasm.next_fragment(at, out[0].bytes) : undefined;
    while (next !== undefined && next + 8 <= bytes.length) {
      out.push({ offset: next, bytes: read(next, 8) });
      at = next;
      next = wasm.next_fragment(at, out[out.length - 1].bytes);
    }
    return out;
  };
  const loop = (step, ahead) => {
    const segments = [];
    for (let rounds = 1; rounds < 1000; rounds += 1) {
      const result = step(segments, bytes.length);
      if (!result.need) return { result, rounds };
      for (const { offset, length } of result.need) {
        if (ahead) segments.push(...readAhead(offset, length));
        else segments.push({ offset, bytes: read(offset, length) });
      }
    }
    throw new Error('the loop does not end');
  };
  const plain = loop((s, t) => wasm.scan(s, t, []), false);
  const ahead = loop((s, t) => wasm.scan(s, t, []), true);
  assert.ok(plain.rounds > 100, `${plain.rounds} rounds without read-ahead`);
  assert.ok(ahead.rounds <= 4, `${ahead.rounds} rounds with read-ahead`);
  // The same header report as from the whole bytes (both leave the pixels unsearched).
  assert.deepEqual(ahead.result.report, wasm.inspect(bytes, []));
  assert.equal(ahead.result.report.burned_in.pixels_checked, false);
  assert.equal(ahead.result.report.pixel_data.fragments, 301);
  assert.equal(wasm.next_fragment(0, new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8])), undefined);
});

// The page's second driver: where a worker cannot read Blobs, it drives the core's session
// through the `Session` class with bytes the page reads (asynchronously) for it.
function bySession(session, read) {
  let rounds = 0;
  let bytesRead = 0;
  try {
    for (;;) {
      const ranges = session.need();
      if (ranges.length === 0) return { result: session.finish(), rounds, bytesRead };
      rounds += 1;
      assert.ok(rounds < 100_000, 'the loop ends');
      for (const { offset, length } of ranges) {
        bytesRead += length;
        session.give(offset, read(offset, length));
      }
    }
  } finally {
    session.free();
  }
}

// The sample's header, then encapsulated Pixel Data with an empty offset table and `count`
// fragments of varying sizes.
function withoutOffsetTable(count) {
  const sample = wasm.sample();
  const pixelAt = wasm.inspect(sample, []).pixel_data.offset;
  const item = (length) => {
    const header = new Uint8Array(8);
    header.set([0xfe, 0xff, 0x00, 0xe0]);
    new DataView(header.buffer).setUint32(4, length, true);
    return header;
  };
  const parts = [sample.subarray(0, pixelAt), new Uint8Array([0xe0, 0x7f, 0x10, 0x00, 0x4f, 0x42, 0, 0, 0xff, 0xff, 0xff, 0xff]), item(0)];
  for (let i = 0; i < count; i += 1) {
    const length = 1000 + 2 * (i % 50);
    parts.push(item(length), new Uint8Array(length).fill(i % 256));
  }
  parts.push(new Uint8Array([0xfe, 0xff, 0xdd, 0xe0, 0, 0, 0, 0]));
  return new Uint8Array(Buffer.concat(parts));
}

test('the Session class gives what inspect and deidentify give on the whole bytes', () => {
  const bytes = wasm.sample();
  const options = ['clean-descriptors'];
  const inspected = bySession(wasm.Session.inspect(bytes.length, options), fromBytes(bytes));
  assert.deepEqual(inspected.result.report, wasm.inspect(bytes, options));
  const key = wasm.generate_key();
  const { result } = bySession(wasm.Session.deidentify(bytes.length, [], key), fromBytes(bytes));
  const whole = wasm.deidentify(bytes, [], key);
  const out = Buffer.concat(result.pieces.map((p) => (p instanceof Uint8Array ? p : bytes.subarray(p.offset, p.offset + p.length))));
  assert.equal(out.length, result.output_length);
  assert.deepEqual(new Uint8Array(out), whole.bytes);
  assert.deepEqual(result.changes, whole.changes);
});

test('the Session class walks 5,000 fragments without an offset table, reading ahead, the fragments never read', () => {
  const bytes = withoutOffsetTable(5000);
  const fragmentsStart = wasm.inspect(bytes, []).pixel_data.offset + 12;
  const read = (offset, length) => {
    // Only item headers (8 bytes) are read past the header: never a fragment's contents.
    if (offset >= fragmentsStart) assert.equal(length, 8, `asked for ${length} bytes at ${offset}`);
    return bytes.slice(offset, offset + length);
  };
  const { result, bytesRead } = bySession(wasm.Session.inspect(bytes.length, []), read);
  assert.equal(result.report.pixel_data.fragments, 5001);
  assert.ok(bytesRead < fragmentsStart + 5002 * 8 + (1 << 20), `read ${bytesRead} bytes`);
  const done = bySession(wasm.Session.deidentify(bytes.length, [], wasm.generate_key()), read).result;
  assert.deepEqual(done.residual, []);
  const copied = done.pieces.filter((p) => !(p instanceof Uint8Array));
  assert.ok(copied.some((p) => p.offset <= fragmentsStart && p.offset + p.length === bytes.length), JSON.stringify(copied));
});

test('a Session used after it finished, and a read past the end, are Errors', () => {
  const bytes = wasm.sample();
  const session = wasm.Session.inspect(bytes.length, []);
  assert.throws(() => session.give(bytes.length - 2, new Uint8Array(4)), Error);
  assert.throws(() => wasm.Session.inspect(-1, []), Error);
  for (;;) {
    const ranges = session.need();
    if (ranges.length === 0) break;
    for (const { offset, length } of ranges) session.give(offset, bytes.slice(offset, offset + length));
  }
  session.finish();
  assert.throws(() => session.finish(), /already finished/);
  session.free();
  // Reading a File synchronously is for workers: in Node there is no FileReaderSync.
  assert.throws(() => wasm.inspect_file(new Blob([bytes]), []), /cannot read files synchronously|FileReaderSync/);
});
