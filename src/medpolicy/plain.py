"""Dataclasses as plain JSON-ready values (dicts, lists, strings, numbers), quickly.

`dataclasses.asdict` deep-copies every leaf; results served per request and extractions
stored per document are large enough for that to show, so this walks them directly.
Tuples become lists, as JSON has no tuples.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any

_SCALARS = (str, int, float, bool)


def plain(value: Any) -> Any:
    """`value` with every dataclass turned into a dict of its fields and every tuple into a list."""
    if value is None or isinstance(value, _SCALARS):
        return value
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    names = _FIELD_NAMES.get(type(value)) or _field_names(type(value))
    if names is None:
        return value
    return {name: plain(getattr(value, name)) for name in names}


_FIELD_NAMES: dict[type, tuple[str, ...] | None] = {}


def _field_names(cls: type) -> tuple[str, ...] | None:
    """The dataclass's field names (None for any other type), remembered per class."""
    names = tuple(f.name for f in fields(cls)) if hasattr(cls, "__dataclass_fields__") else None
    _FIELD_NAMES[cls] = names
    return names
