"""A serving process settles its memory before the first request (``staffroom.runtime``)."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from staffroom.runtime import GC_THRESHOLDS, settle_for_serving


@pytest.fixture
def restored_collector() -> Iterator[None]:
    before = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*before)


@pytest.mark.usefixtures("restored_collector")
def test_start_ups_objects_are_frozen_and_the_young_generation_is_larger() -> None:
    assert gc.get_freeze_count() == 0
    settle_for_serving()
    assert gc.get_freeze_count() > 10_000  # the imports' objects: never walked again
    assert gc.get_threshold() == GC_THRESHOLDS
    garbage = []
    garbage.append(garbage)  # a cycle made after start-up is still collected
    del garbage
    assert gc.collect() >= 1
