"""The one scoping mechanism: every list, detail, API and export goes through `visible_to`, and every
write through `writable_by` beside it.

Two layers, each declared once:
- the organisational scope (`Organisation.objects.visible_to`), through each model's `scope_field`;
- a subject's own rule (`withheld_from`), declared by the subject's app on its queryset — for instance
  a 12398 item is withheld from the utility until the regulator forwards it (complaints).

Writes: `writable_by(user, party)` is what `user` sees, narrowed to the side it acts for (`party_of`): a
utility's people and system accounts write their own subtree's records as the utility; a regulator's write
what their office supervises as the regulator. A workflow step names the parties that take it; the service
layer asks `require_writable` — the one check, with the reason of the refusal.

A record derived from a subject through `content_type`/`object_id` (a deadline, a violation, a
notification, an attachment) is visible exactly when its subject is: `DerivedQuerySet` asks the subject's
queryset, it never restates the rule.
"""

from functools import cache

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext as _

from portal.choices import Party


def party_of(user) -> str | None:
    """The side `user` writes for (None: it writes nothing). Superusers act for every side."""
    if not getattr(user, "is_authenticated", False):
        return None
    org = user.organisation
    if org is None:
        return None
    if org.is_utility and (user.is_utility or user.is_system):
        return Party.UTILITY
    if org.is_regulator and (user.is_regulator or user.is_system):
        return Party.REGULATOR
    return None


def acts_as(user, party: str | None) -> bool:
    """Whether `user` writes for `party` (any side when `party` is None)."""
    if getattr(user, "is_superuser", False) and getattr(user, "is_authenticated", False):
        return True
    side = party_of(user)
    return side is not None and (party is None or side == party)


class WritableMixin:
    """`writable_by` for any queryset with a `visible_to`: a user writes what it sees, for its own side."""

    def writable_by(self, user, party: str | None = None):
        if not acts_as(user, party):
            return self.none()
        return self.visible_to(user)


def require_writable(user, obj: models.Model, party: str | None = None, reason: str | None = None) -> None:
    """Refuse (403, with `reason`) unless `user` may write `obj` acting for `party`: the one write check."""
    if not type(obj)._default_manager.all().writable_by(user, party).filter(pk=obj.pk).exists():
        raise PermissionDenied(reason or _("You may not change this record."))


class ScopedQuerySet(WritableMixin, models.QuerySet):
    """A queryset of records that belong to an organisation reached through `scope_field`."""

    scope_field = "utility"

    def visible_to(self, user) -> "ScopedQuerySet":
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.visible_to_organisation(user.organisation)

    def visible_to_organisation(self, organisation) -> "ScopedQuerySet":
        """What anyone acting for `organisation` may see (also used for what is addressed to an
        organisation rather than a person: notifications, digests)."""
        # The registry, not an import: portal.models imports this module for its querysets.
        Organisation = apps.get_model("portal", "Organisation")
        if organisation is None:
            return self.none()
        qs = self.filter(**{f"{self.scope_field}__in": Organisation.objects.visible_to_organisation(organisation)})
        withheld = self.withheld_from(organisation)
        return qs if withheld is None else qs.exclude(withheld)

    def withheld_from(self, organisation) -> Q | None:
        """The records of this model that `organisation` may not see although they are in its scope, as a
        condition; None when nothing is withheld. A subject's app overrides this — it is the one place
        its rule lives, and every record derived from the subject inherits it."""
        return None


class SharedQuerySet(models.QuerySet):
    """Reference data every signed-in user reads (the working-day calendar): the same `visible_to` as the
    scoped records, so generic pages (the history view) treat it alike."""

    def visible_to(self, user) -> "SharedQuerySet":
        return self.all() if getattr(user, "is_authenticated", False) else self.none()


@cache
def models_with_own_rules() -> tuple[type[models.Model], ...]:
    """Subject models whose queryset declares a rule of its own (`withheld_from` overridden)."""
    found = []
    for model in apps.get_models():
        qs_class = type(model._default_manager.all())
        if issubclass(qs_class, ScopedQuerySet) and qs_class.withheld_from is not ScopedQuerySet.withheld_from:
            found.append(model)
    return tuple(found)


def subject_visible(organisation, *, content_type_field: str = "content_type", object_id_field: str = "object_id") -> Q:
    """The condition 'the subject (content_type, object_id) is not withheld from `organisation`', for the
    subject models that declare a rule of their own. With the derived record's own organisational scope
    (its `utility` is its subject's: a ticket never changes utility) this is exactly 'its subject is
    visible'. Set-based: per such model, `NOT (content type = it AND object_id IN (its withheld ids))` —
    the withheld set is the small one (the 12398 items awaiting forward, read through a partial index),
    so the database hashes it once instead of probing millions of visible tickets. Nothing is added for
    an organisation from which nothing is withheld (regulators): their queries keep their plans."""
    condition = Q()
    for model in models_with_own_rules():
        rule = model._default_manager.all().withheld_from(organisation)
        if rule is None:
            continue
        ct = ContentType.objects.get_for_model(model)
        withheld = model._default_manager.filter(rule).order_by().values("pk")
        condition &= ~Q(**{content_type_field: ct, f"{object_id_field}__in": withheld})
    return condition


class DerivedQuerySet(ScopedQuerySet):
    """Records derived from a subject through `content_type`/`object_id`: visible when their own scope
    (the responsible organisation) allows it and their subject is visible."""

    def visible_to_organisation(self, organisation) -> "DerivedQuerySet":
        qs = super().visible_to_organisation(organisation)
        if organisation is None:
            return qs
        return qs.filter(subject_visible(organisation))


def withheld_subjects(organisations, subjects: list[tuple[int, int]]) -> dict[int, set[tuple[int, int]]]:
    """Of `subjects` (content type id, object id), those withheld from each of `organisations` by their
    subject's own rule — for what is sent to an organisation rather than read through a queryset (the
    sweep's digests). One query per subject model and distinct rule, whatever the number of recipients."""
    by_ct: dict[int, list[int]] = {}
    for ct_id, object_id in subjects:
        by_ct.setdefault(ct_id, []).append(object_id)
    hidden: dict[int, set[tuple[int, int]]] = {org.pk: set() for org in organisations}
    found: dict[tuple[int, Q], set[int]] = {}
    for model in models_with_own_rules():
        ct_id = ContentType.objects.get_for_model(model).pk
        if ct_id not in by_ct:
            continue
        for org in organisations:
            rule = model._default_manager.all().withheld_from(org)
            if rule is None:
                continue
            if (ct_id, rule) not in found:
                found[(ct_id, rule)] = set(
                    model._default_manager.filter(pk__in=by_ct[ct_id]).filter(rule).values_list("pk", flat=True)
                )
            hidden[org.pk] |= {(ct_id, pk) for pk in found[(ct_id, rule)]}
    return hidden
