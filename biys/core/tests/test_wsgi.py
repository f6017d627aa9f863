"""The served application sets the process's long-lived objects aside from the collector."""

import gc

from biys.core.wsgi import application_with_frozen_start


def _collected(value) -> bool:
    """Is ``value`` among the objects the collector looks at (not frozen)?"""
    return any(item is value for item in gc.get_objects())


def test_objects_alive_at_start_and_after_the_warm_up_are_frozen():
    gc.unfreeze()
    calls = []

    def app(environ, start_response):
        calls.append(environ)
        return [b"ok"]

    try:
        before_start = []
        wrapped = application_with_frozen_start(app, warm_up=3)
        assert not _collected(before_start)
        made_while_serving = []
        assert _collected(made_while_serving)
        for _ in range(3):
            assert wrapped({}, None) == [b"ok"]
        assert len(calls) == 3
        assert not _collected(made_while_serving)
        after_warm_up = []
        wrapped({}, None)  # after the warm-up: nothing more is frozen
        assert _collected(after_warm_up)
    finally:
        gc.unfreeze()
