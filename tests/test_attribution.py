"""Attribution models (planning/attribution.py) against a path worked out by hand.

The path: one deal of 1,000 with four touches on days 0, 10, 20 and 30, the lead created by the
second touch (index 1), the deal created on day 30 (the conversion). By hand:

| model                  | t0      | t1      | t2      | t3      |
|------------------------|---------|---------|---------|---------|
| first touch            | 1000    | 0       | 0       | 0       |
| last touch             | 0       | 0       | 0       | 1000    |
| linear                 | 250     | 250     | 250     | 250     |
| U-shaped 40/20/40      | 400     | 100     | 100     | 400     |
| W-shaped 30/30/30 + 10 | 300     | 300     | 100     | 300     |
| time decay, half-life 10 days: ages 30, 20, 10, 0 -> 1/8, 1/4, 1/2, 1 (sum 15/8)          |
|                        | 1000/15 | 2000/15 | 4000/15 | 8000/15 |
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from planning import attribution

DAY0 = datetime(2025, 1, 1)
PATH = [DAY0 + timedelta(days=d) for d in (0, 10, 20, 30)]
AMOUNT = 1000.0
EXPECTED = {
    "first_touch": [1000, 0, 0, 0],
    "last_touch": [0, 0, 0, 1000],
    "linear": [250, 250, 250, 250],
    "u_shaped": [400, 100, 100, 400],
    "w_shaped": [300, 300, 100, 300],
    "time_decay": [1000 / 15, 2000 / 15, 4000 / 15, 8000 / 15],
}


def _credit(model: str, path: list[datetime] = PATH, **kw: object) -> list[float]:
    w = attribution.path_weights(
        path, model, converted_at=PATH[-1], lead_index=kw.pop("lead_index", 1), **kw
    )
    return [AMOUNT * x for x in w]


@pytest.mark.parametrize("model", attribution.MODELS)
def test_each_model_splits_the_deal_as_worked_out_by_hand(model: str):
    got = _credit(model, half_life_days=10.0)
    assert got == pytest.approx(EXPECTED[model])


@pytest.mark.parametrize("model", attribution.MODELS)
def test_credit_sums_to_the_deal_amount_under_every_model(model: str):
    for n in range(1, 7):
        path = [DAY0 + timedelta(days=3 * i) for i in range(n)]
        got = attribution.path_weights(path, model, lead_index=n // 2)
        assert sum(AMOUNT * w for w in got) == pytest.approx(AMOUNT)


def test_a_single_touch_takes_everything_under_every_model():
    for model in attribution.MODELS:
        assert attribution.path_weights([DAY0], model, lead_index=0) == [1.0]


def test_u_shaped_on_two_touches_is_half_and_half():
    assert attribution.path_weights(PATH[:2], "u_shaped") == pytest.approx([0.5, 0.5])


def test_w_shaped_adds_the_shares_of_key_touches_that_coincide():
    # two touches, the first also created the lead: 0.3 + 0.3 and 0.3, rescaled to sum to 1
    got = attribution.path_weights(PATH[:2], "w_shaped", lead_index=0)
    assert got == pytest.approx([2 / 3, 1 / 3])


def test_time_decay_halves_a_touchs_share_per_half_life():
    got = attribution.path_weights(PATH[2:], "time_decay", converted_at=PATH[3], half_life_days=10)
    assert got[1] / got[0] == pytest.approx(2.0)


def test_default_half_life_is_seven_days():
    assert attribution.HALF_LIFE_DAYS == 7.0


def test_unknown_model_is_refused():
    with pytest.raises(ValueError, match="unknown attribution model"):
        attribution.path_weights(PATH, "data_driven")
    with pytest.raises(ValueError, match="unknown attribution model"):
        attribution.check_model("data_driven")


def test_sql_parameters_carry_the_models_constants():
    # the SQL weighs with these (tests/test_attribution_sql.py holds it to path_weights)
    assert attribution.sql_parameters(10) == {
        "half_life_days": 10.0,
        "u_ends": 0.4,
        "u_middle": 0.2,
        "w_key": 0.3,
        "w_others": 0.1,
    }
    with pytest.raises(ValueError, match="half-life"):
        attribution.sql_parameters(0)
