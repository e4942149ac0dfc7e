// The state of the image preview, kept on each file's item so that a redraw of the card keeps
// it: the image's attributes, decoded frames (a few), the boxes over burned-in text (found,
// removed, drawn by the user), and the regions to black out when cleaning. Decoding and text
// finding run in the worker (worker.js, through ctx.request).

// Decoded frames kept per file (cine playback); older ones are dropped.
const FRAME_CACHE = 4;

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
      burnedIn: null,
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
  if (item.slices) return loadSeriesInfo(item, ctx, view);
  try {
    // The worker keeps the file's bytes under its id for the frames that follow.
    const r = await ctx.request('imageInfo', { fileId: item.id, blob: item.blob });
    view.available = r.available;
    view.info = r.info || null;
    view.overlays = r.overlays || [];
    // A report made by ranges (files over 1 MB) did not search the pixels: the worker, which
    // now holds the whole file, searches every frame, so the boxes shown are the ones the
    // core would black out (the same search runs when cleaning).
    const b = burnedIn(item);
    if (view.info && !view.info.cannot_decode && b && !b.pixels_checked) {
      const found = await ctx.request('burnedIn', { fileId: item.id, blob: item.blob });
      if (found.burnedIn && found.burnedIn.pixels_checked) view.burnedIn = found.burnedIn;
    }
  } catch (e) {
    if (e.name === 'CancelledError') throw e;
    view.error = e.message;
  }
  view.loaded = true;
}

// A series (item.slices: its files, in order): the geometry of its middle slice; each slice's
// own attributes come with it when decoded.
async function loadSeriesInfo(item, ctx, view) {
  try {
    const middle = item.slices[Math.floor(item.slices.length / 2)];
    const r = await ctx.request('imageInfo', { fileId: middle.id, blob: middle.blob });
    view.available = r.available;
    view.info = r.info || null;
  } catch (e) {
    if (e.name === 'CancelledError') throw e;
    view.error = e.message;
  }
  view.loaded = true;
}

// Slice `index` of a series: its file's first frame, with that file's own attributes (rescale,
// window, photometric interpretation).
async function decodeSlice(item, ctx, index) {
  const slice = item.slices[index];
  const r = await ctx.request('imageInfo', { fileId: slice.id, blob: slice.blob });
  if (!r.info) throw new Error(`${slice.path} has no image`);
  if (r.info.cannot_decode) throw new Error(`${slice.path}: ${r.info.cannot_decode}`);
  const d = await ctx.request('decodeFrame', { fileId: slice.id, blob: slice.blob, index: 0, overlayFrames: [] });
  return { frame: d.frame, info: r.info, overlayBits: {}, decodeMs: d.decodeMs };
}

export async function decode(item, ctx, index) {
  const view = viewOf(item);
  const cached = view.cache.get(index);
  if (cached) return cached;
  if (item.slices) {
    const entry = await decodeSlice(item, ctx, index);
    remember(view, index, entry);
    return entry;
  }
  // Multi-frame overlay planes: the plane's own frame for this image frame (Image Frame
  // Origin (60xx,0051), PS3.3 C.9.2.1.3), when it has one.
  const overlayFrames = view.overlays
    .filter((o) => o.frames > 1 && index >= (o.first_frame || 0) && index - (o.first_frame || 0) < o.frames)
    .map((o) => ({ group: o.group, frame: index - (o.first_frame || 0) }));
  const r = await ctx.request('decodeFrame', { fileId: item.id, blob: item.blob, index, overlayFrames });
  const entry = { frame: r.frame, overlayBits: r.overlayBits || {}, decodeMs: r.decodeMs };
  remember(view, index, entry);
  return entry;
}

function remember(view, index, entry) {
  view.cache.delete(index);
  view.cache.set(index, entry);
  while (view.cache.size > FRAME_CACHE) view.cache.delete(view.cache.keys().next().value);
}

// ---- boxes --------------------------------------------------------------------------------------

// The pixels-searched verdict when the worker made one (see loadInfo, and the background
// search of a batch, pixelpass.js), else the report's.
export function burnedIn(item) {
  return (item.view && item.view.burnedIn) || item.pixelVerdict || (item.report && item.report.burned_in) || null;
}

// Every box for frame `frame` (or all frames when null): {key, source, frame, x, y, w, h};
// `frame` null for a box on every frame.
export function boxesOf(item, frame) {
  const view = viewOf(item);
  const boxes = [];
  const on = (f) => frame === null || f === null || f === undefined || f === frame;
  const b = burnedIn(item);
  const core = (b && b.regions) || [];
  core.forEach((r, i) => {
    const f = r.all_frames ? null : (r.frame ?? null);
    if (on(f)) boxes.push({ key: `core:${i}`, source: r.source || 'detector', frame: f, x: r.x, y: r.y, w: r.w, h: r.h, text: r.text || null, identifies: r.identifies || [], pattern: r.pattern || null });
  });
  for (const r of item.userRegions) {
    if (on(r.frame)) boxes.push({ key: `user:${r.id}`, source: 'user', frame: r.frame, x: r.x, y: r.y, w: r.w, h: r.h });
  }
  return boxes.filter((x) => !view.removed.has(x.key));
}

// Whether the user changed this file's boxes (drew or removed one).
export function boxesTouched(item) {
  return Boolean(item.view && (item.view.removed.size || (item.userRegions && item.userRegions.length)));
}

// Whether cleaning blacks out `box` when this file's text is cleaned `how` ('identifying',
// 'all' or 'none'): as the core's Clean Pixel Data chooses (text that identifies someone or
// looks identifying, known screen layouts, every box on an image that routinely carries text:
// header risk high), plus the user's boxes.
export function cleanedWhen(item, box, how) {
  if (how === 'all') return true;
  if (how !== 'identifying') return false;
  const b = burnedIn(item);
  return box.source === 'user' || box.source === 'signature' || (box.identifies && box.identifies.length > 0) || Boolean(box.pattern) || Boolean(b && b.header_risk === 'high');
}

// The regions to black out when cleaning (`deidentify(…, regions)`) `how`: once the user
// touched this file's boxes, the COMPLETE list of boxes still shown that cleaning blacks out,
// as {frame, all_frames, x, y, w, h}; `undefined` otherwise, so the core blacks out what it
// found itself.
export function regionsForCleaning(item, how) {
  if (!boxesTouched(item)) return undefined;
  return boxesOf(item, null)
    .filter((b) => cleanedWhen(item, b, how))
    .map((b) => ({ frame: b.frame ?? 0, all_frames: b.frame === null, x: Math.round(b.x), y: Math.round(b.y), w: Math.round(b.w), h: Math.round(b.h) }));
}

// The boxes shown on every frame, counted once (for the note under the image).
export function boxCount(item) {
  return boxesOf(item, null).length;
}
