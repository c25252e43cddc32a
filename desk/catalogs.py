"""`python -m desk.catalogs [TSV ...]`: extract, update, fill and compile the message catalogs.

Each TSV line is ``msgid<TAB>简体中文[<TAB>繁體中文]``. Empty Simplified entries are filled from the
TSV files; empty Traditional entries from the TSV's third column, else from the Simplified text through
OpenCC (s2t). Runs under a file lock so that several people updating at once do not lose entries.
"""
import fcntl
import subprocess
import sys
import tomllib
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
CATALOGS = ROOT / "desk" / "translations"


def source_folders() -> list[str]:
    """Where messages are extracted from: the packages pyproject.toml installs, and the templates."""
    with open(ROOT / "pyproject.toml", "rb") as handle:
        include = tomllib.load(handle)["tool"]["setuptools"]["packages"]["find"]["include"]
    return [pattern.rstrip("*") for pattern in include] + ["templates"]


def _pybabel(*args: str) -> None:
    done = subprocess.run([sys.executable, "-m", "babel.messages.frontend", *args], cwd=ROOT,
                          capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"pybabel {args[0]} failed:\n{done.stderr}")


def read_tsv(paths) -> dict[str, tuple[str, str | None]]:
    pairs = {}
    for path in paths:
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            cells = line.split("\t")
            if len(cells) >= 2 and cells[1].strip():
                pairs[cells[0]] = (cells[1], cells[2] if len(cells) > 2 and cells[2].strip() else None)
    return pairs


def _fill(locale: str, pairs: dict, simplified: dict[str, str]) -> int:
    path = CATALOGS / locale / "LC_MESSAGES" / "messages.po"
    with open(path, "rb") as handle:
        catalog = read_po(handle, locale=locale)
    filled = 0
    for message in catalog:
        if not message.id or isinstance(message.id, tuple) or message.string:
            continue
        text = None
        if locale == "zh_Hans" and message.id in pairs:
            text = pairs[message.id][0]
        elif locale == "zh_Hant":
            if message.id in pairs and pairs[message.id][1]:
                text = pairs[message.id][1]
            elif simplified.get(message.id):
                from desk.i18n import traditional
                text = traditional(simplified[message.id])
        if text:
            message.string = text
            message.flags.discard("fuzzy")
            filled += 1
    with open(path, "wb") as handle:
        write_po(handle, catalog, width=0, sort_output=True, omit_header=False)
    return filled


def _simplified() -> dict[str, str]:
    with open(CATALOGS / "zh_Hans" / "LC_MESSAGES" / "messages.po", "rb") as handle:
        return {m.id: m.string for m in read_po(handle) if m.id and m.string}


def missing(locale: str) -> list[str]:
    with open(CATALOGS / locale / "LC_MESSAGES" / "messages.po", "rb") as handle:
        return [m.id for m in read_po(handle) if m.id and not m.string]


def main(argv: list[str]) -> int:
    pairs = read_tsv(argv)
    with open("/tmp/petition-desk-catalogs.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        _pybabel("extract", "-F", "desk/babel.cfg", "-k", "_l", "-o", "desk/translations/messages.pot",
                 "--no-location", "--sort-output", "--no-wrap", "--project=petition-desk", *source_folders())
        _pybabel("update", "-i", "desk/translations/messages.pot", "-d", "desk/translations",
                 "--no-fuzzy-matching", "--no-wrap")
        hans = _fill("zh_Hans", pairs, {})
        hant = _fill("zh_Hant", pairs, _simplified())
        _pybabel("compile", "-f", "-d", "desk/translations")
    left = missing("zh_Hans")
    print(f"filled {hans} Simplified and {hant} Traditional entries; {len(left)} still untranslated")
    for msgid in left[:40]:
        print("  untranslated:", msgid.replace("\n", "\\n"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
