"""`make e2e-weblate`: publish's catalogs through a real Weblate and back.

Sets up everything on 127.0.0.1 and tears it down again: Weblate (pinned, in
its own virtual environment under .weblate/, reused by later runs), a private
PostgreSQL cluster on a free port, Weblate's development server with Celery
tasks run inline (weblate_settings.py).  Then, on a bare clone of this
repository pushed and pulled over file://, through Weblate's REST API with the
component settings docs/weblate.md gives, the round trips a press lives by:

1. translate: a translator translates one unit and marks another as needing
   edit; Weblate commits and pushes; `publish update` leaves that commit as it
   is, byte for byte; `publish check` passes; the en and fa-en editions show
   the translation and the marked unit as fuzzy.
2. source: a sentence edited, one added, one removed; `publish update`, push;
   Weblate pulls: the edited unit needs editing with its previous source, the
   new one is untranslated, the removed one gone, no translation lost.
3. checks: Weblate sees the units as Markdown (md-text): a broken link
   planted through the API fails its check, and `publish check` too.
4. preview: the unit's link in Weblate leads to its anchor in the edition.

Each step prints one line with its time; a failure prints Weblate's answer or
the diff and exits 1.  Every process started is stopped by its PID, by
try/finally, atexit and signal handlers, and (PR_SET_PDEATHSIG) by the kernel
if this driver is killed outright.

Assertions that need the translator's-loop work (issue 17) are named in
AWAITING_ISSUE_17: while one fails it is reported as XFAIL with the issue's
number and the run still passes; once it passes, XPASS says to take it off
the list.  WEBLATE_E2E_AWAITING (names, comma-separated; empty for none)
overrides the list.
"""
from __future__ import annotations

import argparse
import atexit
import ctypes
import difflib
import fcntl
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
HOME = ROOT / ".weblate"
VENV = HOME / "venv"
PUBLISH = ROOT / ".venv" / "bin" / "publish"

WEBLATE_VERSION = "5.14.3"
# Three newer dependency releases break 5.14.3 (../shared/NOTES-weblate.md):
# PyGObject 3.51+ needs girepository-2.0, which Debian 12 lacks; django-otp
# 1.7 gives HTTP 500 on every request; GitPython 3.1.59+ quotes git config
# values Weblate already quotes, and component creation cannot fetch.
REQUIREMENTS = (f"weblate[postgres]=={WEBLATE_VERSION}", "PyGObject<3.51", "django-otp<1.7", "GitPython<3.1.59")

PROJECT, DOC, LANG = "publish", "report", "en"
CATALOG = f"translations/{LANG}/{DOC}.po"

# The component settings docs/weblate.md recommends (repo, push and branch
# are the bare clone's).  Keep the two in step.
COMPONENT = {
    "name": DOC,
    "slug": DOC,
    "vcs": "git",
    "file_format": "po",
    "filemask": f"translations/*/{DOC}.po",
    "template": "",
    "new_base": f"translations/templates/{DOC}.pot",
    "source_language": "fa",
    "language_regex": "^(?!templates$)[^.]+$",
    "language_code_style": "posix",
    "file_format_params": {"po_line_wrap": 65535},
}
DISCOVERY = {
    "name": "weblate.discovery.discovery",
    "configuration": {
        "match": r"translations/(?P<language>[^/.]+)/(?P<component>[^/]+)\.po",
        "file_format": "po",
        "name_template": "{{ component }}",
        "base_file_template": "",
        "new_base_template": "translations/templates/{{ component }}.pot",
        "language_regex": "^(?!templates$)[^.]+$",
        "copy_addons": True,
        "remove": True,
        "confirm": True,
    },
}

TRANSLATED, NEEDS_EDITING, EMPTY = 20, 10, 0

# the sentence round trip 2 adds: Persian, with a Markdown link for round trip 3
ADDED = "این جمله برای آزمودن رفت و برگشت با [ویبلیت](https://weblate.org/) افزوده شد."
BROKEN_EN = "This sentence was added to test the round trip with [Weblate] (https://weblate.org/)."
EDIT_PREFIX = "همچنین "   # "also": an edit small enough for a fuzzy match

# where the test's press publishes build/ (catalog.preview_url)
PREVIEW_URL = "https://press.example.org/report/"

# What waits for issue 17 (the translator's loop), by name: nothing now
# (the preview link became an address with catalog.preview_url)
AWAITING_ISSUE_17: dict[str, str] = {}


def awaiting() -> set[str]:
    names = os.environ.get("WEBLATE_E2E_AWAITING")
    if names is None:
        return set(AWAITING_ISSUE_17)
    return {n.strip() for n in names.split(",") if n.strip()}


# --- reporting -----------------------------------------------------------------------

class Failed(Exception):
    """A round trip broke: what was expected, and what shows why."""

    def __init__(self, message: str, details: str = ""):
        super().__init__(message)
        self.details = details


