"""Issue 20, finished language: every page the URL resolver knows, rendered with demo data in zh-hans and in
en, as a regulator (山东监管办 staff) and a utility user (沂东县 submitter), shows no raw choice value as text
("met", "at_risk", "website"), no django-filter lookup suffix ("is greater than or equal to"), no history
verb left raw after 创建:/修改:, no "1 working days", and in Chinese no English text for which a translation
exists (an untranslated msgid)."""

import io
import re
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.utils.translation import trans_real

from tests.hardening.test_every_url import PATHS

pytestmark = pytest.mark.django_db(transaction=False)

LOOKUP = re.compile(r"is (greater|less) than|is equal to|is in the range")
ONE_DAYS = re.compile(r"(?<![/\d.])1 (working |calendar )?days\b")
RAW_VERB = re.compile(r"(创建|修改|删除)[:：]\s*([a-z][a-z_]+)\b")
SKIP = re.compile(r"^/(api/|accounts/logout|i18n/|healthz|admin/)|/(export|download|pdf|xlsx|feed|rss)")


class _Text(HTMLParser):
    """Text nodes outside script/style/code/pre/textarea (what a reader sees as words)."""

    QUIET = {"script", "style", "code", "pre", "textarea", "svg"}

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.nodes: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.QUIET:
            self.depth += 1

    def handle_endtag(self, tag):
        if tag in self.QUIET and self.depth:
            self.depth -= 1

    def handle_data(self, data):
        text = " ".join(data.split())
        if text and not self.depth:
            self.nodes.append(text)


def _raw_choice_values() -> set[str]:
    """Choice values that differ from their label and look like code words (met, at_risk, website)."""
    raw = set()
    for model in apps.get_models():
        for f in model._meta.get_fields():
            for value, label in getattr(f, "flatchoices", None) or []:
                if isinstance(value, str) and re.fullmatch(r"[a-z][a-z_]{2,}", value) and value != str(label):
                    raw.add(value)
    return raw


def _zh_catalog() -> dict[str, str]:
    """msgids with a Chinese translation; the language switcher's names in their own language are left out
    ("English" is how the switcher offers English)."""
    from django.utils.translation import get_language_info

    own_names = {get_language_info(code)["name_local"] for code, _name in settings.LANGUAGES}
    catalog = trans_real.translation("zh-hans")._catalog
    return {
        k: v
        for k, v in catalog.items()
        if isinstance(k, str)
        and v
        and k != v
        and k not in own_names
        and re.search(r"[A-Za-z]{3,}", k)
        and re.search(r"[\u4e00-\u9fff]", v)
    }


def _problems(text_nodes: list[str], lang: str, raw: set[str], catalog: dict) -> list[str]:
    out = []
    for t in text_nodes:
        if LOOKUP.search(t):
            out.append(f"lookup suffix: {t!r}")
        if ONE_DAYS.search(t):
            out.append(f"singular: {t!r}")
        m = RAW_VERB.search(t)
        if m and m.group(2) in raw:
            out.append(f"history verb: {t!r}")
        if lang == "zh-hans":
            if t in catalog:
                out.append(f"untranslated: {t!r}")
            for token in re.split(r"[\s·/,，、:：()（）]+", t):
                if token in raw:
                    out.append(f"raw value {token!r} in {t!r}")
    return out


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo world, loaded once for the module's runs (each test's own transaction nests inside this one)
    and rolled back after them."""
    from tests.conftest import ensure_reference_data

    with django_db_blocker.unblock(), transaction.atomic():
        ensure_reference_data()
        call_command("load_demo", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


@pytest.mark.parametrize("username", ["sd_staff", "yd_submitter"])
@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_every_page_speaks_its_language(demo, client, username, lang):
    from portal.models import User

    client.force_login(User.objects.get(username=username))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    raw, catalog = _raw_choice_values(), _zh_catalog()
    found = {}
    for path in PATHS:
        if SKIP.search(path):
            continue
        r = client.get(path)
        if r.status_code != 200 or "text/html" not in r.get("Content-Type", ""):
            continue
        parser = _Text()
        parser.feed(r.content.decode())
        problems = _problems(parser.nodes, lang, raw, catalog)
        if problems:
            found[path] = sorted(set(problems))[:6]
    assert not found, "\n".join(f"{p}: {v}" for p, v in found.items())
