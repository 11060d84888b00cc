"""Queries on forecasts. They read and stage writes; the unit of work commits."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from .tables import ForecastRow, ScenarioRow


def forecasts(session: Session, agreement_id: int) -> list[tuple[ForecastRow, str]]:
    """Return an agreement's forecasts with their scenario's slug, in recording order."""
    query = (select(ForecastRow, ScenarioRow.slug)
             .join(ScenarioRow, col(ScenarioRow.id) == col(ForecastRow.scenario_id))
             .where(ForecastRow.agreement_id == agreement_id)
             .order_by(col(ForecastRow.recorded_at), col(ForecastRow.id)))
    return [(row, slug) for row, slug in session.exec(query).all()]


def latest_forecast_at(session: Session, agreement_id: int) -> datetime | None:
    query = select(func.max(ForecastRow.recorded_at)).where(
        ForecastRow.agreement_id == agreement_id)
    return session.exec(query).one()


def add_forecasts(session: Session, rows: Sequence[ForecastRow]) -> list[int]:
    """Stage `rows` and return their new ids."""
    session.add_all(rows)
    session.flush()
    return [r.id for r in rows if r.id is not None]


def group_has_forecasts(session: Session, agreement_id: int, group: str) -> bool:
    query = (select(func.count()).select_from(ForecastRow)
             .join(ScenarioRow, col(ScenarioRow.id) == col(ForecastRow.scenario_id))
             .where(ForecastRow.agreement_id == agreement_id, ScenarioRow.group_name == group))
    return session.exec(query).one() > 0
