"""The attribution weights computed in SQL (``attribution_credit`` in queries/sql/campaigns.sql,
through queries.campaigns.attribution_credit) against the one-path oracle
``planning.attribution.path_weights``, on a small workspace written here.

Every touch has a campaign (and a channel) of its own, so a campaign's credit *is* the weight of
that one touch: the query's sums can be compared touch by touch with the oracle. The paths cover
the edge cases: no recorded touches (one from the record), one touch, two touches (U-shaped
50/50; W-shaped with coinciding key touches), three touches, a tie in time (ordered by
touch_id, which here is not the insertion order), touches after the conversion (off the path),
a deal whose lead-creation touch is in the middle, first, last or missing, a deal without a
lead, and time decay with a half-life that is not the default.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest

from planning import attribution
from queries import campaigns
from queries.workspace import Workspace, refresh_lead_facts

DAY0 = datetime(2025, 3, 1, 9, 0)
AS_OF = DAY0.date() + timedelta(days=120)
HALF_LIFE = 5.0


def at(days: float) -> datetime:
    return DAY0 + timedelta(days=days)


@dataclass
class Lead:
    lead_id: str
    created: float  # days after DAY0
    touches: list[tuple[str, float]] = field(default_factory=list)  # (touch_id, days)
    mql: bool = False
    sql: bool = False


@dataclass
class Deal:
    deal_id: str
    lead_id: str | None
    created: float
    amount: float
    won: bool


LEADS = [
    Lead("L0", 1.0),  # no recorded touches: one from its record
    Lead("L1", 2.0, [("L1-a", 2.0)], mql=True),  # one touch, at the creation
    Lead("L2", 10.0, [("L2-a", 3.0), ("L2-b", 10.0)], mql=True, sql=True),  # two touches
    Lead("L3", 20.0, [("L3-a", 4.5), ("L3-b", 11.25), ("L3-c", 19.0)]),  # three
    # a tie at day 8: T-z was inserted first, but T-m sorts before it by touch_id
    Lead(
        "L4",
        30.0,
        [("L4-z", 8.0), ("L4-m", 8.0), ("L4-a", 1.0), ("L4-q", 29.5), ("L4-r", 30.0)],
        sql=True,
    ),
    # two touches before the lead, two after it (before its deal), one after the deal
    Lead("L5", 40.0, [("L5-a", 31.0), ("L5-b", 40.0), ("L5-c", 45.0), ("L5-d", 50.0)]),
    Lead("L6", 60.0, [("L6-a", 61.0), ("L6-b", 62.0), ("L6-c", 70.0)]),  # touched after creation
    Lead("L7", 70.0, [("L7-a", 70.0), ("L7-b", 71.0), ("L7-c", 72.0)]),  # lead touch first
    Lead("L8", 75.0),  # no touches, but a deal
]
LATE_TOUCHES = [("L5-late", "L5", 90.0)]  # after L5's deal: on no path

DEALS = [
    Deal("D0", None, 5.0, 700.0, True),  # no lead: one touch from its record
    Deal("D2", "L2", 12.0, 1000.0, True),  # two touches, the lead touch last
    Deal("D4", "L4", 31.0, 2000.0, False),
    Deal("D5", "L5", 55.0, 3000.0, True),  # lead touch in the middle; L5-late is after it
    Deal("D6", "L6", 80.0, 4000.0, True),  # no touch up to the lead's creation
    Deal("D7", "L7", 73.0, 5000.0, True),  # the lead touch is the first
    Deal("D8", "L8", 76.0, 6000.0, False),  # lead without touches: one from the deal's record
    Deal("D9", "L3", 20.5, 8000.0, True),  # three touches, the lead touch last
]


def _write(path: Path) -> None:
    ws = Workspace(path)
    try:
        with ws.transaction() as cur:
            cur.execute(
                "insert into campaigns (campaign_id, name, channel, start_date, end_date) "
                "values ('D0-rec', 'D0 campaign', 'D0-rec', '2025-01-01', '2025-12-31')"
            )
            for lead in LEADS:
                cur.execute(
                    "insert into raw_leads (lead_id, created_at, source, campaign_id, mql_at, "
                    "sql_at) values (?, ?, ?, ?, ?, ?)",
                    [
                        lead.lead_id,
                        at(lead.created),
                        f"{lead.lead_id}-rec",
                        f"{lead.lead_id}-rec",
                        at(lead.created) if lead.mql else None,
                        at(lead.created) if lead.sql else None,
                    ],
                )
                for touch_id, days in lead.touches:
                    cur.execute(
                        "insert into touches (touch_id, lead_id, campaign_id, channel, "
                        "touched_at) values (?, ?, ?, ?, ?)",
                        [touch_id, lead.lead_id, touch_id, touch_id, at(days)],
                    )
            for touch_id, lead_id, days in LATE_TOUCHES:
                cur.execute(
                    "insert into touches (touch_id, lead_id, campaign_id, channel, touched_at) "
                    "values (?, ?, ?, ?, ?)",
                    [touch_id, lead_id, touch_id, touch_id, at(days)],
                )
            for deal in DEALS:
                cur.execute(
                    "insert into raw_deals (deal_id, lead_id, created_at, closed_at, outcome, "
                    "amount, source, campaign_id) values (?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        deal.deal_id,
                        deal.lead_id,
                        at(deal.created),
                        at(deal.created + 10),
                        "won" if deal.won else "lost",
                        deal.amount,
                        f"{deal.deal_id}-source",
                        f"{deal.deal_id}-rec",
                    ],
                )
            refresh_lead_facts(cur)  # the touch facts the query reads, as every writer does
    finally:
        ws.close()


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    path = tmp_path_factory.mktemp("attr_sql") / "paths.duckdb"
    _write(path)
    w = Workspace(path, read_only=True)
    yield w
    w.close()


def _lead(lead_id: str) -> Lead:
    return next(lead for lead in LEADS if lead.lead_id == lead_id)


def _ordered(touches: list[tuple[str, float]]) -> list[tuple[str, float]]:
    return sorted(touches, key=lambda t: (t[1], t[0]))  # time, then touch_id


def _expected(model: str, half_life: float = HALF_LIFE) -> pd.DataFrame:
    """Per touch (its campaign): the oracle's weight and the values it carries."""
    rows = []
    for lead in LEADS:
        path = _ordered([t for t in lead.touches if t[1] <= lead.created]) or [
            (f"{lead.lead_id}-rec", lead.created)
        ]
        w = attribution.path_weights(
            [at(d) for _, d in path],
            model,
            converted_at=at(lead.created),
            lead_index=len(path) - 1,
            half_life_days=half_life,
        )
        for (campaign, _), weight in zip(path, w, strict=True):
            rows.append(("lead", campaign, weight, weight * lead.mql, weight * lead.sql, 0, 0, 0))
    for deal in DEALS:
        lead = _lead(deal.lead_id) if deal.lead_id else None
        touches = list(lead.touches) if lead else []
        if lead:
            touches += [(tid, d) for tid, lid, d in LATE_TOUCHES if lid == lead.lead_id]
        path = _ordered([t for t in touches if t[1] <= deal.created]) or [
            (f"{deal.deal_id}-rec", deal.created)
        ]
        upto_lead = [i for i, (_, d) in enumerate(path) if lead and d <= lead.created]
        w = attribution.path_weights(
            [at(d) for _, d in path],
            model,
            converted_at=at(deal.created),
            lead_index=upto_lead[-1] if upto_lead else None,
            half_life_days=half_life,
        )
        for (campaign, _), weight in zip(path, w, strict=True):
            won = weight if deal.won else 0.0
            pipeline = weight * deal.amount
            rows.append(("deal", campaign, weight, 0, 0, pipeline, won, won * deal.amount))
    columns = ["kind", "campaign_id", "count_credited", "mqls", "sqls", "pipeline", "won"]
    df = pd.DataFrame(rows, columns=[*columns, "won_amount"])
    return df.set_index(["kind", "campaign_id"]).sort_index()


