from django.apps import AppConfig


class VertraegeConfig(AppConfig):
    name = "vertraege"
    verbose_name = "Verträge und Umlage"
