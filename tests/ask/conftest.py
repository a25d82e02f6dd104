from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

import medpolicy
from medpolicy.api import Store

from .documents import (
    CODE_PAGE,
    NK_ORCHARD,
    NK_RIVERSTONE,
    SLEEP_ORCHARD_V1,
    SLEEP_ORCHARD_V2,
    TMS_MEADOWLARK_2014,
    add,
)

TODAY = date(2026, 6, 15)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """A store holding the small fictional policies of `documents` (two versions of OV-5.10)."""
    with medpolicy.open(tmp_path / "ask.db") as opened:
        for spec in (
            NK_ORCHARD,
            NK_RIVERSTONE,
            TMS_MEADOWLARK_2014,
            SLEEP_ORCHARD_V1,
            SLEEP_ORCHARD_V2,
            CODE_PAGE,
        ):
            add(opened, spec)
        yield opened


@pytest.fixture
def empty_store(tmp_path: Path) -> Iterator[Store]:
    with medpolicy.open(tmp_path / "empty.db") as opened:
        yield opened
