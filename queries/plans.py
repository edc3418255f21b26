"""The plans a team keeps in its workspace: market assumptions and competitor shares (edited
on the Market analysis page), the target market decision, the positioning map, the versioned
4P plan and the budget plan (008_market_plans.sql).

Reads return DataFrames; every write validates first (planning/*), then runs in one
transaction (all of it or nothing). Nothing here imports Streamlit: the pages call these
functions and then ``state.data_changed()``.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import duckdb
import pandas as pd

from planning import budget_mix, market_sizing, plan_versions
from planning.market_sizing import FieldError
from queries import actor, sqlfiles
from queries.filters import Filters
from queries.workspace import Workspace

RATIONALE_LIMIT = 4000


class PlanError(ValueError):
    """An edit refused; ``errors`` says which field of which row, and why."""

    def __init__(self, errors: Sequence[FieldError]) -> None:
        super().__init__("; ".join(f"row {e.row} {e.field}: {e.code}" for e in errors))
        self.errors = list(errors)


def _run(cur: duckdb.DuckDBPyConnection, name: str, **params: object) -> None:
    q = sqlfiles.get(name)
    cur.execute(q.sql, q.bind(params))


def _insert_frame(
    cur: duckdb.DuckDBPyConnection, name: str, view: str, frame: pd.DataFrame, **params: object
) -> None:
    """Run the named insert that reads the frame registered as ``view``."""
    if frame.empty:
        return
    cur.register(view, frame)
    try:
        _run(cur, name, **params)
    finally:
        cur.unregister(view)


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


# -- target market decision --------------------------------------------------------------------
def target_decisions(ws: Workspace) -> pd.DataFrame:
    """Every saved target decision, newest first (``segments`` is a list)."""
    return ws.query("plan_target_decisions")


def target_segments(ws: Workspace) -> tuple[str, ...]:
    """The segments of the decision in force (the newest), () when none was taken: the default
    of the sidebar's segment filter."""
    df = target_decisions(ws)
    if df.empty:
        return ()
    return tuple(str(s) for s in df["segments"].iloc[0])


def save_target_decision(
    ws: Workspace,
    segments: Sequence[str],
    rationale: str,
    decided_by: str = "",
    *,
    at: datetime | None = None,
) -> None:
    """Record a target decision, dated now. Refused without a segment or a rationale."""
    errors = []
    chosen = [s for s in dict.fromkeys(str(s).strip() for s in segments) if s]
    if not chosen:
        errors.append(FieldError(1, "segments", "required"))
    text = (rationale or "").strip()
    if not text:
        errors.append(FieldError(1, "rationale", "required"))
    elif len(text) > RATIONALE_LIMIT:
        errors.append(FieldError(1, "rationale", "too_long", (("limit", RATIONALE_LIMIT),)))
    if errors:
        raise PlanError(errors)
    with ws.transaction() as cur:
        _run(
            cur,
            "plan_insert_target_decision",
            decided_at=at or _now(),
            segments=chosen,
            rationale=text,
            decided_by=(decided_by or "").strip() or None,
            by_user=actor.current(),
        )


# -- 4P plan versions --------------------------------------------------------------------------
def versions(ws: Workspace) -> pd.DataFrame:
    """Saved plan versions, newest first: id, saved_at, label, author, number of items."""
    return ws.query("plan_version_list")


def items(ws: Workspace, version_id: int | None) -> pd.DataFrame:
    """The items of one version (one row per segment and P); empty when ``version_id`` is
    None."""
    if version_id is None:
        return ws.query("plan_items_of_version", version_id=-1)
    return ws.query("plan_items_of_version", version_id=int(version_id))


def latest_version_id(ws: Workspace) -> int | None:
    df = versions(ws)
    return None if df.empty else int(df["version_id"].iloc[0])


