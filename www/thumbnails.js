// A thumbnail per series in the list: the middle image of the series, made small by the core
// in a worker (wasm `thumbnail`: its own window, averaged down), kept as a PNG data URL of a
// few KB for the series the list has shown. Made one at a time, never while a batch runs.

import { h } from './dom.js';

const SIZE = 96;
const KEPT = 400;

// {request(item) -> Promise<{thumbnail}>, busy() -> bool, ready() (a thumbnail arrived)}
export function createThumbnails({ request, busy, ready }) {
  const made = new Map(); // series key -> data URL, or null when it cannot be made
  const wanted = new Map(); // series key -> the item to draw
  let running = false;

  function get(series) {
    return made.has(series.key) ? made.get(series.key) : undefined;
  }

  function want(series) {
    if (made.has(series.key) || wanted.has(series.key)) return;
    wanted.set(series.key, series.items[Math.floor(series.items.length / 2)]);
    pump();
  }

  async function pump() {
    if (running || busy()) return;
    running = true;
    try {
      while (wanted.size && !busy()) {
        const [key, item] = wanted.entries().next().value;
        wanted.delete(key);
        let url = null;
        try {
          const { thumbnail } = await request(item, SIZE);
          url = thumbnail ? dataUrl(thumbnail) : null;
        } catch (e) {
          if (e.name === 'CancelledError') break;
          url = null;
        }
        made.set(key, url);
        while (made.size > KEPT) made.delete(made.keys().next().value);
        ready();
      }
    } finally {
      running = false;
    }
  }

  function clear() {
    made.clear();
    wanted.clear();
  }

  return { get, want, pump, clear };
}

// {width, height, channels: 1 | 3, pixels} -> a PNG data URL.
function dataUrl({ width, height, channels, pixels }) {
  const canvas = h('canvas', { width, height });
  const context = canvas.getContext('2d');
  const image = context.createImageData(width, height);
  for (let i = 0, j = 0; i < width * height; i++, j += channels) {
    image.data[i * 4] = pixels[j];
    image.data[i * 4 + 1] = pixels[channels === 3 ? j + 1 : j];
    image.data[i * 4 + 2] = pixels[channels === 3 ? j + 2 : j];
    image.data[i * 4 + 3] = 255;
  }
  context.putImageData(image, 0, 0);
  return canvas.toDataURL('image/png');
}
