"""Encoding detection, binary detection and the streaming re-encode (queries/ingest/encodings.py).

The same small CSV — German and Portuguese names, Chinese names, the yen and euro signs — is
written in each encoding CRM exports use; detection must name an encoding that reads it back
exactly, and the re-encode must produce exactly its UTF-8 bytes. The traps of RECIPES.md get a
test each: a mostly-ASCII GBK file (unrestricted detectors say Korean) and Latin-1 'Müller'
(a naive "UTF-8, else GB18030" reads 'M黮ler').
"""

from __future__ import annotations

import codecs
import io
import random
import struct
import zipfile
import zlib
from pathlib import Path

import pytest

from queries.ingest import encodings
from queries.ingest.encodings import detect_encoding, is_binary, transcode_to_utf8

CSV = (
    "name,city,amount,stage\n"
    "Müller,Köln,¥12500,Closed Won\n"
    "José,São Paulo,€990,Open\n"
    "张伟,北京,¥3000,赢单\n"
    "李娜,上海,¥45000,进行中\n"
)
LATIN = "name,city,amount\nMüller,Köln,¥12500\nJosé,São Paulo,€990\nRenée,Besançon,¥75\n"

ENCODED = {
    "utf-8": CSV.encode("utf-8"),
    "utf-8-sig": codecs.BOM_UTF8 + CSV.encode("utf-8"),
    "utf-16-le": codecs.BOM_UTF16_LE + CSV.encode("utf-16-le"),
    "utf-16-be": codecs.BOM_UTF16_BE + CSV.encode("utf-16-be"),
    "gb18030": CSV.encode("gb18030"),
}


@pytest.mark.parametrize("expected", list(ENCODED))
def test_each_export_encoding_is_detected(expected):
    assert detect_encoding(ENCODED[expected]) == expected


def test_cp1252_latin_text_is_detected_as_cp1252():
    # '€' is 0x80 in cp1252 and a control character in Latin-1: only cp1252 reads it as text.
    assert detect_encoding(LATIN.encode("cp1252")) == "cp1252"


@pytest.mark.parametrize("encoding", list(ENCODED))
def test_each_export_encoding_transcodes_back_to_the_same_text(tmp_path, encoding):
    src, dst = tmp_path / "in.csv", tmp_path / "out.csv"
    src.write_bytes(ENCODED[encoding])
    transcode_to_utf8(src, dst, detect_encoding(ENCODED[encoding]))
    assert dst.read_bytes() == CSV.encode("utf-8")


def test_cp1252_file_transcodes_back_to_the_same_text(tmp_path):
    src, dst = tmp_path / "in.csv", tmp_path / "out.csv"
    src.write_bytes(LATIN.encode("cp1252"))
    transcode_to_utf8(src, dst, detect_encoding(src.read_bytes()))
    assert dst.read_text(encoding="utf-8") == LATIN


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_recognised_by_its_nul_bytes(codec):
    assert detect_encoding(CSV.encode(codec)) == codec


def test_mostly_ascii_gbk_file_is_gb18030_not_korean():
    rows = "".join(f"{i},user{i},Open,{i * 100}\n" for i in range(60))
    text = "id,name,stage,amount\n" + rows + "61,张伟,赢单,5000\n"
    raw = text.encode("gbk")
    enc = detect_encoding(raw)
    assert enc == "gb18030"
    assert raw.decode(enc) == text


def test_latin1_mueller_is_not_read_as_chinese():
    raw = "name\nMüller\n".encode("latin-1")
    enc = detect_encoding(raw)
    assert enc in ("cp1252", "latin-1")
    assert raw.decode(enc) == "name\nMüller\n"


def test_utf8_head_cut_inside_a_character_is_still_utf8():
    raw = CSV.encode("utf-8")
    cut = raw.index("张".encode()) + 1  # one byte of a three-byte character
    assert detect_encoding(raw[:cut]) == "utf-8"
    cut = raw.index("张".encode()) + 2
    assert detect_encoding(raw[:cut]) == "utf-8"


