from django.apps import AppConfig


class VertraegeConfig(AppConfig):
    name = "vertraege"
    verbose_name = "Verträge und Umlage"

    def ready(self) -> None:
        from mitglieder.services import BEIM_AUSSCHEIDEN
        from vertraege.services import vertraege_zum_austritt_beenden

        # A member's contracts end at its exit date at the latest (issue 4).
        if vertraege_zum_austritt_beenden not in BEIM_AUSSCHEIDEN:
            BEIM_AUSSCHEIDEN.append(vertraege_zum_austritt_beenden)
