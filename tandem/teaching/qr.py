"""The QR code of the sign-in page, drawn by the application itself (segno, pure Python; no
service outside is asked, decision 108)."""

import segno


def qr_svg(url: str) -> str:
    """An inline SVG of `url` as a QR code, dark on light whatever the page's colours."""
    code = segno.make(url, error="m", micro=False)
    return code.svg_inline(scale=6, border=2, dark="#000", light="#fff", omitsize=True)
