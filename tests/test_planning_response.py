"""Response curves: the adstock is the generator's (normalised, warm start), Hill saturation,
the fit recovers known parameters from noise-free data, and more spend never means fewer leads."""

from __future__ import annotations

import numpy as np
import pytest

from planning.brand import brand_stock, fit_brand
from planning.response import ChannelFit, adstock, fit_channel, hill, predict_channel
from sample_data import leads as generator_leads
from sample_data.params import TRUE_PARAMETERS


def _spend(months: int = 36, seed: int = 3) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return rng.uniform(5_000, 90_000, size=(6, months)) * (rng.uniform(size=(6, months)) > 0.3)


def test_adstock_is_the_generators_normalised_form_so_expected_leads_match():
    x = _spend()
    truth = generator_leads.expected_pull_leads(x, 1.0)
    season = np.array(TRUE_PARAMETERS["lead_season"])[(10 + np.arange(36)) % 12]  # from November
    for c, name in enumerate(TRUE_PARAMETERS["paid_channels"]):
        p = TRUE_PARAMETERS["channels"][name]
        fit = ChannelFit(name, p["theta"], p["K"], p["s"], p["beta"])
        assert predict_channel(fit, x[c], season) == pytest.approx(truth[c], rel=1e-9)


def test_constant_spend_has_itself_as_adstock_and_half_saturation_at_k():
    x = np.full(12, 20_000.0)
    assert adstock(x, 0.7) == pytest.approx(x)  # normalised: a steady spend is its own adstock
    assert hill(np.array([40_000.0]), 40_000.0, 1.8)[0] == pytest.approx(0.5)
    assert hill(np.array([0.0]), 40_000.0, 1.8)[0] == 0.0


def test_adstock_carries_over_after_spend_stops():
    x = np.array([100.0, 0.0, 0.0, 0.0])
    # A0 = θ·100 + (1−θ)·100 = 100, then it keeps θ of itself each month
    assert adstock(x, 0.5) == pytest.approx([100.0, 50.0, 25.0, 12.5])
    assert adstock(x, 0.5, start=0.0) == pytest.approx([50.0, 25.0, 12.5, 6.25])


@pytest.mark.parametrize(
    ("theta", "k", "s"), [(0.15, 40_000, 1.8), (0.55, 38_000, 2.8), (0.3, 6_000, 1.2)]
)
def test_fit_recovers_parameters_from_noise_free_leads(theta, k, s):
    x = _spend()[0]
    season = np.ones(36)
    truth = ChannelFit("c", theta, k, s, 150.0)
    y = predict_channel(truth, x, season)
    fit = fit_channel("c", x, y, season)
    assert fit.theta == pytest.approx(theta, abs=0.02)
    assert fit.k == pytest.approx(k, rel=0.05)
    assert fit.s == pytest.approx(s, abs=0.1)
    assert fit.beta == pytest.approx(150.0, rel=0.05)


def test_more_spend_never_gives_fewer_leads_on_any_curve():
    grid = np.linspace(0, 200_000, 400)
    for p in TRUE_PARAMETERS["channels"].values():
        curve = ChannelFit("c", p["theta"], p["K"], p["s"], p["beta"]).steady_leads(grid)
        assert np.all(np.diff(curve) >= 0)


def test_brand_fit_finds_the_generators_organic_growth_and_calls_it_supported():
    x = _spend(seed=5) * 0.5
    lam = generator_leads.expected_pull_leads(x, 1.0)
    organic = lam[7] + lam[8]  # referral + organic/direct
    fit = fit_brand(
        organic, x.sum(axis=0), np.array(TRUE_PARAMETERS["lead_season"])[(10 + np.arange(36)) % 12]
    )
    assert fit.supported
    # the generator's stock keeps 0.96 a month; a slow decay must be chosen
    assert fit.delta >= 0.9
    stock = brand_stock(x.sum(axis=0), fit.delta, fit.ref, fit.stock_start)
    assert np.all(np.diff(stock[:12]) > -0.05)  # a young brand builds up


def test_flat_organic_leads_do_not_support_a_brand_effect():
    x = _spend(seed=8)
    rng = np.random.default_rng(1)
    organic = rng.poisson(80.0, size=36).astype(float)
    fit = fit_brand(organic, x.sum(axis=0), np.ones(36))
    assert not fit.supported