def save_version(
    ws: Workspace,
    plan: pd.DataFrame,
    label: str,
    author: str = "",
    *,
    at: datetime | None = None,
) -> int:
    """Save ``plan`` (every card of every segment: segment, p and the item fields) as a new
    version; returns its id. Each segment's four cards are validated
    (``plan_versions.validate_items``; row = the P's position 1..4); nothing is saved when one
    is refused. A label is required."""
    errors: list[FieldError] = []
    if not (label or "").strip():
        errors.append(FieldError(0, "label", "required"))
    bad_p = set(plan["p"]) - set(plan_versions.PS)
    if bad_p:
        errors.append(FieldError(0, "p", "unknown_p", (("value", sorted(bad_p)[0]),)))
    for segment, part in plan.groupby("segment", sort=True):
        for e in plan_versions.validate_items(part):
            errors.append(
                FieldError(e.row, e.field, e.code, (*e.params, ("segment", str(segment))))
            )
    if errors:
        raise PlanError(errors)
    clean = plan_versions.normalise_items(plan)[["segment", "p", *plan_versions.ITEM_FIELDS]]
    clean["due_date"] = pd.to_datetime(clean["due_date"]).dt.date
    with ws.transaction() as cur:
        version_id = int(cur.execute(sqlfiles.get("plan_next_version_id").sql).fetchone()[0])
        _run(
            cur,
            "plan_insert_version",
            version_id=version_id,
            saved_at=at or _now(),
            label=label.strip(),
            author=(author or "").strip() or None,
            by_user=actor.current(),
        )
        _insert_frame(cur, "plan_insert_items", "new_plan_items", clean, version_id=version_id)
    return version_id


# -- positioning map ---------------------------------------------------------------------------
def positioning_values(ws: Workspace) -> pd.DataFrame:
    """Every stored positioning value: kind, player, axis, value (long form)."""
    return ws.query("plan_positioning_values")


def save_positioning(ws: Workspace, values: pd.DataFrame) -> None:
    """Replace the positioning map by ``values`` (kind, player, axis, value; long form).
    Refused when a value is not a number, an axis or a competitor has no name, or a key
    repeats."""
    errors: list[FieldError] = []
    rows = []
    seen = set()
    for i, row in enumerate(values.to_dict("records"), start=1):
        kind = str(row.get("kind") or "")
        player = str(row.get("player") or "").strip() if kind == "competitor" else ""
        axis = str(row.get("axis") or "").strip()
        if kind not in ("competitor", "us", "target"):
            errors.append(FieldError(i, "kind", "unknown_kind", (("value", kind),)))
            continue
        if kind == "competitor" and not player:
            errors.append(FieldError(i, "player", "required"))
        if not axis:
            errors.append(FieldError(i, "axis", "required"))
        value = row.get("value")
        if value is None or (isinstance(value, float) and math.isnan(value)):
            continue  # an empty cell: no value on that axis
        try:
            number = float(value)
        except (TypeError, ValueError):
            errors.append(FieldError(i, "value", "not_a_number", (("axis", axis),)))
            continue
        if math.isinf(number):
            errors.append(FieldError(i, "value", "not_a_number", (("axis", axis),)))
            continue
        key = (kind, player, axis)
        if key in seen:
            errors.append(FieldError(i, "player", "duplicate", (("value", player or kind),)))
        seen.add(key)
        rows.append({"kind": kind, "player": player, "axis": axis, "value": number})
    if errors:
        raise PlanError(errors)
    frame = pd.DataFrame(rows, columns=["kind", "player", "axis", "value"])
    with ws.transaction() as cur:
        _run(cur, "plan_clear_positioning")
        _insert_frame(cur, "plan_insert_positioning", "new_positioning", frame)


# -- budget plan -------------------------------------------------------------------------------
def budget(ws: Workspace, plan_year: int) -> tuple[float | None, pd.DataFrame]:
    """The budget plan of ``plan_year``: its total (None when none saved) and its lines
    (kind, line, amount)."""
    total = ws.query("plan_budget_total", plan_year=int(plan_year))
    lines = ws.query("plan_budget_lines", plan_year=int(plan_year))
    return (None if total.empty else float(total["total"].iloc[0])), lines


