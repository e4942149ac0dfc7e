// Batches over many files: the progress bar with files/s and the time left, the Stop button,
// redraws at most once per animation frame, and the "how it went" line afterwards. The status
// line at the bottom of the window lives here too.

import { h, clear, byId, plural } from './dom.js';
import { CancelledError } from './engine.js';

// Messages are part of the page, never over it: under the results' buttons, or under the drop
// zone while there are no results. Only the progress bar (while work runs, with its Stop
// button) sits at the bottom of the window.
export function status(message) {
  const here = byId('results').hidden ? byId('add-status') : byId('status');
  for (const line of [byId('status'), byId('add-status')]) line.textContent = line === here ? message : '';
  updateActivity();
}

export function updateActivity() {
  byId('activity').classList.toggle('active', !byId('progress').hidden);
}

// The one way a run's time is written (the summary, the how-it-went line, the messages).
export function formatSeconds(s) {
  if (s < 10) return `${Math.max(0.1, s).toFixed(1)} s`;
  if (s < 60) return `${Math.round(s)} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
  return `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min`;
}

// ctx: {state, lanes (files in flight), memory() (largest wasm memory, bytes), redraw() (the
// list), onFilter(status) (shows only those files), bigBatch (files for a "how it went" line)}.
export function createBatches(ctx) {
  const { state } = ctx;
  // Set by the Stop button; a batch checks it between files (the workers may be idle then).
  let stopRequested = false;
  let drawPending = false;
  let listDrawnAt = 0;
  const redraw = () => {
    listDrawnAt = performance.now();
    ctx.redraw();
  };
  // Runs `work(item)` for the items, several at a time (the workers run them in parallel), with
  // the progress bar (files/s, time left) and the Stop button. The page is redrawn at most once
  // per frame, never per file. Returns {stopped, seconds}.
  async function run(items, label, work) {
    if (items.length === 0) return { stopped: false, seconds: 0 };
    state.busy = true;
    document.body.classList.add('busy');
    byId('progress').hidden = false;
    updateActivity();
    const progress = { label, total: items.length, done: 0, current: '', t0: performance.now() };
    state.progress = progress;
    drawProgress();
    let next = 0;
    let stopped = false;
    stopRequested = false;
    const lane = async () => {
      while (!stopped && next < items.length) {
        if (stopRequested) {
          stopped = true;
          break;
        }
        const item = items[next++];
        progress.current = item.path;
        try {
          await work(item);
        } catch (e) {
          if (e instanceof CancelledError) {
            stopped = true;
            break;
          }
          throw e;
        }
        progress.done += 1;
        scheduleDraw();
      }
    };
    try {
      // Two per worker: the next file is queued while one runs.
      await Promise.all(Array.from({ length: Math.min(items.length, ctx.lanes) }, lane));
    } finally {
      state.busy = false;
      state.progress = null;
      document.body.classList.remove('busy');
      byId('progress').hidden = true;
      updateActivity();
      redraw();
    }
    // Measured once: every place that shows this run's time shows this (formatSeconds).
    const seconds = (performance.now() - progress.t0) / 1000;
    document.body.dataset.wasmMemoryMax = String(ctx.memory());
    // A finished run is told by its caller (the summary of a check, the saved file); a stop here.
    if (stopped) status(`Stopped. ${label} was interrupted.`);
    return { stopped, seconds, done: progress.done };
  }

  // The progress line: "Checking 1,234 of 10,000 · 180 files/s · about 49 s left".
  function drawProgress() {
    document.body.dataset.wasmMemoryMax = String(ctx.memory());
    const p = state.progress;
    if (!p) return;
    const bar = byId('progress-bar');
    bar.max = p.total;
    bar.value = p.done;
    const elapsed = (performance.now() - p.t0) / 1000;
    const rate = elapsed > 0.5 && p.done > 0 ? p.done / elapsed : 0;
    const parts = [`${p.label} ${p.done.toLocaleString('en')} of ${p.total.toLocaleString('en')}`];
    if (rate) parts.push(`${rate >= 10 ? Math.round(rate) : rate.toFixed(1)} files/s`, `about ${formatSeconds((p.total - p.done) / rate)} left`);
    byId('progress-label').textContent = parts.join(' · ');
    byId('progress-file').textContent = p.current;
  }

  // Redraws (progress, overview, the visible page of the list) in the next animation frame,
  // once however many files finished meanwhile; the list at most once a second (it is the
  // costly part: 200 rows and the overview over every file).
  function scheduleDraw() {
    if (drawPending) return;
    drawPending = true;
    requestAnimationFrame(() => {
      drawPending = false;
      drawProgress();
      if (performance.now() - listDrawnAt > 1000) redraw();
    });
  }

  // "How it went", for batches of more than a few files: done, failed (one click shows them),
  // skipped, time.
  function summarize(items, label, run) {
    const box = byId('batch-summary');
    if (items.length < ctx.bigBatch) {
      box.hidden = true;
      return;
    }
    const count = (s) => items.filter((i) => i.status === s).length;
    const failed = count('error');
    const skipped = count('skipped');
    const notDone = count('stopped') + count('queued');
    const ok = items.length - failed - skipped - notDone;
    const rate = run.seconds > 0 ? (run.done / run.seconds).toFixed(run.done / run.seconds >= 10 ? 0 : 1) : null;
    const show = (filter, text) => h('button', { type: 'button', class: 'link', onclick: () => ctx.onFilter(filter) }, text);
    clear(box).append(
      h(
        'span',
        {},
        h('strong', {}, `${label} ${run.stopped ? 'stopped' : 'finished'}: `),
      `${plural(ok, 'file')} done`,
      failed ? [', ', show('error', `${failed.toLocaleString('en')} failed`)] : ', none failed',
      skipped ? [', ', show('skipped', `${skipped.toLocaleString('en')} skipped (not DICOM)`)] : null,
      notDone ? `, ${notDone.toLocaleString('en')} not done (stopped)` : null,
      `, in ${formatSeconds(run.seconds)}`,
        rate ? ` (${rate} files/s).` : '.',
      ),
    );
    box.dataset.failed = String(failed);
    box.dataset.skipped = String(skipped);
    box.hidden = false;
  }
  // One long request (packing a zip) shown like a batch, with the Stop button:
  // {update(done), end()}.
  function track(label, total) {
    state.busy = true;
    document.body.classList.add('busy');
    byId('progress').hidden = false;
    const progress = { label, total, done: 0, current: '', t0: performance.now() };
    state.progress = progress;
    drawProgress();
    updateActivity();
    return {
      update(done) {
        progress.done = done;
        scheduleDraw();
      },
      end() {
        state.busy = false;
        state.progress = null;
        document.body.classList.remove('busy');
        byId('progress').hidden = true;
        updateActivity();
        redraw();
      },
    };
  }

  return {
    run,
    summarize,
    track,
    stop() {
      stopRequested = true;
    },
  };
}
