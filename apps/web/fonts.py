"""The fonts every page uses, served from this server (no CDN).

DejaVu (Debian's fonts-dejavu-core, already installed for the PDF renderer
and the sample generator) has every precomposed Vietnamese letter in its sans
and monospace faces; browsers' default monospace fonts often do not, and then
"Số" falls apart into "Sô´".
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

from kernel.errors import NotFound

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
# The only files this route serves: the faces style.css declares.
FACES = (
    "DejaVuSans.ttf",
    "DejaVuSans-Bold.ttf",
    "DejaVuSans-Oblique.ttf",
    "DejaVuSansMono.ttf",
    "DejaVuSansMono-Bold.ttf",
)

router = APIRouter(include_in_schema=False)


@router.get("/fonts/{name}")
def font(name: str) -> FileResponse:
    """One of ``FACES``; anything else is not found."""
    path = FONT_DIR / name
    if name not in FACES or not path.is_file():
        raise NotFound("no such font")
    return FileResponse(path, media_type="font/ttf",
                        headers={"cache-control": "public, max-age=604800"})