def save_budget(ws: Workspace, plan_year: int, total: object, lines: pd.DataFrame) -> None:
    """Replace the budget plan of ``plan_year``. Refused (nothing saved) when an amount is
    not a number ≥ 0 or the lines do not add up to the total (budget_mix.validate_budget)."""
    errors = budget_mix.validate_budget(total, lines)
    names = [str(v or "").strip() for v in lines["line"]]
    for i, name in enumerate(names, start=1):
        if not name:
            errors.append(FieldError(i, "line", "required"))
    keys = list(zip(lines["kind"], names, strict=True))
    for i, key in enumerate(keys, start=1):
        if keys.index(key) != i - 1:
            errors.append(FieldError(i, "line", "duplicate", (("value", key[1]),)))
    if errors:
        raise PlanError(errors)
    frame = pd.DataFrame(
        {
            "kind": lines["kind"].astype(str).tolist(),
            "line": names,
            "amount": [0.0 if pd.isna(v) else round(float(v), 2) for v in lines["amount"]],
        }
    )
    with ws.transaction() as cur:
        _run(cur, "plan_clear_budget", plan_year=int(plan_year))
        _run(cur, "plan_clear_budget_total", plan_year=int(plan_year))
        _run(cur, "plan_insert_budget_total", plan_year=int(plan_year), total=float(total))
        _insert_frame(
            cur, "plan_insert_budget_lines", "new_budget_lines", frame, plan_year=int(plan_year)
        )


# -- market assumptions and competitors --------------------------------------------------------
SIZE_COLUMNS = ["segment", "tam", "sam", "som", "growth_pct", "target_accounts", "expected_acv"]


def save_market_year(ws: Workspace, year: int, sizes: pd.DataFrame) -> None:
    """Replace the market assumptions of ``year`` by ``sizes`` (one row per segment).
    Refused when ``market_sizing.validate_sizes`` finds a problem."""
    errors = market_sizing.validate_sizes(sizes)
    if not 1900 <= int(year) <= 2999:
        errors.append(FieldError(0, "year", "range", (("low", 1900), ("high", 2999))))
    if errors:
        raise PlanError(errors)
    frame = sizes.reindex(columns=SIZE_COLUMNS).copy()
    frame["segment"] = frame["segment"].astype(str).str.strip()
    for col in SIZE_COLUMNS[1:]:
        frame[col] = pd.to_numeric(frame[col]).astype(float)
    frame["target_accounts"] = frame["target_accounts"].astype("Int64")
    with ws.transaction() as cur:
        _run(cur, "plan_clear_market_year", year=int(year))
        _insert_frame(cur, "plan_insert_market_year", "new_market_sizes", frame, year=int(year))


COMPETITOR_COLUMNS = ["competitor", "segment", "year", "share_pct", "price_index", "quality_index"]
REQUIRED_COMPETITOR_COLUMNS = COMPETITOR_COLUMNS[:4]
CSV_ROW_LIMIT = 10_000


def validate_competitors(df: pd.DataFrame) -> list[FieldError]:
    """Competitor shares as edited or imported: a competitor and a segment named, the year a
    whole number 1900..2999, share 0..100 %, indices (optional) numbers ≥ 0, one row per
    competitor, segment and year, and the shares of a segment's year adding up to at most
    100 %."""
    errors: list[FieldError] = []
    seen: dict[tuple[str, str, int], int] = {}
    totals: dict[tuple[str, int], float] = {}
    for i, row in enumerate(df.to_dict("records"), start=1):
        name = str(row.get("competitor") or "").strip()
        segment = str(row.get("segment") or "").strip()
        if not name or name.lower() == "nan":
            errors.append(FieldError(i, "competitor", "required"))
        if not segment or segment.lower() == "nan":
            errors.append(FieldError(i, "segment", "required"))
        year = _whole(row.get("year"))
        if year is None or not 1900 <= year <= 2999:
            errors.append(FieldError(i, "year", "range", (("low", 1900), ("high", 2999))))
        share = _num(row.get("share_pct"))
        if share is None or not 0 <= share <= 100:
            errors.append(FieldError(i, "share_pct", "range", (("low", 0), ("high", 100))))
        for col in ("price_index", "quality_index"):
            raw = row.get(col)
            if raw is None or (isinstance(raw, str) and not raw.strip()) or _is_nan(raw):
                continue
            value = _num(raw)
            if value is None:
                errors.append(FieldError(i, col, "not_a_number"))
            elif value < 0:
                errors.append(FieldError(i, col, "negative"))
        if name and segment and year is not None:
            key = (name, segment, year)
            if key in seen:
                errors.append(FieldError(i, "competitor", "duplicate_of", (("other", seen[key]),)))
            seen.setdefault(key, i)
            if share is not None and 0 <= share <= 100:  # a bad share is reported above
                totals[(segment, year)] = totals.get((segment, year), 0.0) + share
    for (segment, year), total in sorted(totals.items()):
        if total > 100.0 + 1e-9:
            errors.append(
                FieldError(
                    0,
                    "share_pct",
                    "shares_over_100",
                    (("segment", segment), ("year", year), ("total", round(total, 1))),
                )
            )
    return errors


