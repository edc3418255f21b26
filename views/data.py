"""Data: what the workspace holds, month by month, the deal checks (outliers, amounts of 0)
with the settings that leave them out, and who changed which setting."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from babel.dates import get_month_names

from components.charts import data as data_charts
from planning import data_checks
from queries import data_admin
from queries import data_checks as checks_q
from queries import settings as settings_q
from queries.ingest.fields import KINDS
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


# -- the deal checks: outliers and amounts of 0 (issue 16) -------------------------------------
def _sentences(ctx: Context, parts: list[str]) -> str:
    """Sentences in a row: Chinese runs them on after "。", English leaves a space."""
    return ("" if ctx.lang == "zh" else " ").join(parts)


@dataclass(frozen=True)
class OutlierCheck:
    """The workspace's outlier deals as the Data page lists them: the rows (readable columns),
    a summary computed from them, and whether the setting leaves them out."""

    table: pd.DataFrame
    summary: str
    excluding: bool
    count_excluded: int


def outlier_check(ctx: Context) -> OutlierCheck:
    """Deals (won; open now) of the whole workspace above 20× the median amount of their kind,
    what they add to won revenue and the open pipeline, and which are left out now."""
    multiple = data_checks.OUTLIER_MULTIPLE
    rows = ctx.ask(checks_q.workspace_outliers, multiple)
    excluding = checks_q.is_on(ctx.settings, checks_q.EXCLUDE_OUTLIERS)
    left_out = int(rows["is_excluded"].sum()) if not rows.empty else 0
    times = ctx.fmt.number(multiple)
    if rows.empty:
        summary = ctx.t("data.checks.outliers_none", multiple=times)
        return OutlierCheck(pd.DataFrame(), summary, excluding, left_out)
    won = rows[rows["kind"] == "won"]
    open_ = rows[rows["kind"] == "open"]
    parts = [ctx.t("data.checks.outliers_found", count=ctx.fmt.number(len(rows)), multiple=times)]
    for kind, part in (("won", won), ("open", open_)):
        if not part.empty:
            parts.append(
                ctx.t(
                    f"data.checks.outliers_{kind}",
                    count=ctx.fmt.number(len(part)),
                    amount=ctx.fmt.money(float(part["amount"].sum())),
                    median=ctx.fmt.money(float(part["median_amount"].iloc[0])),
                    priced=ctx.fmt.number(int(part["count_priced"].iloc[0])),
                )
            )
    state = "outliers_left_out" if excluding else "outliers_counted"
    parts.append(ctx.t(f"data.checks.{state}", count=ctx.fmt.number(left_out)))
    yes, no = ctx.t("data.checks.yes"), ctx.t("data.checks.no")
    table = pd.DataFrame(
        {
            ctx.t("data.checks.col_deal"): [
                f"{d} · {n}" if isinstance(n, str) and n else str(d)
                for d, n in zip(rows["deal_id"], rows["name"], strict=True)
            ],
            ctx.t("data.checks.col_kind"): [ctx.t(f"data.checks.kind_{k}") for k in rows["kind"]],
            ctx.t("data.checks.col_amount"): [ctx.fmt.money(float(v)) for v in rows["amount"]],
            ctx.t("data.checks.col_median"): [
                ctx.fmt.money(float(v)) for v in rows["median_amount"]
            ],
            ctx.t("data.checks.col_times"): [
                f"{ctx.fmt.number(float(v), digits=1)}×" for v in rows["times_median"]
            ],
            ctx.t("data.checks.col_left_out"): [yes if x else no for x in rows["is_excluded"]],
        }
    )
    return OutlierCheck(table, _sentences(ctx, parts), excluding, left_out)


@dataclass(frozen=True)
class ZeroCheck:
    """Won deals with an amount of 0: a summary computed from the counts, and whether the
    setting reads 0 as "not entered"."""

    summary: str
    count_zero: int
    zero_is_missing: bool


def zero_amount_check(ctx: Context) -> ZeroCheck:
    """How many won deals (whole workspace) have an amount of 0, and the average won deal
    counting them as 0 against counting only the deals with an amount ("—" with its reason
    when no won deal has one)."""
    z = ctx.ask(checks_q.workspace_zero_amounts)
    missing = checks_q.is_on(ctx.settings, checks_q.ZERO_IS_MISSING)
    zeros, won = int(z["count_won_zero"]), int(z["count_won"])
    if not won:
        return ZeroCheck(ctx.t("data.checks.zero_no_won"), 0, missing)
    if not zeros:
        return ZeroCheck(ctx.t("data.checks.zero_none", won=ctx.fmt.number(won)), 0, missing)
    avg_priced = z["avg_priced"]
    parts = [
        ctx.t(
            "data.checks.zero_found",
            count=ctx.fmt.number(zeros),
            won=ctx.fmt.number(won),
            with_zeros=ctx.fmt.money(z["avg_with_zeros"]),
        )
    ]
    if avg_priced is None:
        parts.append(ctx.t("data.checks.zero_all"))
    else:
        parts.append(
            ctx.t(
                "data.checks.zero_priced",
                priced=ctx.fmt.number(int(z["count_won_priced"])),
                average=ctx.fmt.money(avg_priced),
            )
        )
    parts.append(
        ctx.t("data.checks.zero_missing_on" if missing else "data.checks.zero_missing_off")
    )
    return ZeroCheck(_sentences(ctx, parts), zeros, missing)


# -- who changed which setting (migration 020) --------------------------------------------------
ON_OFF_KEYS = (checks_q.EXCLUDE_OUTLIERS, checks_q.ZERO_IS_MISSING)
SHARE_KEYS = ("pull_share_of_sales", "unit_gross_margin", "unit_annual_churn")  # stored 0..1
LIMIT_KEYS = ("undo_keep_imports", "undo_keep_days")  # empty: no limit
# the settings whose stored codes have a label of their own: key -> catalogue prefix
CODE_LABELS = {"deal_source_rule": "data.rule", "funnel_mql_rule": "funnel.mql_rule"}


@dataclass(frozen=True)
class ChangeLog:
    """The newest entries of a log as the Data page lists them: rows newest first (readable
    text, and by_user as stored so that the page names the user as every other log does),
    and how many entries the log holds in all."""

    rows: pd.DataFrame
    count_all: int

    @property
    def count_shown(self) -> int:
        return len(self.rows)


def setting_label(ctx: Context, key: str) -> str:
    """The setting's name in the reader's language; its key when the catalogue has none (a
    setting written by a newer Flywheel)."""
    label = ctx.t(f"data.setting.{key}")
    return key if label == f"data.setting.{key}" else label


def setting_value(ctx: Context, key: str, value: str | None) -> str:
    """A stored setting value as a reader says it: "not set" for none, on/off, a percentage,
    a month's name, a rule's sentence; otherwise the value as stored."""
    if value is None:
        return ctx.t("data.changes.not_set")
    if key in ON_OFF_KEYS and value in ("0", "1"):
        return ctx.t("data.changes.on" if value == "1" else "data.changes.off")
    if key in LIMIT_KEYS and value == "":
        return ctx.t("data.changes.no_limit")
    if key in CODE_LABELS:
        label = ctx.t(f"{CODE_LABELS[key]}.{value}")
        return value if label == f"{CODE_LABELS[key]}.{value}" else label
    try:
        number = float(value)
    except ValueError:
        return value
    if key in SHARE_KEYS:
        return ctx.fmt.pct(number)
    if key == "fiscal_year_start_month" and number.is_integer() and 1 <= number <= 12:
        return get_month_names("wide", locale="zh_CN" if ctx.lang == "zh" else "en")[int(number)]
    return value


def _when(ctx: Context, column: pd.Series) -> list[str]:
    return [f"{ctx.fmt.date(at.date())} {at:%H:%M}" for at in pd.to_datetime(column)]


def _users(column: pd.Series) -> pd.Series:
    # object, not text: None stays None (no user recorded), never a NaN or "None"
    return pd.Series([None if pd.isna(u) else str(u) for u in column], dtype=object)


def setting_changes(ctx: Context, limit: int = settings_q.RECENT) -> ChangeLog:
    """The newest ``limit`` changes to the workspace's settings (and its logo), who made each,
    when, and the value before and after."""
    log = ctx.ask(settings_q.recent_changes, limit)
    if log.empty:
        return ChangeLog(pd.DataFrame(columns=["when", "by_user", "setting", "old", "new"]), 0)
    rows = pd.DataFrame(
        {
            "when": _when(ctx, log["changed_at"]),
            "by_user": _users(log["by_user"]),
            "setting": [setting_label(ctx, k) for k in log["key"]],
            "old": [
                setting_value(ctx, k, None if pd.isna(v) else str(v))
                for k, v in zip(log["key"], log["old_value"], strict=True)
            ],
            "new": [
                setting_value(ctx, k, None if pd.isna(v) else str(v))
                for k, v in zip(log["key"], log["new_value"], strict=True)
            ],
        }
    )
    return ChangeLog(rows, int(log["count_all"].iloc[0]))


def undone_imports(ctx: Context, limit: int = settings_q.RECENT) -> ChangeLog:
    """The newest ``limit`` undone imports: when, who undid it, the file, its kind and the
    rows it had loaded (an undone import leaves the import history; this keeps it in view)."""
    log = ctx.ask(settings_q.recent_undos, limit)
    if log.empty:
        return ChangeLog(pd.DataFrame(columns=["when", "by_user", "file", "kind", "rows"]), 0)
    rows = pd.DataFrame(
        {
            "when": _when(ctx, log["undone_at"]),
            "by_user": _users(log["by_user"]),
            "file": [str(f) if isinstance(f, str) else "—" for f in log["file_name"]],
            "kind": [ctx.t(f"wizard.kind.{k}") if k in KINDS else str(k) for k in log["kind"]],
            "rows": [ctx.fmt.number(None if pd.isna(n) else int(n)) for n in log["rows_loaded"]],
        }
    )
    return ChangeLog(rows, int(log["count_all"].iloc[0]))
