"""The global filters (date range, segment, region, product, owner) as bound SQL parameters."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

# "All time" bounds: wide enough for any CRM, narrow enough for DuckDB's timestamp range.
ALL_FROM = date(1900, 1, 1)
ALL_TO = date(2999, 12, 31)


@dataclass(frozen=True)
class Filters:
    date_from: date = ALL_FROM
    date_to: date = ALL_TO  # inclusive
    segments: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    products: tuple[str, ...] = ()
    owners: tuple[str, ...] = ()

    def params(self) -> dict[str, object]:
        """Bound parameters shared by every filtered query; an empty list means "all"."""

        def lst(values: tuple[str, ...]) -> list[str] | None:
            return list(values) if values else None

        return {
            "date_from": self.date_from,
            "date_to": self.date_to,
            "segments": lst(self.segments),
            "regions": lst(self.regions),
            "products": lst(self.products),
            "owners": lst(self.owners),
        }

    @property
    def days(self) -> int:
        return (self.date_to - self.date_from).days + 1

    def previous_period(self) -> Filters:
        """The period of equal length that ends the day before this one starts."""
        new_to = self.date_from - timedelta(days=1)
        return replace(self, date_from=new_to - timedelta(days=self.days - 1), date_to=new_to)
