"""The definition of a report kind (`ReportKindSpec`) and what the kind modules share."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied

from reporting.choices import ReportKind
from reporting.selectors import Progress

if TYPE_CHECKING:
    from reporting.params import Resolved
    from reporting.selectors import Content


def anyone(user) -> bool:
    """Every signed-in role (what they may see is narrowed by the parameters' visibility)."""
    return True


def regulators(user) -> bool:
    """Regulator staff (and the CLI, `user=None`, and the operator)."""
    return user is None or user.is_superuser or (user.organisation is not None and user.organisation.is_regulator)


@dataclass(frozen=True)
class ReportKindSpec:
    """One report kind, whole.

    - `key`: the `ReportKind` value (its label is the kind's name on every page);
    - `doc_prefix`: the kind in the document number (华北监管局〔2026〕<prefix>12号);
    - `template`: the PDF template, extending `reporting/pdf/base.html`;
    - `may_request(user)` / `refusal`: who may request it, and what the others are told (403);
    - `resolve(raw, user)`: the checked parameters (`reporting.params.Resolved`): 404 for a record the
      user may not see, ValidationError naming the field for anything malformed; it calls
      `require_may_request` where the check belongs;
    - `title(resolved)`: the job's title (called with zh-Hans active);
    - `build(params, organisation, progress)`: the `Content` the template renders, from stored params.
    """

    key: str
    doc_prefix: str
    template: str
    may_request: Callable[[object], bool]
    refusal: str
    resolve: Callable[[dict, object], Resolved]
    title: Callable[[Resolved], str]
    build: Callable[[dict, object, Progress], Content]

    @property
    def label(self):
        return ReportKind(self.key).label

    def require_may_request(self, user) -> None:
        if not self.may_request(user):
            raise PermissionDenied(self.refusal)
