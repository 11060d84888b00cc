"""team mode hardened: the audit log as hash chains (rows before sealed), record.loaded_by,
app_user.unlocked_at and removed_at

Revision ID: 0008
Revises: 0007
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from tracker.domain.audit_chain import GLOBAL, seal

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_REFUSE = "audit_event is append-only"
_COLUMNS = ("id", "at", "actor", "role", "origin", "action", "target", "outcome", "detail")


def upgrade() -> None:
    op.add_column('record', sa.Column('loaded_by', sa.String(length=100), nullable=True))
    op.add_column('app_user', sa.Column('unlocked_at', sa.DateTime(timezone=True), nullable=True))
    op.add_column('app_user', sa.Column('removed_at', sa.DateTime(timezone=True), nullable=True))
    for name, kind, default in (('chain', sa.String(length=100), ''), ('seq', sa.Integer(), '0'),
                                ('prev_hash', sa.String(length=64), ''),
                                ('hash', sa.String(length=64), '')):
        op.add_column('audit_event', sa.Column(name, kind, nullable=False, server_default=default))
    _seal_rows_before_the_chain()
    op.create_index('uq_audit_event_chain_seq', 'audit_event', ['chain', 'seq'], unique=True)


def _seal_rows_before_the_chain() -> None:
    """Put every existing event, in id order, into the chain of events about no agreement.

    The append-only trigger refuses UPDATE, so it is lifted for this one pass and put back."""
    bind = op.get_bind()
    audit = sa.table('audit_event', sa.column('at', sa.DateTime(timezone=True)),
                     *(sa.column(c) for c in (*_COLUMNS[:1], *_COLUMNS[2:], 'chain', 'seq',
                                              'prev_hash', 'hash')))
    rows = bind.execute(sa.select(*(audit.c[c] for c in _COLUMNS)).order_by(audit.c.id)).all()
    if not rows:
        return
    _without_update_trigger(bind, on=False)
    prev = ""
    for seq, row in enumerate(rows, 1):
        event = seal({**row._mapping, "chain": GLOBAL, "seq": seq}, prev=prev)
        prev = event["hash"]
        bind.execute(audit.update().where(audit.c.id == row.id).values(
            chain=GLOBAL, seq=seq, prev_hash=event["prev_hash"], hash=event["hash"]))
    _without_update_trigger(bind, on=True)


def _without_update_trigger(bind: sa.Connection, *, on: bool) -> None:
    if bind.dialect.name == "postgresql":
        op.execute("ALTER TABLE audit_event " + ("ENABLE" if on else "DISABLE")
                   + " TRIGGER audit_event_no_change")
    elif on:
        op.execute(f"CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event BEGIN "
                   f"SELECT RAISE(ABORT, '{_REFUSE}'); END")
    else:
        op.execute("DROP TRIGGER audit_event_no_update")


def downgrade() -> None:
    op.drop_index('uq_audit_event_chain_seq', table_name='audit_event')
    for name in ('hash', 'prev_hash', 'seq', 'chain'):
        op.drop_column('audit_event', name)
    op.drop_column('app_user', 'removed_at')
    op.drop_column('app_user', 'unlocked_at')
    op.drop_column('record', 'loaded_by')
