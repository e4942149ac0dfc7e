// The interactive image in a file's card, or a series' slices: the canvas with its transform
// (zoom, pan), window/level by dragging, presets or keys, the frame (slice) slider, wheel and
// cine playback, overlay planes, the boxes over burned-in text (drawn, removed), and the list
// of keyboard shortcuts. State lives in preview-state.js; a series' item has `slices` (its
// files, one image each) instead of frames.

import { h, clear, plural } from './dom.js';
import { first, defaultWindow, paintFrame, paintOverlays } from './preview-draw.js';
import { viewOf, frameMs, decode, boxesOf, boxCount } from './preview-state.js';
import { presetsFor, sameWindow } from './presets.js';
import { shortcutList } from './shortcuts.js';
import { textPanel } from './preview-text.js';

const SOURCE_TEXT = { detector: 'found by the text finder', signature: 'known screen layout', user: 'drawn by you' };

export function buildViewer(item, ctx, body, uid) {
  const view = viewOf(item);
  const info = view.info;
  const frames = item.slices ? item.slices.length : Math.max(1, Number(info.frames) || 1);
  const unit = item.slices ? 'slice' : 'frame';
  const Unit = item.slices ? 'Slice' : 'Frame';
  const gray = !(Number(info.samples_per_pixel) > 1);
  // Boxes over burned-in text belong to one file: drawn in a file's card, not over a series.
  const canDrawBoxes = !item.slices;
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
    'aria-label': `Image of ${item.path}. ${frames > 1 ? `Up and down arrows go through the ${unit}s. ` : ''}Keyboard shortcuts are listed below the image.`,
  }, world);
  const caption = h('p', { class: 'fine pv-caption', 'aria-live': 'polite' });
  const boxNote = h('p', { class: 'fine pv-boxnote', 'data-testid': 'box-note' });
  // What was read in each box, and how this file's text is cleaned (preview-text.js).
  const text = canDrawBoxes && ctx.textCleaning ? textPanel(item, ctx, (b) => removeBox(b)) : null;

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
    // A series' slices each have their own rescale and photometric interpretation.
    paintFrame(image, current.info || info, current.frame, view.wl || { c: 0, w: 1 });
    stage.dataset.frame = String(view.frame);
    if (gray && view.wl) {
      stage.dataset.wl = `${Math.round(view.wl.c)}/${Math.round(view.wl.w)}`;
      for (const b of presetButtons) b.setAttribute('aria-pressed', String(sameWindow(b.preset, view.wl)));
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
    const all = boxCount(item);
    boxNote.textContent = boxes.length || all
      ? `${plural(boxes.length, 'box', 'boxes')} on this frame; what each holds and whether cleaning blacks it out is listed below.`
      : 'No box on this frame. Use “Draw a box” to mark text to black out.';
    if (text) text.refresh();
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
  async function showFrame(index) {
    const want = Math.max(0, Math.min(frames - 1, index));
    loading = want;
    try {
      const entry = await decode(item, ctx, want);
      if (loading !== want) return false;
      current = entry;
      view.frame = want;
      if (!view.wlDefault) {
        view.wlDefault = defaultWindow(entry.info || info, entry.frame);
        if (!view.wl) view.wl = { ...view.wlDefault };
        setPresets(entry);
      }
      const firstDraw = !image.width;
      redraw();
      redrawOverlays();
      drawBoxes();
      if (firstDraw || view.fit) applyTransform();
      slider.value = String(want + 1);
      frameLabel.textContent = `${Unit} ${want + 1} of ${frames}`;
      const shown = entry.info || info;
      const where = item.slices ? ` (${item.slices[want].path})` : '';
      caption.textContent = `${entry.frame.width} × ${entry.frame.height}${shown.photometric ? `, ${shown.photometric}` : ''}${frames > 1 ? `, ${frames} ${unit}s` : ''}${shown.lossy ? ', lossy compressed' : ''}${where}. Decoded in ${entry.decodeMs ? entry.decodeMs.toFixed(0) : '0'} ms.`;
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
  const frameLabel = h('label', { for: `${uid}-frame` }, `${Unit} ${view.frame + 1} of ${frames}`);
  const playBtn = h('button', { type: 'button', 'aria-pressed': 'false', 'data-testid': 'play' }, 'Play');
  let playing = false;
  let skipped = 0;
  slider.addEventListener('input', () => {
    stop();
    showFrame(Number(slider.value) - 1);
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
        await showFrame(due);
        stage.dataset.skipped = String(skipped);
      }
      if (playing) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  }
  playBtn.addEventListener('click', () => {
    if (playing) {
      stop();
      showFrame(view.frame);
    } else play();
  });

  // -- modes, zoom, reset
  const modes = [
    gray ? ['wl', 'Brightness / contrast'] : null,
    ['pan', 'Move'],
    canDrawBoxes ? ['box', 'Draw a box'] : null,
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
    h('button', { type: 'button', 'data-testid': 'preview-reset', onclick: reset }, 'Reset'),
  );
  function reset() {
    if (view.wlDefault) view.wl = { ...view.wlDefault };
    view.fit = true;
    redraw();
    applyTransform();
  }
  // -- window presets (presets.js): Auto is the core's window of the first frame shown.
  let presets = [];
  let presetButtons = [];
  const presetGroup = h('div', { class: 'pv-group pv-presets', role: 'group', 'aria-label': 'Window presets', hidden: true });
  function setPresets(entry) {
    if (!gray) return;
    // A series knows its modality; a file's card has its full report.
    const modality = item.modality || (item.report && item.report.summary.modality);
    presets = presetsFor({ modality, info: entry.info || info, window: entry.frame.window });
    presetButtons = presets.map((preset, i) => {
      const b = h('button', { type: 'button', class: 'pv-mode', 'data-preset': preset.id, 'aria-pressed': 'false', title: `W ${Math.round(preset.w)} / L ${Math.round(preset.c)} (key ${i + 1})`, onclick: () => applyPreset(i) }, preset.label);
      b.preset = preset;
      return b;
    });
    clear(presetGroup).append(h('span', { class: 'fine' }, 'Window:'), ...presetButtons);
    presetGroup.hidden = presets.length === 0;
    const list = shortcutList({ slices: frames, unit, presets, gray, boxes: canDrawBoxes, cine: frames > 1 });
    shortcuts.replaceWith(list);
    shortcuts = list;
  }
  function applyPreset(i) {
    const preset = presets[i];
    if (!preset) return;
    view.wl = { c: preset.c, w: preset.w };
    redraw();
  }
  const toggles = h('div', { class: 'pv-group pv-toggles' });
  if (view.overlays.length) {
    const box = h('input', { type: 'checkbox', id: `${uid}-ov`, checked: view.showOverlays });
    box.addEventListener('change', () => {
      view.showOverlays = box.checked;
      redrawOverlays();
    });
    toggles.append(h('label', { class: 'check', for: `${uid}-ov` }, box, ` Show the overlay ${view.overlays.length > 1 ? 'planes' : 'plane'} (${view.overlays.length}; overlays can carry text too)`));
  }
  if (frames > 1 && canDrawBoxes) {
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
  // The wheel goes through the slices (frames), one per notch, as in radiology viewers; with
  // Ctrl (a trackpad's pinch too), or on a single image, it zooms. A trackpad's many small
  // steps add up to one slice per 50 pixels.
  let wheelSum = 0;
  stage.addEventListener('wheel', (e) => {
    if (!current) return;
    e.preventDefault();
    if (frames > 1 && !e.ctrlKey && !e.metaKey) {
      wheelSum += e.deltaMode === 0 ? e.deltaY : e.deltaY * 50;
      if (Math.abs(wheelSum) >= 50) {
        const by = Math.sign(wheelSum);
        wheelSum = 0;
        step(by);
      }
      return;
    }
    const r = stage.getBoundingClientRect();
    zoomAt(e.deltaY < 0 ? 1.2 : 1 / 1.2, e.clientX - r.left, e.clientY - r.top);
  }, { passive: false });
  function step(by) {
    stop();
    const next = Math.max(0, Math.min(frames - 1, (loading ?? view.frame) + by));
    if (next !== view.frame || loading !== null) showFrame(next);
  }
  function changeWindow(dx, dy) {
    if (!gray || !view.wl) return false;
    const size = Math.max(1, view.wl.w / 20);
    view.wl = { c: view.wl.c + dy * size, w: Math.max(1, view.wl.w + dx * size) };
    redraw();
    return true;
  }
  stage.addEventListener('keydown', (e) => {
    if (!current || e.altKey || e.ctrlKey || e.metaKey) return;
    const arrows = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
    const arrow = arrows[e.key];
    const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
    if (key === '+' || key === '=') zoomAt(1.25);
    else if (key === '-') zoomAt(0.8);
    else if (arrow && view.mode === 'pan') {
      view.fit = false;
      view.pan = { x: view.pan.x - arrow[0] * 20, y: view.pan.y - arrow[1] * 20 };
      applyTransform();
    } else if (arrow && arrow[1] && e.shiftKey) changeWindow(0, arrow[1]);
    else if (arrow && arrow[1] && frames > 1) step(arrow[1]);
    else if (arrow && !changeWindow(arrow[0], arrow[1])) return;
    else if (key === 'PageUp' || key === 'PageDown') step(key === 'PageUp' ? -1 : 1);
    else if (key === 'Home' || key === 'End') step(key === 'Home' ? -frames : frames);
    else if (/^[1-9]$/.test(key) && presets[Number(key) - 1]) applyPreset(Number(key) - 1);
    else if (key === 'r') reset();
    else if (key === 'f') {
      view.fit = true;
      applyTransform();
    } else if (key === ' ' && frames > 1) playBtn.click();
    else if (!arrow) return;
    e.preventDefault();
  });
  if (typeof ResizeObserver === 'function') {
    new ResizeObserver(() => {
      if (view.fit && current) applyTransform();
    }).observe(stage);
  }

  stage.style.aspectRatio = `${Number(info.columns) || 4} / ${Number(info.rows) || 3}`;
  setMode(view.mode);
  let shortcuts = shortcutList({ slices: frames, unit, presets, gray, boxes: canDrawBoxes, cine: frames > 1 });
  const parts = [
    tools,
    presetGroup,
    frames > 1 ? h('div', { class: 'pv-frames' }, frameLabel, slider, playBtn) : null,
    stage,
    toggles.childNodes.length ? toggles : null,
    canDrawBoxes ? boxNote : null,
    text ? text.panel : null,
    caption,
    shortcuts,
  ];
  clear(body).append(...parts.filter(Boolean));
  showFrame(view.frame);
}

