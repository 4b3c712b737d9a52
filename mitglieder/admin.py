"""The office's back office. Writes that carry rules go through services: the status of a
member is changed on its page, and the share ledger is append-only, so both are read-only
here."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from simple_history.admin import SimpleHistoryAdmin

from mitglieder import services
from mitglieder.models import (
    Ansprechpartner,
    Anteilsbuchung,
    Anteilsvorgang,
    Antwort,
    Einladung,
    Einwohnerzahl,
    Frage,
    Gebietskoerperschaft,
    Geschaeftsanteil,
    Gesellschaft,
    Mitglied,
    MitgliedStatusEintrag,
    RegisterImport,
    Umfrage,
)

admin.site.site_header = "KIV – Verwaltung"
admin.site.site_title = "KIV"
admin.site.index_title = "Geschäftsstelle"


class NurLesen:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class EinwohnerzahlInline(NurLesen, admin.TabularInline):
    model = Einwohnerzahl
    extra = 0


@admin.register(Gebietskoerperschaft)
class GebietskoerperschaftAdmin(admin.ModelAdmin):
    list_display = ("name", "ars", "ags", "ebene", "typ", "land", "aufgeloest_am")
    list_filter = ("ebene", "land", "typ")
    search_fields = ("name", "ars", "ags")
    readonly_fields = [
        f.name for f in Gebietskoerperschaft._meta.fields if f.name not in {"nachfolger"}
    ]
    autocomplete_fields = ("nachfolger",)
    inlines = [EinwohnerzahlInline]

    def has_add_permission(self, request):
        return False  # the register comes from the official file only

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if "nachfolger" in form.changed_data and obj.nachfolger is not None:
            try:
                services.set_nachfolger(gebietskoerperschaft=obj, nachfolger=obj.nachfolger)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            return
        super().save_model(request, obj, form, change)


@admin.register(Einwohnerzahl)
class EinwohnerzahlAdmin(NurLesen, admin.ModelAdmin):
    list_display = ("gebietskoerperschaft", "stichtag", "einwohner")
    list_filter = ("stichtag",)
    search_fields = ("gebietskoerperschaft__name", "gebietskoerperschaft__ags")
    list_select_related = ("gebietskoerperschaft",)


@admin.register(RegisterImport)
class RegisterImportAdmin(NurLesen, admin.ModelAdmin):
    list_display = (
        "gebietsstand",
        "datei",
        "land",
        "angelegt",
        "aktualisiert",
        "aufgeloest",
        "importiert_am",
    )


class StatusInline(NurLesen, admin.TabularInline):
    model = MitgliedStatusEintrag
    extra = 0
    fields = ("status", "datum", "beschluss", "bemerkung", "erfasst_von", "erfasst_am")
    readonly_fields = fields


class AnsprechpartnerInline(admin.TabularInline):
    model = Ansprechpartner
    extra = 0


@admin.register(Mitglied)
class MitgliedAdmin(SimpleHistoryAdmin):
    list_display = ("name", "status", "art", "sitz", "leitweg_id")
    list_filter = ("status", "art", "oeffentlicher_auftraggeber")
    search_fields = ("name", "sitz", "gebietskoerperschaft__ags", "leitweg_id")
    readonly_fields = ("art", "gebietskoerperschaft", "status")
    inlines = [StatusInline, AnsprechpartnerInline]

    def has_add_permission(self, request):
        return False  # new members are created on the member pages (with their first status)


@admin.register(MitgliedStatusEintrag)
class MitgliedStatusEintragAdmin(NurLesen, SimpleHistoryAdmin):
    list_display = ("mitglied", "status", "datum", "beschluss", "erfasst_von")
    list_filter = ("status",)
    list_select_related = ("mitglied", "erfasst_von")


@admin.register(Ansprechpartner)
class AnsprechpartnerAdmin(SimpleHistoryAdmin):
    list_display = ("name", "rolle", "mitglied", "email", "telefon")
    search_fields = ("name", "mitglied__name", "email")
    list_select_related = ("mitglied",)


@admin.register(Gesellschaft)
class GesellschaftAdmin(SimpleHistoryAdmin):
    list_display = ("name", "sitz", "registergericht", "registernummer")


class BuchungInline(NurLesen, admin.TabularInline):
    model = Anteilsbuchung
    extra = 0


@admin.register(Anteilsvorgang)
class AnteilsvorgangAdmin(NurLesen, SimpleHistoryAdmin):
    list_display = ("datum", "art", "referenz", "stammkapital_aenderung", "erfasst_von")
    list_filter = ("art",)
    inlines = [BuchungInline]


@admin.register(Geschaeftsanteil)
class GeschaeftsanteilAdmin(NurLesen, admin.ModelAdmin):
    list_display = ("laufende_nummer", "nennbetrag")


@admin.register(Anteilsbuchung)
class AnteilsbuchungAdmin(NurLesen, SimpleHistoryAdmin):
    list_display = ("vorgang", "anteil", "inhaber_vorher", "inhaber_nachher")
    list_select_related = ("vorgang", "anteil", "inhaber_vorher", "inhaber_nachher")


class FrageInline(admin.TabularInline):
    model = Frage
    extra = 0
    fk_name = "umfrage"
    fields = (
        "reihenfolge",
        "text",
        "typ",
        "optionen",
        "pflicht",
        "interessefrage",
        "abhaengig_von",
        "abhaengig_werte",
    )

    def has_change_permission(self, request, obj=None):
        # questions are frozen once answers exist (the survey pages enforce the same)
        return obj is None or not Antwort.objects.filter(einladung__umfrage=obj).exists()

    has_add_permission = has_change_permission
    has_delete_permission = has_change_permission


@admin.register(Umfrage)
class UmfrageAdmin(SimpleHistoryAdmin):
    list_display = ("titel", "status", "oeffnet_am", "schliesst_am", "beitrittsinteresse")
    list_filter = ("status", "beitrittsinteresse")
    inlines = [FrageInline]


@admin.register(Einladung)
class EinladungAdmin(NurLesen, admin.ModelAdmin):
    list_display = (
        "gebietskoerperschaft",
        "umfrage",
        "email",
        "versendet_am",
        "erinnerungen",
        "zurueckgezogen_am",
    )
    list_filter = ("umfrage",)
    search_fields = ("gebietskoerperschaft__name", "gebietskoerperschaft__ags", "email")
    list_select_related = ("gebietskoerperschaft", "umfrage")
    exclude = ("token",)


@admin.register(Antwort)
class AntwortAdmin(NurLesen, SimpleHistoryAdmin):
    list_display = ("einladung", "beantwortet_am", "geaendert_am", "mitglied")
    list_select_related = ("einladung__gebietskoerperschaft", "einladung__umfrage", "mitglied")


@admin.register(Frage)
class FrageAdmin(NurLesen, SimpleHistoryAdmin):
    list_display = ("text", "umfrage", "typ", "pflicht")
    list_select_related = ("umfrage",)