def test_the_fixture_covers_the_edge_cases():
    lengths = {
        lead.lead_id: len([t for t in lead.touches if t[1] <= lead.created]) for lead in LEADS
    }
    assert {0, 1, 2, 3, 5} <= set(lengths.values())
    # the tie: T-z is inserted before T-m but comes after it
    assert [t for t, _ in _ordered(_lead("L4").touches)][:3] == ["L4-a", "L4-m", "L4-z"]


# HALF_LIFE: time decay from the paths' ages; the default: from the weights kept at it
@pytest.mark.parametrize("half_life", [HALF_LIFE, attribution.HALF_LIFE_DAYS])
@pytest.mark.parametrize("model", attribution.MODELS)
def test_sql_weights_equal_the_oracle_touch_by_touch(ws: Workspace, model: str, half_life: float):
    credit = campaigns.attribution_credit(ws, AS_OF, half_life)
    got = credit[credit["model"] == model].set_index(["kind", "campaign_id"]).sort_index()
    want = _expected(model, half_life)
    assert list(got.index) == list(want.index)
    for col, want_col in [
        ("count_credited", "count_credited"),
        ("count_mqls", "mqls"),
        ("count_sqls", "sqls"),
        ("pipeline", "pipeline"),
        ("won", "won"),
        ("won_amount", "won_amount"),
    ]:
        assert got[col].tolist() == pytest.approx(want[want_col].tolist(), abs=1e-9), col
    # the channel of a touch comes along (here the same as its campaign); a deal's path from
    # its record takes its campaign's channel, else the deal's source
    channels = dict(zip(got.index.get_level_values(1), got["channel"], strict=True))
    assert channels["L4-m"] == "L4-m"
    assert channels["D0-rec"] == "D0-rec"  # the campaign's channel
    assert channels["D8-rec"] == "D8-source"  # no such campaign: the deal's source
    assert channels["L0-rec"] == "L0-rec"  # a lead's source


