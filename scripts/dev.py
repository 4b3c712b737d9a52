#!/usr/bin/env python3
"""KIV set-up in one command each, on a machine with nothing but Python 3.11+.

    python3 scripts/dev.py run     install, prepare the SQLite database, load the demo, serve
    python3 scripts/dev.py test    install the test dependencies and run the whole suite
    python3 scripts/dev.py lock    re-pin requirements*.lock from pyproject.toml (maintainers)

Only the standard library is used here: it runs before anything is installed.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
PY = VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
DEMO_LOGINS = [
    ("Geschäftsstelle", "geschaeftsstelle"),
    ("Finanzen", "finanzen"),
    ("Kommune (Stadt Erfurt)", "kommune"),
    ("Kommune (Stadt Jena)", "kommune-jena"),
]


def say(text: str) -> None:
    print(f"==> {text}", flush=True)


def sh(*args: str | Path, env: dict | None = None) -> None:
    result = subprocess.run([str(a) for a in args], cwd=ROOT, env=env)
    if result.returncode != 0:
        sys.exit(result.returncode)


def ensure_env(lockfile: str) -> None:
    """Create .venv and install the pinned dependencies, unless the lock is unchanged."""
    if sys.version_info < (3, 11):  # noqa: UP036 - this script runs before anything checks
        sys.exit(f"KIV braucht Python 3.11 oder neuer (gefunden: {sys.version.split()[0]}).")
    if not PY.exists():
        say("Lege die virtuelle Umgebung .venv an")
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    lock = ROOT / lockfile
    marker = VENV / f".installed-{lockfile}"
    digest = hashlib.sha256(lock.read_bytes()).hexdigest()
    if marker.exists() and marker.read_text() == digest:
        return
    say(f"Installiere Abhängigkeiten aus {lockfile}")
    sh(PY, "-m", "pip", "install", "-qq", "--disable-pip-version-check", "-r", lock)
    marker.write_text(digest)


def manage(*args: str, env: dict | None = None) -> None:
    sh(PY, "manage.py", *args, env=env)


def cmd_run(argv: list[str]) -> None:
    port = argv[0] if argv else os.environ.get("PORT", "8000")
    ensure_env("requirements.lock")
    env = {**os.environ}
    env.pop("DATABASE_URL", None)  # the demo always runs on the embedded SQLite file
    say("Bereite die SQLite-Datenbank var/kiv.sqlite3 vor")
    manage("migrate", "--noinput", "-v", "0", env=env)
    manage("demo_laden", env=env)
    address = f"http://127.0.0.1:{port}/"
    print()
    print(f"KIV läuft unter {address}")
    print("Demo-Anmeldungen (Passwort jeweils „kiv-demo“):")
    for rolle, name in DEMO_LOGINS:
        print(f"  {rolle:<24} {name}")
    print(f"API-Dokumentation: {address}api/docs/   Beenden mit Strg+C")
    print(flush=True)
    # The background worker for long tasks (Umlage calculations) runs beside the server.
    worker = subprocess.Popen([str(PY), "manage.py", "db_worker"], cwd=ROOT, env=env)
    try:
        manage("runserver", f"127.0.0.1:{port}", "--noreload", env=env)
    finally:
        worker.terminate()
        worker.wait(timeout=10)


def cmd_test(argv: list[str]) -> None:
    ensure_env("requirements-test.lock")
    bin_dir = PY.parent
    say("ruff (Format und Lint)")
    sh(bin_dir / "ruff", "check", ".")
    sh(bin_dir / "ruff", "format", "--check", ".")
    say("Migrationen passen zu den Modellen")
    manage("makemigrations", "--check", "--dry-run")
    say(
        "Tests (pytest)"
        + (
            f" auf {os.environ['DATABASE_URL'].split('@')[-1]}"
            if os.environ.get("DATABASE_URL")
            else " auf SQLite"
        )
    )
    sh(PY, "-m", "pytest", *argv)


def cmd_lock(argv: list[str]) -> None:
    ensure_env("requirements-test.lock")
    uv = shutil.which("uv") or str(PY.parent / "uv")
    if not Path(uv).exists():
        sh(PY, "-m", "pip", "install", "--quiet", "uv")
    common = ["pip", "compile", "pyproject.toml", "--python-version", "3.11", "--no-header", "-q"]
    sh(uv, *common, "-o", "requirements.lock")
    sh(uv, *common, "--extra", "test", "-o", "requirements-test.lock")


COMMANDS = {"run": cmd_run, "test": cmd_test, "lock": cmd_lock}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        print(__doc__)
        sys.exit(2)
    COMMANDS[sys.argv[1]](sys.argv[2:])
