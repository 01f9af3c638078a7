"""Print production for the interior: CMYK output intent, ink-only colours, print images, signatures.

WeasyPrint's PDF/X variants only write metadata (engine-notes §2): nothing converts
RGB. So the press gets a CMYK world: an ICC output intent from a Debian package, every
colour as the inks (`ink`: the interior as WeasyPrint draws it, engine/paint.py; the cover's
stylesheets rewritten as `device-cmyk()`), and images converted by Pillow into the
build's scratch folder (never the editor's files).
"""
from __future__ import annotations

import hashlib
from pathlib import Path

import tinycss2
from tinycss2 import color4

from ..errors import BuildError, SourceError

# Artifex's CMYK profile from Debian's libgs-common (installed by ./dev): packaged, never downloaded.
CMYK_PROFILE = Path("/usr/share/color/icc/ghostscript/default_cmyk.icc")
PDF_VARIANTS = {"x-4": "pdf/x-4", "x-1a": "pdf/x-1a"}
# WeasyPrint 70 crashes drawing device-cmyk() on these border styles (engine-notes §2): they become solid.
SHADED_BORDERS = {"inset", "outset", "groove", "ridge"}
COLOUR_FUNCTIONS = {"rgb", "rgba", "hsl", "hsla", "hwb", "lab", "lch", "oklab", "oklch", "color"}


def cmyk_profile() -> Path:
    if not CMYK_PROFILE.is_file():
        raise BuildError([SourceError(CMYK_PROFILE, "the CMYK output-intent profile is not installed",
                                      hint="run ./dev build once, or apt-get install libgs-common")])
    return CMYK_PROFILE


def output_intent_css() -> str:
    """`components` is required: without it WeasyPrint 70 crashes in generate_pdf (engine-notes §2)."""
    return (f'@color-profile device-cmyk {{ src: url("{cmyk_profile().as_uri()}"); '
            "components: cyan, magenta, yellow, black; }")


# ---- colours -------------------------------------------------------------------------------------

def ink_values(r: float, g: float, b: float, interior: str) -> tuple[float, float, float, float]:
    """An sRGB colour as the printer's inks (C, M, Y, K, 0–1, to three places): black ink only for a
    grey interior, naive CMYK for a colour one."""
    if interior == "grey":
        return 0.0, 0.0, 0.0, round(1 - (0.2126 * r + 0.7152 * g + 0.0722 * b), 3)
    k = 1 - max(r, g, b)
    if k >= 1:
        return 0.0, 0.0, 0.0, 1.0
    c, m, y = ((1 - v - k) / (1 - k) for v in (r, g, b))
    return round(c, 3), round(m, 3), round(y, 3), round(k, 3)


def ink(r: float, g: float, b: float, interior: str) -> str:
    """The same inks as a CSS colour."""
    c, m, y, k = ink_values(r, g, b, interior)
    if interior == "grey":
        return f"device-cmyk(0 0 0 {k:.3f})"
    return f"device-cmyk({c:.3f} {m:.3f} {y:.3f} {k:.3f})"


def _ink_tokens(tokens, interior: str) -> str:
    out = []
    for tok in tokens:
        if tok.type in ("ident", "hash") or (tok.type == "function" and tok.lower_name in COLOUR_FUNCTIONS):
            colour = color4.parse_color(tok)
            if isinstance(colour, color4.Color) and colour.alpha > 0:
                r, g, b = (min(1.0, max(0.0, v or 0.0)) for v in colour.to("srgb").coordinates)
                out.append(ink(r, g, b, interior))
                continue
            if tok.type == "ident" and tok.lower_value in SHADED_BORDERS:
                out.append("solid")
                continue
        if tok.type == "function":
            out.append(f"{tok.name}({_ink_tokens(tok.arguments, interior)})")
        else:
            out.append(tok.serialize())
    return "".join(out)


def _ink_block(content, interior: str) -> str:
    out = []
    for item in tinycss2.parse_blocks_contents(content):
        if item.type == "declaration":
            important = " !important" if item.important else ""
            out.append(f"{item.name}: {_ink_tokens(item.value, interior).strip()}{important};")
        elif item.type == "at-rule":
            out.append(f"@{item.at_keyword}{tinycss2.serialize(item.prelude)}"
                       + (f"{{ {_ink_block(item.content, interior)} }}" if item.content is not None else ";"))
        elif item.type == "qualified-rule":
            out.append(f"{tinycss2.serialize(item.prelude)}{{ {_ink_block(item.content, interior)} }}")
        elif item.type != "error":
            out.append(item.serialize())
    return " ".join(out)


GROUPING_RULES = {"media", "supports", "layer", "document"}


def ink_stylesheet(css: str, interior: str) -> str:
    """The stylesheet with every colour in declarations rewritten as device-cmyk(); selectors untouched."""
    out = []
    for rule in tinycss2.parse_stylesheet(css, skip_comments=True):
        if rule.type == "qualified-rule":
            out.append(f"{tinycss2.serialize(rule.prelude)}{{ {_ink_block(rule.content, interior)} }}")
        elif rule.type == "at-rule":
            prelude = tinycss2.serialize(rule.prelude)
            if rule.content is None:
                out.append(f"@{rule.at_keyword}{prelude};")
            elif rule.lower_at_keyword in GROUPING_RULES:
                out.append(f"@{rule.at_keyword}{prelude}{{ {ink_stylesheet(tinycss2.serialize(rule.content), interior)} }}")
            else:
                out.append(f"@{rule.at_keyword}{prelude}{{ {_ink_block(rule.content, interior)} }}")
        elif rule.type != "error":
            out.append(rule.serialize())
    return "\n".join(out)


def inked_stylesheets(paths: list[Path], folder: Path, interior: str) -> list[Path]:
    """Ink-only copies of the edition's stylesheets, written into the build's scratch folder."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for n, path in enumerate(paths):
        target = folder / f"{n:02d}-{path.name}"
        target.write_text(ink_stylesheet(path.read_text(encoding="utf-8"), interior), encoding="utf-8")
        out.append(target)
    return out


# ---- images --------------------------------------------------------------------------------------

def print_image(source: Path, folder: Path, interior: str) -> Path:
    """The image as the printer needs it: greyscale (grey interior) or CMYK through the output profile.

    Pixel size and resolution are kept, so the layout is the screen edition's.
    """
    from PIL import Image, ImageCms

    if source.suffix.lower() == ".svg":  # vector art is drawn, not converted: preflight judges its colours
        return source
    folder.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256(str(source).encode()).hexdigest()[:10]
    target = folder / f"{source.stem}-{digest}-{interior}.jpg"
    if target.exists():
        return target
    with Image.open(source) as im:
        dpi = im.info.get("dpi")
        im = im.convert("RGBA") if im.mode in ("P", "LA") else im
        if im.mode == "RGBA":  # flatten transparency onto paper white: PDF/X-1a allows none
            flat = Image.new("RGB", im.size, "white")
            flat.paste(im, mask=im.getchannel("A"))
            im = flat
        if interior == "grey":
            out = im.convert("L")
        else:
            srgb = ImageCms.createProfile("sRGB")
            out = ImageCms.profileToProfile(im.convert("RGB"), srgb, str(cmyk_profile()), outputMode="CMYK")
        out.save(target, "JPEG", quality=92, **({"dpi": dpi} if dpi else {}))
    return target

