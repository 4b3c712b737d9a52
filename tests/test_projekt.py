"""Project-wide promises: the committed OpenAPI file matches the code, production settings
pass Django's deploy check, the Umlage engine stays free of Django, the demo loads."""

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
def test_openapi_datei_entspricht_dem_code(tmp_path):
    erzeugt = tmp_path / "openapi.yaml"
    call_command("spectacular", "--file", str(erzeugt), "--validate", "--fail-on-warn")

    assert erzeugt.read_text() == (ROOT / "docs" / "openapi.yaml").read_text(), (
        "docs/openapi.yaml ist veraltet: python manage.py spectacular --file docs/openapi.yaml"
    )


def test_check_deploy_im_produktivbetrieb_ohne_warnungen():
    # The browser tests' conftest allows async-unsafe ORM calls in this process; production
    # never sets that, and check --deploy rightly warns about it.
    basis = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {
        **basis,
        "DEBUG": "false",
        "SECRET_KEY": "k" * 10 + "ein-langer-zufaelliger-schluessel-fuer-den-test-0123456789",
        "ALLOWED_HOSTS": "kiv.example.de",
    }
    ergebnis = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert ergebnis.returncode == 0, ergebnis.stdout + ergebnis.stderr
    assert "System check identified no issues (0 silenced)." in ergebnis.stdout


def test_produktivbetrieb_ohne_secret_key_startet_nicht():
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env.update(DEBUG="false", ALLOWED_HOSTS="kiv.example.de")
    ergebnis = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert ergebnis.returncode != 0
    assert "SECRET_KEY muss im Produktivbetrieb (DEBUG=false) gesetzt sein." in ergebnis.stderr


@pytest.mark.django_db
def test_demo_daten_laden_und_sind_stimmig():
    from mitglieder.anteilsregister import gesellschafterliste
    from mitglieder.models import Mitglied, MitgliedStatus

    out = io.StringIO()
    call_command("demo_laden", stdout=out)
    call_command("demo_laden", stdout=out)  # a second run leaves the data alone

    assert "Demo-Daten geladen." in out.getvalue()
    assert "Demo-Daten sind bereits geladen." in out.getvalue()
    status = set(Mitglied.objects.values_list("status", flat=True))
    assert status == set(MitgliedStatus.values)  # every lifecycle state is shown
    import datetime as dt

    for tag in [dt.date(2023, 3, 1), dt.date(2024, 4, 1), dt.date(2025, 7, 1), dt.date(2026, 1, 1)]:
        liste = gesellschafterliste(stichtag=tag)
        assert liste.summe_nennbetraege == liste.stammkapital > 0
    assert gesellschafterliste(stichtag=dt.date(2026, 1, 1)).stammkapital == 59000
