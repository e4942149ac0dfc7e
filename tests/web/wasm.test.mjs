// The wasm bindings under Node: the web build in dist/pkg, instantiated with its bytes
// (the same call the single-file page makes). Run by scripts/test-web.sh after the build.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { distDir, leftovers } from './helpers.mjs';

const pkg = new URL('pkg/', distDir());
const wasm = await import(new URL('dicom_leakcheck.js', pkg));
await wasm.default({ module_or_path: await readFile(new URL('dicom_leakcheck_bg.wasm', pkg)) });

const latin1 = (bytes) => Buffer.from(bytes).toString('latin1');

test('version and options come from the core', () => {
  assert.match(wasm.version(), /^\d+\.\d+\.\d+/);
  const options = wasm.options();
  assert.ok(Array.isArray(options) && options.length >= 10);
  const uids = options.find((o) => o.name === 'retain-uids');
  assert.equal(uids.section, 'E.3.2');
  for (const o of options) {
    for (const field of ['name', 'label', 'help', 'section', 'code']) assert.equal(typeof o[field], 'string', `${o.name}.${field}`);
  }
});

test('the sample is a DICOM file with the fake patient', () => {
  const bytes = wasm.sample();
  assert.ok(bytes instanceof Uint8Array);
  assert.equal(latin1(bytes.subarray(128, 132)), 'DICM');
  assert.ok(latin1(bytes).includes('DOE^JOHN'));
  assert.match(wasm.sample_name(), /\.dcm$/);
});

test('inspect reports the patient name as flagged, with reason, action and effect', () => {
  const report = wasm.inspect(wasm.sample(), []);
  assert.equal(report.summary.verdict, 'leaks');
  assert.ok(report.summary.flagged > 10);
  assert.match(report.summary.text, /DOE JOHN/);
  assert.equal(typeof report.summary.by_category, 'object');
  assert.ok(!(report.summary.by_category instanceof Map), 'maps come back as plain objects');
  const name = report.elements.find((e) => e.tag === '(0010,0010)');
  assert.equal(name.value, 'DOE^JOHN');
  assert.equal(name.flagged, true);
  assert.ok(name.reason && name.effect && name.action && name.table_action);
  assert.ok(name.offset > 132 && name.length >= 16);
  // The offset points at the element in the file: its tag bytes are there.
  const bytes = wasm.sample();
  assert.deepEqual([...bytes.subarray(name.offset, name.offset + 4)], [0x10, 0x00, 0x10, 0x00]);
  assert.ok(report.elements.some((e) => e.in_meta), 'file meta elements are included');
  assert.ok(report.elements.some((e) => e.depth > 0 && e.path.includes('[0].')), 'sequence items are walked');
  assert.ok(report.elements.some((e) => e.private_creator === 'ACME_PRIVATE_1'));
});

test("inspect_flagged: the eager report's summary and flagged findings; the rest from the kept report, without inspecting again", () => {
  for (const [bytes, options] of [[wasm.sample(), []], [wasm.sample_ultrasound(), ['retain-patient-characteristics']]]) {
    const eager = wasm.inspect(bytes, options);
    const first = wasm.inspect_flagged(bytes, options);
    const { handle, element_count: count, element_positions: positions, elements: flagged, ...rest } = first;
    const { elements: all, ...eagerRest } = eager;
    assert.deepEqual(rest, eagerRest, "every field but the elements is the eager report's");
    assert.deepEqual(flagged, all.filter((e) => e.flagged));
    assert.equal(count, all.length);
    assert.deepEqual(positions.map((at) => all[at]), flagged);
    assert.ok(Number.isInteger(handle) && handle > 0);
    const unflagged = wasm.unflagged_elements(handle);
    assert.deepEqual(unflagged, all.filter((e) => !e.flagged));
    assert.deepEqual(wasm.held_flagged(handle), first, 'asked again, the same');
    assert.ok(wasm.held_size().reports >= 1 && wasm.held_size().bytes > 0);
    assert.equal(wasm.release_held(handle), true);
    assert.equal(wasm.release_held(handle), false);
    assert.equal(wasm.unflagged_elements(handle), null, 'let go: null');
    assert.equal(wasm.held_flagged(handle), null);
  }
  // Many files: what is kept stays bounded, the oldest let go first.
  const handles = [];
  for (let i = 0; i < 3000; i++) handles.push(wasm.inspect_flagged(wasm.sample(), []).handle);
  const size = wasm.held_size();
  assert.ok(size.bytes <= 16 * 1024 * 1024, `kept ${size.bytes} bytes`);
  assert.ok(size.reports < 3000);
  assert.equal(wasm.unflagged_elements(handles[0]), null);
  assert.ok(Array.isArray(wasm.unflagged_elements(handles[handles.length - 1])));
  wasm.release_all_held();
  assert.deepEqual(wasm.held_size(), { reports: 0, bytes: 0 });
});

