"""Which encoding a text export uses, and a streaming re-encode to UTF-8 for DuckDB.

Order matters (RECIPES.md): byte-order marks first (Excel's "Unicode text" and HubSpot's
exports are UTF-16 with a BOM), then strict UTF-8, then charset-normalizer restricted to the
encodings CRM exports actually use: unrestricted, it calls small GBK files Korean, and a naive
"UTF-8, else GB18030" reads Latin-1 'Müller' as 'M黮ler'.
"""

from __future__ import annotations

import codecs
from pathlib import Path

CANDIDATES = ["utf_8", "gb18030", "big5", "shift_jis", "cp1252", "latin_1"]
_NAMES = {
    "utf_8": "utf-8",
    "gb18030": "gb18030",
    "gbk": "gb18030",
    "gb2312": "gb18030",
    "big5": "big5",
    "shift_jis": "shift_jis",
    "cp1252": "cp1252",
    "windows-1252": "cp1252",
    "latin_1": "latin-1",
    "iso8859_1": "latin-1",
}
CHUNK = 4 * 2**20


def _utf8_ok(head: bytes) -> bool:
    try:
        head.decode("utf-8")
        return True
    except UnicodeDecodeError as exc:
        # The head may end inside a multi-byte character: only an earlier error counts.
        return exc.start >= len(head) - 3 and exc.reason in ("unexpected end of data",)


def _utf16_without_bom(head: bytes) -> str | None:
    sample = head[:4096]
    if len(sample) < 4:
        return None
    even = sample[0::2].count(0) / max(1, len(sample[0::2]))
    odd = sample[1::2].count(0) / max(1, len(sample[1::2]))
    if odd > 0.3 and even < 0.05:
        return "utf-16-le"
    if even > 0.3 and odd < 0.05:
        return "utf-16-be"
    return None


def detect_encoding(head: bytes) -> str:
    """A Python codec name for the file whose first bytes are ``head``."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith(codecs.BOM_UTF16_LE):
        return "utf-16-le"
    if head.startswith(codecs.BOM_UTF16_BE):
        return "utf-16-be"
    utf16 = _utf16_without_bom(head)
    if utf16:
        return utf16
    if _utf8_ok(head):
        return "utf-8"
    from charset_normalizer import from_bytes

    best = from_bytes(head, cp_isolation=CANDIDATES).best()
    if best is None:
        return "cp1252"
    return _NAMES.get(best.encoding, best.encoding)


def is_binary(head: bytes) -> bool:
    """NUL bytes outside UTF-16 text, or many control characters: not a text export."""
    if not head:
        return False
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or _utf16_without_bom(head):
        return False
    sample = head[:8192]
    if b"\x00" in sample:
        return True
    control = sum(1 for b in sample if b < 32 and b not in (9, 10, 13, 12))
    return control / len(sample) > 0.05


def normalise_newlines(text: str) -> str:
    """CRLF and lone CR line ends as LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def transcode_to_utf8(src: Path, dst: Path, encoding: str, *, newlines: bool = False) -> None:
    """Re-encode ``src`` to UTF-8 at ``dst`` in chunks, dropping a byte-order mark; with
    ``newlines``, every line end becomes LF (DuckDB's reader accepts one style per file).
    Raises UnicodeDecodeError when the bytes are not in ``encoding``."""
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    first = True
    held = ""  # a CR at a chunk's end may be the first half of a CRLF
    with src.open("rb") as fin, dst.open("wb") as fout:
        while True:
            chunk = fin.read(CHUNK)
            text = decoder.decode(chunk, final=not chunk)
            if first:
                text = text.lstrip("\ufeff")
                first = not (text or not chunk)
            if newlines:
                text = held + text
                held = ""
                if chunk and text.endswith("\r"):
                    text, held = text[:-1], "\r"
                text = normalise_newlines(text)
            if text:
                fout.write(text.encode("utf-8"))
            if not chunk:
                break
