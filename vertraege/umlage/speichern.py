"""Writing a run's lines fast: PostgreSQL COPY fed with text chunks that pandas formats in
C, executemany elsewhere. Called inside the service's transaction, so a failure leaves the
previous lines in place."""

from __future__ import annotations

import io

import pandas as pd
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
STUECK = 200_000


def positionen_schreiben(zeilen: pd.DataFrame) -> int:
    """`zeilen` has the columns of SPALTEN, in that order."""
    tabelle = connection.ops.quote_name(Umlageposition._meta.db_table)
    spalten = ", ".join(SPALTEN)
    zeilen = zeilen.loc[:, list(SPALTEN)]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {tabelle} ({spalten}) FROM STDIN") as copy:
                for start in range(0, len(zeilen), STUECK):
                    puffer = io.StringIO()
                    zeilen.iloc[start : start + STUECK].to_csv(
                        puffer, sep="\t", header=False, index=False, float_format="%.12f"
                    )
                    copy.write(puffer.getvalue())
        else:
            platzhalter = ", ".join(["%s"] * len(SPALTEN))
            sql = f"INSERT INTO {tabelle} ({spalten}) VALUES ({platzhalter})"
            for start in range(0, len(zeilen), STUECK):
                teil = zeilen.iloc[start : start + STUECK]
                cursor.executemany(
                    sql, list(zip(*(teil[s].tolist() for s in SPALTEN), strict=True))
                )
    return len(zeilen)
