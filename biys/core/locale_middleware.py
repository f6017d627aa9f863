from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation.trans_real import parse_accept_lang_header

from biys.core.api.problems import API_PREFIX


class PreferredLanguageMiddleware:
    """The language of a request.

    Pages: Turkish unless the user chose otherwise with the language switch (its cookie).
    Django's LocaleMiddleware follows the browser's Accept-Language, which on municipal PCs is
    often English even for Turkish staff; the product's language is a decision, not a guess.

    The API (``/api/``): a client's ``Accept-Language`` naming a language BİYS speaks wins (a
    script or an integration asks for English explicitly); without one, as the pages: the
    switch's choice, then Turkish. Its answers say ``Vary: Accept-Language``.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.languages = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        api = request.path_info.startswith(API_PREFIX)
        language = self._accepted(request) if api else None
        if language is None:
            chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
            language = chosen if chosen in self.languages else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        if api:
            patch_vary_headers(response, ("Accept-Language",))
        return response

    def _accepted(self, request) -> str | None:
        """The first language of the request's Accept-Language (by its q values) that BİYS
        speaks, ``en-GB`` read as ``en``; ``*`` and unknown languages name none."""
        header = request.headers.get("Accept-Language", "")
        for code, _quality in parse_accept_lang_header(header):
            if code == "*":
                continue
            try:
                language = translation.get_supported_language_variant(code)
            except LookupError:
                continue
            if language in self.languages:
                return language
        return None
