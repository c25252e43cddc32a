"""A copy of the whole database taken while the desk keeps writing, and that copy put back
(`flask desk backup [PATH]`, `flask desk restore PATH`).

SQLite: the online backup API copies the pages inside one read transaction, so the copy is the database as it
stood when that transaction began; WAL lets writers go on meanwhile, and holding the transaction keeps the copy
from restarting each time one commits. PostgreSQL: ``pg_dump --format=custom`` reads a snapshot exported by a
REPEATABLE READ transaction, which also counts the rows, so the counts printed are the dump's own. A restore
replays ``pg_restore``'s script into one ``psql`` transaction that first empties the schema: a restore that fails
half way, or is interrupted, leaves the database as it was.

A restore refuses a database that already holds rows unless told ``force``. The client tools are those of
Debian's ``postgresql-client``; the password goes to them in PGPASSWORD, never on a command line or the screen.
"""
import os
import shutil
import sqlite3
import subprocess
import threading
import time
from dataclasses import dataclass
from urllib.parse import quote

import sqlalchemy as sa

SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"
STEP_PAGES = 4096           # SQLite pages copied between two progress reports (16 MB at 4 KB a page)
DESK_TABLE = "org_unit"     # every desk database has it, from the first migration on
PG_SCHEMA = "public"        # where the desk's tables live (pg_dump names each object with it)


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, for the command line."""


@dataclass
class Summary:
    path: str
    tables: int
    rows: int
    bytes: int
    seconds: float
    revision: str | None = None     # the schema revision (alembic) the copy carries

    def line(self, verb: str) -> str:
        return (f"{verb}: {self.tables} tables, {self.rows:,} rows, {self.bytes:,} bytes, {self.seconds:.2f} s"
                f" ({self.path})")


def default_path(instance_path: str, url, now) -> str:
    """instance/backups/desk-YYYYMMDD-HHMMSS.sqlite (or .dump for PostgreSQL), named by China time."""
    suffix = "sqlite" if _url(url).get_backend_name() == "sqlite" else "dump"
    return os.path.join(instance_path, "backups", f"desk-{now:%Y%m%d-%H%M%S}.{suffix}")


def backup_database(url, path: str, *, force: bool = False, progress=None, on_snapshot=None,
                    step_pages: int = STEP_PAGES) -> Summary:
    """Copy the database at ``url`` to ``path`` as it stands at one moment, while others keep writing.

    ``on_snapshot(connection)`` is called with a DB-API connection (sqlite3 or psycopg) inside the transaction
    whose snapshot is copied, for a caller that wants to see exactly what the copy holds."""
    url = _url(url)
    path = os.path.abspath(path)
    if os.path.exists(path) and not force:
        raise BackupError(f"{path} already exists; choose another name, or --force to overwrite it")
    part = path + ".part"
    report = progress or (lambda message: None)
    started = time.perf_counter()
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        if url.get_backend_name() == "sqlite":
            tables, rows, revision = _sqlite_backup(url.database, part, report, on_snapshot, step_pages)
        else:
            tables, rows, revision = _pg_backup(url, part, report, on_snapshot)
        os.replace(part, path)
    except OSError as err:
        raise BackupError(f"cannot write {path}: {err.strerror}") from None
    finally:
        if os.path.exists(part):
            os.remove(part)
    return Summary(path, tables, rows, os.path.getsize(path), time.perf_counter() - started, revision)


def restore_database(url, path: str, *, force: bool = False, progress=None, step_pages: int = STEP_PAGES) -> Summary:
    """Replace the database at ``url`` with the backup at ``path``; refuses a database holding rows unless
    ``force``."""
    url = _url(url)
    path = os.path.abspath(path)
    kind = backup_kind(path)
    backend = url.get_backend_name()
    if kind != backend:
        names = {"sqlite": "an SQLite backup", "postgresql": "a PostgreSQL (pg_dump) backup"}
        raise BackupError(f"{path} is {names[kind]}, but this desk's database is "
                          f"{'SQLite' if backend == 'sqlite' else 'PostgreSQL'}")
    report = progress or (lambda message: None)
    started = time.perf_counter()
    if backend == "sqlite":
        tables, rows, revision = _sqlite_restore(url.database, path, force, report, step_pages)
    else:
        tables, rows, revision = _pg_restore(url, path, force, report)
    return Summary(path, tables, rows, os.path.getsize(path), time.perf_counter() - started, revision)


def backup_kind(path: str) -> str:
    """"sqlite" or "postgresql" from the file's first bytes; BackupError for a missing file or anything else."""
    try:
        with open(path, "rb") as stream:
            head = stream.read(len(SQLITE_MAGIC))
    except FileNotFoundError:
        raise BackupError(f"no backup at {path}") from None
    except IsADirectoryError:
        raise BackupError(f"{path} is a folder, not a backup file") from None
    except OSError as err:
        raise BackupError(f"cannot read {path}: {err.strerror}") from None
    if head == SQLITE_MAGIC:
        return "sqlite"
    if head.startswith(PGDUMP_MAGIC):
        return "postgresql"
    raise BackupError(f"{path} is not a desk backup (neither an SQLite database nor a pg_dump archive)")


