// The state of the image preview, kept on each file's item so that a redraw of the card keeps
// it: the image's attributes, decoded frames (a few), the boxes over burned-in text (found,
// removed, drawn by the user), and the regions to black out when cleaning. Decoding and text
// finding run in the worker (worker.js, through ctx.request).

import { joinLines } from './preview-draw.js';

// Decoded frames kept per file (cine playback); older ones are dropped.
const FRAME_CACHE = 4;

// The page keeps the bytes of the file being previewed between requests (they travel to the
// worker and back as a transferred buffer); one file at a time.
let held = { item: null, buffer: null };

async function takeBytes(item) {
  if (held.item === item && held.buffer && held.buffer.byteLength) {
    const { buffer } = held;
    held = { item: null, buffer: null };
    return buffer;
  }
  return item.blob.arrayBuffer();
}

function giveBack(item, buffer) {
  if (buffer && buffer.byteLength) held = { item, buffer };
}

// The state of one file's preview, kept on the item so a redraw of the card keeps it.
export function viewOf(item) {
  if (!item.view) {
    item.view = {
      loaded: false,
      available: true,
      info: null,
      overlays: [],
      error: null,
      frame: 0,
      wl: null,
      wlDefault: null,
      fit: true,
      scale: 1,
      pan: { x: 0, y: 0 },
      mode: null,
      showOverlays: true,
      everyFrame: true,
      cache: new Map(),
      detected: new Map(),
      removed: new Set(),
    };
  }
  if (!item.userRegions) item.userRegions = [];
  return item.view;
}

export function frameMs(item) {
  const elements = (item.report && item.report.elements) || [];
  const value = (tag) => {
    const e = elements.find((x) => x.tag === tag && x.depth === 0);
    return e ? parseFloat(e.value) : NaN;
  };
  const time = value('(0018,1063)');
  if (time > 0) return Math.min(2000, Math.max(10, time));
  const rate = value('(0018,0040)');
  if (rate > 0) return Math.min(2000, Math.max(10, 1000 / rate));
  return 100;
}

// ---- decoding through the worker ----------------------------------------------------------------

export async function loadInfo(item, ctx) {
  const view = viewOf(item);
  if (view.loaded) return;
  const buffer = await takeBytes(item);
  try {
    const r = await ctx.request('imageInfo', { buffer }, [buffer]);
    giveBack(item, r.buffer);
    view.available = r.available;
    view.info = r.info || null;
    view.overlays = r.overlays || [];
  } catch (e) {
    if (e.name === 'CancelledError') throw e;
    view.error = e.message;
  }
  view.loaded = true;
}

export async function decode(item, ctx, index, detect) {
  const view = viewOf(item);
  const cached = view.cache.get(index);
  if (cached && (!detect || view.detected.has(index))) return cached;
  const buffer = await takeBytes(item);
  // Multi-frame overlay planes: the plane's own frame for this image frame (Image Frame
  // Origin (60xx,0051), PS3.3 C.9.2.1.3), when it has one.
  const overlayFrames = view.overlays
    .filter((o) => o.frames > 1 && index >= (o.first_frame || 0) && index - (o.first_frame || 0) < o.frames)
    .map((o) => ({ group: o.group, frame: index - (o.first_frame || 0) }));
  const r = await ctx.request('decodeFrame', { buffer, index, detect, overlayFrames }, [buffer]);
  giveBack(item, r.buffer);
  const entry = { frame: r.frame, overlayBits: r.overlayBits || {}, decodeMs: r.decodeMs };
  view.cache.delete(index);
  view.cache.set(index, entry);
  while (view.cache.size > FRAME_CACHE) view.cache.delete(view.cache.keys().next().value);
  if (r.boxes) view.detected.set(index, joinLines(r.boxes.map((b) => ({ x: b.x, y: b.y, w: b.w, h: b.h }))));
  return entry;
}

// Boxes of words on one line, close together, become one box: fewer boxes to look at, and the
// punctuation and spaces between the words are covered too.
// ---- boxes --------------------------------------------------------------------------------------

export function burnedIn(item) {
  return (item.report && item.report.burned_in) || null;
}

// Every box for frame `frame` (or all frames when null): {key, source, frame, x, y, w, h}.
export function boxesOf(item, frame) {
  const view = viewOf(item);
  const boxes = [];
  const on = (f) => frame === null || f === null || f === undefined || f === frame;
  const core = (burnedIn(item) && burnedIn(item).regions) || [];
  core.forEach((r, i) => {
    if (on(r.frame)) boxes.push({ key: `core:${i}`, source: r.source || 'detector', frame: r.frame ?? null, x: r.x, y: r.y, w: r.w, h: r.h });
  });
  // The page runs the text finder itself only when the report has no regions.
  if (core.length === 0) {
    for (const [f, found] of view.detected) {
      if (!on(f)) continue;
      found.forEach((b, i) => boxes.push({ key: `det:${f}:${i}`, source: 'detector', frame: f, ...b }));
    }
  }
  for (const r of item.userRegions) {
    if (on(r.frame)) boxes.push({ key: `user:${r.id}`, source: 'user', frame: r.frame, x: r.x, y: r.y, w: r.w, h: r.h });
  }
  return boxes.filter((b) => !view.removed.has(b.key));
}

// The regions to black out when cleaning: every box still shown, on the frames it covers
// ({frame, x, y, w, h}; a box for every frame is repeated per frame).
export function regionsForCleaning(item) {
  if (!item.view || !item.view.info) return [];
  const frames = Math.max(1, Number(item.view.info.frames) || 1);
  const out = [];
  for (const b of boxesOf(item, null)) {
    const list = b.frame === null ? Array.from({ length: frames }, (_, i) => i) : [b.frame];
    for (const frame of list) out.push({ frame, x: Math.round(b.x), y: Math.round(b.y), w: Math.round(b.w), h: Math.round(b.h) });
  }
  return out;
}

