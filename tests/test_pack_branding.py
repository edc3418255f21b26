"""Branding: colours and logo validated with clear codes, stored in the workspace, applied to
packs; an invalid input changes nothing."""

from __future__ import annotations

import io
import shutil

import pytest
from PIL import Image

from queries import branding
from queries.workspace import Workspace


@pytest.fixture
def rw_ws(tiny_path, tmp_path):
    copy = tmp_path / "tiny.duckdb"
    shutil.copy(tiny_path, copy)
    ws = Workspace(copy)
    yield ws
    ws.close()


def _image(fmt="PNG", size=(120, 60), mode="RGB") -> bytes:
    buf = io.BytesIO()
    Image.new(mode, size, (20, 40, 200) if mode == "RGB" else 0).save(buf, format=fmt)
    return buf.getvalue()


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("#1f4e79", "#1F4E79"), ("1F4E79", "#1F4E79"), ("#abc", "#AABBCC"), (" #ABC ", "#AABBCC")],
)
def test_colours_are_normalised_to_upper_case_hex(raw, expected):
    assert branding.normalise_colour(raw) == expected


@pytest.mark.parametrize("raw", ["", "red", "#12345", "#GGGGGG", "rgb(1,2,3)", "#1234567"])
def test_text_that_is_not_a_hex_colour_is_refused(raw):
    values, errors, _ = branding.validate_colours({"brand_primary": raw, "brand_secondary": "#000"})
    assert [(e.field, e.code) for e in errors] == [("brand_primary", "colour_invalid")]
    assert "brand_primary" not in values


def test_a_brand_colour_close_to_an_engine_colour_is_warned_about():
    _, errors, warnings = branding.validate_colours(
        {"brand_primary": "#1A9D8B", "brand_secondary": "#E8712B"}
    )
    assert errors == []
    assert {(w.field, w.code) for w in warnings} == {
        ("brand_primary", "close_to_pull"),
        ("brand_secondary", "close_to_push"),
    }


def test_colours_round_trip_through_the_workspace_and_reset(rw_ws):
    values, errors, _ = branding.validate_colours(
        {"brand_primary": "#7a1fa2", "brand_secondary": "#123"}
    )
    assert not errors
    branding.save_colours(rw_ws, values)
    brand = branding.brand(rw_ws)
    assert (brand.primary, brand.secondary) == ("#7A1FA2", "#112233")
    branding.reset_colours(rw_ws)
    assert branding.brand(rw_ws).primary == "#2F3E4E"


def test_a_stored_colour_that_is_not_valid_falls_back_to_the_default(rw_ws):
    rw_ws.set_setting("brand_primary", "javascript:alert(1)")
    assert branding.brand(rw_ws).primary == "#2F3E4E"


def test_png_and_jpeg_logos_are_accepted_and_stored_as_small_pngs(rw_ws):
    for fmt, name in (("PNG", "logo.png"), ("JPEG", "logo.JPG")):
        logo, errors = branding.validate_logo(name, _image(fmt, size=(1200, 300)))
        assert errors == [] and logo is not None
        assert (logo.width, logo.height) == (600, 150)  # longer side capped at 600 px
        assert logo.png.startswith(b"\x89PNG")
    branding.save_logo(rw_ws, logo)
    branding.save_logo(rw_ws, logo)  # a new logo replaces the old one
    assert rw_ws.scalar("select count(*) from brand_logo") == 1
    assert branding.brand(rw_ws).logo_png == logo.png
    branding.remove_logo(rw_ws)
    assert branding.brand(rw_ws).logo_png is None


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("logo.svg", b"<svg/>", "logo_type"),
        ("logo.gif", _image("GIF"), "logo_type"),
        ("logo.png", _image("GIF"), "logo_type"),  # the content decides, not the name
        ("logo.png", b"not an image", "logo_unreadable"),
        ("logo.png", b"", "logo_unreadable"),
        ("logo.png", _image(size=(10, 10)), "logo_too_small"),
        ("logo.png", b"\x89PNG" + b"0" * 1_000_001, "logo_too_big"),
    ],
)
def test_bad_logos_are_refused_with_a_reason(name, content, code):
    logo, errors = branding.validate_logo(name, content)
    assert logo is None
    assert [e.code for e in errors] == [code]


def test_a_decompression_bomb_is_refused_before_decoding():
    content = _image(size=(6000, 6000), mode="1")  # tiny file, 36 M pixels
    assert len(content) < branding.LOGO_MAX_BYTES
    logo, errors = branding.validate_logo("logo.png", content)
    assert logo is None and errors[0].code == "logo_too_many_pixels"


def test_every_brand_message_code_has_text_in_both_languages():
    from components.i18n import catalogue

    codes = {
        "colour_invalid",
        "logo_type",
        "logo_too_big",
        "logo_too_many_pixels",
        "logo_too_small",
        "logo_unreadable",
    }
    for lang in ("en", "zh"):
        for code in codes:
            assert f"branding.error.{code}" in catalogue(lang)
        for engine in ("pull", "push"):
            assert f"branding.warning.close_to_{engine}" in catalogue(lang)


def test_branding_form_saves_colours_through_apptest(rw_ws, monkeypatch, tmp_path):
    from streamlit.testing.v1 import AppTest

    path = rw_ws.path
    rw_ws.close()
    monkeypatch.setenv("FLYWHEEL_DB", str(path))
    import streamlit as st

    st.cache_resource.clear()
    st.cache_data.clear()
    at = AppTest.from_string(
        f"import sys; sys.path.insert(0, {str(_root())!r})\n"
        "from components.ui import branding\nbranding.render()\n",
        default_timeout=60,
    ).run()
    assert not at.exception
    at.color_picker[0].set_value("#7A1FA2")
    at.button[0].click().run()  # "Save colours" (the form's submit button)
    assert not at.exception
    assert [s.value for s in at.success] == ["Branding saved."]
    st.cache_resource.clear()
    st.cache_data.clear()
    ws = Workspace(path, read_only=True)
    try:
        assert ws.settings()["brand_primary"] == "#7A1FA2"
    finally:
        ws.close()


def _root():
    from pathlib import Path

    return Path(__file__).resolve().parent.parent
