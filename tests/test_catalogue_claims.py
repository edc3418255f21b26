"""Every figure a catalogue string shows comes from an input (issue 16): a sentence with a
literal number ("38 % into 41.8 %") is a claim no workspace backs. A string's figures are its
placeholders, filled by the caller from the data; the literal numbers left are names ("4P"),
scales ("0–100"), examples of an input's form, band labels, or bounds the code enforces, each
listed below with its reason. A figure that restates a code constant (a limit, a threshold) is
checked against that constant, so the text cannot drift from the code.

Both catalogues are scanned (en and zh carry the same figures). That both have the same keys and
the same placeholders per key is tests/test_i18n.py's (extended there to format specs).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from locales import LOCALES_DIR, forms

PLACEHOLDER = re.compile(r"\{[^{}]*\}")
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")

# Literal numbers that are never a claim about a workspace, wherever they appear.
GENERIC = {
    r"\b4P\b": "the 4P framework's name",
    r"UTF-(?:8|16)|ISO 4217|Windows-1252": "the name of an encoding or a standard",
    r"\bp(?:10|90)\b|\b(?:10|80|90)th\b|第\s?(?:10|80|90)(?:\s?[–-]\s?90)?\s?百分位": (
        "a percentile's name (what a band or tick is)"
    ),
    r"\b0\s?[–-]\s?100\s?%?|\b100\s?%": "the bounds of a share: 0 to 100 %, 100 % = all",
    r"(?<![\d.,])0(?!\d|[.,]\d)": (
        "zero as a bound or an origin ('0 or more', '0 = the first month', 'an amount of 0.')"
    ),
}

EXAMPLE = "an example of the input's form, not a figure about the workspace"
BAND = "the label of a fixed band of the chart"
DEFINITION = "part of the definition shown, the same for every workspace"
CHECKED = "restates a code constant (checked in CONSTANTS below)"
STATISTIC = "a statistical constant (chi-square, 1 df, 5 %), not a figure about the workspace"

# key -> why its literal numbers are not claims. Reviewed one by one; a key that no longer has a
# literal number must leave the list (test_the_allow_list_has_no_stale_entry).
ALLOWED: dict[str, str] = {
    # -- files this change owns ------------------------------------------------------------------
    "market.csv_help": EXAMPLE,  # "Example row: Contoso BI,SMB,2026,8.6,118,83"
    "market.ranked_score_caption": DEFINITION,  # each criterion scaled 0-100
    "market.som_reach_caption": DEFINITION,  # SOM / pace up to 1 = reachable
    "present.toggle_help": "the URL parameter that opens present mode (?present=1)",
    "export.png": CHECKED,
    "export.pack_pptx": "the slide format's name (16:9)",
    "branding.logo": CHECKED,
    "branding.error.colour_invalid": EXAMPLE,  # a hex colour code
    "branding.error.logo_too_big": CHECKED,
    "branding.error.logo_too_small": CHECKED,
    "strategy_4p.discount_win_rate_caption": CHECKED,
    "strategy_4p.sizes_caption": "the bins' scale (1-2-5), the same for every workspace",
    "strategy_4p.target_help": EXAMPLE,  # 30 = 30 %
    "strategy_4p.version_label_placeholder": EXAMPLE,  # "e.g. Q1 review"
    "strategy_4p.realisation_caption": "a worked example of the ratio (85 % = 15 % given away)",
    # -- files of other owners, reviewed; not claims about the workspace ---------------------------
    "campaigns.model_help.u_shaped": DEFINITION,  # the U-shaped model's 40/20/40 split
    "campaigns.model_help.w_shaped": DEFINITION,  # the W-shaped model's 30/30/30 + 10 split
    "campaigns.pacing_subset": CHECKED,
    "data.error.company_too_long": CHECKED,
    "data.error.month_invalid": "the months of the year (1 to 12)",
    "funnel.band.lt1": BAND,
    "funnel.band.1to4": BAND,
    "funnel.band.4to8": BAND,
    "funnel.band.8to24": BAND,
    "funnel.band.24to48": BAND,
    "funnel.band.48to72": BAND,
    "funnel.band.72to168": BAND,
    "funnel.band.ge168": BAND,
    "funnel.stuck_multiple_help": EXAMPLE,  # 2 = twice as old
    "funnel.ltv_cac_caption": CHECKED,
    "funnel.payback_caption": CHECKED,
    "funnel.error.sla_invalid": CHECKED,
    "scenarios.plan.mql_uplift_help": EXAMPLE,  # "e.g. +10 %"
    "scenarios.check.brand_supported": STATISTIC,
    "scenarios.check.brand_not_supported": STATISTIC,
    "wizard.new_name_placeholder": EXAMPLE,  # "e.g. Acme 2025"
    "wizard.day_first": EXAMPLE,  # a date format
    "wizard.day_first_help": EXAMPLE,
    "wizard.decimal_comma": EXAMPLE,  # a number format
    "wizard.decimal_comma_help": EXAMPLE,
    "wizard.ambiguous_dates": EXAMPLE,
}


def _constants() -> dict[str, list[tuple[str, str]]]:
    """key -> (the figure as the English text writes it, the same figure from the code)."""
    from components.export import images
    from planning import handoff
    from planning import unit_economics as ue
    from queries import branding, data_admin, mix
    from views import campaigns

    mb = f"{branding.LOGO_MAX_BYTES / 1e6:g} MB"
    return {
        "export.png": [("1920×1080", f"{images.SLIDE_WIDTH}×{images.SLIDE_HEIGHT}")],
        "branding.logo": [("1 MB", mb)],
        "branding.error.logo_too_big": [("1 MB", mb)],
        "branding.error.logo_too_small": [("16 pixels", f"{branding.LOGO_MIN_SIDE} pixels")],
        "strategy_4p.discount_win_rate_caption": [
            ("0–5%", f"{mix.BAND_LOW[1]}–{mix.BAND_HIGH[1]}%")
        ],
        "campaigns.pacing_subset": [("at most 15", f"at most {campaigns.MAX_PACING_ROWS}")],
        "data.error.company_too_long": [
            ("100 characters", f"{data_admin.MAX_NAME_LENGTH} characters")
        ],
        "funnel.ltv_cac_caption": [
            ("3× or more good", f"{ue.LTV_CAC_GOOD:g}× or more good"),
            ("under 1×", f"under {ue.LTV_CAC_POOR:g}×"),
        ],
        "funnel.payback_caption": [
            ("within 12 months", f"within {ue.PAYBACK_GOOD_MONTHS:g} months"),
            ("12–24", f"{ue.PAYBACK_GOOD_MONTHS:g}–{ue.PAYBACK_POOR_MONTHS:g}"),
            ("beyond 24", f"beyond {ue.PAYBACK_POOR_MONTHS:g}"),
        ],
        "funnel.error.sla_invalid": [("720 hours", f"{handoff.MAX_SLA_HOURS:g} hours")],
    }


def _strings(lang: str) -> dict[str, str]:
    """Every entry's text; an entry with plural forms gives all its forms, one a line."""
    out: dict[str, str] = {}
    for path in sorted((LOCALES_DIR / lang).glob("*.json")):
        entries = json.loads(Path(path).read_text(encoding="utf-8"))
        out.update({k: "\n".join(forms(v).values()) for k, v in entries.items()})
    return out


