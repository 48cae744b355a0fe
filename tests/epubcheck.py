"""epubcheck for the tests: one Java VM for the whole session.

Each ``java -jar epubcheck.jar`` spends about 8 s of its 10 s starting Java
and loading the schemas; the test suite checks some thirty EPUBs.  With
JPype the VM starts once, and each book goes through epubcheck's own
command-line class (``EpubChecker.run``, which ``main`` calls before it
exits): the same report, word for word, in about 0.3 s.  Without JPype (or
if the VM cannot start) each check is a ``java`` process as before.
"""
from __future__ import annotations

import subprocess
import threading
from pathlib import Path

JAR = Path("/usr/share/java/epubcheck.jar")
# a short run of Java for the fallback: the quick compiler and the simplest collector
JAVA = ["java", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss16m", "-jar"]

_lock = threading.Lock()   # System.out is one per VM: one check at a time
_checker = None


def _in_process():
    """epubcheck's command-line class in a VM of our own, or None."""
    global _checker
    if _checker is None:
        try:
            import jpype
            import jpype.imports  # noqa: F401 - makes Java packages importable
            if not jpype.isJVMStarted():
                jpype.startJVM("-Xss16m", classpath=[str(JAR)], convertStrings=True)
            from com.adobe.epubcheck.tool import EpubChecker  # type: ignore
            from java.io import ByteArrayOutputStream, PrintStream  # type: ignore
            from java.lang import System  # type: ignore
            _checker = (EpubChecker, ByteArrayOutputStream, PrintStream, System)
        except Exception:  # noqa: BLE001 - no JPype, no VM: the process it is
            _checker = False
    return _checker or None


def run(epub: Path, *options: str) -> subprocess.CompletedProcess:
    """epubcheck ``options`` ``epub``, as the command line would report it:
    the return code, and the report on stdout."""
    args = [*options, str(epub)]
    java = _in_process()
    if java is None:
        return subprocess.run([*JAVA, str(JAR), *args], capture_output=True, text=True, encoding="utf-8",
                              errors="replace", timeout=300)
    EpubChecker, ByteArrayOutputStream, PrintStream, System = java
    with _lock:
        buf = ByteArrayOutputStream()
        out, err = System.out, System.err
        stream = PrintStream(buf, True, "UTF-8")
        System.setOut(stream)
        System.setErr(stream)
        try:
            code = int(EpubChecker().run(args))
        finally:
            System.setOut(out)
            System.setErr(err)
        return subprocess.CompletedProcess(["epubcheck", *args], code, str(buf.toString("UTF-8")), "")


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
