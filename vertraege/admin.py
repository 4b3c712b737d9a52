"""Back office for requests and contracts. Rules (acceptance, quantity changes, notice) go
through the pages and services, so the rule-carrying fields are read-only here."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from vertraege.models import (
    Kostenpool,
    Leistungsabruf,
    Umlagelauf,
    Umlagepool,
    Umlageposition,
    Umlageteilnehmer,
    Vertrag,
    Vertragsdokument,
    VertragsMenge,
)


@admin.register(Leistungsabruf)
class LeistungsabrufAdmin(SimpleHistoryAdmin):
    list_display = (
        "leistung",
        "mitglied",
        "menge",
        "gewuenschter_beginn",
        "status",
        "angefragt_am",
    )
    list_filter = ("status",)
    search_fields = ("leistung__name", "mitglied__name")
    list_select_related = ("leistung", "mitglied")
    readonly_fields = (
        "mitglied",
        "leistung",
        "menge",
        "gewuenschter_beginn",
        "angefragt_von",
        "status",
        "entschieden_am",
        "entschieden_von",
    )


class MengeInline(admin.TabularInline):
    model = VertragsMenge
    extra = 0
    readonly_fields = ("gueltig_ab", "menge", "erfasst_am")
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class DokumentInline(admin.TabularInline):
    model = Vertragsdokument
    extra = 0
    readonly_fields = ("hochgeladen_am", "hochgeladen_von")


@admin.register(Vertrag)
class VertragAdmin(SimpleHistoryAdmin):
    list_display = ("vertragsnummer", "mitglied", "leistung", "beginn", "ende", "gekuendigt_am")
    list_filter = ("leistung__kategorie", "gekuendigt_durch")
    search_fields = ("vertragsnummer", "mitglied__name", "leistung__name")
    list_select_related = ("mitglied", "leistung")
    readonly_fields = (
        "vertragsnummer",
        "mitglied",
        "leistung",
        "leistungsabruf",
        "beginn",
        "ende",
        "gekuendigt_am",
        "gekuendigt_durch",
    )
    inlines = [MengeInline, DokumentInline]

    def has_add_permission(self, request):
        return False  # contracts come from accepted requests

    def has_delete_permission(self, request, obj=None):
        return False  # contracts stay as history


@admin.register(Vertragsdokument)
class VertragsdokumentAdmin(admin.ModelAdmin):
    list_display = ("vertrag", "art", "hochgeladen_am")
    list_select_related = ("vertrag",)


@admin.register(VertragsMenge)
class VertragsMengeAdmin(SimpleHistoryAdmin):
    list_display = ("vertrag", "gueltig_ab", "menge")
    list_select_related = ("vertrag",)

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(Kostenpool)
class KostenpoolAdmin(SimpleHistoryAdmin):
    list_display = ("name", "geschaeftsjahr", "schluessel", "betrag_plan_cent", "betrag_ist_cent")
    list_filter = ("geschaeftsjahr", "schluessel", "teilnehmerkreis")
    search_fields = ("name",)
    filter_horizontal = ("teilnehmer",)


class NurLesenAdmin(admin.ModelAdmin):
    """Runs are calculated and frozen on the Umlage pages; here they are only shown."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Umlagelauf)
class UmlagelaufAdmin(NurLesenAdmin):
    list_display = (
        "bezeichnung",
        "geschaeftsjahr",
        "art",
        "status",
        "berechnet_am",
        "festgeschrieben_am",
    )
    list_filter = ("geschaeftsjahr", "art", "status")


@admin.register(Umlagepool)
class UmlagepoolAdmin(NurLesenAdmin):
    list_display = ("name", "lauf", "schluessel", "betrag_cent")
    list_select_related = ("lauf",)


@admin.register(Umlageteilnehmer)
class UmlageteilnehmerAdmin(NurLesenAdmin):
    list_display = ("name", "ars", "lauf")
    list_select_related = ("lauf",)
    search_fields = ("name", "ars")


@admin.register(Umlageposition)
class UmlagepositionAdmin(NurLesenAdmin):
    list_display = ("teilnehmer", "pool", "betrag_cent", "begrenzung")
    list_select_related = ("teilnehmer", "pool")
    list_filter = ("lauf",)
