"""Organisations (regulator offices and utilities), provinces and the people who act for them."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.choices import REGULATOR_ROLES, UTILITY_ROLES, OrgKind, OrgLevel, Role
from portal.querysets import WritableMixin


class Province(models.Model):
    """A provincial-level division (GB/T 2260 two-digit code); jurisdictions are sets of these."""

    code = models.CharField(_("code"), max_length=2, unique=True)
    name = models.CharField(_("name"), max_length=20)

    class Meta:
        ordering = ["code"]
        verbose_name = _("province")
        verbose_name_plural = _("provinces")

    def __str__(self) -> str:
        return self.name


class OrganisationQuerySet(WritableMixin, models.QuerySet):
    """`writable_by(user, party)`: the organisations whose records `user` may create acting for `party`."""

    def visible_to(self, user) -> "OrganisationQuerySet":
        """The organisations whose records `user` may see: the one scoping rule of the portal.

        Regulators see their own office and the utilities of their jurisdiction; utility users see
        their organisation's subtree; operators (superusers) see everything; nobody else sees anything.
        """
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.visible_to_organisation(user.organisation)

    def visible_to_organisation(self, org: "Organisation | None") -> "OrganisationQuerySet":
        """What anyone acting for `org` sees (the rule above, for an organisation rather than a person)."""
        if org is None:
            return self.none()
        if org.kind == OrgKind.REGULATOR:
            if org.level == OrgLevel.NATIONAL:
                return self.all()
            return self.filter(
                models.Q(kind=OrgKind.UTILITY, province__in=org.jurisdiction.all())
                | models.Q(path__startswith=org.path)
            )
        return self.filter(path__startswith=org.path)

    def utilities(self) -> "OrganisationQuerySet":
        return self.filter(kind=OrgKind.UTILITY)

    def regulators(self) -> "OrganisationQuerySet":
        return self.filter(kind=OrgKind.REGULATOR)

    def supervising(self, utility: "Organisation") -> "OrganisationQuerySet":
        """Regulator offices whose jurisdiction covers `utility` (and the national office)."""
        return (
            self.filter(kind=OrgKind.REGULATOR, is_active=True)
            .filter(models.Q(level=OrgLevel.NATIONAL) | models.Q(jurisdiction=utility.province_id))
            .distinct()
        )

    def subtree(self, root: "Organisation") -> "OrganisationQuerySet":
        return self.filter(path__startswith=root.path)


class Organisation(models.Model):
    """A regulator office or a utility company in the organisation tree.

    `path` is the materialised path of codes ("/SGCC-JS/SGCC-JS-NJ/") so that a subtree is one
    indexed prefix query; it is derived from the parent on save.
    """

    code = models.CharField(
        _("code"), max_length=40, unique=True, help_text=_("Stable identifier used by other systems.")
    )
    name = models.CharField(_("name"), max_length=120)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=OrgKind.choices)
    level = models.CharField(_("level"), max_length=12, choices=OrgLevel.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField(_("path"), max_length=400, editable=False, db_index=True)
    province = models.ForeignKey(
        Province, verbose_name=_("province"), null=True, blank=True, on_delete=models.PROTECT, related_name="utilities"
    )
    jurisdiction = models.ManyToManyField(
        Province, verbose_name=_("jurisdiction"), blank=True, related_name="regulators"
    )
    email = models.EmailField(_("e-mail"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords(m2m_fields=[jurisdiction])

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["path"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        indexes = [models.Index(fields=["kind", "province"], name="org_kind_province")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        old_path = self.path
        self.path = (self.parent.path if self.parent_id else "/") + f"{self.code}/"
        super().save(*args, **kwargs)
        if old_path and old_path != self.path:
            # Moving or recoding a node rewrites its descendants' paths in one statement.
            Organisation.objects.filter(path__startswith=old_path).exclude(pk=self.pk).update(
                path=Concat(Value(self.path), Substr("path", len(old_path) + 1))
            )

    def clean(self) -> None:
        if self.parent_id and self.parent.kind != self.kind:
            raise ValidationError({"parent": _("A utility and a regulator office cannot be parent and child.")})
        if self.kind == OrgKind.UTILITY and not self.province_id:
            raise ValidationError({"province": _("A utility belongs to one province.")})
        if self.pk and self.parent_id and self.parent.path.startswith(self.path):
            raise ValidationError({"parent": _("An organisation cannot be placed under its own subtree.")})

    @property
    def is_regulator(self) -> bool:
        return self.kind == OrgKind.REGULATOR

    @property
    def is_utility(self) -> bool:
        return self.kind == OrgKind.UTILITY

    def ancestors_and_self(self) -> list["Organisation"]:
        codes = [c for c in self.path.split("/") if c]
        by_code = {o.code: o for o in Organisation.objects.filter(code__in=codes)}
        return [by_code[c] for c in codes if c in by_code]


class PortalUserManager(UserManager):
    def get_queryset(self):
        return super().get_queryset().select_related("organisation")


class User(AbstractUser):
    """A person (or a system account) acting for exactly one organisation with one role."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    objects = PortalUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def clean(self) -> None:
        super().clean()
        if self.is_superuser:
            return
        if not self.organisation_id or not self.role:
            raise ValidationError(_("Every user acts for one organisation with one role."))
        if self.role in REGULATOR_ROLES and not self.organisation.is_regulator:
            raise ValidationError({"role": _("Regulator roles belong to regulator offices.")})
        if self.role in UTILITY_ROLES and not self.organisation.is_utility:
            raise ValidationError({"role": _("Utility roles belong to utilities.")})

    @property
    def is_regulator(self) -> bool:
        return self.role in REGULATOR_ROLES or (self.is_superuser and not self.role)

    @property
    def is_utility(self) -> bool:
        return self.role in UTILITY_ROLES

    @property
    def is_system(self) -> bool:
        return self.role == Role.SYSTEM

    @property
    def is_regulator_admin(self) -> bool:
        return self.role == Role.REGULATOR_ADMIN or self.is_superuser
