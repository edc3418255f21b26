"""Uncertainty by parametric bootstrap, done once at fit time.

Each replicate redraws the monthly lead and opportunity counts from the fitted Poisson means
and the funnel counts from their observed shares, then refits every curve (starting from the
point estimate, with the seasonal index held at its estimate). The projection is run through
every replicate and the 10th–90th percentiles are the band: it is the uncertainty of the
fitted parameters (what the history can and cannot pin down), not of next month's luck.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import numpy as np

from planning.funnel_flow import resample_funnel
from planning.history import MOTIONS, History


def bootstrap(
    hist: History,
    point,
    season: np.ndarray,
    *,
    draws: int,
    seed: int,
    refit: Callable,
) -> list:
    """``draws`` refitted parameter sets (type ``planning.model.Params``)."""
    from planning.model import expected_leads

    if draws <= 0:
        return []
    rng = np.random.default_rng(seed)
    fitted = expected_leads(hist, point, season)
    out = []
    for _ in range(draws):
        leads = np.vstack([rng.poisson(np.maximum(fitted[c], 0)) for c in hist.channels])
        fake = replace(
            hist,
            leads=leads.astype(float),
            organic_leads=rng.poisson(np.maximum(fitted["organic"], 0)).astype(float),
            push_leads=rng.poisson(np.maximum(fitted["push"], 0)).astype(float),
            opps={
                **hist.opps,
                "push": rng.poisson(np.maximum(fitted["push_opps"], 0)).astype(float),
            },
        )
        params = refit(fake, season, guess=point, quick=True)
        funnels = {m: resample_funnel(hist.cohorts[m], hist.outcomes[m], rng) for m in MOTIONS}
        out.append(replace(params, funnels=funnels))
    return out
