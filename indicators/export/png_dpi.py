"""Write the resolution (pHYs chunk) into PNG bytes without re-encoding the image."""
from __future__ import annotations

import struct
import zlib

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_size(png: bytes) -> tuple[int, int]:
    """(width, height) in pixels from the IHDR chunk."""
    if not png.startswith(PNG_SIGNATURE):
        raise ValueError("not a PNG")
    return struct.unpack(">II", png[16:24])


def set_png_dpi(png: bytes, dpi: float) -> bytes:
    """The same PNG with a pHYs chunk saying ``dpi`` (any previous pHYs chunk is dropped)."""
    if not png.startswith(PNG_SIGNATURE):
        raise ValueError("not a PNG")
    ppm = round(dpi / 0.0254)
    phys = _chunk(b"pHYs", struct.pack(">IIB", ppm, ppm, 1))
    out = bytearray(PNG_SIGNATURE)
    pos = len(PNG_SIGNATURE)
    while pos < len(png):
        (length,) = struct.unpack(">I", png[pos:pos + 4])
        kind = png[pos + 4:pos + 8]
        end = pos + 12 + length
        if kind != b"pHYs":
            out += png[pos:end]
        if kind == b"IHDR":
            out += phys
        pos = end
    return bytes(out)


def png_dpi(png: bytes) -> float | None:
    """The dpi stored in the pHYs chunk, or None."""
    pos = len(PNG_SIGNATURE)
    while pos < len(png):
        (length,) = struct.unpack(">I", png[pos:pos + 4])
        kind = png[pos + 4:pos + 8]
        if kind == b"pHYs":
            x, _y, unit = struct.unpack(">IIB", png[pos + 8:pos + 17])
            return x * 0.0254 if unit == 1 else None
        if kind == b"IDAT":
            return None
        pos += 12 + length
    return None