def libpq_params(url) -> tuple[str, dict]:
    """The URL's connection parameters as a libpq connection string without the password, and the environment
    for the client tools, which carries the password (PGPASSWORD) when the URL has one."""
    from psycopg.conninfo import make_conninfo
    url = _url(url)
    params = {"host": url.host, "port": url.port, "user": url.username, "dbname": url.database}
    params.update({key: value if isinstance(value, str) else value[-1] for key, value in url.query.items()})
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return make_conninfo(**{key: value for key, value in params.items() if value not in (None, "")}), env


def shown(url) -> str:
    """The URL with its password hidden, for messages."""
    return _url(url).render_as_string(hide_password=True)


def _url(url) -> sa.engine.URL:
    return sa.engine.make_url(url) if isinstance(url, str) else url


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _count_rows(conn, tables: list[str], schema: str | None = None) -> int:
    prefix = _quote(schema) + "." if schema else ""
    return sum(conn.execute(f"SELECT count(*) FROM {prefix}{_quote(t)}").fetchone()[0] for t in tables)


def _tables_with_rows(conn, tables: list[str], schema: str | None = None) -> list[str]:
    prefix = _quote(schema) + "." if schema else ""
    return [t for t in tables if t != "alembic_version"
            and conn.execute(f"SELECT 1 FROM {prefix}{_quote(t)} LIMIT 1").fetchone() is not None]


def _revision(conn, tables: list[str], schema: str | None = None) -> str | None:
    if "alembic_version" not in tables:
        return None
    prefix = _quote(schema) + "." if schema else ""
    return ",".join(sorted(r[0] for r in conn.execute(f"SELECT version_num FROM {prefix}alembic_version")))


def _refuse_data(found: list[str], where: str) -> None:
    more = f" and {len(found) - 5} more" if len(found) > 5 else ""
    raise BackupError(f"{where} already holds data (in {', '.join(found[:5])}{more}); a restore would replace it. "
                      f"Run again with --force to replace it, or restore into an empty database")


# --- SQLite ---------------------------------------------------------------------------------------------------

def _sqlite_open(path: str, *, readonly: bool) -> sqlite3.Connection:
    target = f"file:{quote(path)}" + ("?mode=ro" if readonly else "")
    conn = sqlite3.connect(target, uri=True, isolation_level=None, timeout=30, check_same_thread=False)
    conn.execute("PRAGMA busy_timeout=30000")
    return conn


def _sqlite_tables(conn) -> list[str]:
    return [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                       "AND name NOT LIKE 'sqlite_%' ORDER BY name")]


def _pages_reporter(report, verb: str):
    def step(status, remaining, total):
        report(f"{verb} {total - remaining:,} / {total:,} pages")
    return step