def test_hand_computed_w_shaped_deal_with_the_lead_touch_in_the_middle(ws: Workspace):
    # D5's path: L5-a, L5-b (created the lead), L5-c, L5-d; L5-late comes after the deal.
    # 30% to each of a, b, d; the 10% for the others all to c.
    credit = campaigns.attribution_credit(ws, AS_OF, HALF_LIFE)
    w = credit[(credit["model"] == "w_shaped") & (credit["kind"] == "deal")]
    got = w.set_index("campaign_id")["count_credited"]
    assert got[["L5-a", "L5-b", "L5-c", "L5-d"]].tolist() == pytest.approx([0.3, 0.3, 0.1, 0.3])
    assert "L5-late" not in got.index
    # two touches, the lead touch last (D2): 0.3 and 0.3 + 0.3, rescaled
    assert got[["L2-a", "L2-b"]].tolist() == pytest.approx([1 / 3, 2 / 3])
    # no touch up to the lead's creation (D6): first and last only, 30/30 + 10 rescaled
    assert got[["L6-a", "L6-b", "L6-c"]].tolist() == pytest.approx([3 / 7, 1 / 7, 3 / 7])


def test_hand_computed_u_shaped_and_time_decay(ws: Workspace):
    credit = campaigns.attribution_credit(ws, AS_OF, HALF_LIFE)
    leads = credit[credit["kind"] == "lead"]
    u = leads[leads["model"] == "u_shaped"].set_index("campaign_id")["count_credited"]
    assert u[["L2-a", "L2-b"]].tolist() == pytest.approx([0.5, 0.5])  # two touches
    assert u[["L3-a", "L3-b", "L3-c"]].tolist() == pytest.approx([0.4, 0.2, 0.4])
    assert u["L1-a"] == pytest.approx(1.0) and u["L0-rec"] == pytest.approx(1.0)
    # L3 is created on day 20: ages 15.5, 8.75 and 1 days, half-life 5 days
    d = leads[leads["model"] == "time_decay"].set_index("campaign_id")["count_credited"]
    raw = [2 ** (-age / HALF_LIFE) for age in (15.5, 8.75, 1.0)]
    assert d[["L3-a", "L3-b", "L3-c"]].tolist() == pytest.approx([r / sum(raw) for r in raw])


def test_weights_sum_to_one_per_conversion_under_every_model(ws: Workspace):
    credit = campaigns.attribution_credit(ws, AS_OF, HALF_LIFE)
    totals = credit.groupby(["kind", "model"])["count_credited"].sum()
    for model in attribution.MODELS:
        assert totals["lead", model] == pytest.approx(len(LEADS))
        assert totals["deal", model] == pytest.approx(len(DEALS))


def test_won_deals_only_weighs_the_same_won_paths(ws: Workspace):
    full = campaigns.attribution_credit(ws, AS_OF, HALF_LIFE)
    won = campaigns.attribution_credit(ws, AS_OF, HALF_LIFE, won_deals_only=True)
    assert set(won["kind"]) == {"deal"}
    keys = ["campaign_id", "channel", "model"]
    a = full[full["kind"] == "deal"].set_index(keys)[["won", "won_amount"]]
    b = won.set_index(keys)[["won", "won_amount"]]
    # the won deals' touches, with the same credit; every other deal's touches credit no wins
    assert a.loc[b.index].to_numpy().ravel() == pytest.approx(b.to_numpy().ravel())
    assert (a.drop(index=b.index).to_numpy() == 0).all()
    assert b["won"].sum() == pytest.approx(6 * sum(d.won for d in DEALS))


def test_as_of_leaves_out_later_conversions(ws: Workspace):
    early = campaigns.attribution_credit(ws, DAY0.date() + timedelta(days=15), HALF_LIFE)
    first = early[early["model"] == "first_touch"]
    # leads L0, L1, L2 and deals D0, D2 only
    assert first.groupby("kind")["count_credited"].sum().to_dict() == {"deal": 2.0, "lead": 3.0}
