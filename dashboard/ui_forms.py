"""The two forms of the Commitment page: change state, record outcome.

Both send the version the page was drawn from, so a change made meanwhile by someone else (or the
clock) is refused with "changed by X at T — reload", never silently overwritten.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import streamlit as st
from ui_common import esc, iso_local, tracker_app, user, when

from tracker import services
from tracker.domain.records import Source

SOURCE_ROWS = 2
NO_CHANGE = "(no state change)"


def drawn_version(target: str, current: int) -> int:
    """Return the version the forms were drawn from; kept until a write succeeds or a reload."""
    key = f"drawn:{target}"
    if key not in st.session_state:
        st.session_state[key] = current
    version: int = st.session_state[key]
    return version


def reload(target: str) -> None:
    st.session_state.pop(f"drawn:{target}", None)


def source_inputs(form: str) -> list[tuple[str, str, str, str]]:
    """Draw the source rows: web address, title, reliability A–F, credibility 1–6."""
    rows = []
    for i in range(SOURCE_ROWS):
        url, title, rel, cred = st.columns([4, 4, 1, 1])
        rows.append((
            url.text_input(f"Source {i + 1} address", key=f"{form}-url-{i}", placeholder="https://…"),
            title.text_input(f"Source {i + 1} title", key=f"{form}-title-{i}"),
            rel.text_input("Reliability", key=f"{form}-rel-{i}", max_chars=1, placeholder="A–F",
                           help="Admiralty scale: A reliable … F cannot be judged"),
            cred.text_input("Credibility", key=f"{form}-cred-{i}", max_chars=1, placeholder="1–6",
                            help="Admiralty scale: 1 confirmed … 6 cannot be judged"),
        ))
    return rows


def graded_sources(rows: list[tuple[str, str, str, str]]) -> list[Source]:
    """Return the filled rows as sources; a grade is checked by the services' Admiralty rules."""
    out = []
    for n, (url, title, rel, cred) in enumerate(rows, start=1):
        if not (url.strip() or title.strip() or rel.strip() or cred.strip()):
            continue
        if not url.strip():
            raise services.DomainError(f"source {n}: give its web address (https://…) or clear the row")
        if cred.strip() and not cred.strip().isdigit():
            raise services.DomainError(f"source {n} credibility: {cred!r} is not on the Admiralty "
                                       "scale; give 1 (confirmed) to 6 (cannot be judged)")
        out.append(Source(url.strip(), title.strip(), rel.strip() or None,
                          int(cred) if cred.strip() else None))
    return out


def change_state_form(detail: services.CommitmentDetail) -> None:
    target = f"{detail.agreement}/{detail.item.slug}"
    version = drawn_version(target, detail.item.version)
    if not detail.allowed:
        st.info(f"{esc(detail.item.state)} is final: no analyst change is possible.")
        return
    with st.form("change-state"):
        st.caption(f"Drawn from version {version}. Only the changes allowed from "
                   f"“{detail.item.state}” are offered.")
        # No default: a state picked for the analyst (it used to be `fulfilled`) gets recorded.
        state = st.selectbox("New state", detail.allowed, index=None,
                             placeholder="Choose the new state")
        occurred = st.text_input(f"Occurred at (with offset; the agreement's zone is {detail.timezone})",
                                 value=iso_local(tracker_app().clock(), detail.timezone),
                                 key="change-occurred")
        reason = st.text_area("Reason", key="change-reason", height=80)
        force = st.checkbox(
            "Force: it started although its requirements were not met", key="change-force",
            help="Only for a start (active): real events do not wait for our model. The record "
                 "is marked forced in history and reports, and needs a reason.",
        ) if "active" in detail.allowed else False
        rows = source_inputs("change")
        sent = st.form_submit_button("Record state change", type="primary")
    if sent and state is None:
        st.error("Not recorded: New state: choose the state the commitment moved to.")
    elif sent:
        _submit(target, lambda evidence, at: services.record_transition(
            tracker_app(), target, str(state), occurred_at=at, by=user().name, reason=reason,
            evidence=evidence, expect_version=version, force=force), occurred, rows, None)


def outcome_form(detail: services.CommitmentDetail) -> None:
    target = f"{detail.agreement}/{detail.item.slug}"
    version = drawn_version(target, detail.item.version)
    with st.form("record-outcome"):
        st.caption(f"Drawn from version {version}. What was seen, with each source graded.")
        summary = st.text_area("Summary of what was seen", key="outcome-summary", height=80)
        occurred = st.text_input(f"Occurred at (with offset; the agreement's zone is {detail.timezone})",
                                 value=iso_local(tracker_app().clock(), detail.timezone),
                                 key="outcome-occurred")
        rows = source_inputs("outcome")
        confidence = st.slider("Your confidence", 0.0, 1.0, 0.7, 0.05, key="outcome-confidence")
        state = st.selectbox("And a state change?", [NO_CHANGE, *detail.allowed], key="outcome-state")
        sent = st.form_submit_button("Record outcome", type="primary")
    if not sent:
        return

    def write(evidence: services.Evidence, at: datetime) -> services.Recorded:
        if state == NO_CHANGE:
            return services.record_observation(tracker_app(), target, occurred_at=at,
                                               by=user().name, summary=summary, evidence=evidence,
                                               expect_version=version)
        return services.record_transition(tracker_app(), target, str(state), occurred_at=at,
                                          by=user().name, reason=summary, evidence=evidence,
                                          expect_version=version)

    _submit(target, write, occurred, rows, confidence)


