"""The Indonesian catalog is complete: every translatable string of the project has a translation."""

import shutil
import subprocess
import sys
from pathlib import Path

from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
NOT_SOURCES = {".git", ".venv", ".ci", "var", "locale", "tests", "static", "bench", "scripts"}


def _entries(po_file: Path) -> dict[str, str]:
    """msgid → msgstr (the first form for plurals) of a .po file."""
    text = po_file.read_text(encoding="utf-8")
    entries: dict[str, str] = {}
    for block in text.split("\n\n"):
        lines = [line for line in block.splitlines() if not line.startswith("#")]
        msgid, msgstr, current = [], [], None
        for line in lines:
            if line.startswith("msgctxt") or line.startswith("msgid_plural"):
                current = None
            elif line.startswith("msgid "):
                current = msgid
                msgid.append(line[6:].strip('"'))
            elif line.startswith("msgstr ") or line.startswith("msgstr[0] "):
                current = msgstr
                msgstr.append(line.split(" ", 1)[1].strip('"'))
            elif line.startswith("msgstr["):
                current = None
            elif line.startswith('"') and current is not None:
                current.append(line.strip('"'))
        key = "".join(msgid)
        if key:
            entries[key] = "".join(msgstr)
    return entries


def test_indonesian_catalog_has_every_string_translated(tmp_path):
    # given a copy of the sources, with strings extracted afresh
    for folder in BASE_DIR.iterdir():
        if folder.is_dir() and folder.name not in NOT_SOURCES and not folder.name.startswith("."):
            shutil.copytree(
                folder, tmp_path / folder.name, ignore=shutil.ignore_patterns("__pycache__")
            )
    shutil.copy(BASE_DIR / "manage.py", tmp_path / "manage.py")
    (tmp_path / "locale").mkdir()
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "id", "--no-location", "-v0"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    fresh = _entries(tmp_path / "locale/id/LC_MESSAGES/django.po")
    committed = _entries(BASE_DIR / "locale/id/LC_MESSAGES/django.po")

    missing = sorted(msgid for msgid in fresh if not committed.get(msgid))
    assert not missing, f"{len(missing)} strings lack an Indonesian translation: {missing[:15]}"
