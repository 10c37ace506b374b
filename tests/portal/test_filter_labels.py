"""Every filter box of every list speaks Chinese: a filter declared without a label falls back to its field
name in English ('Status', 'Source'), which the language test found on pages one at a time."""

import django_filters
import pytest
from django.conf import settings
from django.urls import get_resolver
from django.utils import translation


def _all_filtersets():
    assert get_resolver(settings.ROOT_URLCONF).url_patterns  # imports every view, hence every FilterSet
    seen, todo = set(), [django_filters.FilterSet]
    while todo:
        for sub in todo.pop().__subclasses__():
            if sub not in seen:
                seen.add(sub)
                todo.append(sub)
    return sorted(
        (
            fs
            for fs in seen
            if fs.__module__.split(".")[0] in {"portal", "campaigns", "complaints", "outages", "reporting"}
            and getattr(fs._meta, "model", None) is not None
        ),
        key=lambda fs: f"{fs.__module__}.{fs.__qualname__}",
    )


FILTERSETS = _all_filtersets()


def test_the_project_has_filtersets_to_check():
    assert len(FILTERSETS) >= 20


@pytest.mark.parametrize("filterset", FILTERSETS, ids=lambda fs: f"{fs.__module__}.{fs.__qualname__}")
def test_every_filter_has_a_chinese_label(filterset):
    with translation.override("en"):
        for filter_ in filterset.base_filters.values():
            assert (
                filter_.field is not None
            )  # what the schema generator does to the class's filters before any page renders
    with translation.override("zh-hans"):
        form = filterset(data={}, queryset=filterset._meta.model.objects.none()).form
        english = [name for name in form.fields if str(form[name].label).isascii()]
    assert not english, f"{filterset.__qualname__}: untranslated labels on {english}"