def _sqlite_backup(database: str, part: str, report, on_snapshot, step_pages: int):
    if not database or database == ":memory:" or not os.path.exists(database):
        raise BackupError(f"no SQLite database at {database}")
    try:
        source = _sqlite_open(database, readonly=True)
    except sqlite3.Error as err:
        raise BackupError(f"cannot open {database}: {err}") from None
    try:
        target = sqlite3.connect(part, isolation_level=None)
    except sqlite3.Error as err:
        source.close()
        raise BackupError(f"cannot write {part}: {err}") from None
    try:
        source.execute("BEGIN")
        tables = _sqlite_tables(source)     # the first read fixes the snapshot the pages are copied from
        if DESK_TABLE not in tables:
            raise BackupError(f"{database} is not a desk database (no {DESK_TABLE} table)")
        if on_snapshot is not None:
            on_snapshot(source)
        rows = _count_rows(source, tables)
        revision = _revision(source, tables)
        source.backup(target, pages=step_pages, progress=_pages_reporter(report, "copied"))
        source.execute("COMMIT")
        target.execute("PRAGMA journal_mode=DELETE")     # one self-contained file, whatever the source used
    except sqlite3.Error as err:
        raise BackupError(f"the SQLite backup failed: {err}") from None
    finally:
        source.close()
        target.close()
    return len(tables), rows, revision


def _sqlite_restore(database: str, path: str, force: bool, report, step_pages: int):
    try:
        source = _sqlite_open(path, readonly=True)
        tables = _sqlite_tables(source)
    except sqlite3.Error as err:
        raise BackupError(f"{path} cannot be read as an SQLite backup: {err}") from None
    if DESK_TABLE not in tables:
        source.close()
        raise BackupError(f"{path} is an SQLite database but not a desk backup (no {DESK_TABLE} table)")
    report("checking the backup")
    try:
        problems = [" ".join(r[0].split()) for r in source.execute("PRAGMA quick_check(3)")]
    except sqlite3.Error as err:
        problems = [str(err)]
    if problems != ["ok"]:
        source.close()
        raise BackupError(f"{path} is damaged ({'; '.join(problems)}); nothing was restored")
    os.makedirs(os.path.dirname(os.path.abspath(database)), exist_ok=True)
    target = _sqlite_open(database, readonly=False)
    try:
        found = _tables_with_rows(target, _sqlite_tables(target))
        if found and not force:
            _refuse_data(found, database)
        # the destination stays locked from the first page to the last, so readers see the old or the new
        source.backup(target, pages=step_pages, progress=_pages_reporter(report, "restored"))
        tables = _sqlite_tables(target)
        return len(tables), _count_rows(target, tables), _revision(target, tables)
    except sqlite3.Error as err:
        raise BackupError(f"the SQLite restore failed: {err}") from None
    finally:
        source.close()
        target.close()


# --- PostgreSQL -----------------------------------------------------------------------------------------------

def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} is not installed; on Debian: apt-get install postgresql-client")
    return found


def _pg_connect(url, **options):
    import psycopg
    conninfo, env = libpq_params(url)
    try:
        return psycopg.connect(conninfo, password=env.get("PGPASSWORD"), **options)
    except psycopg.OperationalError as err:
        reason = " ".join(line.strip() for line in str(err).splitlines() if line.strip()) or type(err).__name__
        raise BackupError(f"cannot connect to {shown(url)}: {reason}") from None


def _pg_tables(conn, schema: str = PG_SCHEMA) -> list[str]:
    return [r[0] for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = %s ORDER BY tablename",
                                       (schema,))]


def _stderr_lines(stream, report, marker: str, total: int, verb: str, kept: list[str]) -> None:
    """Read a client tool's --verbose lines: one per table with data moves the progress on; the rest are kept
    for the error message."""
    done = 0
    for raw in stream:
        line = raw.decode("utf-8", "replace").rstrip()
        if marker in line:
            done += 1
            report(f"{verb} {done} / {total} tables")
        else:
            kept.append(line)


def _tool_error(tool: str, lines: list[str]) -> str:
    wanted = [line for line in lines if any(word in line for word in ("error", "ERROR", "FATAL", "DETAIL", "HINT"))]
    return f"{tool} failed: " + (" | ".join((wanted or lines)[-5:]) or "no message")


