// The image preview in a file's card: the current frame on a canvas (window/level, frames and
// cine, zoom and pan, overlay planes), the risk of text burned into the pixels with its reasons,
// and boxes over that text (found by the text finder, known screen layouts, or drawn by the
// user) that the Clean Pixel Data option blacks out (PS3.15 E.3.1). Decoding and text finding
// run in the worker (worker.js); this module only draws.

import { h, clear, plural } from './dom.js';

// Decoded frames kept per file (cine playback); older ones are dropped.
const FRAME_CACHE = 4;
const RISK_TEXT = { high: 'High', medium: 'Medium', low: 'Low' };
const SOURCE_TEXT = { detector: 'found by the text finder', signature: 'known screen layout', user: 'drawn by you' };

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
function viewOf(item) {
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

function first(value) {
  if (Array.isArray(value)) return value.length ? Number(value[0]) : null;
  return value === null || value === undefined || value === '' ? null : Number(value);
}

// The frame time in ms from the report (Frame Time (0018,1063), else Cine Rate (0018,0040)).
function frameMs(item) {
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

// ---- drawing a frame --------------------------------------------------------------------------

// The default window: the file's VOI values (PS3.3 C.11.2), else the frame's range after the
// modality LUT (value * slope + intercept, PS3.3 C.11.1).
function defaultWindow(info, frame) {
  const c = first(info.window_center);
  const w = first(info.window_width);
  if (Number.isFinite(c) && Number.isFinite(w) && w >= 1) return { c, w };
  const slope = first(info.rescale_slope) || 1;
  const intercept = first(info.rescale_intercept) || 0;
  const a = frame.min * slope + intercept;
  const b = frame.max * slope + intercept;
  const lo = Math.min(a, b);
  const hi = Math.max(a, b);
  return { c: (lo + hi + 1) / 2, w: Math.max(1, hi - lo + 1) };
}

// Stored values to 8-bit grey: modality LUT, then the linear VOI function of PS3.3
// C.11.2.1.2.1; MONOCHROME1 shows low values bright.
function grayLut(info, frame, wl) {
  const slope = first(info.rescale_slope) || 1;
  const intercept = first(info.rescale_intercept) || 0;
  const invert = String(info.photometric || '').toUpperCase() === 'MONOCHROME1';
  const { c, w } = wl;
  const lo = c - 0.5 - (w - 1) / 2;
  const hi = c - 0.5 + (w - 1) / 2;
  const map = (stored) => {
    const x = stored * slope + intercept;
    let y;
    if (x <= lo) y = 0;
    else if (x > hi) y = 255;
    else y = ((x - (c - 0.5)) / Math.max(1, w - 1) + 0.5) * 255;
    y = Math.max(0, Math.min(255, Math.round(y)));
    return invert ? 255 - y : y;
  };
  const min = Math.min(frame.min, frame.max);
  const size = Math.max(frame.min, frame.max) - min + 1;
  if (size > 0 && size <= 1 << 20) {
    const lut = new Uint8Array(size);
    for (let i = 0; i < size; i++) lut[i] = map(min + i);
    return (v) => lut[v - min];
  }
  return map;
}

function paintFrame(canvas, info, frame, wl) {
  canvas.width = frame.width;
  canvas.height = frame.height;
  const ctx = canvas.getContext('2d');
  const image = ctx.createImageData(frame.width, frame.height);
  const out = image.data;
  const n = frame.width * frame.height;
  if (frame.kind === 'rgb' && frame.rgb) {
    for (let i = 0, j = 0; i < n; i++, j += 3) {
      out[i * 4] = frame.rgb[j];
      out[i * 4 + 1] = frame.rgb[j + 1];
      out[i * 4 + 2] = frame.rgb[j + 2];
      out[i * 4 + 3] = 255;
    }
  } else if (frame.values) {
    const lut = grayLut(info, frame, wl);
    for (let i = 0; i < n; i++) {
      const y = lut(frame.values[i]);
      out[i * 4] = y;
      out[i * 4 + 1] = y;
      out[i * 4 + 2] = y;
      out[i * 4 + 3] = 255;
    }
  }
  ctx.putImageData(image, 0, 0);
}

// An overlay plane's bit for pixel i: one byte per pixel (what the module gives), or packed
// 8 to a byte, first pixel in the lowest bit (PS3.5 8.1.1).
function overlayBit(bits, i, packed) {
  return packed ? (bits[i >> 3] >> (i & 7)) & 1 : bits[i] ? 1 : 0;
}

function paintOverlays(canvas, planes, width, height) {
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d');
  const image = ctx.createImageData(width, height);
  const out = image.data;
  for (const { plane, bits } of planes) {
    if (!bits) continue;
    const rows = plane.rows;
    const cols = plane.columns;
    const packed = bits.length < rows * cols;
    // The module gives Overlay Origin (60xx,0050) 0-based already (the file's is 1-based).
    const ox = plane.origin_x || 0;
    const oy = plane.origin_y || 0;
    for (let r = 0; r < rows; r++) {
      const y = r + oy;
      if (y < 0 || y >= height) continue;
      for (let col = 0; col < cols; col++) {
        const x = col + ox;
        if (x < 0 || x >= width || !overlayBit(bits, r * cols + col, packed)) continue;
        const k = (y * width + x) * 4;
        out[k] = 255;
        out[k + 1] = 210;
        out[k + 2] = 77;
        out[k + 3] = 255;
      }
    }
  }
  ctx.putImageData(image, 0, 0);
}

// ---- decoding through the worker ----------------------------------------------------------------

async function loadInfo(item, ctx) {
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

async function decode(item, ctx, index, detect) {
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
function joinLines(boxes) {
  const list = [...boxes].sort((a, b) => a.y - b.y || a.x - b.x);
  let merged = true;
  while (merged) {
    merged = false;
    for (let i = 0; i < list.length && !merged; i++) {
      for (let j = i + 1; j < list.length && !merged; j++) {
        const a = list[i];
        const b = list[j];
        const overlapY = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
        const gap = Math.max(a.x, b.x) - Math.min(a.x + a.w, b.x + b.w);
        if (overlapY >= Math.min(a.h, b.h) * 0.5 && gap <= Math.max(a.h, b.h) * 2) {
          const x = Math.min(a.x, b.x);
          const y = Math.min(a.y, b.y);
          list[i] = { x, y, w: Math.max(a.x + a.w, b.x + b.w) - x, h: Math.max(a.y + a.h, b.y + b.h) - y };
          list.splice(j, 1);
          merged = true;
        }
      }
    }
  }
  return list;
}

// ---- boxes --------------------------------------------------------------------------------------

function burnedIn(item) {
  return (item.report && item.report.burned_in) || null;
}

// Every box for frame `frame` (or all frames when null): {key, source, frame, x, y, w, h}.
function boxesOf(item, frame) {
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

// ---- the panel ----------------------------------------------------------------------------------

// ctx: {request(type, payload, transfer), pixelCleaning() -> bool, onRegionsChange(item)}
export function previewPanel(item, ctx) {
  const view = viewOf(item);
  const uid = `pv${item.id}`;
  const body = h('div', { class: 'pv-body' }, h('p', { class: 'fine' }, 'Loading the image…'));
  const section = h(
    'section',
    { class: 'preview', 'aria-labelledby': `${uid}-h`, 'data-testid': 'preview' },
    h('h4', { id: `${uid}-h` }, 'The image'),
    riskBlock(item),
    body,
  );
  loadInfo(item, ctx)
    .then(() => {
      clear(body);
      if (!view.available) {
        body.append(h('p', { class: 'fine', 'data-testid': 'preview-message' }, 'The image cannot be shown by this version of the page.'));
        return;
      }
      if (!view.error && !view.info) {
        // No Pixel Data (a DICOMDIR, a structured report, …): nothing to show.
        section.hidden = true;
        return;
      }
      if (view.error) {
        body.append(h('p', { class: 'fine', 'data-testid': 'preview-message' }, `The image cannot be shown: ${view.error}`));
        return;
      }
      if (view.info.cannot_decode) {
        body.append(h('p', { class: 'notes pv-cannot', 'data-testid': 'preview-message' }, view.info.cannot_decode));
        return;
      }
      buildViewer(item, ctx, body, uid);
    })
    .catch((e) => {
      if (e.name !== 'CancelledError') clear(body).append(h('p', { class: 'fine', 'data-testid': 'preview-message' }, `The image cannot be shown: ${e.message}`));
    });
  return section;
}

// The risk of burned-in text, in plain words, with the DICOM detail folded.
function riskBlock(item) {
  const b = burnedIn(item);
  if (!b || !b.risk) return null;
  const reasons = b.reasons || [];
  return h(
    'div',
    { class: `pv-risk pv-risk-${b.risk}`, 'data-testid': 'burned-in-risk', 'data-risk': b.risk },
    h('p', {}, h('strong', {}, `Risk of text burned into the image: ${RISK_TEXT[b.risk] || b.risk}.`), ' ', b.risk === 'low' ? 'Nothing suggests text in the pixels.' : 'Patient information may be written into the picture itself; cleaning the header does not remove it.'),
    reasons.length ? h('ul', { class: 'pv-reasons' }, reasons.map((r) => h('li', { 'data-level': r.level || null }, r.text || r.code))) : null,
    reasons.some((r) => r.detail || r.code)
      ? h('details', { class: 'dicom-detail' }, h('summary', {}, 'Why (DICOM detail)'), h('ul', { class: 'fine' }, reasons.map((r) => h('li', {}, h('code', {}, r.code || ''), r.detail ? ` ${r.detail}` : ''))))
      : null,
  );
}

function buildViewer(item, ctx, body, uid) {
  const view = viewOf(item);
  const info = view.info;
  const frames = Math.max(1, Number(info.frames) || 1);
  const gray = !(Number(info.samples_per_pixel) > 1);
  if (!view.mode) view.mode = gray ? 'wl' : 'pan';

  const image = h('canvas', { class: 'pv-image', 'data-testid': 'preview-canvas' });
  const overlay = h('canvas', { class: 'pv-overlay', 'aria-hidden': 'true' });
  const boxLayer = h('div', { class: 'pv-boxes' });
  const rubber = h('div', { class: 'pv-box pv-box-user pv-rubber', hidden: true });
  const world = h('div', { class: 'pv-world' }, image, overlay, boxLayer, rubber);
  const stage = h('div', {
    class: 'pv-stage',
    tabindex: '0',
    role: 'img',
    'aria-label': `Image of ${item.path}. Arrow keys change the brightness and contrast or move the image, + and - zoom.`,
  }, world);
  const caption = h('p', { class: 'fine pv-caption', 'aria-live': 'polite' });
  const boxNote = h('p', { class: 'fine pv-boxnote', 'data-testid': 'box-note' });

  // -- view transform
  function fitScale() {
    const W = stage.clientWidth || 1;
    const H = stage.clientHeight || 1;
    return Math.min(W / (image.width || 1), H / (image.height || 1));
  }
  function applyTransform() {
    if (view.fit) {
      view.scale = fitScale();
      view.pan = { x: (stage.clientWidth - image.width * view.scale) / 2, y: (stage.clientHeight - image.height * view.scale) / 2 };
    }
    world.style.transform = `translate(${view.pan.x}px, ${view.pan.y}px) scale(${view.scale})`;
    world.style.setProperty('--s', String(view.scale));
    stage.classList.toggle('pv-pixelated', view.scale >= 2);
    zoomLabel.textContent = `${Math.round(view.scale * 100)}%`;
  }
  function zoomAt(factor, cx, cy) {
    const s = Math.min(32, Math.max(0.05, view.scale * factor));
    const x = cx === undefined ? stage.clientWidth / 2 : cx;
    const y = cy === undefined ? stage.clientHeight / 2 : cy;
    view.pan = { x: x - ((x - view.pan.x) * s) / view.scale, y: y - ((y - view.pan.y) * s) / view.scale };
    view.scale = s;
    view.fit = false;
    applyTransform();
  }

  // -- drawing
  let current = null;
  function redraw() {
    if (!current) return;
    paintFrame(image, info, current.frame, view.wl || { c: 0, w: 1 });
    stage.dataset.frame = String(view.frame);
    if (gray && view.wl) {
      stage.dataset.wl = `${Math.round(view.wl.c)}/${Math.round(view.wl.w)}`;
    }
  }
  function redrawOverlays() {
    const planes = view.showOverlays && current
      ? view.overlays.map((plane) => ({ plane, bits: plane.frames > 1 ? current.overlayBits[plane.group] : plane.bits }))
        .filter((p) => p.bits)
      : [];
    overlay.hidden = planes.length === 0;
    if (planes.length && current) paintOverlays(overlay, planes, current.frame.width, current.frame.height);
  }
  function drawBoxes() {
    clear(boxLayer);
    const boxes = boxesOf(item, view.frame);
    for (const b of boxes) {
      // A box shows its × when hovered or focused (a click or Tab focuses it; Delete
      // removes it too), so many small boxes do not hide the text under them.
      const what = `Box ${SOURCE_TEXT[b.source] || b.source} at ${Math.round(b.x)}, ${Math.round(b.y)}`;
      const el = h(
        'div',
        {
          class: `pv-box pv-box-${b.source}`,
          'data-source': b.source,
          'data-key': b.key,
          title: SOURCE_TEXT[b.source] || b.source,
          tabindex: '0',
          role: 'group',
          'aria-label': `${what}. Delete removes it.`,
          onpointerdown: (e) => {
            if (view.mode !== 'box') e.stopPropagation();
          },
          onkeydown: (e) => {
            if (e.key === 'Delete' || e.key === 'Backspace') {
              e.preventDefault();
              e.stopPropagation();
              removeBox(b);
            }
          },
        },
        h('button', {
          type: 'button',
          class: 'pv-box-x',
          'aria-label': `Remove: ${what}`,
          onpointerdown: (e) => e.stopPropagation(),
          onclick: () => removeBox(b),
        }, '×'),
      );
      place(el, b);
      boxLayer.append(el);
    }
    const all = regionsForCleaning(item).length;
    const on = ctx.pixelCleaning();
    boxNote.textContent = boxes.length || all
      ? `${plural(boxes.length, 'box', 'boxes')} on this frame. ${on ? 'Cleaning blacks out every box (on all the frames it covers).' : 'Boxes are blacked out only with the option “Clean burned-in text” (Settings).'}`
      : 'No box on this frame. Use “Draw a box” to mark text to black out.';
    stage.dataset.boxes = String(boxes.length);
  }
  function place(el, b) {
    el.style.left = `${b.x}px`;
    el.style.top = `${b.y}px`;
    el.style.width = `${b.w}px`;
    el.style.height = `${b.h}px`;
  }
  function removeBox(b) {
    if (b.source === 'user' && b.key.startsWith('user:')) {
      const id = Number(b.key.slice(5));
      item.userRegions = item.userRegions.filter((r) => r.id !== id);
    } else {
      view.removed.add(b.key);
    }
    drawBoxes();
    ctx.onRegionsChange(item);
    stage.focus({ preventScroll: true });
  }

  let loading = null;
  async function showFrame(index, detect) {
    const want = Math.max(0, Math.min(frames - 1, index));
    loading = want;
    try {
      const entry = await decode(item, ctx, want, detect && !(burnedIn(item) && (burnedIn(item).regions || []).length));
      if (loading !== want) return false;
      current = entry;
      view.frame = want;
      if (!view.wlDefault) {
        view.wlDefault = defaultWindow(info, entry.frame);
        if (!view.wl) view.wl = { ...view.wlDefault };
      }
      const firstDraw = !image.width;
      redraw();
      redrawOverlays();
      drawBoxes();
      if (firstDraw || view.fit) applyTransform();
      slider.value = String(want + 1);
      frameLabel.textContent = `Frame ${want + 1} of ${frames}`;
      caption.textContent = `${entry.frame.width} × ${entry.frame.height}${info.photometric ? `, ${info.photometric}` : ''}${frames > 1 ? `, ${frames} frames` : ''}${info.lossy ? ', lossy compressed' : ''}. Decoded in ${entry.decodeMs ? entry.decodeMs.toFixed(0) : '0'} ms.`;
      stage.dataset.ready = 'true';
      return true;
    } catch (e) {
      if (e.name === 'CancelledError') return false;
      clear(body).append(h('p', { class: 'notes pv-cannot', 'data-testid': 'preview-message' }, `This frame cannot be shown: ${e.message}`));
      return false;
    } finally {
      if (loading === want) loading = null;
    }
  }

  // -- frames and cine
  const slider = h('input', { type: 'range', id: `${uid}-frame`, min: '1', max: String(frames), value: String(view.frame + 1), 'data-testid': 'frame-slider' });
  const frameLabel = h('label', { for: `${uid}-frame` }, `Frame ${view.frame + 1} of ${frames}`);
  const playBtn = h('button', { type: 'button', 'aria-pressed': 'false', 'data-testid': 'play' }, 'Play');
  let playing = false;
  let skipped = 0;
  slider.addEventListener('input', () => {
    stop();
    showFrame(Number(slider.value) - 1, true);
  });
  function stop() {
    playing = false;
    playBtn.textContent = 'Play';
    playBtn.setAttribute('aria-pressed', 'false');
  }
  // Frames are decoded on demand; when decoding is slower than the frame rate, the frames
  // that were due meanwhile are skipped (the loop keeps real time, not every frame).
  function play() {
    playing = true;
    playBtn.textContent = 'Pause';
    playBtn.setAttribute('aria-pressed', 'true');
    const ms = frameMs(item);
    const t0 = performance.now();
    const f0 = view.frame;
    let last = f0;
    const tick = async () => {
      if (!playing || !stage.isConnected) return stop();
      const due = (f0 + Math.floor((performance.now() - t0) / ms)) % frames;
      if (due !== view.frame) {
        const step = (due - last + frames) % frames;
        if (step > 1) skipped += step - 1;
        last = due;
        await showFrame(due, false);
        stage.dataset.skipped = String(skipped);
      }
      if (playing) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  }
  playBtn.addEventListener('click', () => {
    if (playing) {
      stop();
      showFrame(view.frame, true);
    } else play();
  });

  // -- modes, zoom, reset
  const modes = [
    gray ? ['wl', 'Brightness / contrast'] : null,
    ['pan', 'Move'],
    ['box', 'Draw a box'],
  ].filter(Boolean);
  const modeButtons = modes.map(([mode, label]) =>
    h('button', { type: 'button', class: 'pv-mode', 'data-mode': mode, 'aria-pressed': String(view.mode === mode), onclick: () => setMode(mode) }, label),
  );
  function setMode(mode) {
    view.mode = mode;
    for (const b of modeButtons) b.setAttribute('aria-pressed', String(b.dataset.mode === mode));
    stage.dataset.mode = mode;
  }
  const zoomLabel = h('span', { class: 'fine pv-zoom', 'aria-live': 'polite' });
  const tools = h(
    'div',
    { class: 'pv-tools' },
    h('div', { class: 'pv-group', role: 'group', 'aria-label': 'What dragging on the image does' }, modeButtons),
    h(
      'div',
      { class: 'pv-group', role: 'group', 'aria-label': 'Zoom' },
      h('button', { type: 'button', onclick: () => { view.fit = true; applyTransform(); } }, 'Fit'),
      h('button', { type: 'button', onclick: () => { zoomAt(1 / view.scale); } }, '1:1'),
      h('button', { type: 'button', 'aria-label': 'Zoom in', onclick: () => zoomAt(1.25) }, '+'),
      h('button', { type: 'button', 'aria-label': 'Zoom out', onclick: () => zoomAt(0.8) }, '−'),
      zoomLabel,
    ),
    h('button', {
      type: 'button',
      'data-testid': 'preview-reset',
      onclick: () => {
        if (view.wlDefault) view.wl = { ...view.wlDefault };
        view.fit = true;
        redraw();
        applyTransform();
      },
    }, 'Reset'),
  );
  const toggles = h('div', { class: 'pv-group pv-toggles' });
  if (view.overlays.length) {
    const box = h('input', { type: 'checkbox', id: `${uid}-ov`, checked: view.showOverlays });
    box.addEventListener('change', () => {
      view.showOverlays = box.checked;
      redrawOverlays();
    });
    toggles.append(h('label', { class: 'check', for: `${uid}-ov` }, box, ` Show the overlay ${view.overlays.length > 1 ? 'planes' : 'plane'} (${view.overlays.length}; overlays can carry text too)`));
  }
  if (frames > 1) {
    const box = h('input', { type: 'checkbox', id: `${uid}-every`, checked: view.everyFrame });
    box.addEventListener('change', () => {
      view.everyFrame = box.checked;
    });
    toggles.append(h('label', { class: 'check', for: `${uid}-every` }, box, ' New boxes cover every frame'));
  }

  // -- pointer: window/level, pan, or a new box
  let drag = null;
  function imagePoint(e) {
    const r = stage.getBoundingClientRect();
    return { x: (e.clientX - r.left - view.pan.x) / view.scale, y: (e.clientY - r.top - view.pan.y) / view.scale };
  }
  stage.addEventListener('pointerdown', (e) => {
    if (e.button !== 0 || !current) return;
    stage.setPointerCapture(e.pointerId);
    drag = { x: e.clientX, y: e.clientY, wl: view.wl && { ...view.wl }, pan: { ...view.pan }, start: imagePoint(e) };
    e.preventDefault();
  });
  stage.addEventListener('pointermove', (e) => {
    if (!drag) return;
    const dx = e.clientX - drag.x;
    const dy = e.clientY - drag.y;
    if (view.mode === 'wl' && drag.wl) {
      // Right: wider window (less contrast); down: higher centre (darker). Speed follows
      // the frame's value range, so 12- and 16-bit images feel alike.
      const slope = Math.abs(first(info.rescale_slope) || 1);
      const range = Math.max(16, (current.frame.max - current.frame.min) * slope);
      const k = range / Math.max(200, stage.clientWidth);
      view.wl = { c: drag.wl.c + dy * k, w: Math.max(1, drag.wl.w + dx * k * 2) };
      redraw();
    } else if (view.mode === 'pan') {
      view.fit = false;
      view.pan = { x: drag.pan.x + dx, y: drag.pan.y + dy };
      applyTransform();
    } else if (view.mode === 'box') {
      const p = imagePoint(e);
      rubber.hidden = false;
      place(rubber, clampBox(drag.start, p));
    }
  });
  const endDrag = (e) => {
    if (!drag) return;
    if (view.mode === 'box') {
      rubber.hidden = true;
      const b = clampBox(drag.start, imagePoint(e));
      if (b.w >= 2 && b.h >= 2) {
        const id = (item.userRegions.reduce((m, r) => Math.max(m, r.id), 0) || 0) + 1;
        item.userRegions.push({ id, frame: frames > 1 && view.everyFrame ? null : view.frame, ...b });
        drawBoxes();
        ctx.onRegionsChange(item);
      }
    }
    drag = null;
  };
  stage.addEventListener('pointerup', endDrag);
  stage.addEventListener('pointercancel', () => {
    drag = null;
    rubber.hidden = true;
  });
  function clampBox(a, b) {
    const x0 = Math.max(0, Math.min(a.x, b.x));
    const y0 = Math.max(0, Math.min(a.y, b.y));
    const x1 = Math.min(image.width, Math.max(a.x, b.x));
    const y1 = Math.min(image.height, Math.max(a.y, b.y));
    return { x: Math.round(x0), y: Math.round(y0), w: Math.max(0, Math.round(x1 - x0)), h: Math.max(0, Math.round(y1 - y0)) };
  }
  stage.addEventListener('wheel', (e) => {
    if (!current) return;
    e.preventDefault();
    const r = stage.getBoundingClientRect();
    zoomAt(e.deltaY < 0 ? 1.2 : 1 / 1.2, e.clientX - r.left, e.clientY - r.top);
  }, { passive: false });
  stage.addEventListener('keydown', (e) => {
    if (!current) return;
    const arrows = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
    if (e.key === '+' || e.key === '=') zoomAt(1.25);
    else if (e.key === '-') zoomAt(0.8);
    else if (arrows[e.key] && view.mode === 'wl' && view.wl) {
      const [dx, dy] = arrows[e.key];
      const step = Math.max(1, view.wl.w / 20);
      view.wl = { c: view.wl.c + dy * step, w: Math.max(1, view.wl.w + dx * step) };
      redraw();
    } else if (arrows[e.key]) {
      const [dx, dy] = arrows[e.key];
      view.fit = false;
      view.pan = { x: view.pan.x - dx * 20, y: view.pan.y - dy * 20 };
      applyTransform();
    } else return;
    e.preventDefault();
  });
  if (typeof ResizeObserver === 'function') {
    new ResizeObserver(() => {
      if (view.fit && current) applyTransform();
    }).observe(stage);
  }

  stage.style.aspectRatio = `${Number(info.columns) || 4} / ${Number(info.rows) || 3}`;
  setMode(view.mode);
  const parts = [
    tools,
    frames > 1 ? h('div', { class: 'pv-frames' }, frameLabel, slider, playBtn) : null,
    stage,
    toggles.childNodes.length ? toggles : null,
    boxNote,
    caption,
  ];
  clear(body).append(...parts.filter(Boolean));
  showFrame(view.frame, true);
}

// ---- the cleaned image --------------------------------------------------------------------------

// The cleaned file's frame (the one shown in the preview), decoded from the output bytes, so
// the user sees what leaves the computer.
export function cleanedPreview(item, ctx) {
  const view = item.view;
  if (!item.deid || !view || !view.info || !view.available || view.info.cannot_decode) return null;
  const canvas = h('canvas', { class: 'pv-cleaned', 'data-testid': 'cleaned-canvas' });
  const note = h('p', { class: 'fine' }, 'Decoding the cleaned file…');
  const figure = h('figure', { class: 'pv-after' }, canvas, h('figcaption', {}, `The cleaned image, frame ${view.frame + 1}: check that no text is left before you share it.`), note);
  (async () => {
    try {
      const buffer = await item.deid.blob.arrayBuffer();
      const info = await ctx.request('imageInfo', { buffer }, [buffer]);
      const r = await ctx.request('decodeFrame', { buffer: info.buffer, index: view.frame }, [info.buffer]);
      paintFrame(canvas, info.info || view.info, r.frame, view.wl || defaultWindow(info.info || view.info, r.frame));
      canvas.dataset.ready = 'true';
      note.remove();
    } catch (e) {
      if (e.name !== 'CancelledError') note.textContent = `The cleaned image cannot be shown: ${e.message}`;
    }
  })();
  return figure;
}
