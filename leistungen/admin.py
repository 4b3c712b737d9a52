"""The office maintains the catalog here: prices inline, checked for overlaps; a service
that is used cannot be deleted, only retired."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from leistungen import services
from leistungen.models import Leistung, Leistungskategorie, Preis


class PreisFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        preise = [
            f.instance
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE") and f.instance.gueltig_ab
        ]
        preismodell = self.instance.preismodell
        services.pruefe_preise(preise, preismodell=preismodell)


class PreisInline(admin.TabularInline):
    model = Preis
    formset = PreisFormSet
    extra = 1


@admin.register(Leistungskategorie)
class LeistungskategorieAdmin(admin.ModelAdmin):
    list_display = ("name", "uebergeordnet", "reihenfolge")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Leistung)
class LeistungAdmin(admin.ModelAdmin):
    list_display = ("name", "kategorie", "status", "preismodell", "zielgruppe")
    list_filter = ("status", "kategorie", "preismodell", "zielgruppe")
    search_fields = ("name", "kurztext")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("verwandte",)
    inlines = [PreisInline]
    list_select_related = ("kategorie",)
    fieldsets = [
        (None, {"fields": ("name", "slug", "kurztext", "beschreibung", "kategorie")}),
        ("Status und Zielgruppe", {"fields": ("status", "abgekuendigt_zum", "zielgruppe")}),
        ("Preis", {"fields": ("preismodell", "einheit", "umsatzsteuer")}),
        (
            "Servicevereinbarung",
            {
                "fields": (
                    "verfuegbarkeit",
                    "servicezeiten",
                    "reaktionszeit_kritisch",
                    "reaktionszeit_hoch",
                    "reaktionszeit_normal",
                    "reaktionszeit_niedrig",
                )
            },
        ),
        ("Vertrag", {"fields": ("mindestlaufzeit_monate", "kuendigungsfrist_monate")}),
        (
            "Weiteres",
            {
                "fields": (
                    "voraussetzungen",
                    "verwandte",
                    "verantwortlich_name",
                    "verantwortlich_email",
                    "verantwortlich_telefon",
                )
            },
        ),
    ]

    def delete_model(self, request, obj):
        try:
            services.delete_leistung(leistung=obj)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])

    def delete_queryset(self, request, queryset):
        for leistung in queryset:
            self.delete_model(request, leistung)
