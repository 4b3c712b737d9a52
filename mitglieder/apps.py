from django.apps import AppConfig
from django.db.models.signals import post_migrate


class MitgliederConfig(AppConfig):
    name = "mitglieder"
    verbose_name = "Mitglieder und Geschäftsanteile"

    def ready(self) -> None:
        from mitglieder.rollen import gruppen_einrichten

        # After every migrate (all apps), so permissions of later apps exist too.
        post_migrate.connect(gruppen_einrichten, dispatch_uid="kiv_gruppen_einrichten")
