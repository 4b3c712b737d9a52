"""Who a user is, and for which Mitglied a Kommune user acts.

Three roles, each a Django group: Geschäftsstelle (the office), Finanzen (finance) and
Kommune (staff of one member municipality). A Kommune user is bound to its Mitglied by
django-guardian object permissions (view and change on that one Mitglied); selectors
ask this module, so pages and API decide access the same way.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from django.contrib.auth.models import Group
from guardian.shortcuts import assign_perm, get_objects_for_user

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    from mitglieder.models import Mitglied


class Rolle(StrEnum):
    GESCHAEFTSSTELLE = "Geschäftsstelle"
    FINANZEN = "Finanzen"
    KOMMUNE = "Kommune"


def rollen(user: AbstractBaseUser | AnonymousUser) -> set[Rolle]:
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_kiv_rollen", None)
    if cached is None:
        names = set(user.groups.values_list("name", flat=True))
        cached = {rolle for rolle in Rolle if rolle.value in names}
        if user.is_superuser:
            cached.add(Rolle.GESCHAEFTSSTELLE)
        user._kiv_rollen = cached
    return cached


def ist_geschaeftsstelle(user) -> bool:
    return Rolle.GESCHAEFTSSTELLE in rollen(user)


def ist_finanzen(user) -> bool:
    return Rolle.FINANZEN in rollen(user)


def ist_kommune(user) -> bool:
    return Rolle.KOMMUNE in rollen(user)


def sieht_alle_mitglieder(user) -> bool:
    """The office manages all members, finance reads all."""
    return ist_geschaeftsstelle(user) or ist_finanzen(user)


def mitglieder_fuer(user):
    """The Mitglieder a Kommune user acts for (usually exactly one)."""
    from mitglieder.models import Mitglied

    if not ist_kommune(user):
        return Mitglied.objects.none()
    return get_objects_for_user(
        user, "mitglieder.view_mitglied", klass=Mitglied, accept_global_perms=False
    )


def binde_an_mitglied(user, mitglied: Mitglied) -> None:
    """Make `user` a Kommune user of `mitglied`."""
    user.groups.add(Group.objects.get(name=Rolle.KOMMUNE.value))
    assign_perm("mitglieder.view_mitglied", user, mitglied)
    assign_perm("mitglieder.change_mitglied", user, mitglied)
    user.__dict__.pop("_kiv_rollen", None)


# Global model permissions per role, by app. The office manages everything; finance reads
# everything; Kommune users get nothing globally, only object permissions on their Mitglied.
GRUPPEN_RECHTE: dict[Rolle, dict[str, tuple[str, ...]]] = {
    Rolle.GESCHAEFTSSTELLE: {
        "mitglieder": ("add", "change", "delete", "view"),
        "leistungen": ("add", "change", "delete", "view"),
        "vertraege": ("add", "change", "delete", "view"),
    },
    Rolle.FINANZEN: {
        "mitglieder": ("view",),
        "leistungen": ("view",),
        "vertraege": ("view",),
    },
    Rolle.KOMMUNE: {},
}


def gruppen_einrichten(**kwargs) -> None:
    """post_migrate: create the role groups and give them their model permissions."""
    from django.contrib.auth.models import Permission

    for rolle, apps in GRUPPEN_RECHTE.items():
        gruppe, _ = Group.objects.get_or_create(name=rolle.value)
        rechte = []
        for app_label, aktionen in apps.items():
            rechte += [
                p
                for p in Permission.objects.filter(content_type__app_label=app_label)
                if p.codename.split("_", 1)[0] in aktionen
            ]
        gruppe.permissions.add(*rechte)


def nur_fuer(*pruefungen):
    """Page access by role: not logged in → login page; another role → 403."""
    from functools import wraps

    from django.contrib.auth.decorators import login_required
    from django.core.exceptions import PermissionDenied

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapper(request, *args, **kwargs):
            if not any(pruefung(request.user) for pruefung in pruefungen):
                raise PermissionDenied("Diese Seite ist für Ihre Rolle nicht freigegeben.")
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
