"""PostgreSQL only: keep Leistung.suchvektor current with a trigger and index it (GIN).

A trigger rather than code in save(), so that every write path – admin, API, bulk
operations – keeps the vector right. On SQLite this migration does nothing.
"""

from django.db import migrations

ANLEGEN = """
CREATE FUNCTION leistungen_leistung_suchvektor() RETURNS trigger AS $$
BEGIN
  NEW.suchvektor :=
    setweight(to_tsvector('pg_catalog.german', coalesce(NEW.name, '')), 'A') ||
    setweight(to_tsvector('pg_catalog.german', coalesce(NEW.kurztext, '')), 'B') ||
    setweight(to_tsvector('pg_catalog.german', coalesce(NEW.beschreibung, '')), 'C');
  RETURN NEW;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER leistungen_leistung_suchvektor
  BEFORE INSERT OR UPDATE OF name, kurztext, beschreibung ON leistungen_leistung
  FOR EACH ROW EXECUTE FUNCTION leistungen_leistung_suchvektor();
CREATE INDEX leistungen_leistung_suchvektor_gin ON leistungen_leistung USING gin (suchvektor);
UPDATE leistungen_leistung SET name = name;
"""

ENTFERNEN = """
DROP INDEX IF EXISTS leistungen_leistung_suchvektor_gin;
DROP TRIGGER IF EXISTS leistungen_leistung_suchvektor ON leistungen_leistung;
DROP FUNCTION IF EXISTS leistungen_leistung_suchvektor();
"""


def nur_postgresql(sql):
    def ausfuehren(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return ausfuehren


class Migration(migrations.Migration):
    dependencies = [("leistungen", "0002_suchvektor")]

    operations = [migrations.RunPython(nur_postgresql(ANLEGEN), nur_postgresql(ENTFERNEN))]