def test_utf8_with_a_bad_byte_early_is_not_utf8():
    raw = "name\nM\xfcller\n".encode("latin-1") + CSV.encode("utf-8")
    assert detect_encoding(raw) != "utf-8"


def test_plain_ascii_is_utf8():
    assert detect_encoding(b"id,name\n1,Ann\n") == "utf-8"


# -- binary files -----------------------------------------------------------------------------
def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00\xff\x00\x00")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def _zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("data.csv", CSV * 20)
    return buf.getvalue()


@pytest.mark.parametrize(
    "raw",
    [
        _png(),
        _zip(),
        random.Random(3).randbytes(4096),
        bytes(range(32)) * 64,  # control characters, among them NUL
        bytes(b for b in range(1, 32) if b not in (9, 10, 12, 13)) * 100,  # controls, no NUL
    ],
    ids=["png", "zip", "random", "controls", "controls-no-nul"],
)
def test_binary_content_is_binary(raw):
    assert is_binary(raw)


@pytest.mark.parametrize(
    "raw",
    [*ENCODED.values(), LATIN.encode("cp1252"), CSV.encode("utf-16-le"), b"a\tb\r\nc\td\r\n"],
    ids=[*ENCODED, "cp1252", "utf-16-le-no-bom", "tsv-crlf"],
)
def test_text_in_any_export_encoding_is_not_binary(raw):
    assert not is_binary(raw)


def test_empty_head_is_not_binary():
    assert not is_binary(b"")


# -- streaming --------------------------------------------------------------------------------
@pytest.mark.parametrize("chunk", [1, 2, 3, 5, 7])
@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16-le", "utf-16-be", "gb18030"])
def test_transcode_is_exact_when_chunks_split_characters(tmp_path, monkeypatch, encoding, chunk):
    monkeypatch.setattr(encodings, "CHUNK", chunk)
    src, dst = tmp_path / "in.csv", tmp_path / "out.csv"
    src.write_bytes(ENCODED[encoding])
    transcode_to_utf8(src, dst, encoding)
    assert dst.read_bytes() == CSV.encode("utf-8")


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16-le", "utf-16-be"])
def test_transcode_drops_the_byte_order_mark(tmp_path, encoding):
    src, dst = tmp_path / "in.csv", tmp_path / "out.csv"
    src.write_bytes(ENCODED[encoding])
    transcode_to_utf8(src, dst, encoding)
    assert not dst.read_bytes().startswith(codecs.BOM_UTF8)
    assert dst.read_bytes().startswith(b"name,")


def test_transcode_of_a_file_many_chunks_long(tmp_path):
    text = CSV * 50_000  # about 6.5 MB of UTF-16: two chunks of the default size
    src, dst = tmp_path / "in.csv", tmp_path / "out.csv"
    src.write_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    assert src.stat().st_size > encodings.CHUNK
    transcode_to_utf8(src, dst, "utf-16-le")
    assert dst.read_bytes() == text.encode("utf-8")


def test_transcode_raises_unicode_decode_error_on_bytes_outside_the_encoding(tmp_path):
    src, dst = tmp_path / "in.csv", tmp_path / "out.csv"
    src.write_bytes(b"name\nM\xfcller\n")
    with pytest.raises(UnicodeDecodeError):
        transcode_to_utf8(src, dst, "utf-8")


def test_transcode_raises_on_a_truncated_final_character(tmp_path):
    src, dst = tmp_path / "in.csv", tmp_path / "out.csv"
    src.write_bytes("张伟".encode()[:-1])
    with pytest.raises(UnicodeDecodeError):
        transcode_to_utf8(src, dst, "utf-8")


def test_transcode_of_an_empty_file_is_empty(tmp_path: Path):
    src, dst = tmp_path / "in.csv", tmp_path / "out.csv"
    src.write_bytes(b"")
    transcode_to_utf8(src, dst, "utf-8")
    assert dst.read_bytes() == b""
