from biys.core import generations
from biys.core.context import ChangeContext, _current


class RequestContextMiddleware:
    """Stamps every change made while serving a request with its user and request id, and reads
    the cache generations (``biys.core.generations``) at most once for the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        authenticated = bool(user and user.is_authenticated)
        context = ChangeContext(
            user_id=user.pk if authenticated else None,
            user_name=user.get_username() if authenticated else "",
            remote_addr=request.META.get("REMOTE_ADDR", ""),
            path=request.path[:200],
        )
        request.request_id = context.request_id
        token = _current.set(context)
        try:
            with generations.request_scope():
                response = self.get_response(request)
        finally:
            _current.reset(token)
        response["X-Request-ID"] = context.request_id
        return response