class Report:
    def __init__(self, awaiting: set[str]):
        self.awaiting = awaiting
        self.xfailed: list[str] = []
        self.xpassed: list[str] = []
        self.timings: list[tuple[str, float]] = []

    @contextmanager
    def step(self, name: str):
        """One line per step: its name, its time, and what it found."""
        notes: list[str] = []
        start = time.monotonic()
        try:
            yield notes
        except Failed as exc:
            took = time.monotonic() - start
            print(f"FAIL {took:6.1f}s  {name}: {exc}", flush=True)
            if exc.details:
                print(_indent(exc.details), flush=True)
            raise
        took = time.monotonic() - start
        self.timings.append((name, took))
        print(f"ok   {took:6.1f}s  {name}" + (f": {'; '.join(notes)}" if notes else ""), flush=True)

    def expect(self, ok: bool, message: str, details: str = "", waits_for: str | None = None) -> bool:
        """Fail unless ``ok``.  An assertion that waits for issue 17 is an
        expected failure while its name is in the awaiting set."""
        if waits_for and waits_for in self.awaiting:
            if ok:
                self.xpassed.append(waits_for)
                print(f"XPASS          {waits_for}: passes now ({AWAITING_ISSUE_17.get(waits_for, waits_for)}: issue 17); "
                      f"take '{waits_for}' off AWAITING_ISSUE_17 in tests/weblate/e2e.py", flush=True)
            else:
                self.xfailed.append(waits_for)
                print(f"XFAIL          {waits_for}, waits for issue 17 ({AWAITING_ISSUE_17.get(waits_for, waits_for)}): "
                      f"not yet: {message}", flush=True)
                if details:
                    print(_indent(details, limit=40), flush=True)
            return ok
        if not ok:
            raise Failed(message, details)
        return ok


def _indent(text: str, limit: int = 200) -> str:
    lines = text.rstrip("\n").splitlines()
    if len(lines) > limit:
        lines = lines[:limit] + [f"… {len(lines) - limit} more lines"]
    return "\n".join("     | " + line for line in lines)


def _diff(a: str, b: str, a_name: str, b_name: str) -> str:
    return "".join(difflib.unified_diff(a.splitlines(True), b.splitlines(True), a_name, b_name))


# --- processes -------------------------------------------------------------------------

_PR_SET_PDEATHSIG = 1
_libc = ctypes.CDLL(None, use_errno=True)


def _die_with_parent() -> None:
    """In the child, after its user is set: SIGTERM when this driver dies,
    even by SIGKILL, so nothing outlives a run."""
    _libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


class Processes:
    """Every long-running process this run starts, stopped by its PID, last
    started first."""

    def __init__(self):
        self.running: list[tuple[str, subprocess.Popen, int]] = []

    def start(self, name: str, argv: list, log: Path, stop_signal: int = signal.SIGTERM, **kwargs) -> subprocess.Popen:
        with open(log, "ab") as out:
            proc = subprocess.Popen([str(a) for a in argv], stdin=subprocess.DEVNULL, stdout=out,
                                    stderr=subprocess.STDOUT, start_new_session=True,
                                    preexec_fn=_die_with_parent, **kwargs)
        self.running.append((name, proc, stop_signal))
        return proc

    def stop(self) -> None:
        while self.running:
            name, proc, sig = self.running.pop()
            if proc.poll() is not None:
                continue
            os.kill(proc.pid, sig)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                print(f"{name} (PID {proc.pid}) did not stop in 30 s: killed", flush=True)
                os.kill(proc.pid, signal.SIGKILL)
                proc.wait()


