"""stored definitions in the condition language's one form: `{all_of: {x: s}, any_of: null}` is
stored as `{all_of: [{commitment: x, enters: s}]}`, as the seed schema now writes it, so an
unchanged seed still loads as "unchanged"

The normaliser is this file's own (not the schema's), so the migration means the same after the
schema changes again.

Revision ID: 0009
Revises: 0008
"""
import hashlib
import json
from collections.abc import Callable, Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_agreement = sa.table('agreement', sa.column('id', sa.Integer), sa.column('slug', sa.String),
                      sa.column('definition', sa.JSON), sa.column('definition_hash', sa.String))

Condition = dict[str, Any]


def upgrade() -> None:
    _rewrite(_to_leaves)


def downgrade() -> None:
    _rewrite(_to_mapping, refuse=_new_rules)


def _rewrite(change: Callable[[Condition, str], Condition],
             refuse: Callable[[dict[str, Any], str], None] | None = None) -> None:
    """Rewrite every stored definition's conditions (`requires`, scenario `when`) with `change`."""
    connection = op.get_bind()
    for row in connection.execute(sa.select(_agreement)).mappings().all():
        definition = json.loads(json.dumps(row['definition']))  # a deep copy
        for i, c in enumerate(definition.get('commitments', [])):
            if refuse is not None:
                refuse(c, f"{row['slug']}: commitments[{i}]")
            if c.get('requires') is not None:
                c['requires'] = change(c['requires'], f"{row['slug']}: commitments[{i}].requires")
        for i, s in enumerate(definition.get('scenarios', [])):
            s['when'] = change(s['when'], f"{row['slug']}: scenarios[{i}].when")
        connection.execute(sa.update(_agreement).where(_agreement.c.id == row['id']).values(
            definition=definition, definition_hash=_digest(definition)))


def _to_leaves(condition: Condition, where: str) -> Condition:
    """`{all_of: {x: s}, any_of: null}` -> `{all_of: [{commitment: x, enters: s}]}`."""
    if 'commitment' in condition or 'not' in condition:
        return condition  # already in the new form
    mode = 'all_of' if condition.get('all_of') is not None else 'any_of'
    terms = condition[mode]
    if isinstance(terms, list):
        return {mode: terms}
    return {mode: [{'commitment': slug, 'enters': state} for slug, state in terms.items()]}


def _to_mapping(condition: Condition, where: str) -> Condition:
    """`{all_of: [{commitment: x, enters: s}]}` -> `{all_of: {x: s}, any_of: null}`, or refuse
    what the older form cannot say (not, nesting, lists of states, deadlines)."""
    mode = 'all_of' if 'all_of' in condition else 'any_of' if 'any_of' in condition else None
    leaves = condition[mode] if mode is not None else [condition]
    plain = all(set(leaf) == {'commitment', 'enters'} and isinstance(leaf['enters'], str)
                for leaf in leaves)
    slugs = [leaf.get('commitment') for leaf in leaves]
    if not plain or len(set(slugs)) < len(slugs):
        raise RuntimeError(f"{where} uses the condition language (not, nesting, several states, "
                           "by or within, a commitment named twice), which revision 0008 cannot "
                           "hold; this database cannot go below 0009")
    terms = {leaf['commitment']: leaf['enters'] for leaf in leaves}
    return {'all_of': terms if mode != 'any_of' else None,
            'any_of': terms if mode == 'any_of' else None}


def _new_rules(c: dict[str, Any], where: str) -> None:
    """Refuse a commitment whose `starts` or `ends` says what 0008 could not."""
    starts, ends = c.get('starts'), c.get('ends')
    new_starts = isinstance(starts, dict) and 'after' in starts and (
        not isinstance(starts.get('enters'), str) or 'by' in starts or 'within' in starts)
    new_ends = isinstance(ends, dict) and 'after' not in ends
    if new_starts or new_ends:
        raise RuntimeError(f"{where} has a `starts` or `ends` rule in the condition language, "
                           "which revision 0008 cannot hold; this database cannot go below 0009")


def _digest(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True).encode()).hexdigest()
