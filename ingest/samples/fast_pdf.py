"""A minimal text-PDF writer for benchmarks: thousands of born-digital PDFs a minute.

fpdf2 parses and subsets each TrueType font for every file (about 0.2 s a
document), which is fine for the demo but too slow for a 1,000-document
benchmark.  This writer trims the DejaVu fonts to the Latin and Vietnamese
glyphs once per process and writes the same ``PageLayout`` as Type0/Identity-H
text with a ToUnicode map, so text extraction sees exactly the true text.
"""

from __future__ import annotations

import io
import zlib
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from fontTools import subset as ftsubset
from fontTools.ttLib import TTFont

from ingest.samples.layout import PAGE_H, PAGE_W, PageLayout, font_path, text_width

MM_PT = 72 / 25.4
# Basic Latin, Latin-1, Latin Extended-A/B, combining marks, Vietnamese, punctuation.
_UNICODES = [
    *range(0x20, 0x7F),
    *range(0xA0, 0x250),
    *range(0x300, 0x370),
    *range(0x1EA0, 0x1F00),
    *range(0x2010, 0x2030),
    0x20AB,
]


@dataclass(frozen=True)
class _EmbeddedFont:
    """A trimmed font ready to embed: compressed bytes, glyph ids, widths, maps."""

    name: str
    data: bytes  # zlib-compressed TrueType
    length: int
    gids: dict[int, int]  # code point -> glyph id
    widths: str  # the /W array
    to_unicode: bytes  # zlib-compressed CMap
    ascent: int
    descent: int
    bbox: str
    italic: bool


@lru_cache(maxsize=4)
def _font(style: str) -> _EmbeddedFont:
    options = ftsubset.Options()
    options.notdef_outline = True
    options.name_IDs = ["*"]
    options.drop_tables += ["FFTM"]
    font = ftsubset.load_font(str(font_path(style)), options)
    subsetter = ftsubset.Subsetter(options)
    subsetter.populate(unicodes=_UNICODES)
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.save(buffer)
    raw = buffer.getvalue()
    parsed = TTFont(io.BytesIO(raw))
    scale = 1000 / parsed["head"].unitsPerEm
    order = parsed.getGlyphOrder()
    gids = {cp: order.index(name) for cp, name in parsed.getBestCmap().items()}
    metrics = parsed["hmtx"].metrics
    widths = " ".join(str(round(metrics[name][0] * scale)) for name in order)
    bfchars = "\n".join(f"<{gid:04X}> <{chr(cp).encode('utf-16-be').hex().upper()}>"
                        for cp, gid in sorted(gids.items(), key=lambda item: item[1]))  # fmt: skip
    cmap = (
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
        f"{len(gids)} beginbfchar\n{bfchars}\nendbfchar\n"
        "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend"
    )
    head = parsed["head"]
    bbox = " ".join(str(round(v * scale)) for v in (head.xMin, head.yMin, head.xMax, head.yMax))
    return _EmbeddedFont(
        name=f"DOCKET{style or 'R'}+" + parsed["name"].getBestFullName().replace(" ", ""),
        data=zlib.compress(raw, 6),
        length=len(raw),
        gids=gids,
        widths=f"[0 [{widths}]]",
        to_unicode=zlib.compress(cmap.encode("ascii"), 6),
        ascent=round(parsed["hhea"].ascent * scale),
        descent=round(parsed["hhea"].descent * scale),
        bbox=bbox,
        italic="I" in style,
    )


class _Objects:
    """PDF objects numbered in order of creation."""

    def __init__(self) -> None:
        self.bodies: list[bytes] = []

    def reserve(self) -> int:
        self.bodies.append(b"")
        return len(self.bodies)

    def set(self, number: int, body: bytes) -> None:
        self.bodies[number - 1] = body

    def add(self, body: bytes) -> int:
        self.bodies.append(body)
        return len(self.bodies)

    def stream(self, data: bytes, extra: str = "", *, compressed: bool = True) -> int:
        filt = " /Filter /FlateDecode" if compressed else ""
        head = f"<< /Length {len(data)}{filt}{extra} >>\nstream\n".encode()
        return self.add(head + data + b"\nendstream")


