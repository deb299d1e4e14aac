"""Helpers shared by tests. Figures made here are SYNTHETIC."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from eduplan.services import Workspace
from eduplan.store.ledger import read_plain

TZ = dt.timezone(dt.timedelta(hours=8))


def plan_with_names(text: str, renamed: dict[str, str]):
    """The plan of ``text`` with names replaced after validation (``renamed``: old → new, whole
    strings): names the plan file itself refuses (a control character, a line break, a
    zero-width joiner), to check that every renderer still shows them inert and laid out."""
    import tomllib

    from eduplan.core.models import plan_from_dict
    from eduplan.store.schema import validate_plan

    def swap(x):
        if isinstance(x, dict):
            return {k: swap(v) for k, v in x.items()}
        if isinstance(x, list):
            return [swap(v) for v in x]
        return renamed.get(x, x) if isinstance(x, str) else x

    return plan_from_dict(swap(validate_plan(tomllib.loads(text))))


def ws_for(plan_path: Path, ledger: Path, today: dt.date = dt.date(2023, 12, 31), by: str = "tester") -> Workspace:
    return Workspace(plan_path, ledger, by, dt.datetime(today.year, today.month, today.day, 9, 30, tzinfo=TZ))


def entries(ledger: Path, plan):
    """The ledger's entries read from scratch (no index), asserting that it loads."""
    found, sync = read_plain(ledger, plan)
    assert not sync.problems, [p.render("en") for p in sync.problems]
    return found


def problems(ledger: Path, plan) -> list[str]:
    return [p.render("en") for p in read_plain(ledger, plan)[1].problems]


def synthetic_half_year(path: Path, plan) -> dict:
    """A SYNTHETIC half year (January to June 2023) for the synthetic plan over all nine counties:
    cumulative figures from seven counties and monthly increments (本月新增) from two; levels as
    numerator/denominator; counties judged county by county; a city milestone; and in June a typo
    corrected and a figure entered twice and voided. Returns the June figures it wrote, by name."""
    from eduplan.core.models import Entry, State
    from eduplan.store.appending import append_entries

    counties = plan.plan.counties
    adders = set(counties[5:7])  # 玉环市, 天台县 report this month's increase
    june = dt.date(2023, 6, 30)
    facts: dict = {"places": {}, "kindergartens": {}}

    def build(view):
        out: list[Entry] = []

        def add(indicator, day, **kw):
            at = dt.datetime.combine(day + dt.timedelta(days=2), dt.time(9, 0), TZ)
            out.append(Entry(view.next_id() + len(out), indicator, day, "synthetic", at, **kw))
            return out[-1]

        for m in range(1, 7):
            end = dt.date(2023, m + 1, 1) - dt.timedelta(days=1)
            for i, c in enumerate(counties):
                places = 40 * m * (i + 2)  # cumulative: 37% of the target by June, behind
                kinder = (m * (i % 4 + 1)) // 3
                if c in adders and m > 1:
                    add("new-places", end, county=c, added=40 * (i + 2))
                else:
                    add("new-places", end, county=c, value=places)
                add("new-kindergartens", end, county=c, value=kinder)
                facts["places"][c], facts["kindergartens"][c] = places, kinder
                den = 1000 + 100 * i
                add("public-share", end, county=c, numerator=den * (48 + i + m) // 100, denominator=den,
                    value=(den * (48 + i + m) // 100) * 100 / den)
                add("counselling-counties", end, county=c,
                    state=State.DONE if i < m // 2 else State.IN_PROGRESS if i < m + 3 else State.NOT_STARTED)
            add("incidents", end, value=m)
        add("platform-online", dt.date(2023, 3, 31), state=State.IN_PROGRESS)
        typo = add("new-places", june, county=counties[0], value=12 * 10**8, note="SYNTHETIC typo")
        fixed = add("new-places", june, county=counties[0], value=facts["places"][counties[0]],
                    supersedes=typo.id, reason="typed 亿 for 个")
        twice = add("new-kindergartens", june, county=counties[1], value=99, note="SYNTHETIC entered twice")
        voided = add("new-kindergartens", june, county=counties[1], supersedes=twice.id, void=True,
                     reason="entered twice")
        facts.update(typo=typo.id, fixed=fixed.id, twice=twice.id, voided=voided.id)
        return out

    append_entries(path, plan, build)
    return facts
