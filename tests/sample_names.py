"""The names each sample company uses, read from its parameters (sample_data/params.py and
params_zh.py), so a test on the sample says "the first pull source" or ``n.label("Webinar")``
instead of an English name, and runs on both samples (FLYWHEEL_TEST_SAMPLE=zh)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from queries.plans import SamplePlan
from sample_data import params as P
from sample_data import params_zh as Z
from sample_data import plans_zh


@dataclass(frozen=True)
class SampleNames:
    locale: str  # "en" | "zh"
    company: str
    currency: str
    workspace_locale: str  # the settings' locale: en_US, zh_CN
    money_factor: float  # every amount is the English one times this
    segments: tuple[str, ...]
    regions: tuple[str, ...]
    products: tuple[str, ...]
    pull_sources: tuple[str, ...]
    push_sources: tuple[str, ...]
    paid_channels: tuple[str, ...]
    first_plan: str  # the label of the sample's first 4P plan version
    _labels: Mapping[str, str]

    def label(self, english: str) -> str:
        """The sample's name for an English label (itself in the English sample)."""
        return self._labels.get(english, english)


def names(locale: str) -> SampleNames:
    if locale == "en":
        return SampleNames(
            "en",
            P.COMPANY,
            P.CURRENCY,
            "en_US",
            1.0,
            P.SEGMENTS,
            P.REGIONS,
            P.PRODUCTS,
            P.PULL_SOURCES,
            P.PUSH_SOURCES,
            P.PAID_CHANNELS,
            SamplePlan().version_name,
            MappingProxyType({}),
        )
    labels = {
        **Z.SOURCES,
        **Z.SPEND_CHANNELS,
        **Z.SEGMENTS,
        **Z.PRODUCTS,
        **Z.STAGES,
        **Z.LOST_REASONS,
        **Z.RIVALS,
    }
    return SampleNames(
        "zh",
        Z.COMPANY,
        Z.CURRENCY,
        Z.LOCALE,
        Z.CNY_PER_USD,
        tuple(Z.SEGMENTS[s] for s in P.SEGMENTS),
        Z.REGION_ORDER,
        tuple(Z.PRODUCTS[p] for p in P.PRODUCTS),
        tuple(Z.SOURCES[s] for s in P.PULL_SOURCES),
        tuple(Z.SOURCES[s] for s in P.PUSH_SOURCES),
        tuple(Z.SOURCES[s] for s in P.PAID_CHANNELS),
        plans_zh.PLAN.version_name,
        MappingProxyType(labels),
    )
