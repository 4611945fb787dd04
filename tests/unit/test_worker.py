"""Worker process set-up: the logging it was given is kept, the startup heap is frozen."""

from __future__ import annotations

import gc
import logging

from streams.worker import DrainingWorker, freeze_startup_heap


def test_no_spinner_and_root_level_kept() -> None:
    root = logging.getLogger()
    before, handlers = root.level, list(root.handlers)
    worker = DrainingWorker.__new__(DrainingWorker)  # the hook needs no started app
    worker.spinner = object()  # type: ignore[assignment]  # what Faust sets in __init__
    try:
        root.setLevel(logging.WARNING)
        worker.on_setup_root_logger(root, logging.WARNING)
        assert worker.spinner is None
        assert root.level == logging.WARNING
        assert not root.isEnabledFor(logging.DEBUG)  # debug records are not even built
        assert root.handlers == handlers
    finally:
        root.setLevel(before)


def test_startup_heap_is_frozen() -> None:
    try:
        freeze_startup_heap()
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
