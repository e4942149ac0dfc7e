// Header first, pixels second. A batch gives every file its verdict from the header alone
// (fast); searching the pixels for burned-in text (PS3.15 E.3.1) follows in the background,
// file by file, and the list and the card are updated as each verdict arrives. The searches go
// to the workers as background requests (engine.js), so they never delay what the user asks
// for, and at most one per worker is in flight, so a long list costs one reference per file.

import { CancelledError } from './engine.js';

// What the list keeps of a pixel verdict: {state: 'pending' | 'done' | 'error' | 'stopped',
// risk, regions (how many), checked (the pixels were searched)}.
// `identifying`: regions whose read text identifies someone (the core's `identifies`, or an
// identifying pattern); `read`: the text found was read (the reader was loaded).
export function compactVerdict(burnedIn) {
  const regions = burnedIn.regions || [];
  return {
    state: 'done',
    risk: burnedIn.risk,
    regions: regions.length,
    identifying: regions.filter(identifying).length,
    checked: Boolean(burnedIn.pixels_checked),
    read: Boolean(burnedIn.text_read),
  };
}

// A region whose read text identifies someone (BurnedIn::identifying_regions in the core).
export const identifying = (r) => (r.identifies && r.identifies.length > 0) || Boolean(r.pattern);

// {engine, budgetFor(blob), onVerdict(item, burnedIn | null)} -> {add(items), clear()}
export function createPixelPass({ engine, budgetFor, onVerdict }) {
  let waiting = [];
  let inFlight = 0;
  let generation = 0;

  function pump() {
    while (inFlight < engine.size && waiting.length) {
      const item = waiting.shift();
      const gen = generation;
      inFlight += 1;
      engine
        .request('searchPixels', { blob: item.blob }, [], { budgetMs: budgetFor(item.blob), background: true })
        .then(
          ({ burnedIn }) => {
            if (gen !== generation) return;
            item.pixels = compactVerdict(burnedIn);
            onVerdict(item, burnedIn);
          },
          (e) => {
            if (gen !== generation) return;
            item.pixels = { state: e instanceof CancelledError ? 'stopped' : 'error', error: e.message };
            onVerdict(item, null);
          },
        )
        .finally(() => {
          if (gen !== generation) return;
          inFlight -= 1;
          pump();
        });
    }
  }

  return {
    // Files whose header verdict is in and that have pixels; a file already searched is not
    // searched again (its pixels do not depend on the options).
    add(items) {
      for (const item of items) {
        if (!item.hasPixels || (item.pixels && item.pixels.state === 'done')) continue;
        item.pixels = { state: 'pending' };
        waiting.push(item);
      }
      pump();
    },
    // The list was cleared or the batch stopped: the searches still waiting are dropped.
    clear() {
      generation += 1;
      for (const item of waiting) item.pixels = { state: 'stopped' };
      waiting = [];
      inFlight = 0;
    },
  };
}
