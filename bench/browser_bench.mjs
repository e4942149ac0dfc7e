#!/usr/bin/env node
// Browser part of the benchmark: our wasm module vs npm dcmjs and dicom-parser, in one page load
// of Debian's Chromium (playwright-core, the launch arguments of the web tests).
//
//   node bench/browser_bench.mjs --corpus DIR --key FILE --reps N --out FILE.json [--sets a,b]
//
// The page (bench/web/) is served by scripts/serve.mjs from a folder assembled under
// .cache/bench/web-root: the page, dist/pkg (cargo xtask build-wasm), the UMD builds of dcmjs
// and dicom-parser, and the corpus. Per set the page fetches every file once (not timed), runs
// every job once untimed (JIT warm-up, and it finds the files a library fails on), then times
// each job over the files that every job handles, N times; the median is reported.
// Jobs: parse with each library (ours: `inspect_flagged`, which parses and builds the leak report
// and returns its summary and flagged findings, as the page asks; and `inspect`, every element), and
// de-identify with ours (`deidentify`, Basic Profile) and dcmjs (readFile + cleanTags + write).
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawn } from 'node:child_process';
import { CHROMIUM_ARGS } from '../tests/web/helpers.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
}
const corpus = path.resolve(arg('corpus'));
const keyText = readFileSync(arg('key'), 'utf8');
const reps = Number(arg('reps', '3'));
const outFile = arg('out');
// 500 MB in one wasm32 module plus dcmjs' copies is past what a tab is for: left out.
const sets = (arg('sets') || 'mixed,mf-100,pydicom,small').split(',');
// --profile: also time each of our jobs file by file and list the slowest (where time goes).
const profile = process.argv.includes('--profile');
const profiles = {};

// --pkg DIR: another build of the module (e.g. the one before a change), else dist/pkg.
const pkgDir = path.resolve(arg('pkg', path.join(root, 'dist', 'pkg')));
if (!existsSync(path.join(pkgDir, 'dicom_leakcheck_bg.wasm'))) {
  throw new Error(`${pkgDir} has no module: run \`cargo xtask build-wasm\` first`);
}
// --pkg-before DIR: a build from before a change, timed in the same page and the same turns.
const pkgBefore = arg('pkg-before') && path.resolve(arg('pkg-before'));
if (pkgBefore && !existsSync(path.join(pkgBefore, 'dicom_leakcheck_bg.wasm'))) {
  throw new Error(`${pkgBefore} has no module`);
}
const web = path.join(root, '.cache', 'bench', 'web-root');
rmSync(web, { recursive: true, force: true });
mkdirSync(path.join(web, 'vendor'), { recursive: true });
cpSync(path.join(here, 'web'), web, { recursive: true });
cpSync(pkgDir, path.join(web, 'pkg'), { recursive: true });
if (pkgBefore) cpSync(pkgBefore, path.join(web, 'pkg-before'), { recursive: true });
cpSync(path.join(root, 'node_modules', 'dcmjs', 'build', 'dcmjs.min.js'), path.join(web, 'vendor', 'dcmjs.min.js'));
cpSync(
  path.join(root, 'node_modules', 'dicom-parser', 'dist', 'dicomParser.min.js'),
  path.join(web, 'vendor', 'dicomParser.min.js'),
);
symlinkSync(corpus, path.join(web, 'files'));

function startServer(dir) {
  const child = spawn(process.execPath, [path.join(root, 'scripts', 'serve.mjs'), dir], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', SERVE_EXIT_WITH_STDIN: '1' },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const m = out.match(/at (http:\/\/127\.0\.0\.1:\d+\/)/);
      if (m) resolve({ url: m[1], stop: () => child.kill() });
    });
    child.on('exit', (code) => reject(new Error(`serve.mjs exited (${code}): ${out}`)));
  });
}

