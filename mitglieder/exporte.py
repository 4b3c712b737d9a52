"""Tables as downloads, the same way everywhere: CSV for German spreadsheet programs
(semicolon, decimal comma, dates as TT.MM.JJJJ, UTF-8 with BOM) or XLSX (real numbers and
dates). In the lowest app, so that every app can use it."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.db import connection
from django.http import HttpResponse
from openpyxl import Workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _csv_wert(wert) -> str:
    if wert is None:
        return ""
    if isinstance(wert, dt.datetime):
        return wert.strftime("%d.%m.%Y %H:%M")
    if isinstance(wert, dt.date):
        return wert.strftime("%d.%m.%Y")
    if isinstance(wert, Decimal | float):
        return str(wert).replace(".", ",")
    return str(wert)


def herunterladen(
    zeilen: Iterable[Sequence],
    *,
    format: str,
    dateiname: str,
    kopf: Sequence[str] | None = None,
    titel: str | None = None,
    blatt: str = "Daten",
) -> HttpResponse:
    """`format` is "csv" or "xlsx"; `dateiname` without the extension."""
    if format == "csv":
        puffer = io.StringIO()
        schreiber = csv.writer(puffer, delimiter=";")
        if titel:
            schreiber.writerow([titel])
        if kopf:
            schreiber.writerow(kopf)
        for zeile in zeilen:
            schreiber.writerow([_csv_wert(w) for w in zeile])
        antwort = HttpResponse("\ufeff" + puffer.getvalue(), content_type="text/csv; charset=utf-8")
    elif format == "xlsx":
        # write-only keeps memory flat for large tables (an allocation run has millions of lines)
        mappe = Workbook(write_only=True)
        arbeitsblatt = mappe.create_sheet(blatt[:31])
        if titel:
            arbeitsblatt.append([titel])
        if kopf:
            arbeitsblatt.append(list(kopf))
        for zeile in zeilen:
            arbeitsblatt.append(list(zeile))
        puffer = io.BytesIO()
        mappe.save(puffer)
        antwort = HttpResponse(puffer.getvalue(), content_type=XLSX)
    else:
        raise ValueError(format)
    antwort["Content-Disposition"] = f'attachment; filename="{dateiname}.{format}"'
    return antwort


def datenbank_version() -> str:
    """For benchmark output: which database the figures were measured on."""
    if connection.vendor == "postgresql":
        return f"PostgreSQL {connection.pg_version // 10000}"
    return f"SQLite {connection.Database.sqlite_version}"
