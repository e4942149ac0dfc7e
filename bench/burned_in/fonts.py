"""The Debian fonts the set draws with, and which split may use which.

The product's own synthetic frames (tests/detector.rs) are drawn with DejaVu, so the held-out part
uses only fonts the product was never tuned on: Liberation and Noto. The tuning part uses DejaVu
and GNU FreeFont.
"""
import functools
import os

from PIL import Image, ImageDraw, ImageFont

T = "/usr/share/fonts/truetype"
FONTS = {
    # name: (regular file, bold file, split)
    "DejaVuSans": (f"{T}/dejavu/DejaVuSans.ttf", f"{T}/dejavu/DejaVuSans-Bold.ttf", "tune"),
    "DejaVuSansMono": (f"{T}/dejavu/DejaVuSansMono.ttf", f"{T}/dejavu/DejaVuSansMono-Bold.ttf", "tune"),
    "DejaVuSerif": (f"{T}/dejavu/DejaVuSerif.ttf", f"{T}/dejavu/DejaVuSerif-Bold.ttf", "tune"),
    "FreeSans": (f"{T}/freefont/FreeSans.ttf", f"{T}/freefont/FreeSansBold.ttf", "tune"),
    "FreeMono": (f"{T}/freefont/FreeMono.ttf", f"{T}/freefont/FreeMonoBold.ttf", "tune"),
    "LiberationSans": (f"{T}/liberation/LiberationSans-Regular.ttf", f"{T}/liberation/LiberationSans-Bold.ttf", "heldout"),
    "LiberationMono": (f"{T}/liberation/LiberationMono-Regular.ttf", f"{T}/liberation/LiberationMono-Bold.ttf", "heldout"),
    "LiberationSerif": (f"{T}/liberation/LiberationSerif-Regular.ttf", f"{T}/liberation/LiberationSerif-Bold.ttf", "heldout"),
    "NotoSans": (f"{T}/noto/NotoSans-Regular.ttf", f"{T}/noto/NotoSans-Bold.ttf", "heldout"),
    "NotoSansMono": (f"{T}/noto/NotoSansMono-Regular.ttf", f"{T}/noto/NotoSansMono-Bold.ttf", "heldout"),
}


def fonts_for(split):
    return sorted(n for n, (_, _, s) in FONTS.items() if s == split)


def check_installed():
    missing = [p for r, b, _ in FONTS.values() for p in (r, b) if not os.path.exists(p)]
    if missing:
        raise SystemExit("fonts missing (run bench/burned_in/setup.sh): " + ", ".join(missing))


def font_file(name, bold):
    regular, bold_file, _ = FONTS[name]
    return bold_file if bold else regular


@functools.lru_cache(maxsize=None)
def size_for_cap_height(path, cap_px):
    """The font size (pixels per em) whose capital 'H' is cap_px pixels high, so that 'glyph height
    5-16 px' means what a person measures on screen, whatever the font's proportions."""
    best, best_err = 4, 99
    for size in range(4, 48):
        font = ImageFont.truetype(path, size)
        img = Image.new("L", (size * 2, size * 2))
        ImageDraw.Draw(img).text((2, 2), "H", font=font, fill=255)
        box = img.getbbox()
        if not box:
            continue
        err = abs((box[3] - box[1]) - cap_px)
        if err < best_err:
            best, best_err = size, err
        if box[3] - box[1] > cap_px:
            break
    return best
