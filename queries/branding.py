"""The workspace's brand: company name, two colours (settings) and a logo (table brand_logo).

Validation returns error codes, not sentences (``branding.error.<code>`` in the catalogues),
and an invalid input changes nothing. The logo is re-encoded as a PNG no larger than
``LOGO_MAX_SIDE`` pixels, so only pixels reach the workspace, the packs and the slides.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

from queries.workspace import Workspace

# The two engines' colours are part of every brand: whatever the company's colours, pull is
# teal and push orange on every chart (components/charts/theme.py draws with these), so a brand
# colour close to one of them is warned about here.
PULL_COLOR = "#1B9E8A"  # marketing, the pull engine: teal, everywhere
PUSH_COLOR = "#E8702A"  # sales, the push engine: orange, everywhere
OVERALL_COLOR = "#2F3E4E"

DEFAULT_BRAND_PRIMARY = OVERALL_COLOR
DEFAULT_BRAND_SECONDARY = "#4C6EF5"
TEXT_COLOR = "#1F2933"


@dataclass(frozen=True)
class Brand:
    company: str = "Flywheel"
    primary: str = DEFAULT_BRAND_PRIMARY  # titles and headings
    secondary: str = DEFAULT_BRAND_SECONDARY  # accents: the takeaway bar, rules
    logo_png: bytes | None = field(default=None, repr=False)

    @property
    def title_color(self) -> str:
        """The primary colour where it reads on white (WCAG 3:1 for large text), else ink."""
        return self.primary if contrast_ratio(self.primary, "#FFFFFF") >= 3.0 else TEXT_COLOR


def _luminance(hex_color: str) -> float:
    """WCAG relative luminance of ``#RRGGBB``."""
    channels = [int(hex_color[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast_ratio(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def colour_distance(a: str, b: str) -> float:
    """Plain RGB distance (0..441): small means the two are easily confused on a chart."""
    return sum((int(a[i : i + 2], 16) - int(b[i : i + 2], 16)) ** 2 for i in (1, 3, 5)) ** 0.5


COLOUR_KEYS = ("brand_primary", "brand_secondary")
LOGO_MAX_BYTES = 1_000_000  # 1 MB upload
LOGO_MAX_PIXELS = 25_000_000  # refuse decompression bombs before decoding
LOGO_MIN_SIDE = 16
LOGO_MAX_SIDE = 600  # stored size: sharp on a slide, small in every pack
LOGO_TYPES = {"png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg"}
_HEX = re.compile(r"#?([0-9a-fA-F]{6}|[0-9a-fA-F]{3})")
# Closer than this (RGB distance) to the pull or push colour and a brand colour could be read
# as an engine on a chart: allowed, with a warning.
CONFUSABLE_DISTANCE = 60.0


@dataclass(frozen=True)
class BrandIssue:
    field: str  # brand_primary, brand_secondary or logo
    code: str  # the page shows t(f"branding.error.{code}") / t(f"branding.warning.{code}")
    value: str = ""


def normalise_colour(text: str) -> str | None:
    """``#RRGGBB`` in capitals from ``#rgb``, ``rgb``, ``#rrggbb`` or ``rrggbb``; else None."""
    m = _HEX.fullmatch(text.strip())
    if not m:
        return None
    digits = m.group(1).upper()
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    return "#" + digits


def validate_colours(
    values: dict[str, str],
) -> tuple[dict[str, str], list[BrandIssue], list[BrandIssue]]:
    """(values to store, errors, warnings) for ``brand_primary`` and ``brand_secondary``."""
    out: dict[str, str] = {}
    errors: list[BrandIssue] = []
    warnings: list[BrandIssue] = []
    for key in COLOUR_KEYS:
        raw = str(values.get(key) or "")
        colour = normalise_colour(raw)
        if colour is None:
            errors.append(BrandIssue(key, "colour_invalid", raw))
            continue
        out[key] = colour
        for engine, engine_colour in (("pull", PULL_COLOR), ("push", PUSH_COLOR)):
            if colour_distance(colour, engine_colour) < CONFUSABLE_DISTANCE:
                warnings.append(BrandIssue(key, f"close_to_{engine}", colour))
    return out, errors, warnings


@dataclass(frozen=True)
class Logo:
    png: bytes
    width: int
    height: int
    file_name: str


def validate_logo(file_name: str, content: bytes) -> tuple[Logo | None, list[BrandIssue]]:
    """Check an uploaded logo (type by name and by content, size, dimensions) and re-encode it
    as a PNG at most LOGO_MAX_SIDE pixels on its longer side."""
    from PIL import Image, UnidentifiedImageError

    ext = file_name.rsplit(".", 1)[-1].lower() if "." in file_name else ""
    if ext not in LOGO_TYPES:
        return None, [BrandIssue("logo", "logo_type", ext or file_name)]
    if len(content) > LOGO_MAX_BYTES:
        return None, [BrandIssue("logo", "logo_too_big", f"{len(content) / 1e6:.1f} MB")]
    if not content:
        return None, [BrandIssue("logo", "logo_unreadable", file_name)]
    try:
        with Image.open(io.BytesIO(content)) as probe:
            fmt = probe.format
            width, height = probe.size
        if fmt not in ("PNG", "JPEG"):
            return None, [BrandIssue("logo", "logo_type", str(fmt))]
        if width * height > LOGO_MAX_PIXELS:
            return None, [BrandIssue("logo", "logo_too_many_pixels", f"{width}×{height}")]
        if min(width, height) < LOGO_MIN_SIDE:
            return None, [BrandIssue("logo", "logo_too_small", f"{width}×{height}")]
        with Image.open(io.BytesIO(content)) as img:
            img.load()
            img = img.convert("RGBA")
            img.thumbnail((LOGO_MAX_SIDE, LOGO_MAX_SIDE))
            buffer = io.BytesIO()
            img.save(buffer, format="PNG", optimize=True)
            size = img.size
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return None, [BrandIssue("logo", "logo_unreadable", file_name)]
    return Logo(buffer.getvalue(), size[0], size[1], file_name[:200]), []


# -- reading and writing ----------------------------------------------------------------------
def read_logo(ws: Workspace) -> bytes | None:
    """The logo as PNG bytes, or None."""
    cur = ws.cursor()
    try:
        row = cur.execute(
            "select content from brand_logo order by uploaded_at desc limit 1"
        ).fetchone()
    finally:
        cur.close()
    return bytes(row[0]) if row else None


def brand(ws: Workspace) -> Brand:
    """The workspace's brand; defaults where nothing (or something invalid) is stored."""
    s = ws.settings()
    return Brand(
        company=(s.get("company_name") or "").strip() or ws.path.stem,
        primary=normalise_colour(s.get("brand_primary") or "") or DEFAULT_BRAND_PRIMARY,
        secondary=normalise_colour(s.get("brand_secondary") or "") or DEFAULT_BRAND_SECONDARY,
        logo_png=read_logo(ws),
    )


def save_colours(ws: Workspace, colours: dict[str, str]) -> None:
    """Store validated colours in one transaction."""
    with ws.transaction() as cur:
        for key in COLOUR_KEYS:
            if key in colours:
                cur.execute(
                    "merge into settings using (select $key as key, $value as value) as new "
                    "on settings.key = new.key when matched then update set value = new.value "
                    "when not matched then insert (key, value) values (new.key, new.value)",
                    {"key": key, "value": colours[key]},
                )


def save_logo(ws: Workspace, logo: Logo) -> None:
    with ws.transaction() as cur:
        cur.execute("delete from brand_logo")
        cur.execute(
            "insert into brand_logo values ('image/png', $png, $w, $h, $name, "
            "current_timestamp::timestamp)",
            {"png": logo.png, "w": logo.width, "h": logo.height, "name": logo.file_name},
        )


def remove_logo(ws: Workspace) -> None:
    with ws.transaction() as cur:
        cur.execute("delete from brand_logo")


def reset_colours(ws: Workspace) -> None:
    with ws.transaction() as cur:
        cur.execute("delete from settings where key in ('brand_primary', 'brand_secondary')")
