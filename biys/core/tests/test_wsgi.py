"""The served application sets the process's long-lived objects aside from the collector."""

import gc

from biys.core.wsgi import application_with_frozen_start


def test_objects_alive_at_start_and_after_the_warm_up_are_frozen():
    gc.unfreeze()
    calls = []

    def app(environ, start_response):
        calls.append(environ)
        return [b"ok"]

    try:
        wrapped = application_with_frozen_start(app, warm_up=3)
        at_start = gc.get_freeze_count()
        assert at_start > 0
        kept = [object() for _ in range(10)]  # long-lived, made while serving
        kept_lists = [[] for _ in range(500)]
        for _ in range(3):
            assert wrapped({}, None) == [b"ok"]
        assert len(calls) == 3
        assert gc.get_freeze_count() >= at_start + len(kept_lists)
        frozen = gc.get_freeze_count()
        wrapped({}, None)  # after the warm-up: nothing more is frozen
        assert gc.get_freeze_count() == frozen
        del kept
    finally:
        gc.unfreeze()
