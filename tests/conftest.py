import datetime as dt
import os
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from mitglieder import rollen
from tests.mitglieder.factories import GemeindeFactory, MitgliedFactory, UserFactory

GV100AD = (
    Path(__file__).resolve().parents[2]
    / "shared"
    / "data"
    / "gemeindeverzeichnis"
    / "GV100AD_301123.txt"
)
HEUTE = dt.date(2026, 11, 21)

# ---------------------------------------------------------------- CI must not skip silently

_uebersprungen: list[str] = []


def pytest_runtest_logreport(report):
    if report.skipped:
        _uebersprungen.append(report.nodeid)


def pytest_sessionfinish(session, exitstatus):
    """With KIV_KEINE_SKIPS=1 (set by .ci/run) a skipped test fails the run: a CI run
    without the browser tests or the real register file is not green."""
    if os.environ.get("KIV_KEINE_SKIPS") == "1" and _uebersprungen:
        print(
            f"\nKIV_KEINE_SKIPS: {len(_uebersprungen)} Test(s) übersprungen, das zählt als Fehler:"
        )
        for nodeid in _uebersprungen[:20]:
            print(f"  {nodeid}")
        session.exitstatus = 1


# ---------------------------------------------------------------- data


@pytest.fixture(autouse=True)
def leerer_cache():
    # the token pages' rate limit counts in the cache; every test starts from zero
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def aufgaben_sofort(settings):
    # Background tasks run at once in tests; the database worker is exercised in e2e.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def schnelle_passwoerter(settings):
    # PBKDF2 with its production cost dominates a suite that creates many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def gv100ad_pfad() -> Path:
    if not GV100AD.is_file():
        pytest.skip(f"Das amtliche Gemeindeverzeichnis fehlt unter {GV100AD} (../shared).")
    return GV100AD


@pytest.fixture
def gruppen(db):
    # post_migrate creates them; the test database is migrated, so they exist.
    return {r: Group.objects.get(name=r.value) for r in rollen.Rolle}


def _user_mit_rolle(rolle: rollen.Rolle, **kwargs):
    user = UserFactory(**kwargs)
    user.groups.add(Group.objects.get(name=rolle.value))
    return user


@pytest.fixture
def geschaeftsstelle(db):
    return _user_mit_rolle(rollen.Rolle.GESCHAEFTSSTELLE, username="gs")


@pytest.fixture
def finanzen(db):
    return _user_mit_rolle(rollen.Rolle.FINANZEN, username="fin")


@pytest.fixture
def mitglied_a(db):
    return MitgliedFactory(gebietskoerperschaft=GemeindeFactory(name="Adorf"), status="aktiv")


@pytest.fixture
def mitglied_b(db):
    return MitgliedFactory(gebietskoerperschaft=GemeindeFactory(name="Bedorf"), status="aktiv")


@pytest.fixture
def kommune_a(mitglied_a):
    user = UserFactory(username="kommune-a")
    rollen.binde_an_mitglied(user, mitglied_a)
    return user


@pytest.fixture
def ohne_rolle(db):
    return UserFactory(username="ohne-rolle")


def api_client(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def api():
    return api_client
