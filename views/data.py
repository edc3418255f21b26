"""Data: what the workspace holds, month by month."""

from __future__ import annotations

from components.charts import data as data_charts
from queries import data_admin
from views.registry import view
from views.spec import ChartSpec, Context

TABLES = ("leads", "deals", "spend")


@view("data", "records_per_month", pack=False)
def records_per_month(ctx: Context) -> ChartSpec:
    """Rows dated each month per table, gaps marked: where an export may have missed months."""
    key = "data.records_per_month"
    title = ctx.t("data.records_title")
    caption = ctx.t("data.records_caption")
    records = ctx.ask(data_admin.records_per_month)
    if records.empty:
        return ctx.empty(key, title, caption, ctx.t("data.range_empty"))
    table_labels = {tn: ctx.t(f"data.table.{tn}") for tn in TABLES}
    fig = data_charts.records_per_month(
        records,
        title=title,
        table_labels=table_labels,
        y_title=ctx.t("data.records_axis"),
        gap_label=ctx.t("data.records_gap"),
    )
    data = records.assign(
        table_name=records["table_name"].map(lambda tn: table_labels.get(tn, tn)),
        month=records["month"].dt.strftime("%Y-%m"),
    ).rename(
        columns={
            "table_name": ctx.t("data.col.table"),
            "month": ctx.t("pack.col_month"),
            "count_records": ctx.t("data.records_axis"),
        }
    )
    return ChartSpec(key, "data", title, fig, data, caption, "")
