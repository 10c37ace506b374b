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
