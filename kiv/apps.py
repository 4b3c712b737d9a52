from django.apps import AppConfig


class KivConfig(AppConfig):
    name = "kiv"
    verbose_name = "KIV"
