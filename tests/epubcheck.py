"""epubcheck for the tests: one Java VM for the whole session.

Each ``java -jar epubcheck.jar`` spends about 8 s of its 10 s starting Java
and loading the schemas; the test suite checks some thirty EPUBs.  Here the
VM starts once, in a helper process of its own (this file run as a script,
with JPype), and each book goes through epubcheck's own command-line class
(``EpubChecker.run``, which ``main`` calls before it exits): the same report,
word for word, in about 0.3 s.  The VM lives in that helper, never in the
test process: tests build in worker processes forked from the test process,
and a process holding a Java VM must not fork.  Without JPype (or if the VM
cannot start) each check is a ``java`` process as before.
"""
from __future__ import annotations

import atexit
import json
import subprocess
import sys
import threading
from pathlib import Path

JAR = Path("/usr/share/java/epubcheck.jar")
# a short run of Java for the fallback: the quick compiler and the simplest collector
JAVA = ["java", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss16m", "-jar"]

_lock = threading.Lock()   # one request at a time on the helper's pipe
_helper: subprocess.Popen | None = None
_no_helper = False


def _start() -> subprocess.Popen | None:
    global _helper, _no_helper
    if _helper is None and not _no_helper:
        try:
            import jpype  # noqa: F401 - only to know the helper can run
        except ImportError:
            _no_helper = True
            return None
        # the helper ends when its stdin closes: with this process, however it ends
        _helper = subprocess.Popen([sys.executable, __file__], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                   text=True, encoding="utf-8")
        atexit.register(_helper.kill)
        if _helper.stdout.readline().strip() != "ready":
            _helper.kill()
            _helper, _no_helper = None, True
    return _helper


def run(epub: Path, *options: str) -> subprocess.CompletedProcess:
    """epubcheck ``options`` ``epub``, as the command line would report it:
    the return code, and the report on stdout."""
    args = [*options, str(epub)]
    with _lock:
        helper = _start()
        if helper is not None:
            helper.stdin.write(json.dumps(args) + "\n")
            helper.stdin.flush()
            answer = json.loads(helper.stdout.readline())
            return subprocess.CompletedProcess(["epubcheck", *args], answer["code"], answer["report"], "")
    return subprocess.run([*JAVA, str(JAR), *args], capture_output=True, text=True, encoding="utf-8",
                          errors="replace", timeout=300)


def messages(report: str) -> list[str]:
    """The lines of a report that are messages of any severity."""
    import re
    return [line for line in report.splitlines() if re.match(r"(ERROR|WARNING|FATAL|INFO|USAGE)", line)]


def assert_clean(epub: Path) -> None:
    """epubcheck has nothing at all to say about ``epub``."""
    proc = run(epub)
    report = proc.stdout + proc.stderr
    assert proc.returncode == 0 and not messages(report) and "No errors or warnings detected" in report, \
        f"{epub}:\n{report}"


def _serve() -> None:
    """The helper: a VM with epubcheck, a JSON list of arguments in per line,
    {"code", "report"} out per line, until stdin closes."""
    try:
        import jpype
        import jpype.imports  # noqa: F401 - makes Java packages importable
        jpype.startJVM("-Xss16m", classpath=[str(JAR)], convertStrings=True)
        from com.adobe.epubcheck.tool import EpubChecker  # type: ignore
        from java.io import ByteArrayOutputStream, PrintStream  # type: ignore
        from java.lang import System  # type: ignore
    except Exception as exc:  # noqa: BLE001 - the caller falls back to a java process
        print(f"no VM: {exc}", flush=True)
        return
    print("ready", flush=True)
    for line in sys.stdin:
        buf = ByteArrayOutputStream()
        stream = PrintStream(buf, True, "UTF-8")
        System.setOut(stream)
        System.setErr(stream)
        code = int(EpubChecker().run(json.loads(line)))
        print(json.dumps({"code": code, "report": str(buf.toString("UTF-8"))}), flush=True)


if __name__ == "__main__":
    _serve()
