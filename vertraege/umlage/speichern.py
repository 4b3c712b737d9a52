"""Writing a run's lines fast: PostgreSQL COPY, executemany elsewhere. Called inside the
service's transaction, so a failure leaves the previous lines in place."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import connection

from vertraege.models import Umlageposition

SPALTEN = (
    "lauf_id",
    "pool_id",
    "teilnehmer_id",
    "tage",
    "einwohner",
    "anteile",
    "menge",
    "basiswert",
    "anteil",
    "betrag_cent",
    "begrenzung",
)


def positionen_schreiben(zeilen: Iterable[Sequence]) -> int:
    tabelle = connection.ops.quote_name(Umlageposition._meta.db_table)
    spalten = ", ".join(SPALTEN)
    anzahl = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {tabelle} ({spalten}) FROM STDIN") as copy:
                for zeile in zeilen:
                    copy.write_row(zeile)
                    anzahl += 1
        else:
            platzhalter = ", ".join(["%s"] * len(SPALTEN))
            puffer = []
            for zeile in zeilen:
                puffer.append(tuple(zeile))
                if len(puffer) == 50_000:
                    cursor.executemany(
                        f"INSERT INTO {tabelle} ({spalten}) VALUES ({platzhalter})", puffer
                    )
                    anzahl += len(puffer)
                    puffer = []
            if puffer:
                cursor.executemany(
                    f"INSERT INTO {tabelle} ({spalten}) VALUES ({platzhalter})", puffer
                )
                anzahl += len(puffer)
    return anzahl
