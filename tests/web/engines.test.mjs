// The user's flows in every engine: Chromium (playwright-core), Firefox ESR (puppeteer-core over
// WebDriver BiDi) and WebKitGTK (WebKitWebDriver + MiniBrowser through selenium-webdriver),
// all from Debian packages. The flows (flows.mjs) are written once; engines/ holds one thin
// adapter per engine. For each engine, the served page (scripts/serve.mjs, behind a proxy that
// records every request it gets) and the single file dist/dicom-leakcheck.html opened from disk:
//   - held-out files from the pydicom corpus and both built-in samples: each patient's name
//     shown, the cleaned zip downloaded and every file in it checked (no identifying value
//     left, nothing flagged by the native CLI or, without it, the wasm module in Node);
//   - no request leaves the page, and CSP blocks an injected upload from the page and from the
//     worker (to a local "other origin" that records anything reaching it);
//   - no console errors; the axe-core audit with 0 violations, light and dark, desktop and phone.
// An engine that is not installed fails the run when CI is set, and is skipped (with the
// reason) otherwise. Screenshots: test-artifacts/web/<engine>/; timings: engines.json.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { artifactsDir, distDir, loadWasm, repoRoot, startRecordingProxy, startServer, startSink } from './helpers.mjs';
import { ENGINES, chosenEngines } from './engines/index.mjs';
import { axeFlow, heldOutFlow, studiesFlow, uploadBlockedFlow } from './flows.mjs';
import { burnedInFlow, ctNameFlow } from './burnedin-flows.mjs';
import { cdFiles } from './synthetic.mjs';

const CI = Boolean(process.env.CI);
const corpusDir = path.join(process.env.LEAKCHECK_CORPUS || path.join(repoRoot, '.cache', 'corpus', 'pydicom-3.0.2'), 'test_files');
// Held out: files the page's other tests do not use, in six encodings (explicit and implicit
// little endian, big endian, JPEG 2000, RLE) and an SR with non-ASCII names.
const HELD_OUT = ['CT_small.dcm', 'MR_small_bigendian.dcm', 'rtplan.dcm', 'test-SR.dcm', 'JPEG2000.dcm', 'SC_rgb_rle.dcm'];
const corpusMissing = HELD_OUT.every((f) => existsSync(path.join(corpusDir, f))) ? null : `the pydicom corpus is not in ${corpusDir} (scripts/fetch-corpus.sh)`;

const engines = chosenEngines();
const results = {};
let server;
let proxy;
let sink;
let heldOut;
let samples;
let cd;

// A made-up patient's CD (synthetic.mjs), its files side by side under names that say where
// they were on the CD (a picker gives names without folders).
const SERIES_SLICES = 20;
function writeCd() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'leakcheck-cd-'));
  const files = cdFiles([
    { number: 2, description: 'AXIAL 5MM', slices: SERIES_SLICES, burnedIn: [3, 7] },
    { number: 3, description: 'CORONAL', slices: 4 },
  ]);
  const name = (p) => p.replace(/^DICOM\//, '').replace(/\//g, '_');
  const paths = files.map((f) => {
    const file = path.join(dir, name(f.path));
    writeFileSync(file, f.bytes);
    return file;
  });
  return { paths, count: files.length, seriesSlices: SERIES_SLICES, report: name('DICOM/SR/REPORT.dcm'), anonymized: name('DICOM/ANON/IM0001.dcm') };
}

// Values of a file's own patient that must not survive cleaning: the direct identifiers the
// core flags in it (whole values: name, IDs, ...), read by the wasm module in Node.
function identifyingValues(report) {
  const values = new Set();
  for (const e of report.elements) {
    if (!e.flagged || e.category !== 'direct-identifier' || typeof e.value !== 'string') continue;
    const v = e.value.trim();
    if (v.length >= 4 && /[A-Za-z0-9]/.test(v) && !/^\d+ items?$/.test(v)) values.add(v);
  }
  return [...values];
}

function describeFile(wasm, filePath, bytes) {
  const report = wasm.inspect(bytes, []);
  assert.ok(report.summary.patient_name, `${filePath} names a patient`);
  return { path: filePath, name: report.summary.patient_name, identifying: identifyingValues(report) };
}

before(async () => {
  const wasm = await loadWasm();
  if (!corpusMissing) heldOut = HELD_OUT.map((f) => describeFile(wasm, path.join(corpusDir, f), readFileSync(path.join(corpusDir, f))));
  samples = [
    describeFile(wasm, wasm.sample_name(), wasm.sample()),
    describeFile(wasm, wasm.sample_ultrasound_name(), wasm.sample_ultrasound()),
  ];
  cd = writeCd();
  server = await startServer();
  proxy = await startRecordingProxy(server.url);
  sink = await startSink();
});

after(async () => {
  for (const name of engines) await ENGINES[name].shutdown();
  if (sink) sink.stop();
  if (proxy) proxy.stop();
  if (server) server.stop();
  writeFileSync(path.join(artifactsDir, 'engines.json'), JSON.stringify(results, null, 2) + '\n');
  const line = engines.map((name) => {
    const r = results[name] || {};
    return r.missing ? `${name} NOT RUN (${r.missing})` : `${name} ${r.version || ''} ran in ${((r.flowsMs || 0) / 1000).toFixed(1)} s`;
  });
  console.log(`# engines: ${line.join('; ')}`);
});

const singleFileUrl = () => new URL('dicom-leakcheck.html', distDir()).href;

