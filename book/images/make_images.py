#!/usr/bin/env python3
"""Draw every image of the sample book with Pillow.

Run from anywhere:  python book/images/make_images.py
The output is deterministic: every random choice comes from a seeded
random.Random, so rerunning the script gives byte-identical JPEGs
(with the same Pillow version).

Figures are drawn on a 1260-unit-wide canvas and written at 1.1 times that,
1386 px: 4.62 in at 300 ppi, the full measure of the 6x9 in print text block
(152.4 mm less 35 mm of margins), so print preflight finds them at 300 ppi.
The cover is drawn on 1800 x 2700 units and written at 1.04 times that,
1872 x 2808 px: 300 ppi over the front panel with 3 mm bleed (6.24 x 9.24 in). All are RGB
JPEGs, quality 88, tagged 300 dpi. The palette is deliberately restrained:
deep red, off-white paper and charcoal, in the manner of a linocut poster.
"""
from __future__ import annotations

import math
import random
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

HERE = Path(__file__).resolve().parent
GARAMOND = Path("/usr/share/fonts/truetype/ebgaramond")

RED = (150, 28, 32)
RED_LIGHT = (186, 60, 56)
RED_DARK = (102, 20, 24)
RED_PALE = (226, 186, 170)
PAPER = (243, 236, 222)
PAPER_DARK = (222, 211, 190)
CHAR = (40, 39, 41)
CHAR_LIGHT = (82, 79, 80)
INK = (22, 21, 23)

S = 2  # supersampling factor: draw at 2x, downscale for clean edges
FIGURE_SCALE = 1.1  # output pixels per canvas unit for figures: 1386 px = the 6x9 measure at 300 ppi
COVER_SCALE = 1.04  # the front cover with 3 mm bleed at 300 ppi
JPEG = dict(quality=88, dpi=(300, 300), optimize=True, subsampling="4:2:0")


def font(name: str, size: float) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(GARAMOND / name), round(size * S))


class Canvas:
    """An image drawn at S times its final size; coordinates are final pixels."""

    def __init__(self, w: int, h: int, bg):
        self.w, self.h = w, h
        self.im = Image.new("RGB", (w * S, h * S), bg)
        self.d = ImageDraw.Draw(self.im)

    @staticmethod
    def _p(pts):
        return [(x * S, y * S) for x, y in pts]

    def poly(self, pts, fill, outline=None, width=1):
        self.d.polygon(self._p(pts), fill=fill, outline=outline, width=round(width * S))

    def rect(self, box, fill=None, radius=0, outline=None, width=1):
        b = [v * S for v in box]
        if radius:
            self.d.rounded_rectangle(b, radius * S, fill=fill, outline=outline, width=round(width * S))
        else:
            self.d.rectangle(b, fill=fill, outline=outline, width=round(width * S))

    def circle(self, cx, cy, r, fill=None, outline=None, width=1):
        self.d.ellipse([(cx - r) * S, (cy - r) * S, (cx + r) * S, (cy + r) * S],
                       fill=fill, outline=outline, width=round(width * S))

    def ellipse(self, box, fill=None, outline=None, width=1):
        self.d.ellipse([v * S for v in box], fill=fill, outline=outline, width=round(width * S))

    def line(self, pts, fill, width=1):
        self.d.line(self._p(pts), fill=fill, width=max(1, round(width * S)), joint="curve")

    def text(self, xy, s, fnt, fill, anchor="la"):
        self.d.text((xy[0] * S, xy[1] * S), s, font=fnt, fill=fill, anchor=anchor)

    def spaced(self, cx, y, s, fnt, fill, tracking=0.0, anchor="ms"):
        """Centred text with extra letter spacing (tracking in final px)."""
        widths = [fnt.getlength(ch) for ch in s]
        total = sum(widths) + tracking * S * (len(s) - 1)
        x = cx * S - total / 2
        for ch, wd in zip(s, widths):
            self.d.text((x, y * S), ch, font=fnt, fill=fill, anchor="l" + anchor[1])
            x += wd + tracking * S

    def shadow(self, box, offset=(14, 18), blur=18, opacity=110, radius=0):
        mask = Image.new("L", self.im.size, 0)
        md = ImageDraw.Draw(mask)
        x0, y0, x1, y1 = (v * S for v in box)
        dx, dy = offset[0] * S, offset[1] * S
        md.rounded_rectangle([x0 + dx, y0 + dy, x1 + dx, y1 + dy], radius * S, fill=opacity)
        mask = mask.filter(ImageFilter.GaussianBlur(blur * S))
        self.im.paste(Image.new("RGB", self.im.size, INK), (0, 0), mask)

    def finish(self, rng: random.Random, grain: int = 7, cell: int = 3, scale: float = FIGURE_SCALE) -> Image.Image:
        """Downsample the 2x drawing to `scale` x the canvas units (more pixels, same picture)."""
        im = self.im.resize((round(self.w * scale), round(self.h * scale)), Image.LANCZOS)
        return add_grain(im, rng, grain, cell)


