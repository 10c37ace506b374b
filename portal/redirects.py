"""Where to go after a form: the `next` a page asked for, if it stays on this site — never another host
(an open redirect lets a link on our domain send a signed-in regulator to a look-alike page)."""

from django.shortcuts import redirect, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request, fallback: str, *, field: str = "next") -> str:
    """`request.POST[field]` (or GET) when it is a URL of this host, else the URL of `fallback`."""
    target = request.POST.get(field) or request.GET.get(field) or ""
    if target and url_has_allowed_host_and_scheme(
        url=target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(fallback)


def redirect_next(request, fallback: str, *, field: str = "next"):
    return redirect(safe_next(request, fallback, field=field))