test('options change the report', () => {
  const basic = wasm.inspect(wasm.sample(), undefined);
  const keep = wasm.inspect(wasm.sample(), ['retain-patient-characteristics']);
  const flagged = (r, tag) => r.elements.find((e) => e.tag === tag).flagged;
  assert.equal(flagged(basic, '(0010,1010)'), true);
  assert.equal(flagged(keep, '(0010,1010)'), false, 'Patient Age kept with the option');
});

test('unknown option names are an Error naming them', () => {
  assert.throws(() => wasm.inspect(wasm.sample(), ['retain-everything']), (e) => e instanceof Error && /retain-everything/.test(e.message));
  assert.throws(() => wasm.inspect(wasm.sample(), 'retain-uids'), Error);
});

test('deidentify leaves no identifying value and re-inspects clean', () => {
  const key = wasm.generate_key();
  const out = wasm.deidentify(wasm.sample(), [], key);
  assert.ok(out.bytes instanceof Uint8Array && out.bytes.length > 1000);
  assert.deepEqual(leftovers(out.bytes), [], 'identifying values left in the output');
  assert.deepEqual(out.residual, []);
  assert.equal(out.report_before.summary.verdict, 'leaks');
  assert.ok(out.changes.removed > 0 && out.changes.uids_replaced > 0);
  assert.ok(Array.isArray(out.warnings));
  assert.match(out.sop_instance_uid, /^2\.25\./);
  const after = wasm.inspect(out.bytes, []);
  assert.equal(after.elements.find((e) => e.tag === '(0012,0062)').value, 'YES');
  // The same key gives the same new UIDs; another key different ones.
  assert.equal(wasm.deidentify(wasm.sample(), [], key).sop_instance_uid, out.sop_instance_uid);
  assert.notEqual(wasm.deidentify(wasm.sample(), [], wasm.generate_key()).sop_instance_uid, out.sop_instance_uid);
  // Without a key a random one is used.
  assert.match(wasm.deidentify(wasm.sample(), [], undefined).sop_instance_uid, /^2\.25\./);
});

test('keys: generated keys differ and parse; bad keys are an Error', () => {
  const a = wasm.generate_key();
  const b = wasm.generate_key();
  assert.notEqual(a, b);
  assert.match(a, /^dicom-leakcheck-key-v1:[0-9a-f]{64}\n?$/);
  wasm.check_key(a);
  assert.throws(() => wasm.check_key('not a key'), (e) => e instanceof Error && /not a dicom-leakcheck key/.test(e.message));
  assert.throws(() => wasm.deidentify(wasm.sample(), [], 'nope'), (e) => e instanceof Error && /key/.test(e.message));
});

test('garbage bytes are a JS Error with the core message, marked as not DICOM', () => {
  const garbage = new TextEncoder().encode('hello, this is not a DICOM file at all');
  let caught = null;
  try {
    wasm.inspect(garbage, []);
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof Error, 'an Error');
  assert.ok(caught.message.length > 0);
  assert.equal(caught.kind, 'not-dicom');
  assert.equal(caught.notDicom, true);
  assert.throws(() => wasm.deidentify(garbage, [], undefined), (e) => e instanceof Error && e.notDicom === true);
  assert.throws(() => wasm.inspect(new Uint8Array(0), []), (e) => e instanceof Error && e.kind === 'not-dicom');
});

test('a truncated DICOM file is an Error that is not "not DICOM"', () => {
  const bytes = wasm.sample();
  const name = wasm.inspect(bytes, []).elements.find((e) => e.tag === '(0010,0010)');
  // Cut inside the patient name's value.
  const cut = bytes.slice(0, name.offset + 10);
  let caught = null;
  try {
    wasm.inspect(cut, []);
  } catch (e) {
    caught = e;
  }
  // The name's declared length is checked against the bytes left: refused there, not trusted.
  assert.ok(caught instanceof Error, 'a cut value is an error');
  assert.equal(caught.notDicom, false);
  assert.equal(caught.kind, 'length-past-end');
  assert.equal(caught.tag, '(0010,0010)');
  assert.equal(caught.offset, name.offset);
});

test('the core names the options that exclude each other and refuses both together', () => {
  const options = wasm.options();
  const full = options.find((o) => o.name === 'retain-long-full-dates');
  const shifted = options.find((o) => o.name === 'retain-long-modified-dates');
  assert.deepEqual(full.excludes, ['retain-long-modified-dates']);
  assert.deepEqual(shifted.excludes, ['retain-long-full-dates']);
  assert.deepEqual(options.find((o) => o.name === 'retain-uids').excludes, []);
  assert.match(options.find((o) => o.name === 'clean-pixel-data').details, /boxes shown on the image/);
  assert.throws(
    () => wasm.inspect(wasm.sample(), ['retain-long-full-dates', 'retain-long-modified-dates']),
    (e) => e instanceof Error && e.kind === 'conflicting-options',
  );
});

test('category labels come from the core', () => {
  const categories = wasm.categories();
  assert.deepEqual(
    categories.map((c) => c.name),
    ['direct-identifier', 'date-time', 'uid', 'free-text', 'device', 'institution', 'private', 'other'],
  );
  assert.equal(categories.find((c) => c.name === 'uid').label, 'unique identifiers (UIDs)');
});