def _font_objects(objects: _Objects, font: _EmbeddedFont) -> int:
    file_ref = objects.stream(font.data, f" /Length1 {font.length}")
    flags = 4 | (64 if font.italic else 0)
    descriptor = objects.add(
        f"<< /Type /FontDescriptor /FontName /{font.name} /Flags {flags} /FontBBox "
        f"[{font.bbox}] /ItalicAngle {-12 if font.italic else 0} /Ascent {font.ascent} "
        f"/Descent {font.descent} /CapHeight {font.ascent} /StemV 80 /FontFile2 {file_ref} 0 R >>"
        .encode()
    )  # fmt: skip
    cid = objects.add(
        f"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /{font.name} /CIDSystemInfo "
        f"<< /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor "
        f"{descriptor} 0 R /CIDToGIDMap /Identity /W {font.widths} >>".encode()
    )
    to_unicode = objects.stream(font.to_unicode)
    return objects.add(
        f"<< /Type /Font /Subtype /Type0 /BaseFont /{font.name} /Encoding /Identity-H "
        f"/DescendantFonts [{cid} 0 R] /ToUnicode {to_unicode} 0 R >>".encode()
    )


def _content(page: PageLayout, names: dict[str, str]) -> bytes:
    ops: list[str] = ["0.3 w 0 G"]
    for rule in page.rules:
        y = (PAGE_H - rule.y) * MM_PT
        ops.append(f"{rule.x0 * MM_PT:.2f} {y:.2f} m {rule.x1 * MM_PT:.2f} {y:.2f} l S")
    for line in page.lines:
        font = _font(line.style)
        glyphs = "".join(f"{font.gids.get(ord(ch), 0):04X}" for ch in line.text)
        x, y = line.x * MM_PT, (PAGE_H - line.y) * MM_PT
        color = "0.78 0.08 0.08" if line.boxed else "0 0 0"
        ops.append(f"BT {color} rg /{names[line.style]} {line.size:g} Tf "
                   f"{x:.2f} {y:.2f} Td <{glyphs}> Tj ET")  # fmt: skip
        if line.boxed:
            width = text_width(line.text, line.style, line.size) * MM_PT
            height = line.size + 2.6 * MM_PT
            ops.append(f"0.78 0.08 0.08 RG 1.4 w {x - 2 * MM_PT:.2f} {y - 1.8 * MM_PT:.2f} "
                       f"{width + 4 * MM_PT:.2f} {height:.2f} re S 0 G 0.3 w")  # fmt: skip
    return zlib.compress("\n".join(ops).encode("ascii"), 6)


def write_fast_pdf(
    pages: list[PageLayout], path: Path, *, title: str | None, created: datetime
) -> None:
    """Write ``pages`` as a text PDF at ``path`` without fpdf2 (same look, much faster)."""
    objects = _Objects()
    catalog, pages_ref = objects.reserve(), objects.reserve()
    styles = sorted({line.style for page in pages for line in page.lines})
    names = {style: f"F{i + 1}" for i, style in enumerate(styles)}
    fonts = " ".join(f"/{names[s]} {_font_objects(objects, _font(s))} 0 R" for s in styles)
    kids = []
    for page in pages:
        content = objects.stream(_content(page, names))
        kids.append(objects.add(
            f"<< /Type /Page /Parent {pages_ref} 0 R /MediaBox [0 0 {PAGE_W * MM_PT:.2f} "
            f"{PAGE_H * MM_PT:.2f}] /Resources << /Font << {fonts} >> >> /Contents "
            f"{content} 0 R >>".encode()
        ))  # fmt: skip
    objects.set(catalog, f"<< /Type /Catalog /Pages {pages_ref} 0 R >>".encode())
    refs = " ".join(f"{k} 0 R" for k in kids)
    objects.set(pages_ref, f"<< /Type /Pages /Kids [{refs}] /Count {len(kids)} >>".encode())
    stamp = created.strftime("D:%Y%m%d%H%M%S")
    title_hex = (title or "").encode("utf-16-be").hex().upper()
    info = objects.add(
        f"<< /Title <FEFF{title_hex}> /Producer (Docket sample generator) "
        f"/CreationDate ({stamp}) /ModDate ({stamp}) >>".encode()
    )
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects.bodies, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(offsets) + 1}\n0000000000 65535 f \n".encode())
    out.write("".join(f"{offset:010d} 00000 n \n" for offset in offsets).encode())
    out.write(
        f"trailer\n<< /Size {len(offsets) + 1} /Root {catalog} 0 R /Info {info} 0 R >>\n"
        f"startxref\n{xref}\n%%EOF\n".encode()
    )
    path.write_bytes(out.getvalue())
