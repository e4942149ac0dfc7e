// The engines the page is tested in, each behind the same session interface (common.mjs).
import * as chromium from './chromium.mjs';
import * as firefox from './firefox.mjs';
import * as webkit from './webkit.mjs';

export const ENGINES = { chromium, firefox, webkit };

// LEAKCHECK_ENGINES=chromium,webkit runs only those (for a quick look); all three by default.
export function chosenEngines() {
  const names = (process.env.LEAKCHECK_ENGINES || Object.keys(ENGINES).join(','))
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const name of names) if (!ENGINES[name]) throw new Error(`LEAKCHECK_ENGINES: unknown engine ${name} (known: ${Object.keys(ENGINES).join(', ')})`);
  return names;
}