Writer = Callable[[services.Evidence, datetime], services.Recorded]


def _submit(target: str, write: Writer, occurred: str, rows: list[tuple[str, str, str, str]],
            confidence: float | None) -> None:
    """Write through the services; show the refusal, or what changed, and redraw."""
    app = tracker_app()
    slug = target.split("/")[0]
    before = {i.slug: i.state for i in services.agreement_detail(app, slug).items}
    try:
        at = services.parse_user_instant(occurred, field="occurred at",
                                         tz=services.agreement_zone(app, slug))
        evidence = services.Evidence(graded=graded_sources(rows), confidence=confidence)
        done = write(evidence, at)
    except services.StaleVersion as error:
        # The services speak the CLI's flag; a form's user never typed --expect-version.
        said = str(error).removeprefix("--expect-version: ")
        st.error(f"Not recorded: this form is out of date: {esc(said)}")
        st.button("Reload the latest version", on_click=reload, args=(target,))
        return
    except services.DomainError as error:
        st.error(f"Not recorded: {esc(str(error))}")
        return
    after = {i.slug: i.state for i in services.agreement_detail(app, slug).items}
    moved = [f"{s}: {before[s]} → {after[s]}" for s in after if before.get(s) != after[s]]
    st.session_state["flash"] = (f"Recorded #{done.record_id} as {user().name}.", moved)
    reload(target)
    st.rerun()



# The Scenarios page's forecast forms. A forecast counts from now and cannot be backdated, so
# neither asks for an instant; the services refuse a forecast on a resolved scenario anyway.

def _last_call(scenario: services.reporting.ScenarioReport) -> float:
    """Return the user's latest probability on the scenario (0.5 if none): where the form starts."""
    mine = [f for f in scenario.forecasts if f.forecaster == user().name]
    return max(mine, key=lambda f: f.recorded_at).probability if mine else 0.5


def _forecasted(write: Callable[[], services.Forecasted], what: str, tz: str) -> None:
    """Record through the services: show the refusal here, or the success after a redraw."""
    try:
        done = write()
    except services.DomainError as error:
        st.error(f"Not recorded: {esc(str(error))}")
        return
    ids = ", ".join(f"#{i}" for i in done.ids)
    st.session_state["forecast-flash"] = (f"Recorded forecast {ids} as {user().name}: {what}, "
                                          f"counting from {when(done.recorded_at, tz)}.")
    st.rerun()


def forecast_form(agreement: str, scenario: services.reporting.ScenarioReport, tz: str) -> None:
    """Draw the form for one scenario outside any group: a probability and a rationale."""
    if scenario.outcome != "open":
        st.info(f"Resolved: {scenario.outcome} at {when(scenario.resolved_at, tz)}. A forecast "
                "on a resolved scenario is refused.")
        return
    with st.form(f"forecast-{scenario.slug}"):
        p = st.number_input("Probability it happens", min_value=0.0, max_value=1.0, step=0.05,
                            value=_last_call(scenario), format="%.2f", key=f"p-{scenario.slug}")
        why = st.text_area("Rationale", key=f"why-{scenario.slug}", height=68,
                           placeholder="why you give this probability, in a sentence")
        sent = st.form_submit_button("Record forecast", type="primary")
    if sent:
        _forecasted(lambda: services.record_forecast(
            tracker_app(), f"{agreement}/{scenario.slug}", float(p), by=user().name,
            rationale=why), f"{scenario.slug} {p:.2f}", tz)


def group_forecast_form(agreement: str, group: str,
                        members: list[services.reporting.ScenarioReport], tz: str) -> None:
    """Draw one number per scenario of `group` with their running sum, and record them at once."""
    decided = [m for m in members if m.outcome != "open"]
    if decided:
        st.info(f"Decided: {esc(decided[0].slug)} {decided[0].outcome} at "
                f"{when(decided[0].resolved_at, tz)}. A forecast on a decided group is refused.")
        return
    values = {m.slug: column.number_input(m.slug, min_value=0.0, max_value=1.0, step=0.05,
                                          format="%.2f", value=_last_call(m),
                                          key=f"gp-{group}-{m.slug}")
              for column, m in zip(st.columns(len(members)), members, strict=True)}
    total = sum(values.values())
    fits = abs(total - 1) <= services.GROUP_TOLERANCE
    st.markdown(f"Sum: **{total:.3f}** " + (":green[✓ one]" if fits else
                f":orange[must be 1 ± {services.GROUP_TOLERANCE}]"))
    why = st.text_area("Rationale", key=f"gwhy-{group}", height=68,
                       placeholder="why you give these probabilities, in a sentence")
    if st.button("Record group forecast", type="primary", key=f"gsend-{group}"):
        what = ", ".join(f"{s} {p:.2f}" for s, p in values.items())
        _forecasted(lambda: services.record_group_forecast(
            tracker_app(), f"{agreement}/{group}", values, by=user().name, rationale=why),
            what, tz)