def add_grain(im: Image.Image, rng: random.Random, amount: int, cell: int = 3) -> Image.Image:
    """A soft paper grain: seeded noise, upscaled so it stays cheap to compress."""
    w, h = im.size
    sw, sh = w // cell + 1, h // cell + 1
    noise = Image.frombytes("L", (sw, sh), rng.randbytes(sw * sh))
    noise = noise.resize((w, h), Image.BICUBIC)
    noise = noise.point(lambda v: 128 + (v - 128) * amount // 128)
    return ImageChops.add(im, Image.merge("RGB", (noise,) * 3), scale=1.0, offset=-128)


def rough(pts, rng: random.Random, amt=2.5, step=18):
    """Subdivide a closed polygon and jitter it: the uneven edge of a lino cut."""
    out = []
    n = len(pts)
    for i in range(n):
        (x0, y0), (x1, y1) = pts[i], pts[(i + 1) % n]
        seg = max(1, int(math.hypot(x1 - x0, y1 - y0) // step))
        for k in range(seg):
            t = k / seg
            out.append((x0 + (x1 - x0) * t + rng.uniform(-amt, amt),
                        y0 + (y1 - y0) * t + rng.uniform(-amt, amt)))
    return out


def rot(cx, cy, w, h, angle_deg):
    """Corners of a w x h rectangle centred on (cx, cy), rotated."""
    a = math.radians(angle_deg)
    ca, sa = math.cos(a), math.sin(a)
    pts = []
    for dx, dy in ((-w / 2, -h / 2), (w / 2, -h / 2), (w / 2, h / 2), (-w / 2, h / 2)):
        pts.append((cx + dx * ca - dy * sa, cy + dx * sa + dy * ca))
    return pts


def lerp(p, q, t):
    return (p[0] + (q[0] - p[0]) * t, p[1] + (q[1] - p[1]) * t)


def sunburst(c: Canvas, cx, cy, n, r, col_a, col_b, start=0.0):
    for i in range(n):
        a0 = start + 2 * math.pi * i / n
        a1 = start + 2 * math.pi * (i + 1) / n
        c.poly([(cx, cy), (cx + r * math.cos(a0), cy + r * math.sin(a0)),
                (cx + r * math.cos(a1), cy + r * math.sin(a1))], col_a if i % 2 else col_b)


def carved_sun(c: Canvas, cx, cy, r, fill, cut, y_from, step, w0, w1):
    """A sun disc with horizontal 'carved' stripes that thicken downwards."""
    c.circle(cx, cy, r, fill=fill)
    y, k = y_from, 0
    while y < cy + r:
        dy = y - cy
        if abs(dy) < r:
            half = math.sqrt(r * r - dy * dy)
            t = (y - y_from) / max(1, (cy + r - y_from))
            c.line([(cx - half - 2, y), (cx + half + 2, y)], cut, w0 + (w1 - w0) * t)
        y += step
        k += 1


def waves(c: Canvas, rng, y0, y1, x0, x1, col, spacing=34, amp=5, width=3.0, gap=0.35):
    """Broken sine strokes, as if gouged out of a dark block."""
    y = y0
    row = 0
    while y < y1:
        x = x0 + rng.uniform(-40, 0)
        while x < x1:
            length = rng.uniform(60, 190)
            pts = []
            xx = x
            phase = rng.uniform(0, math.tau)
            while xx < min(x + length, x1):
                pts.append((xx, y + amp * math.sin(xx / 23 + phase)))
                xx += 6
            if len(pts) > 1:
                c.line(pts, col, width * (0.6 + 0.8 * (y - y0) / max(1, y1 - y0)))
            x += length * (1 + gap + rng.uniform(0, 0.5))
        y += spacing * (0.8 + 0.5 * (y - y0) / max(1, y1 - y0))
        row += 1


def save(im: Image.Image, name: str) -> None:
    im.save(HERE / name, "JPEG", **JPEG)


# --------------------------------------------------------------------------- figures

def rower(c: Canvas, x, y_seat, col, scale=1.0):
    """A rower seen from the side at the finish of the stroke, leaning back.

    Returns the position of the hands, where the oar handle is held."""
    s = scale
    hip = (x, y_seat)
    shoulder = (x - 30 * s, y_seat - 72 * s)
    head = (x - 38 * s, y_seat - 104 * s)
    knee = (x + 44 * s, y_seat - 30 * s)
    foot = (x + 74 * s, y_seat + 8 * s)
    c.line([hip, knee, foot], col, 17 * s)
    c.poly([(hip[0] + 15 * s, hip[1] + 4 * s), (hip[0] - 17 * s, hip[1] + 4 * s),
            (shoulder[0] - 18 * s, shoulder[1] + 4 * s), (shoulder[0] + 14 * s, shoulder[1] - 6 * s)], col)
    c.circle(shoulder[0] - 2 * s, shoulder[1] - 1 * s, 15 * s, fill=col)
    c.line([shoulder, head], col, 12 * s)
    c.circle(head[0], head[1], 18 * s, fill=col)
    hands = (x + 34 * s, y_seat - 40 * s)
    c.line([(shoulder[0] + 4 * s, shoulder[1] + 8 * s), (x + 6 * s, y_seat - 26 * s), hands], col, 10 * s)
    return hands


def boat_scene(c: Canvas, rng, cx, water_y, length, n_rowers, hull_col, body_col, sea_col, carve_col, scale=1.0):
    """A crew pulling together: the rowers, the hull over their legs, then the oars."""
    half = length / 2
    hull_top = water_y - 34 * scale
    hands = []
    for i in range(n_rowers):
        x = cx - half + 110 * scale + i * (length - 230 * scale) / max(1, n_rowers - 1)
        hands.append(rower(c, x, hull_top - 4 * scale, body_col, scale))
    hull = [(cx - half - 40 * scale, hull_top - 26 * scale), (cx + half + 30 * scale, hull_top - 10 * scale),
            (cx + half - 30 * scale, water_y + 22 * scale), (cx - half + 50 * scale, water_y + 22 * scale)]
    c.poly(rough(hull, rng, 1.5), hull_col)
    c.line([(cx - half - 10 * scale, hull_top - 8 * scale), (cx + half, hull_top + 2 * scale)], carve_col, 4 * scale)
    for hx, hy in hands:
        # the shaft runs from the handle, over the gunwale, out and down to the stern side
        dx, dy = 30 * scale, 60 * scale
        t_surface = (water_y + 26 * scale - hy) / dy
        surface = (hx + dx * t_surface, hy + dy * t_surface)
        tip = (hx + dx * (t_surface + 0.55), hy + dy * (t_surface + 0.55))
        c.line([(hx - 8 * scale, hy - 16 * scale), surface], body_col, 7 * scale)
        c.line([surface, tip], carve_col, 6 * scale)
        c.poly(rot(tip[0], tip[1], 16 * scale, 46 * scale, -math.degrees(math.atan2(dx, dy))), carve_col)


def fig_same_boat():
    rng = random.Random(3)
    W, H = 1260, 760
    c = Canvas(W, H, PAPER)
    horizon = 470
    # rays of the rising sun
    for i in range(-2, 23):
        a = math.pi + math.pi * i / 20
        r0, r1 = 270, 1100
        c.line([(830 + r0 * math.cos(a), horizon + r0 * math.sin(a)),
                (830 + r1 * math.cos(a), horizon + r1 * math.sin(a))], RED_PALE, 9)
    carved_sun(c, 830, horizon, 230, RED, PAPER, 330, 24, 3, 13)
    # the sea
    c.rect([0, horizon, W, H], fill=CHAR)
    waves(c, rng, horizon + 18, H, 0, W, PAPER_DARK, spacing=30, amp=4, width=3)
    for i in range(9):  # the sun's reflection
        y = horizon + 18 + i * 22
        half = 170 - i * 16 + rng.uniform(-10, 10)
        c.line([(830 - half, y), (830 + half, y)], RED_LIGHT, 5)
    boat_scene(c, rng, 560, 560, 760, 7, RED, CHAR, CHAR, PAPER, scale=1.05)
    # a frame, as on a printed block
    c.rect([14, 14, W - 14, H - 14], outline=CHAR, width=6)
    save(c.finish(rng), "same-boat.jpg")


def fig_book_cover():
    rng = random.Random(1)
    W, H = 1260, 860
    c = Canvas(W, H, PAPER_DARK)
    # table surface with a faint grain of long strokes
    for _ in range(70):
        y = rng.uniform(0, H)
        x = rng.uniform(-200, W)
        c.line([(x, y), (x + rng.uniform(150, 500), y + rng.uniform(-3, 3))], (212, 200, 178), rng.uniform(1, 3))
    bx0, by0, bx1, by1 = 395, 60, 875, 800
    c.shadow([bx0, by0, bx1 + 14, by1], offset=(18, 20), blur=16, opacity=120)
    # page block and back cover showing at the fore-edge
    c.rect([bx0 + 8, by0 + 8, bx1 + 14, by1 - 4], fill=RED_DARK)
    c.rect([bx1 - 4, by0 + 14, bx1 + 8, by1 - 10], fill=PAPER)
    for i in range(8):
        x = bx1 - 2 + i * 1.4
        c.line([(x, by0 + 16), (x, by1 - 12)], PAPER_DARK, 0.6)
    # front cover
    c.rect([bx0, by0, bx1, by1], fill=RED)
    c.rect([bx0, by0, bx0 + 16, by1], fill=RED_DARK)  # hinge
    c.rect([bx0 + 44, by0 + 40, bx1 - 28, by1 - 40], outline=PAPER, width=2.5)
    c.rect([bx0 + 54, by0 + 50, bx1 - 38, by1 - 50], outline=PAPER, width=1)
    mid = (bx0 + 16 + bx1) / 2 + 4
    f_big = font("EBGaramond12-Regular.ttf", 41)
    f_small = font("EBGaramond12-Regular.ttf", 25)
    c.spaced(mid, 176, "REVOLUTIONARY", f_big, PAPER, tracking=3)
    c.spaced(mid, 236, "PHILOSOPHY", f_big, PAPER, tracking=6)
    c.text((mid, 288), "of", font("EBGaramond12-Italic.ttf", 34), PAPER, anchor="ms")
    c.spaced(mid, 350, "MARXISM", font("EBGaramond12-Regular.ttf", 50), PAPER, tracking=10)
    c.line([(mid - 90, 382), (mid + 90, 382)], PAPER, 2)
    # emblem: an open book beneath a rising sun, cut in paper and charcoal
    ex, ey = mid, 600
    for i in range(13):
        a = math.pi + math.pi * (i + 0.5) / 13
        c.line([(ex + 86 * math.cos(a), ey + 86 * math.sin(a)),
                (ex + 150 * math.cos(a), ey + 150 * math.sin(a))], PAPER, 6)
    c.d.pieslice([(ex - 74) * S, (ey - 74) * S, (ex + 74) * S, (ey + 74) * S], 180, 360, fill=PAPER)
    c.poly([(ex - 150, ey + 4), (ex, ey + 30), (ex + 150, ey + 4), (ex + 150, ey + 70), (ex, ey + 96),
            (ex - 150, ey + 70)], CHAR)
    c.line([(ex, ey + 30), (ex, ey + 96)], PAPER, 3)
    for k in range(3):
        yy = ey + 44 + k * 12
        c.line([(ex - 130, yy - 12 + k), (ex - 16, yy + 10)], CHAR_LIGHT, 2)
        c.line([(ex + 16, yy + 10), (ex + 130, yy - 12 + k)], CHAR_LIGHT, 2)
    c.spaced(mid, by1 - 80, "A MARXIST CLASSIC", f_small, PAPER_DARK, tracking=5)
    # a pencil lying beside the book
    c.poly(rot(240, 690, 300, 16, -28), (196, 150, 64))
    tipx, tipy = 240 + 150 * math.cos(math.radians(-28)), 690 + 150 * math.sin(math.radians(-28))
    c.poly([(tipx - 4, tipy - 8), (tipx + 4, tipy + 7), (tipx + 26, tipy - 11)], (222, 196, 150))
    save(c.finish(rng, grain=5), "revolutionary-philosophy.jpg")


def person(c: Canvas, x, base, r, col, rng, lean=0.0):
    """Head-and-shoulders silhouette seen from behind."""
    sh_w = r * 2.6
    c.ellipse([x - sh_w / 2, base - r * 1.3, x + sh_w / 2, base + r * 2.2], fill=col)
    c.circle(x + lean, base - r * 1.55, r, fill=col)


def fig_lecture_hall():
    rng = random.Random(2)
    W, H = 1260, 780
    c = Canvas(W, H, RED_DARK)
    # spotlight on the back wall
    glow = Image.new("L", c.im.size, 0)
    ImageDraw.Draw(glow).ellipse([250 * S, 60 * S, 660 * S, 560 * S], fill=255)
    glow = glow.filter(ImageFilter.GaussianBlur(60 * S))
    c.im.paste(Image.new("RGB", c.im.size, RED_LIGHT), (0, 0), glow)
    # projection screen
    c.rect([740, 80, 1170, 330], fill=PAPER_DARK)
    c.rect([740, 80, 1170, 126], fill=RED)
    for k in range(5):
        c.line([(772, 160 + k * 30), (772 + rng.uniform(220, 360), 160 + k * 30)], CHAR_LIGHT, 6)
    c.rect([740, 330, 1170, 338], fill=INK)
    # stage
    c.rect([0, 500, W, 560], fill=CHAR)
    c.line([(0, 500), (W, 500)], RED_LIGHT, 3)
    # speaker behind a lectern
    c.circle(450, 262, 34, fill=INK)
    c.poly([(372, 420), (392, 316), (450, 296), (508, 316), (528, 420)], INK)
    c.line([(500, 318), (566, 268), (580, 222)], INK, 22)
    c.circle(582, 214, 17, fill=INK)
    c.poly([(370, 380), (530, 380), (512, 500), (388, 500)], INK)
    c.rect([362, 368, 538, 386], fill=INK)
    c.line([(430, 366), (410, 334)], INK, 4)  # microphone
    # audience, back rows first
    rows = [(610, 23, CHAR_LIGHT, 60), (668, 30, CHAR, 78), (742, 40, (30, 29, 31), 104), (830, 54, INK, 140)]
    for base, r, col, step in rows:
        x = rng.uniform(-step / 2, 0)
        while x < W + step:
            person(c, x + rng.uniform(-8, 8), base + rng.uniform(-6, 6), r * rng.uniform(0.9, 1.08), col, rng,
                   lean=rng.uniform(-4, 4))
            x += step * rng.uniform(0.92, 1.1)
    save(c.finish(rng, grain=6), "lecture-hall.jpg")


def fig_night_shift():
    rng = random.Random(4)
    W, H = 1260, 800
    NIGHT = (31, 31, 36)
    c = Canvas(W, H, NIGHT)
    for _ in range(140):
        x, y = rng.uniform(0, W), rng.uniform(0, 420)
        c.circle(x, y, rng.choice((1.2, 1.6, 2.2)), fill=PAPER_DARK)
    for _ in range(26):  # carved streaks in the sky
        x, y = rng.uniform(-100, W), rng.uniform(20, 380)
        c.line([(x, y), (x + rng.uniform(60, 200), y)], (46, 45, 52), 3)
    c.circle(1080, 130, 60, fill=PAPER)
    c.circle(1106, 112, 56, fill=NIGHT)
    building = (70, 68, 72)
    win_dark = (48, 47, 51)
    blocks = [(150, 430, 450, 800, 6, 9), (420, 170, 770, 800, 8, 18), (740, 350, 1090, 800, 7, 12)]
    for x0, y0, x1, y1, cols, rows in blocks:
        c.rect([x0, y0, x1, y1], fill=building)
        c.rect([x0, y0, x1, y0 + 10], fill=CHAR_LIGHT)
        mx, my = 26, 40
        cw = (x1 - x0 - 2 * mx) / cols
        rh = (y1 - y0 - my - 20) / rows
        for j in range(rows):
            for i in range(cols):
                lit = rng.random() < (0.28 if j < rows - 3 else 0.5)
                col = PAPER if lit else win_dark
                if lit and rng.random() < 0.15:
                    col = RED_PALE
                wx, wy = x0 + mx + i * cw, y0 + my + j * rh
                c.rect([wx + 5, wy + 6, wx + cw - 5, wy + rh - 6], fill=col)
    # rooftop sign: a red cross
    c.rect([560, 120, 630, 170], fill=building)
    c.rect([580, 78, 610, 158], fill=RED)
    c.rect([555, 103, 635, 133], fill=RED)
    # emergency entrance
    c.rect([780, 600, 1050, 648], fill=RED)
    c.text((915, 634), "EMERGENCY", font("EBGaramond12-Bold.ttf", 34), PAPER, anchor="ms")
    # parking structure in the foreground
    c.rect([0, 670, W, H], fill=INK)
    for k, y in enumerate((694, 742)):
        c.rect([0, y, W, y + 22], fill=CHAR)
        for _ in range(7):
            x = rng.uniform(0, W - 60)
            c.rect([x, y + 4, x + 52, y + 20], fill=CHAR_LIGHT, radius=5)
    for x in range(0, W, 180):
        c.rect([x, 670, x + 16, H], fill=INK)
    c.circle(300, 758, 5, fill=PAPER)
    c.circle(324, 758, 5, fill=PAPER)
    save(c.finish(rng, grain=6), "night-shift.jpg")


def cup(c: Canvas, x, y, ang):
    c.circle(x, y, 52, fill=PAPER_DARK, outline=CHAR, width=2.5)
    hx, hy = x + 46 * math.cos(ang), y + 46 * math.sin(ang)
    c.line([(x, y), (hx, hy)], CHAR, 18)
    c.line([(x, y), (hx, hy)], PAPER, 11)
    c.circle(x, y, 36, fill=PAPER, outline=CHAR, width=2.5)
    c.circle(x, y, 28, fill=(74, 46, 34))


def open_book(c: Canvas, rng, cx, cy, ang, w=300, h=200):
    c.poly(rot(cx + 4, cy + 5, w + 14, h + 12, ang), CHAR)
    c.poly(rot(cx, cy, w, h, ang), PAPER)
    a = math.radians(ang)
    ux, uy = math.cos(a), math.sin(a)   # along the spread
    vx, vy = -math.sin(a), math.cos(a)  # down the page
    c.line([(cx - vx * h / 2, cy - vy * h / 2), (cx + vx * h / 2, cy + vy * h / 2)], CHAR_LIGHT, 2.5)
    for side in (-1, 1):
        for k in range(9):
            off = -h / 2 + 26 + k * 18
            start = side * 18
            end = side * (w / 2 - 20) * (rng.uniform(0.55, 1.0) if k in (4, 8) else 1)
            p0 = (cx + ux * start + vx * off, cy + uy * start + vy * off)
            p1 = (cx + ux * end + vx * off, cy + uy * end + vy * off)
            c.line([p0, p1], (150, 144, 136), 3)


def fig_reading_group():
    rng = random.Random(5)
    W, H = 1260, 800
    c = Canvas(W, H, RED)
    for i in range(-20, 40):  # carved diagonal floor lines
        x = i * 46
        c.line([(x, 0), (x + 420, H)], RED_DARK, 4)
    # booth seats and table, seen from above
    c.rect([120, 30, 1140, 150], fill=CHAR, radius=30)
    c.rect([120, 650, 1140, 770], fill=CHAR, radius=30)
    c.rect([150, 130, 1110, 672], fill=INK, radius=36)
    c.rect([160, 120, 1100, 660], fill=PAPER, radius=36, outline=CHAR, width=3)
    c.line([(190, 390), (1070, 390)], PAPER_DARK, 2)
    open_book(c, rng, 420, 270, -6)
    open_book(c, rng, 800, 510, 8, 320, 210)
    open_book(c, rng, 330, 520, 4, 260, 176)
    # a closed red paperback and a notepad with a pencil
    c.poly(rot(770, 250, 150, 230, -14), RED_DARK)
    c.poly(rot(766, 246, 150, 230, -14), RED)
    c.poly(rot(762, 200, 110, 36, -14), PAPER)
    c.poly(rot(1000, 420, 120, 160, 10), PAPER_DARK)
    c.poly(rot(1000, 420, 120, 160, 10), None, outline=CHAR_LIGHT, width=2)
    for k in range(6):
        yy = 370 + k * 20
        c.line([(950 + k * 3.4, yy), (1040 + k * 3.4, yy + 16)], (170, 160, 150), 2)
    c.poly(rot(1004, 450, 170, 10, 62), (196, 150, 64))
    # five coffee cups, one per reader
    for (x, y), ang in zip([(240, 200), (610, 190), (1010, 210), (560, 600), (1020, 590)],
                           [0.3, 2.4, 2.9, -0.4, 3.6]):
        cup(c, x, y, ang)
    # a plate of pancakes
    c.circle(200, 380, 60, fill=PAPER_DARK, outline=CHAR, width=2.5)
    c.circle(200, 380, 42, fill=(206, 160, 100))
    c.circle(196, 376, 36, fill=(222, 178, 116))
    c.rect([188, 366, 208, 384], fill=PAPER, radius=3)
    save(c.finish(rng, grain=6), "reading-group.jpg")


def placard(c: Canvas, x, top, w, h, words, fnt, pole_col):
    c.line([(x, top + h), (x, top + h + 120)], pole_col, 7)
    c.rect([x - w / 2, top, x + w / 2, top + h], fill=PAPER, outline=INK, width=3)
    lines = words.split("|")
    for i, ln in enumerate(lines):
        yy = top + h / 2 + (i - (len(lines) - 1) / 2) * fnt.size / S * 1.02
        c.text((x, yy), ln, fnt, RED, anchor="mm")


def fig_rally():
    rng = random.Random(6)
    W, H = 1260, 800
    c = Canvas(W, H, PAPER)
    bands = [PAPER, (240, 226, 210), (236, 212, 196), (232, 198, 182), RED_PALE]
    for i, col in enumerate(bands):
        c.rect([0, 90 * i, W, 90 * (i + 1) + 2], fill=col)
    carved_sun(c, 960, 420, 130, RED_LIGHT, RED_PALE, 350, 14, 2, 8)
    # depot: a long low warehouse behind a fence
    c.rect([0, 420, W, 600], fill=CHAR_LIGHT)
    c.rect([0, 410, W, 424], fill=CHAR)
    for x in range(40, W, 150):
        c.rect([x, 470, x + 96, 600], fill=CHAR)
        for k in range(1, 6):
            c.line([(x, 470 + k * 21), (x + 96, 470 + k * 21)], CHAR_LIGHT, 2)
    c.rect([0, 500, W, 508], fill=INK)
    for x in range(0, W, 22):
        c.line([(x, 502), (x, 620)], INK, 3)
    c.rect([0, 600, W, H], fill=CHAR)
    f = font("EBGaramond12-Bold.ttf", 30)
    # crowd in three depths
    for base, r, col, step in [(600, 20, CHAR, 36), (670, 28, (30, 29, 31), 52), (780, 42, INK, 84)]:
        x = rng.uniform(-step, 0)
        while x < W + step:
            person(c, x, base + rng.uniform(-10, 10), r * rng.uniform(0.85, 1.12), col, rng, rng.uniform(-5, 5))
            x += step * rng.uniform(0.8, 1.15)
    # raised fists over the crowd, against the sky
    for x, y, sz in [(120, 400, 1.1), (580, 380, 1.2), (880, 410, 1.05), (1180, 396, 1.0)]:
        c.line([(x + 12 * sz, y + 200), (x, y + 20 * sz)], INK, 26 * sz)
        c.rect([x - 24 * sz, y - 24 * sz, x + 24 * sz, y + 30 * sz], fill=INK, radius=12 * sz)
        c.rect([x - 33 * sz, y - 2 * sz, x - 12 * sz, y + 22 * sz], fill=INK, radius=8 * sz)
        for k in range(1, 4):
            c.line([(x - 24 * sz + k * 12 * sz, y - 22 * sz), (x - 24 * sz + k * 12 * sz, y - 6 * sz)], CHAR_LIGHT, 2)
    placard(c, 310, 360, 190, 100, "UNION|YES", f, INK)
    placard(c, 740, 330, 220, 100, "REHIRE|ANDRE", f, INK)
    placard(c, 1030, 372, 176, 90, "WE ARE|ONE", f, INK)
    # the speaker in the foreground, raising a bullhorn
    person(c, 400, 790, 50, INK, rng, lean=-4)
    c.line([(446, 736), (478, 640), (470, 560)], INK, 26)
    hx, hy, bx, by = 500, 540, 350, 470  # mouthpiece by the hand, bell up and to the left
    ang = math.atan2(by - hy, bx - hx)
    ux, uy = math.cos(ang), math.sin(ang)
    nx, ny = -uy, ux
    c.poly([(hx + nx * 13, hy + ny * 13), (bx + nx * 40, by + ny * 40),
            (bx - nx * 40, by - ny * 40), (hx - nx * 13, hy - ny * 13)], INK)
    c.line([(hx - ux * 10, hy - uy * 10), (hx + ux * 8, hy + uy * 8)], INK, 30)
    c.line([(hx + ux * 40 - nx * 12, hy + uy * 40 - ny * 12), (hx + ux * 40 - nx * 48, hy + uy * 40 - ny * 48)],
           INK, 14)  # handle
    c.line([(bx + nx * 40, by + ny * 40), (bx - nx * 40, by - ny * 40)], PAPER_DARK, 5)
    c.rect([0, H - 10, W, H], fill=INK)
    save(c.finish(rng, grain=6), "rally.jpg")


def fig_cards_chart():
    rng = random.Random(7)
    W, H = 1260, 800
    c = Canvas(W, H, PAPER)
    data = [6, 13, 22, 34, 41, 50, 63, 74, 82, 89]
    total, majority = 140, 71
    x0, x1, y0, y1 = 150, 1200, 680, 150  # plot area (y0 bottom)
    vmax = 100

    def Y(v):
        return y0 - (y0 - y1) * v / vmax

    f_title = font("EBGaramond12-Regular.ttf", 40)
    f_lab = font("EBGaramond12-Regular.ttf", 27)
    f_small = font("EBGaramond12-Italic.ttf", 25)
    f_val = font("EBGaramond12-Bold.ttf", 25)
    c.text((x0 - 100, 64), "Signed union cards, cumulative, by week", f_title, CHAR)
    c.text((x0 - 100, 104), "Parcel depot, 140 workers. Illustrative figures.", f_small, CHAR_LIGHT)
    for v in range(0, vmax + 1, 20):
        c.line([(x0, Y(v)), (x1, Y(v))], PAPER_DARK if v else CHAR, 2 if v else 3)
        c.text((x0 - 14, Y(v)), str(v), f_lab, CHAR, anchor="rm")
    n = len(data)
    slot = (x1 - x0) / n
    for i, v in enumerate(data):
        bx = x0 + i * slot + slot * 0.16
        col = RED if v >= majority else RED_LIGHT
        c.rect([bx, Y(v), bx + slot * 0.68, y0 - 1.5], fill=col)
        c.text((bx + slot * 0.34, Y(v) - 10), str(v), f_val, CHAR, anchor="ms")
        c.text((bx + slot * 0.34, y0 + 34), str(i + 1), f_lab, CHAR, anchor="ms")
    # dashed majority line
    x = x0
    while x < x1:
        c.line([(x, Y(majority)), (min(x + 18, x1), Y(majority))], CHAR, 3)
        x += 30
    c.text((x0 + 12, Y(majority) - 12), f"Majority: {majority} of {total}", f_small, CHAR, anchor="ls")
    c.text(((x0 + x1) / 2, y0 + 84), "Week of the campaign", f_lab, CHAR, anchor="ms")
    ylab = Image.new("L", (420 * S, 50 * S), 0)
    ImageDraw.Draw(ylab).text((210 * S, 25 * S), "Cards signed", font=f_lab, fill=255, anchor="mm")
    ylab = ylab.rotate(90, expand=True)
    c.im.paste(Image.new("RGB", ylab.size, CHAR), (round(40 * S - ylab.width / 2), round((y0 + y1) / 2 * S - ylab.height / 2)), ylab)
    save(c.finish(rng, grain=3), "cards-chart.jpg")


def fig_steel_mill():
    rng = random.Random(8)
    W, H = 1260, 760
    c = Canvas(W, H, PAPER)
    for k in range(16):  # carved lines in the sky
        y = 40 + k * 26
        x = rng.uniform(-50, 200)
        while x < W:
            ln = rng.uniform(120, 420)
            c.line([(x, y), (x + ln, y)], PAPER_DARK, 3)
            x += ln + rng.uniform(40, 140)
    carved_sun(c, 300, 470, 160, RED, PAPER, 400, 18, 2, 10)
    smoke = (198, 190, 178)
    horizon = 560
    # smoke first, so the stacks stand in front of it
    stacks = [(640, 150, 26), (690, 130, 26), (740, 160, 26), (1010, 210, 22), (1050, 230, 22)]
    for sx, top, w in stacks:
        x, y, r = sx + w / 2, top - 10, 20
        for k in range(9):
            c.circle(x, y, r, fill=smoke)
            x += 22 + k * 4
            y -= 10 - k * 0.6
            r += 5
    mill = []
    mill.append([(0, 430), (240, 430), (240, horizon), (0, horizon)])
    mill.append([(220, 380), (560, 380), (560, horizon), (220, horizon)])
    mill.append([(200, 380), (390, 330), (580, 380)])
    for sx, top, w in stacks:
        mill.append([(sx, top), (sx + w, top), (sx + w + 6, horizon), (sx - 6, horizon)])
    mill.append([(600, 300), (800, 300), (800, horizon), (600, horizon)])
    # blast furnace and hot stoves
    mill.append([(830, 120), (870, 120), (900, 250), (920, horizon), (780, horizon), (800, 250)])
    for i, sx in enumerate((930, 985, 1040)):
        mill.append([(sx, 270), (sx + 44, 270), (sx + 44, horizon), (sx, horizon)])
        c.circle(sx + 22, 270, 22, fill=CHAR)
    mill.append([(1090, 400), (W, 400), (W, horizon), (1090, horizon)])
    for pts in mill:
        c.poly(rough(pts, rng, 1.4), CHAR)
    c.line([(850, 180), (950, 180), (1060, 270)], CHAR, 10)
    c.line([(900, 250), (1080, 250)], CHAR, 8)
    # gantry crane (open truss)
    gx0, gx1, gy = 60, 520, 300
    c.line([(gx0, gy), (gx1, gy)], CHAR, 10)
    c.line([(gx0, gy + 36), (gx1, gy + 36)], CHAR, 8)
    for x in range(gx0, gx1, 36):
        c.line([(x, gy), (x + 36, gy + 36)], CHAR, 4)
        c.line([(x, gy), (x, gy + 36)], CHAR, 4)
    c.poly([(80, gy + 36), (110, gy + 36), (140, horizon), (50, horizon)], CHAR)
    c.line([(380, gy + 36), (380, 400)], CHAR, 3)
    c.rect([364, 400, 396, 420], fill=CHAR)
    for x in range(250, 560, 40):  # lit openings in the sheds
        c.rect([x, 470, x + 16, 500], fill=RED_LIGHT)
    # lake in front, with the sun's reflection
    c.rect([0, horizon, W, H], fill=INK)
    waves(c, rng, horizon + 16, H, 0, W, CHAR_LIGHT, spacing=26, amp=3, width=3)
    for i in range(8):
        y = horizon + 14 + i * 22
        half = 130 - i * 12 + rng.uniform(-10, 10)
        c.line([(300 - half, y), (300 + half, y)], RED, 5)
    c.rect([14, 14, W - 14, H - 14], outline=CHAR, width=6)
    save(c.finish(rng, grain=6), "steel-mill.jpg")


def fist(c: Canvas, x, y, s, body, carve, cuff, cuff_line, old=False):
    """A raised fist seen from the palm side: forearm, curled fingers, thumb."""
    c.poly([(x - 62 * s, 900), (x + 62 * s, 900), (x + 56 * s, y + 190 * s), (x - 56 * s, y + 190 * s)], body)
    c.rect([x - 68 * s, y + 170 * s, x + 68 * s, y + 250 * s], fill=cuff, radius=8 * s)
    for k in range(1, 4):
        c.line([(x - 68 * s, y + 170 * s + k * 20 * s), (x + 68 * s, y + 170 * s + k * 20 * s)], cuff_line, 3 * s)
    c.rect([x - 92 * s, y - 10 * s, x + 92 * s, y + 190 * s], fill=body, radius=44 * s)
    fw = 184 * s / 4
    for i in range(4):
        fx = x - 92 * s + i * fw
        c.rect([fx + 2 * s, y - 40 * s, fx + fw - 2 * s, y + 70 * s], fill=body, radius=20 * s)
        c.line([(fx + fw, y - 20 * s), (fx + fw, y + 60 * s)], carve, 4 * s) if i < 3 else None
        c.line([(fx + 10 * s, y + 8 * s), (fx + fw - 10 * s, y + 8 * s)], carve, 3 * s)
    # thumb across the middle fingers
    c.poly([(x - 96 * s, y + 100 * s), (x + 30 * s, y + 60 * s), (x + 50 * s, y + 92 * s),
            (x - 80 * s, y + 150 * s)], body)
    c.line([(x - 80 * s, y + 100 * s), (x + 36 * s, y + 66 * s)], carve, 4 * s)
    if old:  # weathered: knuckle creases and a scar
        for i in range(4):
            fx = x - 92 * s + i * fw + fw / 2
            c.line([(fx - 10 * s, y - 22 * s), (fx + 8 * s, y - 26 * s)], carve, 2.5 * s)
        c.line([(x - 30 * s, y + 130 * s), (x + 40 * s, y + 150 * s)], carve, 2.5 * s)
        c.line([(x + 54 * s, y + 120 * s), (x + 78 * s, y + 160 * s)], carve, 2.5 * s)


def fig_fists():
    rng = random.Random(9)
    W, H = 1260, 860
    c = Canvas(W, H, RED)
    sunburst(c, 630, 1000, 44, 1700, RED, RED_LIGHT, start=0.01)
    c.circle(630, 1000, 420, fill=RED_DARK)
    fist(c, 470, 250, 1.25, CHAR, PAPER_DARK, PAPER_DARK, RED, old=True)
    fist(c, 800, 330, 1.0, PAPER, CHAR_LIGHT, RED_DARK, RED_LIGHT)
    c.rect([0, 744, W, H], fill=INK)
    c.spaced(W / 2, 818, "TWO GENERATIONS \u00b7 ONE CLASS", font("EBGaramond12-Regular.ttf", 50), PAPER, tracking=9)
    save(c.finish(rng, grain=6), "fists.jpg")


# --------------------------------------------------------------------------- cover

def cover():
    rng = random.Random(10)
    W, H = 1800, 2700
    c = Canvas(W, H, RED)
    horizon = 1800
    sunburst(c, 900, horizon, 48, 2600, RED, RED_LIGHT, start=0.02)
    carved_sun(c, 900, horizon, 420, PAPER, RED, 1560, 34, 4, 22)
    c.rect([0, 0, W, 960], fill=RED)
    c.rect([0, 960, W, 972], fill=PAPER)
    c.rect([0, horizon, W, H], fill=CHAR)
    waves(c, rng, horizon + 30, 2460, 0, W, PAPER_DARK, spacing=54, amp=6, width=5)
    boat_scene(c, rng, 880, 1930, 1160, 7, RED_DARK, INK, CHAR, PAPER, scale=1.55)
    # lettering
    c.spaced(W / 2, 150, "THE WHY I JOINED SERIES", font("EBGaramond12-Regular.ttf", 46), PAPER_DARK, tracking=10)
    c.line([(W / 2 - 120, 196), (W / 2 + 120, 196)], PAPER_DARK, 3)
    f_title = font("EBGaramond12-Regular.ttf", 300)
    c.spaced(W / 2, 480, "WHY WE", f_title, PAPER, tracking=18)
    c.spaced(W / 2, 760, "JOINED", f_title, PAPER, tracking=18)
    f_sub = font("EBGaramond12-Italic.ttf", 66)
    c.text((W / 2, 880), "Working People on the Road to Revolutionary Socialism", f_sub, PAPER, anchor="ms")
    c.rect([0, 2460, W, H], fill=INK)
    c.text((W / 2, 2560), "Edited by Siobh\u00e1n Carey & Joel Adeyemi", font("EBGaramond12-Regular.ttf", 64),
           PAPER, anchor="ms")
    c.spaced(W / 2, 2640, "RED LANTERN PRESS", font("EBGaramond12-Regular.ttf", 40), RED_LIGHT, tracking=12)
    save(c.finish(rng, grain=2, cell=24, scale=COVER_SCALE), "cover.jpg")


ALL = [fig_book_cover, fig_lecture_hall, fig_same_boat, fig_night_shift, fig_reading_group,
       fig_rally, fig_cards_chart, fig_steel_mill, fig_fists, cover]

if __name__ == "__main__":
    for make in ALL:
        make()
    for p in sorted(HERE.glob("*.jpg")):
        with Image.open(p) as im:
            print(f"{p.name:28} {im.size[0]}x{im.size[1]}  {p.stat().st_size // 1024} KB")