def _competitor_frame(df: pd.DataFrame) -> pd.DataFrame:
    frame = df.reindex(columns=COMPETITOR_COLUMNS).copy()
    frame["competitor"] = frame["competitor"].astype(str).str.strip()
    frame["segment"] = frame["segment"].astype(str).str.strip()
    frame["year"] = [int(_whole(v)) for v in frame["year"]]
    for col in ("share_pct", "price_index", "quality_index"):
        frame[col] = [_num(v) if not _is_nan(v) else None for v in frame[col]]
        frame[col] = frame[col].astype(float)
    return frame


def save_competitors(ws: Workspace, rows: pd.DataFrame, segment: str | None) -> None:
    """Replace the competitor shares of ``segment`` (every segment when None) by ``rows``.
    Refused when ``validate_competitors`` finds a problem or a row lies outside the segment."""
    errors = validate_competitors(rows)
    if segment is not None:
        for i, s in enumerate(rows["segment"].tolist(), start=1):
            if str(s or "").strip() not in ("", segment):
                errors.append(FieldError(i, "segment", "outside_scope", (("value", segment),)))
    if errors:
        raise PlanError(errors)
    frame = _competitor_frame(rows)
    with ws.transaction() as cur:
        _run(cur, "plan_clear_competitor_rows", segment=segment)
        _insert_frame(cur, "plan_insert_competitors", "new_competitors", frame)


COMPETITORS_MAX_BYTES = 5_000_000  # a competitor list is a few hundred rows, not megabytes


def parse_competitors_csv(data: bytes) -> pd.DataFrame:
    """Read a competitor CSV (UTF-8, comma-separated, a header row). Required columns:
    competitor, segment, year, share_pct; optional: price_index, quality_index; other columns
    are ignored. Raises PlanError (row 0) when the file cannot be read or lacks a column."""
    if len(data) > COMPETITORS_MAX_BYTES:
        limit = (("limit_mb", f"{COMPETITORS_MAX_BYTES / 1e6:g}"),)
        raise PlanError([FieldError(0, "file", "too_large", limit)])
    try:
        text = data.decode("utf-8-sig")
        df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError):
        raise PlanError([FieldError(0, "file", "unreadable")]) from None
    df.columns = [str(c).strip().lower() for c in df.columns]
    missing = [c for c in REQUIRED_COMPETITOR_COLUMNS if c not in df.columns]
    if missing:
        params = (("columns", ", ".join(missing)),)
        raise PlanError([FieldError(0, "file", "missing_columns", params)])
    if len(df) > CSV_ROW_LIMIT:
        raise PlanError([FieldError(0, "file", "too_many_rows", (("limit", CSV_ROW_LIMIT),))])
    return df.reindex(columns=COMPETITOR_COLUMNS).replace({"": None})


