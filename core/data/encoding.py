"""Detect the text encoding of an uploaded CSV file."""

from __future__ import annotations

import codecs

from core.data.refusals import IngestError

UNKNOWN_ENCODING = (
    "The file's text encoding is not recognised: it is not UTF-8, and it holds bytes that "
    "Latin-1/Windows-1252 text does not use (typical of UTF-16 files or binary data). Save the "
    "file as 'CSV UTF-8' (in Excel: Save As > CSV UTF-8) and upload it again."
)
UTF16_NUL_SHARE = 0.4
VALIDATE_CHUNK_BYTES = 1024 * 1024
SNIFF_BYTES = 64 * 1024
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
# Bytes 0x80-0x9F are C1 control codes in Latin-1 and never occur in real text;
# cp1252 maps all but these five to printable characters (curly quotes, euro sign).
_CP1252_UNDEFINED = frozenset({0x81, 0x8D, 0x8F, 0x90, 0x9D})
_ALL_BUT_C1 = bytes(b for b in range(256) if not 0x80 <= b <= 0x9F)

def detect_encoding(data: bytes) -> str:
    """Return "utf-8-sig", "utf-8", "latin-1" or "cp1252" for ``data``, or raise IngestError.

    Latin-1 decodes any byte sequence, so decoding without error proves nothing. After
    UTF-8 fails, the bytes count as Latin-1/cp1252 text only when they hold no NUL bytes
    and every byte in 0x80-0x9F is one cp1252 maps to a character; otherwise the
    encoding is reported as unknown (UTF-16, UTF-32 or binary data land here).
    """
    if data.startswith(codecs.BOM_UTF8):
        if _is_valid_utf8(data):
            return "utf-8-sig"
        raise IngestError(UNKNOWN_ENCODING)  # says UTF-8, yet is not: a mixed-up file
    if data.startswith(_UTF16_BOMS) or b"\x00" in data:
        raise IngestError(UNKNOWN_ENCODING)
    if data.isascii() or _is_valid_utf8(data):
        return "utf-8"
    c1_present = set(data.translate(None, _ALL_BUT_C1))
    if c1_present & _CP1252_UNDEFINED:
        raise IngestError(UNKNOWN_ENCODING)
    return "cp1252" if c1_present else "latin-1"


def looks_like_utf16(data: bytes) -> bool:
    """Return whether ``data`` starts like UTF-16 text (a byte-order mark, or NUL bytes
    filling one byte of most pairs, as UTF-16 does for Latin letters and digits)."""
    if data.startswith(_UTF16_BOMS):
        return True
    head = data[:SNIFF_BYTES]
    pairs = max(len(head) // 2, 1)
    return max(head[0::2].count(0), head[1::2].count(0)) / pairs >= UTF16_NUL_SHARE


def _is_valid_utf8(data: bytes) -> bool:
    """Return whether ``data`` is UTF-8, decoding chunk by chunk to bound memory."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(data)
    try:
        for start in range(0, len(view), VALIDATE_CHUNK_BYTES):
            decoder.decode(view[start : start + VALIDATE_CHUNK_BYTES])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


