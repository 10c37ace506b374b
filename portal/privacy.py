"""Masking of a customer's personal data for those who supervise a record without handling it (a regulator, a
sibling utility): the name's first character, a phone's first three and last four digits, an address's
first third (at most six characters)."""

from portal.models import User


def mask_name(value: str) -> str:
    return (value[:1] + "*" * max(1, len(value) - 1)) if value else ""


def mask_phone(value: str) -> str:
    if not value:
        return ""
    if len(value) >= 7:
        return value[:3] + "*" * (len(value) - 7) + value[-4:] if len(value) > 7 else value[:3] + "****"
    return "*" * len(value)


def mask_address(value: str) -> str:
    if not value:
        return ""
    keep = min(6, max(1, len(value) // 3))
    return value[:keep] + "***"


def handles(user: User, utility) -> bool:
    """Whether `user` works for `utility` or a utility above it (and so sees its customers in full)."""
    if user.is_superuser:
        return True
    org = getattr(user, "organisation", None)
    return org is not None and org.is_utility and utility.path.startswith(org.path)