def import_competitors(ws: Workspace, rows: pd.DataFrame) -> int:
    """Upsert imported competitor shares: a row replaces the stored row of the same
    competitor, segment and year; other rows stay. Validated together with the rows it keeps
    (the shares of a segment's year must still add up to at most 100 %); all or nothing.
    Returns the number of rows imported."""
    errors = validate_competitors(rows)
    if errors:
        raise PlanError(errors)
    frame = _competitor_frame(rows)
    stored = ws.query("market_competitor_rows")
    keys = set(zip(frame["competitor"], frame["segment"], frame["year"], strict=True))
    kept = stored[
        [
            (c, s, int(y)) not in keys
            for c, s, y in zip(stored["competitor"], stored["segment"], stored["year"], strict=True)
        ]
    ]
    # the merged table must hold: only the share totals can fail here (rows of the file are
    # valid and their keys replace the stored ones)
    merged_errors = [
        e for e in validate_competitors(pd.concat([kept, frame])) if e.code == "shares_over_100"
    ]
    if merged_errors:
        raise PlanError(merged_errors)
    with ws.transaction() as cur:
        for c, s, y in sorted(keys):
            _run(cur, "plan_delete_competitor_row", competitor=c, segment=s, year=y)
        _insert_frame(cur, "plan_insert_competitors", "new_competitors", frame)
    return len(frame)


def competitor_rows(ws: Workspace, filters: Filters, segment: str | None) -> pd.DataFrame:
    """The stored competitor shares of ``segment`` (all in the sidebar's segments when None),
    one row per competitor, segment and year, as the page's editor shows them."""
    df = ws.query("market_competitor_rows")
    chosen = filters.segments
    if segment is not None:
        df = df[df["segment"] == segment]
    elif chosen:
        df = df[df["segment"].isin(chosen)]
    return df.reset_index(drop=True)


def _is_nan(value: object) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _num(value: object) -> float | None:
    if _is_nan(value):
        return None
    try:
        number = float(str(value).strip()) if isinstance(value, str) else float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) or math.isinf(number) else number


def _whole(value: object) -> int | None:
    number = _num(value)
    if number is None or number != int(number):
        return None
    return int(number)


# -- the sample workspace's starting plan -----------------------------------------------------
@dataclass(frozen=True)
class SamplePlan:
    """The words and figures of the sample company's starting plan: the English sample's by
    default; the Chinese sample passes its own (sample_data/plans_zh.py)."""

    segments: tuple[str, ...] = ("Mid-Market", "Enterprise")
    # per P: (decision, why, KPI, owner)
    cards: Mapping[str, tuple[str, str, str, str]] = field(
        default_factory=lambda: {
            "product": (
                "Lead with Insight Pro and Forecast AI; bundle DataHub Connect for data teams.",
                "Higher-tier products win larger deals in these segments.",
                "avg_deal_size",
                "Product lead",
            ),
            "price": (
                "Cap discounts at 15%; value-based price list for Enterprise.",
                "Deals above 15% discount do not win more often.",
                "win_rate",
                "Sales ops",
            ),
            "place": (
                "Named-account sales in North America and EMEA; partner channel for APAC.",
                "Regions with the shortest cycle get the direct team.",
                "sales_cycle_days",
                "Head of sales",
            ),
            "promotion": (
                "Shift spend from paid social to webinars and content for buying committees.",
                "Webinars and content bring pipeline at the lowest cost per lead.",
                "opportunities",
                "Marketing lead",
            ),
        }
    )
    # per KPI, the target of each segment (in the order of ``segments``)
    targets: Mapping[str, tuple[float, ...]] = field(
        default_factory=lambda: {
            "avg_deal_size": (60000.0, 250000.0),
            "win_rate": (30.0, 25.0),
            "sales_cycle_days": (60.0, 120.0),
            "opportunities": (400.0, 120.0),
        }
    )
    version_name: str = "Plan 1: first draft"
    author: str = "Leadership team"
    # the channel a fifth of whose spend moves to product and place in next year's budget
    social_channel: str = "Paid Social"


