"""The QR printed on controlled copies must encode exactly the verification link."""

import base64
import re

import qrcode

from reports.qr import QUIET_ZONE, qr_data_uri, qr_svg

LINK = "http://127.0.0.1:8000/verifica/?codigo=HIDHUEE"


def _matrix_from_svg(svg: str) -> list[list[bool]]:
    size = int(re.search(r'viewBox="0 0 (\d+) \d+"', svg).group(1)) - 2 * QUIET_ZONE
    grid = [[False] * size for _ in range(size)]
    for x, y, length in re.findall(r"M(\d+),(\d+)h(\d+)v1h-\d+z", svg):
        for dx in range(int(length)):
            grid[int(y) - QUIET_ZONE][int(x) - QUIET_ZONE + dx] = True
    return grid


def test_its_svg_draws_every_dark_module_of_the_code_and_nothing_else() -> None:
    code = qrcode.QRCode(border=0, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(LINK)
    code.make(fit=True)
    assert _matrix_from_svg(qr_svg(LINK)) == code.get_matrix()


def test_its_data_uri_is_the_svg_inline() -> None:
    uri = qr_data_uri(LINK)
    assert uri.startswith("data:image/svg+xml;base64,")
    assert base64.b64decode(uri.split(",", 1)[1]).decode() == qr_svg(LINK)