// `npm ci` must never fetch a browser: the drivers are the -core packages, and no package may
// run an install script, except core-js-pure's (dcmjs's dependency: it prints a banner).
test('npm ci installs no browser: no browser-fetching package, no other install script', () => {
  const lock = JSON.parse(readFileSync(path.join(repoRoot, 'package-lock.json'), 'utf8'));
  const names = Object.keys(lock.packages).map((p) => p.replace(/^.*node_modules\//, ''));
  for (const fetcher of ['puppeteer', 'playwright', 'chromedriver', 'geckodriver', 'electron']) {
    assert.ok(!names.includes(fetcher), `${fetcher} is in package-lock.json: it downloads a browser or driver`);
  }
  const scripted = Object.entries(lock.packages).filter(([, p]) => p.hasInstallScript).map(([name]) => name.replace(/^.*node_modules\//, ''));
  assert.deepEqual(scripted, ['core-js-pure'], 'packages with install scripts');
});

for (const name of engines) {
  const engine = ENGINES[name];
  const absent = engine.missing();
  const skip = absent ? `${name} is not installed: ${absent}` : false;
  const corpusSkip = skip || (corpusMissing && !CI ? corpusMissing : false);

  describe(name, () => {
    let t0 = null;
    const shotsDir = path.join(artifactsDir, name);
    mkdirSync(shotsDir, { recursive: true });
    const shots = (prefix) => (label) => path.join(shotsDir, `${prefix}-${label}.png`);
    const record = (key, value) => {
      results[name][key] = value;
    };

    before(() => {
      results[name] = absent ? { missing: absent } : { flows: {} };
    });

    // A flow in a fresh session (a new browser profile); its time and result are recorded.
    async function inSession(flowName, options, flow) {
      if (t0 === null) t0 = Date.now();
      const started = Date.now();
      const session = await engine.openSession(options);
      try {
        const outcome = await flow(session);
        results[name].flows[flowName] = { ms: Date.now() - started, ...(outcome && typeof outcome === 'object' && !Array.isArray(outcome) ? outcome : { outcome }) };
      } finally {
        await session.close();
        results[name].flowsMs = Date.now() - t0;
      }
    }

    test(`${name} is installed (a failure when CI is set)`, { skip: absent && !CI ? skip : false }, async () => {
      assert.equal(absent, null, `${name} is not installed (scripts/test-web.sh installs it)`);
      record('version', await engine.version());
    });

    test('served page: held-out files and the samples, names shown, cleaned zip checked, nothing sent', { skip: corpusSkip }, async () => {
      assert.equal(corpusMissing, null);
      await inSession('served', {}, (session) => heldOutFlow(session, { url: proxy.url, files: heldOut, samples, proxy, shots: shots('served') }));
    });

    test('single file from disk: the same flow, no request at all', { skip: corpusSkip }, async () => {
      assert.equal(corpusMissing, null);
      await inSession('singleFile', {}, async (session) => {
        const outcome = await heldOutFlow(session, { url: singleFileUrl(), files: heldOut, samples, shots: shots('single-file') });
        return { ...outcome, bytesFrom: await session.evaluate(() => document.body.dataset.bytesFrom) };
      });
    });

    test('served page, workers given the bytes by the page (the fallback for workers that cannot read Blobs)', { skip: corpusSkip }, async () => {
      assert.equal(corpusMissing, null);
      const url = `${proxy.url}?test-hooks&bytes-from-page`;
      await inSession('servedBytesFromPage', {}, (session) => heldOutFlow(session, { url, files: heldOut, samples, proxy, shots: shots('bytes-from-page'), bytesFrom: 'page' }));
    });

    test('served page: a CD grouped by patient, study and series; a series viewed slice by slice; an SR read; results announced', { skip }, async () => {
      await inSession('servedStudies', {}, (session) => studiesFlow(session, { url: proxy.url, cd, shots: shots('served') }));
    });

    test('single file from disk: the same CD, series and report', { skip }, async () => {
      await inSession('singleFileStudies', {}, (session) => studiesFlow(session, { url: singleFileUrl(), cd, shots: shots('single-file') }));
    });

    test('served page: the ultrasound banner read, cleaned by default, checked again (green); its name box removed: amber', { skip }, async () => {
      await inSession('servedBurnedIn', {}, (session) => burnedInFlow(session, { url: proxy.url, shots: shots('served') }));
    });

    test('single file from disk: the text reader picked by the user, the same burned-in flow', { skip }, async () => {
      const models = fileURLToPath(new URL('models/', distDir()));
      await inSession('singleFileBurnedIn', {}, (session) => burnedInFlow(session, { url: singleFileUrl(), readerFiles: [path.join(models, 'rec.onnx'), path.join(models, 'dict.txt')], shots: shots('single-file') }));
    });

    test('served page: a CT with a small name in a corner: read, identified, cleaned by default, green only after', { skip }, async () => {
      await inSession('servedCtName', {}, (session) => ctNameFlow(session, { url: proxy.url, shots: shots('served') }));
    });

    test('served page: CSP blocks an injected upload from the page and from the worker', { skip }, async () => {
      await inSession('servedUploadBlocked', {}, (session) => uploadBlockedFlow(session, { url: proxy.url, sink, proxy, shots: shots('served') }));
    });

    test('single file from disk: CSP blocks an injected upload from the page and from the worker', { skip }, async () => {
      await inSession('singleFileUploadBlocked', {}, (session) => uploadBlockedFlow(session, { url: singleFileUrl(), sink, shots: shots('single-file') }));
    });

    for (const colorScheme of ['light', 'dark']) {
      test(`axe-core: 0 violations, ${colorScheme}, desktop and phone`, { skip }, async () => {
        await inSession(`axe-${colorScheme}`, { colorScheme }, async (session) => ({ widths: await axeFlow(session, { url: proxy.url, colorScheme, shots: shots('served'), cd }) }));
      });
    }
  });
}
