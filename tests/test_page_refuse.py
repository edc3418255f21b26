"""``page.refuse`` says any page's refusal, not only the plan editors' (``market.err.*``): the
message prefix is the caller's, and both kinds of refused field (planning.market_sizing's,
with a row and params; queries.data_admin's, with the refused value) read as sentences."""

from __future__ import annotations

import pytest
import streamlit as st

from components.ui import page
from locales import translate
from planning.market_sizing import FieldError as PlanField
from queries import data_admin, plans


def _t(lang: str):
    return lambda key, **kw: translate(key, lang, **kw)


def test_plan_errors_read_as_the_plan_editors_always_said_them():
    errors = [
        PlanField(0, "label", "required"),
        PlanField(2, "target", "range", (("low", 0), ("high", 100), ("segment", "SMB"))),
    ]
    fields = {"label": "Label", "target": "Target"}
    lines = page.refusal_lines(errors, _t("en"), "market.err", fields)
    assert lines == ["Label: required", "SMB · Row 2 · Target: enter a number from 0 to 100"]
    # the same lines as plans.messages, which only knows market.err
    assert lines == plans.messages(errors, _t("en"), fields)
    zh = page.refusal_lines(errors, _t("zh"), "market.err", {"target": "目标"}, {2: "产品"})
    assert zh[1] == "SMB · 产品 · 目标: 请输入 0 到 100 之间的数字"


def test_the_funnel_and_data_pages_refusals_read_their_own_messages():
    share = data_admin.FieldError("pull_share_of_sales", "share_invalid", "150")
    assert page.refusal_lines([share], _t("en"), "funnel.error") == [
        "The share of sales spend charged to pull must be between 0 and 100% (got '150'). "
        "Nothing was saved."
    ]
    currency = data_admin.FieldError("currency", "currency_invalid", "XX")
    (line,) = page.refusal_lines([currency], _t("zh"), "data.error")
    assert "XX" in line and "data.error" not in line
    # with field labels the line names the field first
    (named,) = page.refusal_lines([share], _t("en"), "funnel.error", {"pull_share_of_sales": "P"})
    assert named.startswith("P: The share of sales spend")


def test_refuse_shows_the_header_and_one_line_per_field(monkeypatch: pytest.MonkeyPatch):
    shown: list[str] = []
    monkeypatch.setattr(st, "error", lambda text, **_: shown.append(text))
    monkeypatch.setattr(page, "t", _t("en"))
    page.refuse([data_admin.FieldError("sla_hours", "sla_invalid", "0")], prefix="funnel.error")
    (text,) = shown
    assert text.startswith("Not saved — please correct:\n\n- The SLA must be more than 0")
    assert "(got &#x27;0&#x27;)" in text  # escaped, as every refused input is