def seed_sample_plans(
    ws: Workspace, *, today: date | None = None, plan: SamplePlan | None = None
) -> None:
    """A sensible starting plan for the sample company, written in one transaction: a first 4P
    plan version for the segments it considers (Mid-Market and Enterprise), the
    positioning map from the latest competitor research plus our position and a target, and
    next year's budget plan at last year's spend. Does nothing when a plan already exists.
    No target decision: it would become every page's default segment filter, and the sample
    should open on the whole company; choosing the target market is the team's call."""
    if not target_decisions(ws).empty or latest_version_id(ws) is not None:
        return
    plan = plan or SamplePlan()
    stamp = datetime.combine(today or date(2026, 11, 2), datetime.min.time()).replace(hour=9)
    due = date(stamp.year + 1, 6, 30)
    rows = [
        {
            "segment": segment,
            "p": p,
            "decisions": decision,
            "rationale": why,
            "kpi": kpi,
            "target": plan.targets[kpi][i],
            "owner": owner,
            "due_date": due,
        }
        for i, segment in enumerate(plan.segments)
        for p, (decision, why, kpi, owner) in plan.cards.items()
    ]
    save_version(ws, pd.DataFrame(rows), plan.version_name, plan.author, at=stamp)
    comp = ws.query("market_competitor_rows")
    if not comp.empty:
        latest = comp[comp["year"] == comp["year"].max()]
        means = latest.groupby("competitor")[["price_index", "quality_index"]].mean()
        values = [
            {"kind": "competitor", "player": name, "axis": axis, "value": float(v)}
            for name, r in means.iterrows()
            for axis, v in r.items()
            if not pd.isna(v)
        ]
        values += [
            {"kind": "us", "player": "", "axis": "price_index", "value": 95.0},
            {"kind": "us", "player": "", "axis": "quality_index", "value": 72.0},
            {"kind": "target", "player": "", "axis": "price_index", "value": 105.0},
            {"kind": "target", "player": "", "axis": "quality_index", "value": 84.0},
        ]
        save_positioning(ws, pd.DataFrame(values))
    # next year's budget: each marketing channel at its spend of the last twelve months
    end = date(stamp.year, stamp.month, 1)
    base = Filters(date_from=date(end.year - 1, end.month, 1), date_to=end - timedelta(days=1))
    spent = ws.query("mix_spend_split", **base.params())
    spent = spent[(spent["category"] == "marketing") & (spent["channel"] != "")]
    if not spent.empty:
        lines = budget_mix.default_lines(
            spent["channel"].tolist(), dict(zip(spent["channel"], spent["amount"], strict=True))
        )
        # a modest product/place line (launch content, partner enablement) taken from paid
        # social: the plan reallocates, it does not grow the total
        lines["amount"] = lines["amount"].round(2)
        social = lines["line"] == plan.social_channel
        shift = round(0.2 * float(lines.loc[social, "amount"].sum()), 2)
        if shift > 0:
            lines.loc[social, "amount"] -= shift
            lines.loc[lines["line"] == "product", "amount"] += round(shift / 2, 2)
            lines.loc[lines["line"] == "place", "amount"] += shift - round(shift / 2, 2)
        lines["amount"] = lines["amount"].round(2)
        save_budget(ws, stamp.year + 1, round(float(lines["amount"].sum()), 2), lines)


def messages(
    errors: Sequence[FieldError],
    translate: Callable[..., str],
    field_labels: Mapping[str, str],
    row_labels: Mapping[int, str] | None = None,
) -> list[str]:
    """One readable line per refused field: "<row> · <field>: <why>". ``translate`` is the
    page's ``t``; message codes are keys ``market.err.<code>``; ``row_labels`` names rows
    (default "Row n"; row 0 is the form itself and has no row prefix)."""
    lines = []
    for e in errors:
        kwargs = {k: v for k, v in e.params if k != "segment"}
        why = translate(f"market.err.{e.code}", **kwargs)
        field = field_labels.get(e.field, e.field)
        segment = dict(e.params).get("segment")
        if e.row == 0:
            where = field
        else:
            row = (row_labels or {}).get(e.row) or translate("market.err.row", row=e.row)
            where = f"{row} · {field}"
        if segment:
            where = f"{segment} · {where}"
        lines.append(f"{where}: {why}")
    return lines
