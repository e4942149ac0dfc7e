// The image viewer's keyboard shortcuts, listed where they can be seen (under the image), and
// only those that apply to this image.

import { h } from './dom.js';

const k = (...keys) => keys.map((key, i) => [i ? ' ' : '', h('kbd', {}, key)]);

// {slices: number of slices or frames, unit: 'slice' | 'frame', presets: [{label}], gray,
// boxes: whether boxes can be drawn}
export function shortcutList({ slices, unit, presets, gray, boxes, cine }) {
  const rows = [];
  if (slices > 1) {
    rows.push([k('↑', '↓'), `Previous / next ${unit} (also Page Up / Page Down, and the mouse wheel)`]);
    rows.push([k('Home', 'End'), `First / last ${unit}`]);
  }
  if (presets.length) {
    const numbered = presets.map((p, i) => `${i + 1} ${p.label}`).join(', ');
    rows.push([k(presets.length > 1 ? `1–${presets.length}` : '1'), `Window: ${numbered}`]);
  }
  if (gray) {
    rows.push([k('←', '→'), 'Less / more contrast (window width)']);
    rows.push([[h('kbd', {}, 'Shift'), ' + ', ...k('↑', '↓')], slices > 1 ? 'Brighter / darker (window level)' : 'Brighter / darker (window level; ↑ ↓ alone too)']);
  }
  rows.push([k('+', '−'), 'Zoom in / out (also Ctrl + mouse wheel)']);
  rows.push([k('F'), 'Fit the image to the frame']);
  rows.push([k('R'), 'Reset: window, zoom and position']);
  if (cine) rows.push([k('Space'), 'Play / pause']);
  rows.push([k('←', '↑', '→', '↓'), 'In “Move” mode: move the image']);
  if (boxes) rows.push([k('Delete'), 'Remove the focused box']);
  return h(
    'details',
    { class: 'shortcuts', open: true, 'data-testid': 'shortcuts' },
    h('summary', {}, 'Keyboard shortcuts (click the image or Tab to it first)'),
    h('dl', {}, rows.map(([keys, what]) => h('div', {}, h('dt', {}, keys), h('dd', {}, what)))),
  );
}
