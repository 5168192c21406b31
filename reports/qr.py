"""QR codes as SVG (qrcode's SVG factory: vector, no Pillow), for print templates and pages."""

from __future__ import annotations

import base64

import qrcode  # type: ignore[import-untyped]
import qrcode.image.svg  # type: ignore[import-untyped]


def qr_svg(data: str) -> str:
    """The QR code of `data` as an SVG document (one path; size it with CSS)."""
    image = qrcode.make(
        data,
        image_factory=qrcode.image.svg.SvgPathImage,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        border=0,
    )
    svg: str = image.to_string(encoding="unicode")
    return svg


def qr_data_uri(data: str) -> str:
    """The QR code of `data` as a data: URI usable in <img src>, which needs no file or URL fetch."""
    return "data:image/svg+xml;base64," + base64.b64encode(qr_svg(data).encode()).decode("ascii")
