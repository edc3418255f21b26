"""Made-up names: sales reps, marketing owners and (unique) customer accounts."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc


def _words(text: str) -> list[str]:
    return text.split()


FIRST = _words(
    "Alex Amara Ana Arjun Ben Bianca Carlos Chen Chloe Daniel Diego Elena Emma Fatima Felix "
    "Grace Hana Hugo Ines Isaac Jade Jonas Julia Kai Karin Leo Lena Liam Lucia Maya Mateo Mei "
    "Nadia Noah Nora Olivia Omar Paula Priya Rafael Rosa Sam Sara Sofia Tariq Tom Valentina "
    "Victor Wei Yara Yusuf Zoe Ravi Ingrid Kenji Laura Marco Aisha Pedro Hannah"
)
LAST = _words(
    "Adams Alvarez Bauer Becker Brooks Castro Chen Costa Davies Dubois Evans Fischer Garcia "
    "Gupta Hansen Haddad Ito Jansen Khan Kim Kowalski Larsen Lee Lopez Martin Meyer Moreau "
    "Murphy Nakamura Nguyen Novak Okafor Olsen Patel Pereira Quinn Rossi Santos Schmidt Silva "
    "Singh Smith Suzuki Tanaka Taylor Torres Vargas Walker Weber Wong Yilmaz Young Zhang Ahmed "
    "Berg Carter Dias Eriksen Ferreira Reyes"
)
MARKETING_OWNERS = (
    "Claire Dupont",
    "Marcus Hale",
    "Priya Raman",
    "Jordan Ellis",
    "Sofia Lindqvist",
    "Daniel Osei",
)

_PREFIX = _words(
    "Blue North Silver Iron Red Oak Stone Bright Clear Swift Green Gold Sun Star Pine Maple "
    "Cedar River Lake Sea Storm Summit Eagle Falcon Fox Wolf Bear Lion Coral Crystal Delta "
    "Echo Frost Granite Harbor High Ivory Jade Keystone Lumen Meadow Mesa Nova Ocean Orchid "
    "Peak Prairie Quartz Raven Ridge Sage Sierra Sky Spring Terra Tide True Vista West East "
    "South Wind Willow Zenith Apex Arc Atlas Beacon Birch Bold Canyon Cobalt Copper Crest "
    "Dawn Elm Ember Fern Flint Glacier Grand Haven Hollow Horizon Indigo Juniper Kestrel "
    "Linden Lunar Marble Metro Noble Opal Orbit Pacific Polar Prime Rapid Royal"
)
_STEM = _words(
    "water peak field stone wood bridge gate point light line works path port view vale "
    "crest ford haven brook dale mark shore side star way wave wind bay bell burn cliff "
    "core craft cross gard forge glen grove hill hurst keep land leaf lock mill mont moor "
    "nest park pine pond rock root run sail shield spire spring stead tower town track mead "
    "vine wall well wick wing wise yard beam bloom bound cape cast chase dock drift edge fall "
    "fire flow fold gleam grain hart helm hold horn isle jet lake lane lift loop mast mere "
    "reach ridge rise scope"
)
_INDUSTRY = _words(
    "Logistics Health Foods Software Energy Retail Capital Manufacturing Media Biotech "
    "Insurance Telecom Travel Systems Motors Pharma Labs Robotics Textiles Chemicals "
    "Agritech Apparel Hospitality Payments Security Construction Education Legal Marine "
    "Aerospace Mining Packaging Furniture Beverages Consulting Analytics Devices Networks "
    "Mobility Utilities"
)
_LEGAL = ("Inc", "LLC", "Ltd", "GmbH", "Group", "Co", "Holdings", "SA", "AG", "Corp")


def account_names(n: int, rng: np.random.Generator) -> pa.Array:
    """n distinct company names, e.g. 'Bluewater Logistics Inc' (won accounts must be unique)."""
    ab = [p + s for p in _PREFIX for s in _STEM]
    cd = [f" {i} {lg}" for i in _INDUSTRY for lg in _LEGAL]
    # dedupe the (prefix+stem) strings so every combination index yields a distinct name
    ab = list(dict.fromkeys(ab))
    total = len(ab) * len(cd)
    if n > total:
        raise ValueError(f"at most {total} distinct account names, asked for {n}")
    idx = rng.choice(total, size=n, replace=False)
    left = pa.array(ab).take(pa.array(idx // len(cd)))
    right = pa.array(cd).take(pa.array(idx % len(cd)))
    return pc.binary_join_element_wise(left, right, "")


def person_names(n: int, rng: np.random.Generator) -> list[str]:
    """n distinct 'First Last' names; beyond the first x last grid a middle initial is added."""
    grid = len(FIRST) * len(LAST)
    names: list[str] = []
    base = rng.choice(grid, size=min(n, grid), replace=False)
    names += [f"{FIRST[i // len(LAST)]} {LAST[i % len(LAST)]}" for i in base]
    if n > grid:
        extra = rng.choice(grid * 26, size=n - grid, replace=False)
        for i in extra:
            pair, letter = divmod(int(i), 26)
            names.append(f"{FIRST[pair // len(LAST)]} {chr(65 + letter)}. {LAST[pair % len(LAST)]}")
    return names
