"""QR codes as SVG (vector, no Pillow), for print templates and pages.

qrcode computes the matrix; the SVG is written here with one subpath per horizontal run of
dark modules rather than qrcode's SVG factory output (one subpath per module): the QR is
drawn on every printed page, and a path about half as long halves the time WeasyPrint spends
parsing it and the size of each page's content stream."""

from __future__ import annotations

import base64

import qrcode  # type: ignore[import-untyped]

QUIET_ZONE = 2  # modules of white border (the standard asks for 4; the print frame adds margin)


def _runs(row: list[bool]) -> list[tuple[int, int]]:
    runs, start = [], None
    for x, dark in enumerate([*row, False]):
        if dark and start is None:
            start = x
        elif not dark and start is not None:
            runs.append((start, x - start))
            start = None
    return runs


def qr_svg(data: str) -> str:
    """The QR code of `data` as an SVG document (size it with CSS; it scales without blur)."""
    code = qrcode.QRCode(border=0, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(data)
    code.make(fit=True)
    matrix: list[list[bool]] = code.get_matrix()
    size = len(matrix) + 2 * QUIET_ZONE
    path = "".join(
        f"M{x + QUIET_ZONE},{y + QUIET_ZONE}h{length}v1h-{length}z"
        for y, row in enumerate(matrix)
        for x, length in _runs(row)
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" width="{size}mm" height="{size}mm" '
        f'shape-rendering="crispEdges"><rect width="{size}" height="{size}" fill="#fff"/>'
        f'<path d="{path}" fill="#000"/></svg>'
    )


def qr_data_uri(data: str) -> str:
    """The QR code of `data` as a data: URI usable in <img src>, which needs no file or URL fetch."""
    return "data:image/svg+xml;base64," + base64.b64encode(qr_svg(data).encode()).decode("ascii")
