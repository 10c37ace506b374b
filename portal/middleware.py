from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

from portal.inputs import normalise_querydict


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    """Simplified Chinese unless the user chose another language with the switcher (its cookie).

    The browser's Accept-Language is ignored on purpose: the portal is a Chinese government system,
    and an English-language browser on an office PC should not change the language of the record.
    """

    def process_request(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class NormaliseInputMiddleware:
    """Query strings and url-encoded forms are normalised before any view reads them (portal.inputs):
    control characters (and, in query strings, NUL) removed, so a parameter such as `area=\r…` cannot
    inject lines into a feed nor break its XML.
    Multipart bodies are left to their form fields (reading them here would spool every upload)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.GET = normalise_querydict(request.GET, keep_nul=False)
        if request.method == "POST" and request.content_type == "application/x-www-form-urlencoded":
            request.POST = normalise_querydict(request.POST)
        return self.get_response(request)
