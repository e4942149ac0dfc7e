// The interactive image in a file's card: the canvas with its transform (zoom, pan), window/
// level by dragging or arrow keys, the frame slider and cine playback, overlay planes, and the
// boxes over burned-in text (drawn, removed). State lives in preview-state.js.

import { h, clear, plural } from './dom.js';
import { first, defaultWindow, paintFrame, paintOverlays } from './preview-draw.js';
import { viewOf, frameMs, decode, boxesOf, boxCount, needsOwnDetection } from './preview-state.js';

const SOURCE_TEXT = { detector: 'found by the text finder', signature: 'known screen layout', user: 'drawn by you' };

export function buildViewer(item, ctx, body, uid) {
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
    const all = boxCount(item);
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
      const entry = await decode(item, ctx, want, detect && needsOwnDetection(item));
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

