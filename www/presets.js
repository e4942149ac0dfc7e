// Window presets for the image viewer. "Auto" is the core's own window for the frame (the one
// it shows the image with: the file's VOI window, or one fitted to the values; see `window` in
// decode_frame), never a formula of the page's. CT images add the usual windows in Hounsfield
// units, as radiologists use them (width W, level L): Radiopaedia, "Windowing (CT)"
// (radiopaedia.org/articles/windowing-ct): lungs W 1500 L −600, mediastinum W 350 L 50,
// bone W 1800 L 400, brain W 80 L 40; the OHIF viewer's CT presets agree (lung 1500/−600,
// brain 80/40).
export const CT_PRESETS = [
  { id: 'lung', label: 'Lung', w: 1500, c: -600 },
  { id: 'soft-tissue', label: 'Soft tissue', w: 350, c: 50 },
  { id: 'bone', label: 'Bone', w: 1800, c: 400 },
  { id: 'brain', label: 'Brain', w: 80, c: 40 },
];

const firstNumber = (v) => (Array.isArray(v) ? Number(v[0]) : v === null || v === undefined ? NaN : Number(v));

// The presets for an image, in the order of their number keys: Auto (1), the CT windows (2–5)
// for a CT, then the file's own window when it differs from Auto. `window`: the core's window
// of the frame ({center, width}).
export function presetsFor({ modality, info, window }) {
  const list = [];
  if (window) list.push({ id: 'auto', label: 'Auto', c: window.center, w: window.width });
  if (String(modality || '').toUpperCase() === 'CT') list.push(...CT_PRESETS);
  const c = firstNumber(info && info.window_center);
  const w = firstNumber(info && info.window_width);
  if (Number.isFinite(c) && Number.isFinite(w) && w >= 1 && !(window && window.center === c && window.width === w)) {
    list.push({ id: 'file', label: "File's window", c, w });
  }
  return list;
}

export function sameWindow(a, b) {
  return Boolean(a && b) && Math.abs(a.c - b.c) < 0.5 && Math.abs(a.w - b.w) < 0.5;
}
