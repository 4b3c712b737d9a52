"""The Django admin is the office's back office: every model is there, in German, and the
register and the share ledger are read-only in it."""

import pytest
from django.contrib import admin

pytestmark = pytest.mark.django_db


@pytest.fixture
def buero(client, geschaeftsstelle, mitglied_a):
    geschaeftsstelle.is_staff = True
    geschaeftsstelle.save()
    client.force_login(geschaeftsstelle)
    return client


MODELLE = [m for m in admin.site._registry if m._meta.app_label == "mitglieder"]


@pytest.mark.parametrize("modell", MODELLE, ids=[m.__name__ for m in MODELLE])
def test_jede_liste_und_jedes_objekt_oeffnet_sich(buero, modell):
    liste = buero.get(f"/admin/mitglieder/{modell._meta.model_name}/")
    assert liste.status_code == 200
    assert str(modell._meta.verbose_name_plural) in liste.text
    objekt = modell.objects.first()
    if objekt is not None:
        assert (
            buero.get(
                f"/admin/mitglieder/{modell._meta.model_name}/{objekt.pk}/change/"
            ).status_code
            == 200
        )


def test_register_und_anteilsbuch_sind_im_admin_nicht_aenderbar(buero, mitglied_a):
    gk = mitglied_a.gebietskoerperschaft
    seite = buero.get(f"/admin/mitglieder/gebietskoerperschaft/{gk.pk}/change/")
    assert 'name="name"' not in seite.text  # read-only
    assert buero.get("/admin/mitglieder/gebietskoerperschaft/add/").status_code == 403
    assert buero.get("/admin/mitglieder/anteilsvorgang/add/").status_code == 403
    assert "Verwaltung" in buero.get("/admin/").text


def test_alle_modelle_sind_im_admin():
    from django.apps import apps

    fehlend = [
        m.__name__
        for m in apps.get_app_config("mitglieder").get_models()
        if m not in admin.site._registry and not m.__name__.startswith("Historical")
    ]
    assert fehlend == []
