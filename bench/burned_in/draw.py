"""Draws a line of text into stored pixel values and returns its ground truth.

Text is rendered by Pillow into a coverage mask (0..1), then written into the frame's STORED values:
    new = round(old * (1 - a) + ink * a)
where ink is a stored value (e.g. the top of the 16-bit range for a CT), so the text is in the
data exactly as an exporter burns it, whatever the window says. Two renderings:
  - "antialiased": FreeType grey coverage, as modern viewers draw;
  - "bitmap": no anti-aliasing (Pillow fontmode "1"), as many viewers and ultrasound machines draw.

The ground truth of a line:
  - box x, y, w, h: the tight bounds of the pixels with coverage >= 0.25;
  - glyph mask: the pixels with coverage >= 0.5 inside that box (what the scorer checks for
    "is the text still there after cleaning").
"""
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from fonts import font_file, size_for_cap_height


def render_mask(text, font_name, cap_px, bold=False, bitmap=False):
    """Coverage mask (float32 0..1) cropped to the ink, plus the font size used."""
    path = font_file(font_name, bold)
    size = size_for_cap_height(path, cap_px)
    font = ImageFont.truetype(path, size)
    left, top, right, bottom = font.getbbox(text)
    w, h = right - left + 8, bottom - top + 8
    img = Image.new("L", (w, h), 0)
    d = ImageDraw.Draw(img)
    d.fontmode = "1" if bitmap else "L"
    d.text((4 - left, 4 - top), text, font=font, fill=255)
    a = np.asarray(img, dtype=np.float32) / 255.0
    ys, xs = np.nonzero(a >= 0.25)
    if len(xs) == 0:
        return np.zeros((0, 0), np.float32), size
    return a[ys.min():ys.max() + 1, xs.min():xs.max() + 1], size


def text_size(text, font_name, cap_px, bold=False, bitmap=False):
    a, _ = render_mask(text, font_name, cap_px, bold, bitmap)
    return a.shape[1], a.shape[0]


def blend(frame, x, y, alpha, ink, lo, hi):
    """Writes ink into frame (2-D grey or 3-D RGB) at (x, y) with coverage alpha, in place.
    ink: a number (grey) or a 3-tuple (RGB). Values are clipped to [lo, hi] (the stored range)."""
    h, w = alpha.shape
    region = frame[y:y + h, x:x + w]
    a = alpha if region.ndim == 2 else alpha[..., None]
    ink_arr = np.asarray(ink, dtype=np.float64)
    new = region.astype(np.float64) * (1.0 - a) + ink_arr * a
    region[...] = np.clip(np.rint(new), lo, hi).astype(frame.dtype)


def fill_rect(frame, x, y, w, h, value):
    frame[y:y + h, x:x + w] = value


def draw_line(frames, frame_ids, x, y, text, font_name, cap_px, ink, lo, hi, bold=False, bitmap=False):
    """Draws text at (x, y) (top-left of the ink) on the frames listed; returns (box, glyph mask)."""
    alpha, size = render_mask(text, font_name, cap_px, bold, bitmap)
    h, w = alpha.shape
    rows, cols = frames.shape[1], frames.shape[2]
    if x < 0 or y < 0 or x + w > cols or y + h > rows:
        raise ValueError(f"text {text!r} ({w}x{h}) does not fit at {x},{y} in {cols}x{rows}")
    for f in frame_ids:
        blend(frames[f], x, y, alpha, ink, lo, hi)
    box = {"x": int(x), "y": int(y), "w": int(w), "h": int(h)}
    return box, alpha >= 0.5, size