def literal_figures(text: str) -> list[str]:
    """The numbers of ``text`` that are neither placeholders nor GENERIC."""
    bare = PLACEHOLDER.sub("", text)
    for pattern in GENERIC:
        bare = re.sub(pattern, "", bare)
    return NUMBER.findall(bare)


def test_the_scan_finds_a_claim_and_passes_a_placeholder():
    # the example: a figure written into the sentence
    assert literal_figures("Win rate rose from 38 % into 41.8 %.") == ["38", "41.8"]
    assert literal_figures("Win rate rose from {before} into {after}.") == []
    assert literal_figures("{value:,.0f} deals, 0 or more, 0–100 %, the 4P plan") == []
    assert literal_figures("a share like 0 of 2,089") == ["2,089"]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_no_catalogue_string_states_a_figure_it_was_not_given(lang):
    found = {k: literal_figures(v) for k, v in _strings(lang).items()}
    claims = {k: v for k, v in found.items() if v and k not in ALLOWED}
    assert claims == {}


def test_the_allow_list_has_no_stale_entry():
    en = _strings("en")
    stale = [k for k in ALLOWED if k not in en or not literal_figures(en[k])]
    assert stale == []
    assert all(reason.strip() for reason in ALLOWED.values())


def test_figures_restating_code_constants_match_the_code():
    en, zh = _strings("en"), _strings("zh")
    constants = _constants()
    assert sorted(constants) == sorted(k for k, why in ALLOWED.items() if why == CHECKED)
    for key, pairs in constants.items():
        for written, from_code in pairs:
            assert written in en[key], (key, written)
            assert written == from_code, (key, written, from_code)
            # the Chinese text carries the same figures
            for number in NUMBER.findall(written):
                assert number in zh[key], (key, number)