def run(argv: list, what: str, timeout: float = 900, check: bool = True, **kwargs) -> subprocess.CompletedProcess:
    """A command that ends by itself; its output shown when it fails."""
    try:
        done = subprocess.run([str(a) for a in argv], stdin=subprocess.DEVNULL, capture_output=True,
                              text=True, timeout=timeout, **kwargs)
    except subprocess.TimeoutExpired as exc:
        raise Failed(f"{what}: no answer in {timeout:.0f} s", str(exc.stdout or "") + str(exc.stderr or "")) from None
    if check and done.returncode != 0:
        raise Failed(f"{what} failed (exit {done.returncode})", f"$ {' '.join(map(str, argv))}\n{done.stdout}{done.stderr}")
    return done


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(what: str, ready, proc: subprocess.Popen, log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise Failed(f"{what} exited (status {proc.returncode}) before it was ready", _tail(log))
        if ready():
            return
        time.sleep(0.25)
    raise Failed(f"{what} not ready after {timeout:.0f} s", _tail(log))


def _tail(path: Path, lines: int = 60) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


# --- Weblate, PostgreSQL -----------------------------------------------------------------

def install(python: str, notes: list[str]) -> None:
    """Weblate and the three pins in .weblate/venv; reused when the same
    requirements are installed there already.  Two runs at once (two
    engineers on one tree) take turns: the second waits, then reuses."""
    HOME.mkdir(exist_ok=True)
    with open(HOME / "install.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        _install(python, notes)


def _install(python: str, notes: list[str]) -> None:
    stamp = VENV / "requirements.txt"
    wanted = "\n".join(REQUIREMENTS) + "\n"
    if (VENV / "bin" / "weblate").exists() and stamp.exists() and stamp.read_text() == wanted:
        notes.append(f"Weblate {WEBLATE_VERSION} already in {VENV.relative_to(ROOT)}")
        return
    # borgbackup, pycairo and PyGObject build from source against the
    # interpreter's headers: Debian's own python3 has them in python3-dev
    include = run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['include'])"],
                  f"asking {python} where its headers are").stdout.strip()
    if not (Path(include) / "Python.h").exists():
        raise Failed(f"{python} has no C headers ({include}/Python.h), and Weblate's dependencies build from "
                     "source: install them (Debian: apt-get install python3-dev) or pass make PYTHON=…")
    shutil.rmtree(VENV, ignore_errors=True)
    for dump in HOME.glob("migrated-*.dump"):   # made by the Weblate being replaced
        dump.unlink()
    run([python, "-m", "venv", VENV], "creating Weblate's virtual environment")
    pip = [VENV / "bin" / "python", "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    run([*pip, "--upgrade", "pip"], "upgrading pip")
    run([*pip, *REQUIREMENTS], f"installing Weblate {WEBLATE_VERSION}", timeout=1800)
    stamp.write_text(wanted)
    notes.append(f"Weblate {WEBLATE_VERSION} installed into {VENV.relative_to(ROOT)}")


def postgres_bin() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/postgres"), key=lambda p: int(p.parent.parent.name))
    if not found:
        raise Failed("no PostgreSQL server in /usr/lib/postgresql (Debian package postgresql)")
    return found[-1].parent


def start_postgres(procs: Processes, pgdir: Path, port: int, notes: list[str]) -> None:
    """A private cluster owned by the postgres user (initdb refuses root),
    listening on 127.0.0.1:port only, its socket in its own folder, trust
    authentication, no fsync: it lives for one run."""
    bin_ = postgres_bin()
    data = pgdir / "data"
    shutil.chown(pgdir, "postgres", "postgres")
    as_postgres = {"user": "postgres", "group": "postgres", "extra_groups": [], "cwd": pgdir}
    run([bin_ / "initdb", "-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C.UTF-8",
         "--no-sync"], "initdb", **as_postgres)
    log = pgdir / "postgres.log"
    proc = procs.start("PostgreSQL", [bin_ / "postgres", "-D", data, "-p", port, "-k", pgdir,
                                      "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off",
                                      "-c", "synchronous_commit=off", "-c", "full_page_writes=off"],
                       log, stop_signal=signal.SIGINT, **as_postgres)   # SIGINT: fast shutdown

    def ready() -> bool:
        return run([bin_ / "pg_isready", "-q", "-h", "127.0.0.1", "-p", port], "pg_isready", check=False).returncode == 0

    wait_for("PostgreSQL", ready, proc, log, 60)
    run([bin_ / "createdb", "-h", "127.0.0.1", "-p", port, "-U", "postgres", "-E", "UTF8", "weblate"], "createdb")
    notes.append(f"PostgreSQL {bin_.parent.name} on 127.0.0.1:{port} (PID {proc.pid})")


class Weblate:
    def __init__(self, data: Path, port: int, pg_port: int):
        self.data = data
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.log = data / "weblate.log"
        self.env = {**os.environ, "DJANGO_SETTINGS_MODULE": "weblate_settings", "PYTHONPATH": str(HERE),
                    "WEBLATE_E2E_DATA": str(data), "WEBLATE_E2E_PORT": str(port),
                    "WEBLATE_E2E_PG_PORT": str(pg_port), "PYTHONDONTWRITEBYTECODE": "1"}
        self.token = ""

    def manage(self, *args, what: str, timeout: float = 600) -> str:
        return run([VENV / "bin" / "weblate", *args], what, timeout=timeout, env=self.env).stdout

    def migrate(self, notes: list[str]) -> None:
        """Weblate's database: restored from the dump an earlier run made
        right after ``weblate migrate`` with the same Weblate and the same
        PostgreSQL (a few seconds instead of a minute or two), else migrated
        and dumped for the next run."""
        self.data.mkdir(parents=True, exist_ok=True)
        bin_ = postgres_bin()
        dump = HOME / f"migrated-weblate-{WEBLATE_VERSION}-postgresql-{bin_.parent.name}.dump"
        connect = ["-h", "127.0.0.1", "-p", self.env["WEBLATE_E2E_PG_PORT"], "-U", "postgres"]
        if dump.exists():
            run([bin_ / "pg_restore", *connect, "--no-owner", "--exit-on-error", "-d", "weblate", dump],
                "pg_restore of the migrated database")
            notes.append(f"restored from {dump.relative_to(ROOT)}")
            return
        self.manage("migrate", "--noinput", what="weblate migrate")
        partial = dump.with_suffix(f".{os.getpid()}.part")   # another run may be dumping too
        run([bin_ / "pg_dump", *connect, "-Fc", "-f", partial, "weblate"], "pg_dump of the migrated database")
        partial.rename(dump)
        notes.append(f"migrated; dumped to {dump.relative_to(ROOT)} for the next run")

    def admin_token(self) -> None:
        # weblate.vcs's post-migrate step writes DATA_DIR/home (the git
        # identity Weblate commits with, file:// allowed, its ssh key); a
        # restored database skipped it, so it runs here
        code = ("from django.apps import apps\n"
                "vcs = apps.get_app_config('vcs')\n"
                "vcs.post_migrate(vcs)\n"
                "from django.core.management import call_command\n"
                "from weblate.auth.models import User\n"
                "from rest_framework.authtoken.models import Token\n"
                "call_command('createadmin', username='admin', email='admin@example.org', password='e2e-admin-pw')\n"
                "print('TOKEN', Token.objects.get_or_create(user=User.objects.get(username='admin'))[0].key)\n")
        out = self.manage("shell", "-c", code, what="weblate createadmin and API token")
        found = re.search(r"^TOKEN (\w+)$", out, re.M)
        if not found:
            raise Failed("no API token printed", out)
        self.token = found.group(1)

    def serve(self, procs: Processes) -> int:
        proc = procs.start("Weblate", [VENV / "bin" / "weblate", "runserver", "--noreload", "--skip-checks",
                                       f"127.0.0.1:{self.port}"], self.log, env=self.env)

        def ready() -> bool:
            try:
                with urllib.request.urlopen(self.url + "/api/", timeout=2) as r:
                    return r.status == 200
            except (OSError, urllib.error.URLError):
                return False

        wait_for("Weblate", ready, proc, self.log, 120)
        return proc.pid

    # the REST API

    def call(self, method: str, path: str, data: dict | None = None, ok=(200, 201, 204)) -> dict:
        url = path if path.startswith("http") else self.url + path
        body = json.dumps(data).encode() if data is not None else None
        req = urllib.request.Request(url, data=body, method=method, headers={
            "Authorization": f"Token {self.token}", "Accept": "application/json",
            **({"Content-Type": "application/json"} if body else {})})
        try:
            with urllib.request.urlopen(req, timeout=300) as r:
                status, text = r.status, r.read().decode()
        except urllib.error.HTTPError as exc:
            status, text = exc.code, exc.read().decode(errors="replace")
        if status not in ok:
            raise Failed(f"Weblate answered {method} {path} with HTTP {status}",
                         f"sent: {json.dumps(data, ensure_ascii=False)}\nanswer: {text[:4000]}\n"
                         f"Weblate's log:\n{_tail(self.log, 40)}")
        return json.loads(text) if text.strip() else {}

    def page(self, path: str) -> str:
        """A page of the web interface, as a visitor sees it."""
        with urllib.request.urlopen(self.url + path, timeout=60) as r:
            return r.read().decode()

    def units(self, query: str = "") -> list[dict]:
        path = f"/api/translations/{PROJECT}/{DOC}/{LANG}/units/"
        if query:
            path += "?" + urllib.parse.urlencode({"q": query})
        out: list[dict] = []
        while path:
            page = self.call("GET", path)
            out.extend(page["results"])
            path = page.get("next")
        return out

    def repository(self, operation: str) -> None:
        answer = self.call("POST", f"/api/components/{PROJECT}/{DOC}/repository/", {"operation": operation})
        if not answer.get("result"):
            raise Failed(f"Weblate's repository operation {operation} failed", json.dumps(answer, ensure_ascii=False))


# --- the project's side ----------------------------------------------------------------

class Clone:
    """A working clone of the bare repository, where publish runs."""

    def __init__(self, path: Path):
        self.path = path
        self.env = {**os.environ, "GIT_AUTHOR_NAME": "publish e2e", "GIT_AUTHOR_EMAIL": "e2e@example.org",
                    "GIT_COMMITTER_NAME": "publish e2e", "GIT_COMMITTER_EMAIL": "e2e@example.org",
                    "SOURCE_DATE_EPOCH": "1764000000"}

    def git(self, *args: str) -> str:
        return run(["git", *args], f"git {args[0]}", cwd=self.path, env=self.env).stdout

    def publish(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return run([PUBLISH, *args], f"publish {' '.join(args)}", cwd=self.path, env=self.env, check=check)

    def read(self, rel: str) -> str:
        return (self.path / rel).read_text(encoding="utf-8")

    def write(self, rel: str, text: str) -> None:
        (self.path / rel).write_text(text, encoding="utf-8")

    def catalog(self) -> polib.POFile:
        return polib.pofile(str(self.path / CATALOG), wrapwidth=0)


def _key(context: str, source: str) -> tuple[str, str]:
    return (context or "", source)


def weblate_state(units: list[dict]) -> dict[tuple[str, str], tuple[str, int]]:
    return {_key(u["context"], u["source"][0]): (u["target"][0], u["state"]) for u in units}


def file_state(po: polib.POFile) -> dict[tuple[str, str], tuple[str, int]]:
    def state(e):
        if not e.msgstr:
            return EMPTY
        return NEEDS_EDITING if "fuzzy" in e.flags else TRANSLATED
    return {_key(e.msgctxt, e.msgid): (e.msgstr, state(e)) for e in po if not e.obsolete and e.msgid}


def compare_states(weblate: dict, file: dict) -> str:
    """What differs between Weblate's units and the catalog's entries."""
    lines = []
    for key in sorted(set(weblate) | set(file)):
        w, f = weblate.get(key), file.get(key)
        if w is None or f is None or w[0] != f[0] or min(w[1], TRANSLATED) != f[1]:
            lines.append(f"{key[1][:60]!r}: Weblate {w!r:.80}, file {f!r:.80}")
    return "\n".join(lines)


class Edition(HTMLParser):
    """An edition page: its text, the text of each unit span (`<span
    class="u …">`: untranslated and fuzzy units, every unit in the preview)
    and of each element with an id (`u-<anchor>`)."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.text = ""
        self.units: list[dict] = []
        self.ids: dict[str, dict] = {}
        self._open: list[tuple[str, dict | None]] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        record = {"class": classes, "id": a.get("id"), "text": ""} if a.get("id") or "u" in classes else None
        if record and "u" in classes:
            self.units.append(record)
        if record and a.get("id"):
            self.ids[a["id"]] = record
        self._open.append((tag, record))

    def handle_endtag(self, tag):
        for i in range(len(self._open) - 1, -1, -1):
            if self._open[i][0] == tag:
                del self._open[i:]
                return

    def handle_data(self, data):
        self.text += data
        for _, record in self._open:
            if record is not None:
                record["text"] += data


def plain(markdown: str) -> str:
    """What a reader sees of a plain sentence."""
    return re.sub(r"\s+", " ", markdown).strip()


# --- the round trips ---------------------------------------------------------------------

def pick_units(units: list[dict], source_md: str) -> list[dict]:
    """Units a test can find and change in the source: a translated plain
    sentence of a paragraph of its own line, found once in the source, never
    alone on its line (so removing it leaves a paragraph)."""
    out = []
    for u in sorted(units, key=lambda u: u["position"]):
        src = u["source"][0]
        if u["context"] or u["state"] != TRANSLATED or re.search(r"[][*_`<>\\{}^|#]", src) or len(src) < 40:
            continue
        if source_md.count(src) != 1:
            continue
        line = next(l for l in source_md.splitlines() if src in l)
        if re.match(r"\s|[-*+>#|]|\d+[.)]", line) or line.strip() == src:
            continue
        out.append(u)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--python", default="python3", help="the Python that makes Weblate's virtual environment")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (the processes still stop)")
    args = parser.parse_args()

    report = Report(awaiting())
    procs = Processes()
    atexit.register(procs.stop)

    def on_signal(signum, frame):
        raise SystemExit(128 + signum)

    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, on_signal)

    started = time.monotonic()
    tmp = Path(tempfile.mkdtemp(prefix="weblate-e2e-"))
    pgdir = Path(tempfile.mkdtemp(prefix="weblate-e2e-pg-"))
    try:
        rounds(report, procs, tmp, pgdir, args.python)
    except (KeyboardInterrupt, SystemExit) as exc:
        print(f"e2e-weblate: interrupted ({type(exc).__name__} {getattr(exc, 'code', '')}) after "
              f"{time.monotonic() - started:.0f} s: stopping what it started", flush=True)
        raise
    except Failed:
        print(f"e2e-weblate: FAILED after {time.monotonic() - started:.0f} s (files in {tmp})" if args.keep
              else f"e2e-weblate: FAILED after {time.monotonic() - started:.0f} s", flush=True)
        return 1
    finally:
        procs.stop()
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
        shutil.rmtree(pgdir, ignore_errors=True)
    xfailed = sorted(set(report.xfailed))
    waiting = f"; {len(xfailed)} waiting for issue 17 (XFAIL: {', '.join(xfailed)})" if xfailed else ""
    print(f"e2e-weblate: passed in {time.monotonic() - started:.0f} s{waiting}", flush=True)
    return 0


def rounds(report: Report, procs: Processes, tmp: Path, pgdir: Path, python: str) -> None:
    step, expect = report.step, report.expect

    with step("install") as notes:
        install(python, notes)

    pg_port, port = free_port(), free_port()
    with step("postgres") as notes:
        start_postgres(procs, pgdir, pg_port, notes)

    weblate = Weblate(tmp / "weblate", port, pg_port)
    with step("migrate") as notes:
        weblate.migrate(notes)
    with step("admin"):
        weblate.admin_token()
    with step("server") as notes:
        pid = weblate.serve(procs)
        notes.append(f"{weblate.url} (PID {pid})")

    # the project's repository: a bare clone Weblate and the clone share
    upstream = tmp / "upstream.git"
    clone = Clone(tmp / "work")
    with step("repository") as notes:
        run(["git", "clone", "--quiet", "--bare", "--single-branch", ROOT, upstream], "git clone --bare")
        branch = run(["git", "symbolic-ref", "--short", "HEAD"], "git symbolic-ref", cwd=upstream).stdout.strip()
        run(["git", "clone", "--quiet", f"file://{upstream}", clone.path], "git clone")
        # the press publishes build/ on its site and says where (catalog.preview_url), so each
        # entry's "#. preview:" comment is an address Weblate makes a link of
        config = clone.read("publish.yml")
        expect("\ncatalog:\n" in config, "publish.yml has no catalog: section to add preview_url to", config[:500])
        clone.write("publish.yml", config.replace("\ncatalog:\n", f"\ncatalog:\n  preview_url: {PREVIEW_URL}\n", 1))
        clone.publish("update")
        if clone.git("status", "--porcelain"):
            # a checkout whose catalogs lag its source: CI's catalog job would commit this
            clone.git("commit", "--quiet", "-am", "Update catalogs")
            clone.git("push", "--quiet")
            notes.append("catalogs brought up to date with publish update")
        notes.append(f"bare clone of {branch} at {clone.git('rev-parse', '--short', 'HEAD').strip()}")

    url = f"file://{upstream}"
    with step("component") as notes:
        weblate.call("POST", "/api/projects/", {"name": PROJECT, "slug": PROJECT, "web": "https://example.org/"})
        weblate.call("POST", f"/api/projects/{PROJECT}/components/",
                     {**COMPONENT, "repo": url, "push": url, "branch": branch})
        langs = sorted(t["language_code"] for t in
                       weblate.call("GET", f"/api/components/{PROJECT}/{DOC}/translations/")["results"])
        expect(LANG in langs, f"the component has no {LANG} translation", f"translations: {langs}")
        before = weblate.units()
        expect(weblate_state(before) == file_state(clone.catalog()),
               "Weblate's units differ from the catalog it cloned",
               compare_states(weblate_state(before), file_state(clone.catalog())))
        notes.append(f"translations {', '.join(langs)}; {len(before)} {LANG} units, as in the catalog")

    with step("discovery add-on") as notes:
        weblate.call("POST", f"/api/components/{PROJECT}/{DOC}/addons/", DISCOVERY)
        found = [c["slug"] for c in weblate.call("GET", f"/api/projects/{PROJECT}/components/")["results"]]
        expect(DOC in found, "component discovery removed the component", f"components: {found}")
        notes.append(f"docs/weblate.md's configuration accepted; components: {', '.join(found)}")

    source_md = clone.read(f"source/fa/{DOC}.md")
    picked = pick_units(before, source_md)
    expect(len(picked) >= 4, "fewer than 4 plain translated sentences to work with",
           "\n".join(u["source"][0] for u in picked))
    translated, fuzzy, edited, removed = picked[:4]
    round_translate(report, weblate, clone, translated, fuzzy)
    added, obsolete = round_source(report, weblate, clone, edited, removed)
    round_checks(report, weblate, clone, added, obsolete)
    round_preview(report, weblate, clone, translated)


def round_translate(report: Report, weblate: Weblate, clone: Clone, a: dict, b: dict) -> None:
    """a is translated anew in Weblate, b marked as needing edit."""
    step, expect = report.step, report.expect
    new_text = "In Weblate’s words: " + a["target"][0]

    with step("1 translate in Weblate") as notes:
        weblate.call("PATCH", f"/api/units/{a['id']}/", {"target": [new_text], "state": TRANSLATED})
        weblate.call("PATCH", f"/api/units/{b['id']}/", {"target": b["target"], "state": NEEDS_EDITING})
        weblate.repository("commit")
        weblate.repository("push")
        status = weblate.call("GET", f"/api/components/{PROJECT}/{DOC}/repository/")
        expect(not status.get("needs_commit") and not status.get("needs_push"),
               "Weblate still has changes to commit or push", json.dumps(status, indent=1))
        notes.append(f"unit {a['id']} translated, unit {b['id']} needs editing; committed and pushed")

    with step("1 Weblate's commit") as notes:
        clone.git("pull", "--quiet", "--ff-only")
        show = clone.git("show", "--stat", "--format=%an <%ae>|%cn <%ce>|%s", "HEAD")
        who, _, rest = show.partition("\n")
        author, committer, subject = who.split("|")
        expect(subject.startswith("Translated using Weblate"), "the last commit is not Weblate's", show)
        expect(CATALOG in rest, f"Weblate's commit does not change {CATALOG}", show)
        po = clone.catalog()
        entry_a = po.find(a["source"][0])
        entry_b = po.find(b["source"][0])
        expect(entry_a is not None and entry_a.msgstr == new_text and "fuzzy" not in entry_a.flags,
               "the translation made in Weblate is not in the catalog", str(entry_a))
        expect(entry_b is not None and "fuzzy" in entry_b.flags and entry_b.msgstr == b["target"][0],
               "the unit marked as needing edit is not fuzzy in the catalog", str(entry_b))
        # Weblate → repository: nothing lost
        diff = compare_states(weblate_state(weblate.units()), file_state(po))
        expect(not diff, "Weblate's units and the pushed catalog differ", diff)
        notes.append(f"author {author}, committer {committer}")

    with step("1 publish update keeps Weblate's commit") as notes:
        clone.publish("update")
        diff = clone.git("diff")
        expect(not diff, "publish update changed Weblate's commit (its header included, it must stay as Weblate "
               "wrote it)", diff)
        notes.append("byte for byte, header included")

    with step("1 publish check") as notes:
        done = clone.publish("check", check=False)
        expect(done.returncode == 0, "publish check fails on Weblate's commit", done.stdout + done.stderr)
        out = (done.stdout + done.stderr).splitlines()
        notes.append(f"exit 0; {sum(': error:' in l for l in out)} errors, {sum(': warning:' in l for l in out)} warnings")

    with step("1 editions en, fa-en") as notes:
        for edition in ("en", "fa-en"):
            clone.publish("build", "-q", "-e", edition, "-f", "html")
            page = Edition((clone.path / "build" / edition / f"{DOC}.html").read_text(encoding="utf-8"))
            expect(plain(new_text) in plain(page.text),
                   f"the {edition} edition does not show the translation made in Weblate", f"looked for: {new_text}")
            fuzzy = [u for u in page.units if "fuzzy" in u["class"]]
            expect(any(plain(u["text"]) == plain(b["source"][0]) for u in fuzzy),
                   f"the {edition} edition does not show the unit marked in Weblate as fuzzy",
                   f"looked for: {b['source'][0]}\nfuzzy units: {[u['text'] for u in fuzzy]}")
        notes.append("the translation shown; the marked unit fuzzy, in its source")


def round_source(report: Report, weblate: Weblate, clone: Clone, c: dict, d: dict) -> tuple[dict, list]:
    """c's sentence is edited in the source, d's removed, ADDED added; gives
    the added sentence's unit in Weblate and the catalog's obsolete entries."""
    step, expect = report.step, report.expect
    old_c, removed = c["source"][0], d["source"][0]
    new_c = EDIT_PREFIX + old_c
    before = weblate_state(weblate.units())

    with step("2 source edited, publish update, push") as notes:
        rel = f"source/fa/{DOC}.md"
        text = clone.read(rel)
        text = text.replace(old_c, new_c)
        text = text.replace(removed + " ", "") if removed + " " in text else text.replace(" " + removed, "")
        # the added sentence: a paragraph of its own after the edited one
        at = text.index(new_c)
        end = text.find("\n", at)
        text = text[:end] + "\n\n" + ADDED + text[end:]
        clone.write(rel, text)
        clone.publish("update")
        po = clone.catalog()
        edited, added = po.find(new_c), po.find(ADDED)
        gone = [e for e in po if e.msgid == removed]
        expect(edited is not None and "fuzzy" in edited.flags and edited.previous_msgid == old_c
               and edited.msgstr == c["target"][0],
               "publish update did not keep the edited sentence's translation as fuzzy with #| msgid", str(edited))
        expect(added is not None and not added.msgstr, "publish update did not add the new sentence", str(added))
        expect(len(gone) == 1 and gone[0].obsolete and gone[0].msgstr == d["target"][0],
               "publish update did not keep the removed sentence's translation as obsolete (#~)",
               "\n".join(map(str, gone)))
        clone.git("commit", "--quiet", "-am", "Source: one sentence edited, one added, one removed")
        clone.git("push", "--quiet")
        notes.append("edited → fuzzy with #| msgid, added → untranslated, removed → #~")

    with step("2 Weblate pulls") as notes:
        weblate.repository("pull")
        units = weblate.units()
        by_source = {u["source"][0]: u for u in units}
        u = by_source.get(new_c)
        expect(u is not None and u["state"] == NEEDS_EDITING and u["previous_source"] == old_c
               and u["target"] == c["target"],
               "the edited sentence does not need editing in Weblate with its previous source",
               json.dumps(u, ensure_ascii=False, indent=1))
        n = by_source.get(ADDED)
        expect(n is not None and n["state"] == EMPTY, "the added sentence is not untranslated in Weblate",
               json.dumps(n, ensure_ascii=False, indent=1))
        expect(removed not in by_source and old_c not in by_source,
               "a removed or replaced source is still a unit in Weblate",
               json.dumps([by_source.get(removed), by_source.get(old_c)], ensure_ascii=False, indent=1))
        # repository → Weblate: every translation the catalog holds, and
        # every one Weblate held before whose sentence is still there
        after = weblate_state(units)
        diff = compare_states(after, file_state(clone.catalog()))
        expect(not diff, "Weblate's units and the catalog differ after the pull", diff)
        lost = [k for k, v in before.items() if v[0] and k[1] not in (old_c, removed) and after.get(k, ("",))[0] != v[0]]
        expect(not lost, "translations Weblate held are gone after the pull", "\n".join(k[1] for k in lost))
        notes.append(f"{len(units)} units: edited needs editing (previous source kept), added untranslated, removed gone")
    return n, [str(e) for e in clone.catalog().obsolete_entries()]


def round_checks(report: Report, weblate: Weblate, clone: Clone, n: dict, obsolete: list[str]) -> None:
    """n (the added sentence, with a link) gets a translation whose link is broken."""
    step, expect = report.step, report.expect

    with step("3 broken link planted in Weblate") as notes:
        flags = n.get("flags", "")
        expect("md-text" in re.split(r"[,\s]+", flags), "the unit does not carry the md-text flag", f"flags: {flags!r}")
        weblate.call("PATCH", f"/api/units/{n['id']}/", {"target": [BROKEN_EN], "state": TRANSLATED})
        flagged = [u["id"] for u in weblate.units("check:md-link")]
        unit = weblate.call("GET", f"/api/units/{n['id']}/")
        expect(n["id"] in flagged, "Weblate's Markdown link check does not flag the broken link",
               f"units failing md-link: {flagged}\nunit: {json.dumps(unit, ensure_ascii=False, indent=1)}")
        weblate.repository("commit")
        weblate.repository("push")
        notes.append(f"flags {flags}; Weblate's md-link check fails")

    with step("3 publish check flags it") as notes:
        clone.git("pull", "--quiet", "--ff-only")
        kept = [str(e) for e in clone.catalog().obsolete_entries()]
        expect(kept == obsolete, "Weblate's commit lost or changed obsolete entries (#~)",
               _diff("".join(obsolete), "".join(kept), "before", "after Weblate's commit"))
        done = clone.publish("check", check=False)
        line = clone.catalog().find(ADDED).linenum
        out = done.stdout + done.stderr
        expect(done.returncode == 1 and f"{CATALOG}:" in out and "link" in out,
               "publish check does not fail on the broken link", out)
        notes.append(next((l.strip() for l in out.splitlines() if "link" in l), "")[:120] or f"line {line}")


def round_preview(report: Report, weblate: Weblate, clone: Clone, a: dict) -> None:
    """a's link in Weblate leads to a's anchor in its edition."""
    step, expect = report.step, report.expect

    with step("4 source string location → preview") as notes:
        unit = weblate.call("GET", f"/api/units/{a['id']}/")
        found = re.search(r"preview:\s*(\S+#(u-[\w-]+))", unit.get("note", ""))
        expect(found is not None and found.group(1).startswith(PREVIEW_URL),
               "the preview link is not under catalog.preview_url", f"note: {unit.get('note')!r}")
        expect(found is not None, "the unit's notes in Weblate have no preview: link",
               f"note: {unit.get('note')!r}\nlocation: {unit.get('location')!r}")
        link, anchor = found.groups()
        # the link names <edition>/<doc>.html under build/ (or a press's copy of it)
        edition_file = "/".join(link.split("#")[0].split("/")[-2:])
        clone.publish("build", "-q", "-e", edition_file.split("/")[0], "-f", "html")
        html = clone.path / "build" / edition_file
        page = Edition(html.read_text(encoding="utf-8")) if html.exists() else None
        target = page.ids.get(anchor) if page else None
        expect(target is not None and plain(unit["target"][0]) in plain(target["text"]),
               f"{link} does not lead to the unit in build/{edition_file}", f"element with id {anchor}: {target!r}")
        # what a translator sees on the unit's page in Weblate
        shown = weblate.page(urllib.parse.urlsplit(unit["web_url"])._replace(scheme="", netloc="").geturl())
        expect(link in shown, "Weblate's translation page does not show the preview link",
               "\n".join(l for l in shown.splitlines() if "preview" in l)[:3000])
        hrefs = re.findall(r'href="([^"]*#' + re.escape(anchor) + r')"', shown)
        linked = expect(bool(hrefs), "Weblate's translation page does not link to the preview "
                        "(Weblate makes links only of http:// and https:// addresses, in the source string "
                        "description and location)", f"preview link: {link}", waits_for="preview-link")
        notes.append(f"{link}: the unit's anchor in the edition; " + ("a link in Weblate" if linked else "shown in Weblate, not a link"))

if __name__ == "__main__":
    sys.exit(main())
