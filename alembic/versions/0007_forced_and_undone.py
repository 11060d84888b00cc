"""record.forced: an analyst's start recorded although its starts/requires were unmet; and
undone_decision: the clock decisions a late record undid, for history and revised alerts

Revision ID: 0007
Revises: 0006
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Every record before this revision was an ordinary one: forced is false for all of them.
    with op.batch_alter_table('record', schema=None) as batch_op:
        batch_op.add_column(sa.Column('forced', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    op.create_table(
        'undone_decision',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('agreement_id', sa.Integer(), sa.ForeignKey('agreement.id'), nullable=False),
        sa.Column('commitment_id', sa.Integer(), sa.ForeignKey('commitment.id'), nullable=False),
        sa.Column('decision_id', sa.String(length=40), nullable=False),
        sa.Column('state', sa.String(length=16), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('rule', sa.String(length=16), nullable=True),
        sa.Column('cause', sa.Text(), nullable=False),
        sa.Column('derived_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('undone_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('undone_by_record_id', sa.Integer(), sa.ForeignKey('record.id'), nullable=True),
        sa.Column('replaced_by', sa.Text(), nullable=False),
    )
    op.create_index('ix_undone_decision_agreement_id', 'undone_decision', ['agreement_id'])


def downgrade() -> None:
    op.drop_index('ix_undone_decision_agreement_id', table_name='undone_decision')
    op.drop_table('undone_decision')
    with op.batch_alter_table('record', schema=None) as batch_op:
        batch_op.drop_column('forced')