function pkgVersion(name) {
  return JSON.parse(readFileSync(path.join(root, 'node_modules', name, 'package.json'), 'utf8')).version;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

const { chromium } = await import('playwright-core');
const server = await startServer(web);
// --expose-gc: the page collects garbage before each timed job (see bench-page.js).
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: [...CHROMIUM_ARGS, '--js-flags=--expose-gc'],
});
const results = [];
const failures = {};
let chromiumVersion = browser.version();
try {
  const page = await browser.newPage();
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.goto(server.url + 'index.html');
  await page.waitForFunction(() => window.bench && window.dcmjs && window.dicomParser);
  for (const set of sets) {
    const dir = path.join(corpus, set);
    if (!existsSync(dir)) continue;
    const { readdirSync } = await import('node:fs');
    const names = readdirSync(dir).filter((n) => !n.startsWith('.')).sort();
    const urls = names.map((n) => `files/${encodeURIComponent(set)}/${encodeURIComponent(n)}`);
    await page.evaluate(([u, b]) => window.bench.load(u, b), [urls, Boolean(pkgBefore)]);
    const failed = await page.evaluate((k) => window.bench.probe(k), keyText);
    const skip = [...new Set(Object.values(failed).flat())];
    const named = Object.fromEntries(Object.entries(failed).filter(([, v]) => v.length).map(([k, v]) => [k, v.map((i) => names[i])]));
    if (Object.keys(named).length) {
      failures[set] = named;
      for (const [job, list] of Object.entries(named)) {
        console.error(`  browser ${set}: ${job} fails on ${list.length} of ${names.length} files`);
      }
    }
    const run = await page.evaluate(([k, s, r]) => window.bench.run(k, s, r), [keyText, skip, reps]);
    if (profile) {
      // Where our time goes: the slowest files of each of our jobs.
      for (const job of ['parse:dicom-leakcheck', 'parse:dicom-leakcheck-eager', 'deid:dicom-leakcheck']) {
        const per = await page.evaluate(([j, k, s, r]) => window.bench.perFile(j, k, s, r), [job, keyText, skip, reps]);
        per.sort((a, b) => b.ms - a.ms);
        profiles[`${set}:${job}`] = per.slice(0, 15).map(({ index, ms }) => ({ file: names[index], ms: +ms.toFixed(2) }));
        for (const { file, ms } of profiles[`${set}:${job}`].slice(0, 8)) console.error(`    ${job} ${ms.toFixed(2).padStart(8)} ms  ${file}`);
      }
    }
    await page.evaluate(() => window.bench.clear());
    for (const [job, times] of Object.entries(run.jobs)) {
      const [kind, tool] = job.split(':');
      const seconds = median(times);
      const mb = run.bytes / 1e6;
      results.push({ set: skip.length ? `${set}-common` : set, kind, tool, files: run.files, mb, seconds,
        files_per_s: run.files / seconds, mb_per_s: mb / seconds, runs: times });
      console.error(`  browser ${set.padEnd(8)} ${job.padEnd(22)} ${seconds.toFixed(3)} s (${run.files} files)`);
    }
  }
} finally {
  await browser.close();
  server.stop();
}

writeFileSync(outFile, JSON.stringify({
  reps,
  chromium: chromiumVersion,
  versions: { dcmjs: pkgVersion('dcmjs'), 'dicom-parser': pkgVersion('dicom-parser'), 'playwright-core': pkgVersion('playwright-core') },
  jobs: {
    'parse:dicom-leakcheck': 'wasm inspect_flagged(bytes, []) then release_held: parse plus the leak report, its summary and flagged findings returned to JS (what the page asks for per file)',
    'parse:dicom-leakcheck-eager': 'wasm inspect(bytes, []): parse plus the full leak report, every element returned to JS',
    'parse:dicom-parser': 'dicomParser.parseDicom(bytes)',
    'parse:dcmjs': 'dcmjs.data.DicomMessage.readFile(buffer)',
    'deid:dicom-leakcheck': 'wasm deidentify(bytes, [], key): Basic Profile, output bytes and reports returned to JS',
    'deid:dcmjs': 'readFile + dcmjs.anonymizer.cleanTags(dict) + write()',
    ...(pkgBefore && {
      'parse:dicom-leakcheck-before': 'the same inspect, the build given by --pkg-before',
      'deid:dicom-leakcheck-before': 'the same deidentify, the build given by --pkg-before',
    }),
  },
  failures,
  profiles,
  results,
}, null, 2));
