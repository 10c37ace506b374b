"""factory_boy factories of the shared core; each app adds its own in tests/<app>/factories.py."""

import factory
from factory.django import DjangoModelFactory

from portal.choices import OrgKind, OrgLevel, Role
from portal.models import Organisation, Province, User


class ProvinceFactory(DjangoModelFactory):
    class Meta:
        model = Province
        django_get_or_create = ("code",)

    code = "37"
    name = "山东"


class RegulatorFactory(DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("code",)
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"REG-{n}")
    name = factory.Sequence(lambda n: f"监管办公室{n}")
    kind = OrgKind.REGULATOR
    level = OrgLevel.REGIONAL

    @factory.post_generation
    def jurisdiction(self, create, extracted, **kwargs):
        if create and extracted:
            self.jurisdiction.set(extracted)


class UtilityFactory(DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"UTIL-{n}")
    name = factory.Sequence(lambda n: f"供电公司{n}")
    kind = OrgKind.UTILITY
    level = OrgLevel.PROVINCIAL
    province = factory.SubFactory(ProvinceFactory)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "测试用户"
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    organisation = factory.SubFactory(UtilityFactory)
    role = Role.UTILITY_SUBMITTER
    password = factory.django.Password("pw-for-tests-1")


def derived_rows(model) -> tuple[list[tuple], list[tuple]]:
    """The tracked deadlines and the violations of `model`'s records as comparable rows, each keyed by its
    record's external id (row ids and the references between rows left out): what the bulk-versus-single
    tests compare."""
    from django.contrib.contenttypes.models import ContentType

    from portal.models import TrackedDeadline, Violation

    ct = ContentType.objects.get_for_model(model)
    ext = dict(model.objects.values_list("pk", "external_id"))
    deadlines = sorted(
        (ext[d["object_id"]], *(str(d[k]) for k in sorted(d) if k not in ("id", "object_id")))
        for d in TrackedDeadline.objects.filter(content_type=ct).values()
    )
    violations = sorted(
        (ext[v["object_id"]], *(str(v[k]) for k in sorted(v) if k not in ("id", "object_id", "deadline_id")))
        for v in Violation.objects.filter(content_type=ct).values()
    )
    return deadlines, violations


def forget_records(model) -> None:
    """Delete `model`'s records with their history, deadlines and violations (a second run from scratch)."""
    from django.contrib.contenttypes.models import ContentType

    from portal.models import TrackedDeadline, Violation

    ct = ContentType.objects.get_for_model(model)
    Violation.objects.filter(content_type=ct).delete()
    TrackedDeadline.objects.filter(content_type=ct).delete()
    model.objects.all().delete()
    model.history.all().delete()
