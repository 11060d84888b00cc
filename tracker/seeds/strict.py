"""What every model of the seed and record formats shares: unknown keys refused, slugs."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=100)]


class Strict(BaseModel):
    # Keys are dumped as written (`not`, not the field's name `not_`): a stored definition is a
    # seed file's own form.
    model_config = ConfigDict(extra="forbid", frozen=True, serialize_by_alias=True)
