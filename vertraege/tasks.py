"""Background tasks (Django's task framework via the django-tasks backport; the database
backend needs no extra server). Arguments are plain ids so they serialise."""

from django_tasks import task

from vertraege.umlage import lauf


@task()
def umlagelauf_berechnen(lauf_id: int, user_id: int | None) -> None:
    lauf.berechnen(lauf_id=lauf_id, user_id=user_id)
