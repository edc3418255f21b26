"""The 4P KPI tracker as the page and the meeting pack both show it: the names of the Ps, KPIs
and traffic lights, each KPI value in its unit, and one labelled row per plan KPI for
``mix_charts.kpi_attainment``. Pure: the caller passes its formatter and translation function
(the page's ``t``, or a pack context's ``ctx.t``), so no Streamlit is needed."""

from __future__ import annotations

import html
import math
from collections.abc import Callable

import pandas as pd

from components.fmt import Formatter
from planning import plan_versions

Translate = Callable[..., str]
LIGHTS = ("green", "amber", "red", "grey")


def p_names(tr: Translate) -> dict[str, str]:
    return {p: tr(f"strategy_4p.tab_{p}") for p in plan_versions.PS}


def kpi_names(tr: Translate) -> dict[str, str]:
    return {k: tr(f"strategy_4p.kpi.{k}") for k in plan_versions.KPI_METRICS}


def light_names(tr: Translate) -> dict[str, str]:
    return {k: tr(f"strategy_4p.light.{k}") for k in LIGHTS}


def kpi_text(kpi: str, value: float | None, fmt: Formatter, tr: Translate) -> str:
    """A KPI value in its unit (targets and actuals are in display units)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    unit = plan_versions.KPI_METRICS[kpi].unit
    if unit == "pct":
        return f"{fmt.number(value, digits=1)}%"
    if unit == "money":
        return fmt.money(value, compact=True)
    if unit == "days":
        return tr("strategy_4p.days", n=fmt.number(value, digits=0))
    return fmt.number(value, digits=0)


def tracker_rows(track: pd.DataFrame, fmt: Formatter, tr: Translate) -> pd.DataFrame:
    """``plan_versions.tracker`` rows with the bar ``label`` (segment · P · KPI) and the hover
    ``detail`` (actual, target, previous period; plan text escaped) the chart draws."""
    ps, kpis = p_names(tr), kpi_names(tr)

    def text(kpi: str, value: float | None) -> str:
        return kpi_text(kpi, value, fmt, tr)

    def segment(value: object) -> str:  # absence is "—", never "None"
        return "—" if value is None or pd.isna(value) or not str(value).strip() else str(value)

    return track.assign(
        label=[f"{segment(r.segment)} · {ps[r.p]} · {kpis[r.kpi]}" for r in track.itertuples()],
        detail=[
            "<br>".join(
                [
                    html.escape(f"{segment(r.segment)} · {ps[r.p]}"),
                    f"{kpis[r.kpi]}: {text(r.kpi, r.actual)}",
                    f"{tr('strategy_4p.field.target')}: {text(r.kpi, r.target)}",
                    f"{tr('strategy_4p.previous_period')}: {text(r.kpi, r.previous)}",
                ]
            )
            for r in track.itertuples()
        ],
    )
