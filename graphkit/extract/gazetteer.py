"""The English councils with children's services, from ``ontology/gazetteer/local_authorities.csv``.

Each council is identified by its ONS GSS code; the names it goes by come from its ONS name and the
``also_known_as`` column.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from graphkit.resources import gazetteer_file

__all__ = ["CouncilRecord", "Gazetteer", "load_gazetteer"]


@dataclass(frozen=True)
class CouncilRecord:
    gss: str
    name: str
    also_known_as: tuple[str, ...]
    region: str
    type: str
    la_code: str = ""
    ofsted_urn: str = ""
    website: str = ""


class Gazetteer:
    """Councils by GSS code, with lookup by any of their names (case-insensitive)."""

    def __init__(self, records: list[CouncilRecord]) -> None:
        self.records = sorted(records, key=lambda r: r.gss)
        self.by_gss = {r.gss: r for r in self.records}
        self._by_name: dict[str, str] = {}
        for r in self.records:
            for name in (r.name, *r.also_known_as):
                self._by_name.setdefault(name.lower(), r.gss)

    def __iter__(self):
        return iter(self.records)

    def __len__(self) -> int:
        return len(self.records)

    def name(self, gss: str) -> str:
        return self.by_gss[gss].name

    def lookup(self, name: str) -> str | None:
        """The GSS code for a council name, alias or GSS code; None if unknown."""
        if name in self.by_gss:
            return name
        return self._by_name.get(name.strip().lower())


def _read(path: Path) -> list[CouncilRecord]:
    with path.open(newline="", encoding="utf-8") as f:
        return [
            CouncilRecord(
                gss=row["gss_code"].strip(),
                name=row["name"].strip(),
                also_known_as=tuple(a.strip() for a in (row.get("also_known_as") or "").split(";") if a.strip()),
                region=(row.get("region") or "").strip(),
                type=(row.get("type") or "").strip(),
                la_code=(row.get("la_code") or "").strip(),
                ofsted_urn=(row.get("ofsted_urn") or "").strip(),
                website=(row.get("website") or "").strip(),
            )
            for row in csv.DictReader(f)
        ]


@cache
def load_gazetteer() -> Gazetteer:
    """The shipped gazetteer (read once per process)."""
    return Gazetteer(_read(gazetteer_file()))