def _pg_backup(url, part: str, report, on_snapshot):
    import psycopg
    pg_dump = _tool("pg_dump")
    conninfo, env = libpq_params(url)
    with _pg_connect(url) as snapshot:
        snapshot.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        snapshot.read_only = True
        # pg_dump reads this transaction's snapshot; it stays open until the dump is written
        snapshot_id = snapshot.execute("SELECT pg_export_snapshot()").fetchone()[0]
        tables = _pg_tables(snapshot)
        if DESK_TABLE not in tables:
            raise BackupError(f"{shown(url)} is not a desk database (no {DESK_TABLE} table)")
        if on_snapshot is not None:
            on_snapshot(snapshot)
        rows = _count_rows(snapshot, tables, PG_SCHEMA)
        revision = _revision(snapshot, tables, PG_SCHEMA)
        command = [pg_dump, "--format=custom", "--verbose", f"--snapshot={snapshot_id}", f"--file={part}",
                   f"--dbname={conninfo}"]
        process = subprocess.Popen(command, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.PIPE)
        kept: list[str] = []
        _stderr_lines(process.stderr, report, "dumping contents of table", len(tables), "dumped", kept)
        if process.wait() != 0:
            raise BackupError(_tool_error("pg_dump", kept))
        snapshot.rollback()
    return len(tables), rows, revision


def _pg_restore(url, path: str, force: bool, report):
    import psycopg
    pg_restore, psql = _tool("pg_restore"), _tool("psql")
    conninfo, env = libpq_params(url)
    listing = subprocess.run([pg_restore, "--list", path], env=env, capture_output=True)
    if listing.returncode != 0:
        raise BackupError(f"{path} cannot be read as a pg_dump archive: "
                          + listing.stderr.decode("utf-8", "replace").strip())
    toc = listing.stdout.decode("utf-8", "replace")
    if f" TABLE {PG_SCHEMA} {DESK_TABLE} " not in toc:
        raise BackupError(f"{path} is a pg_dump archive but not a desk backup (no {DESK_TABLE} table)")
    data_tables = toc.count(" TABLE DATA ")
    with _pg_connect(url, autocommit=True) as conn:
        found = _tables_with_rows(conn, _pg_tables(conn), PG_SCHEMA)
    if found and not force:
        _refuse_data(found, shown(url))
    restore = subprocess.Popen([pg_restore, "--no-owner", "--no-privileges", "--verbose", "--file=-", path], env=env,
                               stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    # one transaction from the emptying of the schema to the last row: -1 wraps every -c and -f in it
    apply = subprocess.Popen([psql, "-X", "-q", "--no-psqlrc", "-v", "ON_ERROR_STOP=1", "--single-transaction",
                              "-o", os.devnull, f"--dbname={conninfo}",
                              "-c", "SET client_min_messages = warning",
                              "-c", f"DROP SCHEMA IF EXISTS {PG_SCHEMA} CASCADE",
                              "-c", f"CREATE SCHEMA {PG_SCHEMA}",
                              "-c", f"GRANT USAGE ON SCHEMA {PG_SCHEMA} TO PUBLIC",
                              "-f", "-"],
                             env=env, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    restore_lines: list[str] = []
    reader = threading.Thread(target=_stderr_lines, daemon=True, args=(
        restore.stderr, report, "processing data for table", data_tables, "restored", restore_lines))
    reader.start()
    apply_errors: list[bytes] = []
    collector = threading.Thread(target=lambda: apply_errors.extend(apply.stderr), daemon=True)
    collector.start()
    stopped = False
    try:
        while chunk := restore.stdout.read(1 << 16):
            apply.stdin.write(chunk)
    except BrokenPipeError:
        stopped = True  # psql stopped at an error: its message says which
        restore.kill()
    except BaseException:
        apply.kill()    # interrupted: the server rolls the transaction back when the connection drops
        restore.kill()
        raise
    if restore.wait() != 0 and not stopped:
        apply.kill()    # never let psql commit a script that was cut short
        apply.wait()
        reader.join()
        raise BackupError(_tool_error("pg_restore", restore_lines))
    try:
        apply.stdin.close()
    except BrokenPipeError:
        pass
    code = apply.wait()
    reader.join()
    collector.join()
    if code != 0:
        lines = b"".join(apply_errors).decode("utf-8", "replace").splitlines()
        raise BackupError(_tool_error("psql", lines) + "; the database was left as it was")
    with psycopg.connect(conninfo, password=env.get("PGPASSWORD"), autocommit=True) as conn:
        tables = _pg_tables(conn)
        return len(tables), _count_rows(conn, tables, PG_SCHEMA), _revision(conn, tables, PG_SCHEMA)
