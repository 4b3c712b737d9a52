from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from vertraege.models import Leistungsabruf


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
    readonly_fields = ("mitglied", "leistung", "menge", "gewuenschter_beginn", "angefragt_von")
