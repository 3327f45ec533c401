"""Render laid-out pages as scanner images and write them as image-only files.

A page is drawn with Pillow at 300 dpi from the same ``PageLayout`` as the text
PDF, then degraded the way an office scanner degrades paper: a slight skew,
sensor noise and dust, JPEG artefacts, sometimes a page fed upside down.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from ingest.samples.layout import (
    PAGE_H,
    PAGE_W,
    PT_MM,
    PageLayout,
    Seal,
    font_path,
    text_width,
)

DPI = 300


@dataclass(frozen=True)
class ScanParams:
    """How a page was degraded; written to the truth file as ``scan``."""

    skew_deg: float
    rotation: int  # 0 or 180
    noise: float  # standard deviation of the gaussian noise, 0..1 of full scale
    jpeg_quality: int

    def as_truth(self) -> dict[str, float | int]:
        return {
            "skew_deg": round(self.skew_deg, 2),
            "rotation": self.rotation,
            "noise": round(self.noise, 3),
            "jpeg_quality": self.jpeg_quality,
        }


@lru_cache(maxsize=64)
def _font(style: str, px: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(font_path(style)), px)


def _px(mm: float, dpi: int) -> float:
    return mm / 25.4 * dpi


def render_page(page: PageLayout, dpi: int = DPI) -> Image.Image:
    """A clean greyscale image of ``page``."""
    image = Image.new("L", (round(_px(PAGE_W, dpi)), round(_px(PAGE_H, dpi))), 255)
    draw = ImageDraw.Draw(image)
    for rule in page.rules:
        y = _px(rule.y, dpi)
        draw.line([(_px(rule.x0, dpi), y), (_px(rule.x1, dpi), y)], fill=0, width=3)
    for line in page.lines:
        px = round(line.size * dpi / 72)
        # A red stamp scans as mid grey.
        ink = 90 if line.boxed else 0
        draw.text((_px(line.x, dpi), _px(line.y, dpi)), line.text, font=_font(line.style, px),
                  fill=ink, anchor="ls")  # fmt: skip
        if line.boxed:
            width = text_width(line.text, line.style, line.size)
            height = line.size * PT_MM
            box = (line.x - 2, line.y - height - 0.8, line.x + width + 2, line.y + 1.8)
            draw.rectangle([_px(v, dpi) for v in box], outline=ink, width=6)
    for seal in page.seals:
        _draw_seal(image, seal, dpi)
    return image


SEAL_INK = 120  # a red seal scans as a mid grey, darker than paper, lighter than text


def _draw_seal(image: Image.Image, seal: Seal, dpi: int) -> None:
    """Two rings and the rim text of a round seal, darkening what lies under it."""
    cx, cy, radius = _px(seal.x, dpi), _px(seal.y, dpi), _px(seal.radius, dpi)
    ink = Image.new("L", image.size, 0)  # coverage mask
    draw = ImageDraw.Draw(ink)
    width = max(2, round(dpi / 100))
    for r in (radius, radius * 0.62):
        draw.ellipse([cx - r, cy - r, cx + r, cy + r], outline=255, width=width)
    px = max(8, round(radius * 0.2))
    font = _font("B", px)
    text = f"{seal.ring} * "
    mid = radius * 0.81
    step = 360.0 / len(text)
    for i, char in enumerate(text):
        angle = -90.0 + i * step  # clockwise from the top
        glyph = Image.new("L", (px * 2, px * 2), 0)
        ImageDraw.Draw(glyph).text((px, px), char, font=font, fill=255, anchor="mm")
        glyph = glyph.rotate(-angle - 90, resample=Image.Resampling.BICUBIC)
        theta = np.radians(angle)
        x, y = cx + mid * np.cos(theta), cy + mid * np.sin(theta)
        ink.paste(glyph, (round(x) - px, round(y) - px), glyph)
    # Ink over paper and over text: the darker of the two shows.
    seal_layer = Image.new("L", image.size, SEAL_INK)
    image.paste(Image.fromarray(np.minimum(np.asarray(image), np.asarray(seal_layer))),
                mask=ink)  # fmt: skip


def degrade(image: Image.Image, params: ScanParams, seed: int) -> Image.Image:
    """Apply skew, noise, blur, JPEG artefacts and rotation to a clean page image."""
    out = image.rotate(params.skew_deg, resample=Image.Resampling.BICUBIC, fillcolor=255)
    out = out.filter(ImageFilter.GaussianBlur(0.6))
    noise_rng = np.random.default_rng(seed)
    pixels = np.asarray(out, dtype=np.float32)
    pixels += noise_rng.normal(0.0, params.noise * 255.0, pixels.shape).astype(np.float32)
    # Dust and toner specks: a little salt-and-pepper.
    specks = noise_rng.random(pixels.shape, dtype=np.float32)
    pixels[specks < 0.0008] = 0.0
    pixels[specks > 0.9992] = 255.0
    out = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), mode="L")
    buffer = io.BytesIO()
    out.save(buffer, "JPEG", quality=params.jpeg_quality)
    out = Image.open(io.BytesIO(buffer.getvalue())).convert("L")
    if params.rotation:
        out = out.rotate(params.rotation, expand=True)
    return out


def write_scan_pdf(
    images: list[Image.Image], path: Path, created: datetime, dpi: int = DPI
) -> None:
    """An image-only PDF (no text layer), one JPEG image per page at ``dpi``."""
    first, *rest = images
    stamp = created.timetuple()
    first.save(
        path,
        "PDF",
        resolution=float(dpi),
        save_all=True,
        append_images=rest,
        quality=80,
        creationDate=stamp,
        modDate=stamp,
        producer="Scanner",
    )


def write_tiff(
    images: list[Image.Image], path: Path, dpi: int = DPI, *, dither: bool = False
) -> None:
    """A multi-page bilevel TIFF, CCITT group 4 as document scanners write it.

    ``dither``: grey turned into dot patterns (Floyd-Steinberg) as a fax
    machine does, instead of a clean threshold.
    """
    if dither:
        bilevel = [image.convert("1") for image in images]
    else:
        bilevel = [image.point(lambda v: 255 if v > 150 else 0).convert("1") for image in images]
    first, *rest = bilevel
    first.save(path, "TIFF", compression="group4", dpi=(dpi, dpi), save_all=True,
               append_images=rest)  # fmt: skip


def write_jpeg(image: Image.Image, path: Path, quality: int) -> None:
    image.save(path, "JPEG", quality=quality, dpi=(DPI, DPI))


def write_png(image: Image.Image, path: Path) -> None:
    image.save(path, "PNG", dpi=(DPI, DPI), optimize=False)
