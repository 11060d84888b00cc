"""Use case `rules`: an agreement's rules and scenarios in words, as the domain words them."""

from __future__ import annotations

from pydantic import BaseModel

from ..domain.wording import rule_words, scenario_words
from ..store.db import unit_of_work
from .access import readable
from .app import App
from .projecting import agreement_model
from .recording import agreement_or_fail


class RulesView(BaseModel):
    """Each commitment's rules, one sentence each, and what makes each scenario happen."""

    agreement: str
    timezone: str
    commitments: dict[str, list[str]]
    scenarios: dict[str, str]


@readable("rules")
def rules(app: App, slug: str) -> RulesView:
    """Return agreement `slug`'s rules in words (instants in its zone)."""
    with unit_of_work(app.database_url, read_only=True) as session:
        row = agreement_or_fail(session, slug)
        agreement = agreement_model(row)
    tz = agreement.timezone
    return RulesView(agreement=slug, timezone=tz,
                     commitments={c.slug: rule_words(c, tz) for c in agreement.commitments},
                     scenarios={s.slug: scenario_words(s, tz) for s in agreement.scenarios})
