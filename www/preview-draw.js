// Drawing for the image preview: stored values to grey (modality LUT, VOI window, PS3.3
// C.11), colour as is, overlay planes, and joining the text finder's word boxes into lines.
// No state and no DOM beyond the canvases it is given.

export function first(value) {
  if (Array.isArray(value)) return value.length ? Number(value[0]) : null;
  return value === null || value === undefined || value === '' ? null : Number(value);
}

// The frame time in ms from the report (Frame Time (0018,1063), else Cine Rate (0018,0040)).
// ---- drawing a frame --------------------------------------------------------------------------

// The default window: the core's own for the frame (`window` of decode_frame: the file's VOI
// window, PS3.3 C.11.2, or one fitted to the frame's values after the modality LUT). Colour
// frames have none and need none.
export function defaultWindow(info, frame) {
  if (frame.window) return { c: frame.window.center, w: frame.window.width };
  return { c: 127.5, w: 256 };
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

export function paintFrame(canvas, info, frame, wl) {
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

export function paintOverlays(canvas, planes, width, height) {
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
