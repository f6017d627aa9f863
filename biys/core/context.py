"""The request a change happens in, available to code far from the view (change log, services)."""

import uuid
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ChangeContext:
    user_id: int | None = None
    user_name: str = ""
    request_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    remote_addr: str = ""
    path: str = ""


_current: ContextVar[ChangeContext | None] = ContextVar("biys_change_context", default=None)


def current_context() -> ChangeContext:
    return _current.get() or ChangeContext(user_name="system")


@contextmanager
def change_context(**values):
    """Attribute every change inside the block to the given user / request (CLI, tasks, tests)."""
    user = values.pop("user", None)
    if user is not None:
        values.setdefault("user_id", user.pk)
        values.setdefault("user_name", user.get_username())
    token = _current.set(ChangeContext(**values))
    try:
        yield _current.get()
    finally:
        _current.reset(token)


def bind_user(user) -> None:
    """Attach a user authenticated after the middleware ran (API token authentication)."""
    context = current_context()
    if user is not None and user.is_authenticated and context.user_id != user.pk:
        _current.set(
            ChangeContext(
                user_id=user.pk,
                user_name=user.get_username(),
                request_id=context.request_id,
                remote_addr=context.remote_addr,
                path=context.path,
            )
        )
