"""The preview against a hostile web page or client (issue 14, items 8-10),
and render workers that die with their parent (item 16).

Servers listen on 127.0.0.1, port 0; every loop of requests is bounded."""
from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import threading
import time
from pathlib import Path

import pytest

from conftest import SYNTHETIC_CONFIG, SYNTHETIC_SOURCE
from projects import PUBLISH, publish_env
from publish import serve

SECRET = "secret-page-text"


@pytest.fixture
def preview(make_project):
    root = make_project()
    (root / "build" / "en").mkdir(parents=True)
    (root / "build" / "en" / "doc.html").write_text(f"<html><body>{SECRET}</body></html>", encoding="utf-8")
    return serve.Preview(root, log=lambda msg: None)


def _start(preview, **kw):
    httpd = serve._Server(("127.0.0.1", 0), serve._handler(preview, **{k: v for k, v in kw.items() if k == "timeout"}),
                          **{k: v for k, v in kw.items() if k == "max_handlers"})
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    return httpd


@pytest.fixture
def server(preview):
    servers = []

    def start(**kw):
        servers.append(_start(preview, **kw))
        return servers[-1], servers[-1].server_address[1]

    yield start
    with preview.state.cond:
        preview.state.stopping = True
        preview.state.cond.notify_all()
    for httpd in servers:
        httpd.shutdown()
        httpd.server_close()


def _get(port: int, path: str, host: str | None = None, timeout: float = 30) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.putrequest("GET", path, skip_host=True)
        if host is not None:
            conn.putheader("Host", host)
        conn.endheaders()
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


# --- item 8: the Host header (DNS rebinding) ------------------------------------------------

@pytest.mark.parametrize("host", ["attacker.example", "attacker.example:{port}", "127.0.0.1.nip.io:{port}",
                                  "localhost:1", "127.0.0.1", "", None, "localhost.:{port}"])
@pytest.mark.parametrize("path", ["/en/doc.html", "/_publish/units/en/doc.json", "/_publish/events", "/"])
def test_a_foreign_host_gets_nothing(server, host, path):
    _, port = server()
    status, body = _get(port, path, None if host is None else host.format(port=port))
    assert status in (400, 421), (status, body[:200])
    assert SECRET.encode() not in body and b"msgid" not in body and b"units" not in body


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "localhost:{port}", "LOCALHOST:{port}", "[::1]:{port}"])
def test_the_preview_own_names_are_served(server, host):
    _, port = server()
    status, body = _get(port, "/en/doc.html", host.format(port=port))
    assert status == 200 and SECRET.encode() in body


def test_host_rules():
    assert serve.host_ok("192.168.1.5:8000", "0.0.0.0", 8000)          # every interface: an IP literal
    assert serve.host_ok("[fe80::1]:8000", "::", 8000)
    assert not serve.host_ok("evil.example:8000", "0.0.0.0", 8000)     # never a name
    assert not serve.host_ok("192.168.1.5:8000", "127.0.0.1", 8000)
    assert serve.host_ok("192.168.1.5:8000", "192.168.1.5", 8000)       # the address it was told to bind


# --- item 9: unknown editions and documents ---------------------------------------------------

def test_unknown_editions_are_404_and_cache_nothing(server, preview):
    _, port = server()
    host = f"127.0.0.1:{port}"
    before = len(preview._units)
    paths = [f"/_publish/units/en-{i}/doc.json" for i in range(250)] + \
            [f"/_publish/units/en/doc{i}.json" for i in range(20)] + \
            [f"/_publish/units/{name}/doc.json" for name in ("ar", "xx", "fa-xx", "en-fa", "", "..", "en%2fdoc")] * 5
    assert len(paths) >= 300
    for path in paths:
        status, body = _get(port, path, host)
        assert status == 404, (path, status, body[:200])
    assert len(preview._units) == before


# --- item 10: idle and half-sent connections ------------------------------------------------

def test_half_sent_requests_hold_bounded_threads_and_time_out(server):
    baseline = threading.active_count()
    httpd, port = server(timeout=1, max_handlers=8)
    socks = []
    try:
        for _ in range(50):
            s = socket.create_connection(("127.0.0.1", port), timeout=30)
            s.sendall(b"GET /en/doc.html HTTP/1.1\r\nHost: 127.0.0.1")   # no end of line, no blank line
            socks.append(s)
        time.sleep(0.5)   # let the accept loop take what it can
        # one thread for serve_forever, at most 8 handlers
        assert threading.active_count() <= baseline + 1 + 8
        status, body = _get(port, "/en/doc.html", f"127.0.0.1:{port}", timeout=60)
        assert status == 200 and SECRET.encode() in body
        assert threading.active_count() <= baseline + 1 + 8
        # the half-sent ones were dropped, not kept: the server closed them
        for s in socks[:8]:
            s.settimeout(30)
            try:
                while s.recv(4096):
                    pass
            except ConnectionResetError:
                pass
    finally:
        for s in socks:
            s.close()


def test_the_defaults_are_bounded():
    assert 0 < serve.REQUEST_TIMEOUT <= 30
    assert 8 <= serve.MAX_HANDLERS <= 64
    assert serve._handler(None).timeout == serve.REQUEST_TIMEOUT


# --- item 16: render workers die with their parent --------------------------------------------

def _stat(pid: int) -> tuple[int, str, str] | None:
    """(parent pid, state, start time) of a live process, or None."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None
    fields = text[text.rindex(")") + 2:].split()
    return int(fields[1]), fields[0], fields[19]


def _descendants(root: int) -> dict[int, str]:
    """pid → start time of every live process under ``root``."""
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit() and (st := _stat(int(entry))) is not None and st[1] != "Z":
            parents[int(entry)] = st
    out, todo = {}, [root]
    while todo:
        pid = todo.pop()
        for child, (ppid, _, start) in parents.items():
            if ppid == pid and child not in out:
                out[child] = start
                todo.append(child)
    return out


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except (FileNotFoundError, ProcessLookupError):   # a short-lived child (pandoc, gcc) already gone
        return b""


def _cpu_seconds(pid: int) -> float:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return 0.0
    fields = text[text.rindex(")") + 2:].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _alive(pid: int, start: str) -> bool:
    st = _stat(pid)
    return st is not None and st[1] != "Z" and st[2] == start   # the same process, not a reused pid


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc (Linux)")
def test_render_workers_die_with_a_killed_build(make_project):
    # enough text that a PDF takes a minute: a worker is mid-job when the build
    # dies (an orphan used to finish it, ~60 s, before it noticed)
    root = make_project(source=SYNTHETIC_SOURCE * 200)
    proc = subprocess.Popen([str(PUBLISH), "build", "-f", "pdf", "-j", "2"], cwd=root, env=publish_env(),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        workers: dict[int, str] = {}
        deadline = time.monotonic() + 120       # a guard against a hang, not a timing
        while time.monotonic() < deadline and proc.poll() is None:
            kids = _descendants(proc.pid)
            # workers are Python (forked, or started by a fork server); pandoc is not
            workers = {pid: start for pid, start in kids.items() if b"python" in _cmdline(pid).split(b"\0")[0]}
            if workers and max(_cpu_seconds(pid) for pid in workers) > 1.0:   # rendering
                break
            time.sleep(0.05)
        assert workers, "the build never started its render workers"
        everything = _descendants(proc.pid)
        proc.send_signal(signal.SIGKILL)        # the build only: its children are left to themselves
        proc.wait()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(_alive(p, s) for p, s in everything.items()):
            time.sleep(0.1)
        left = {p: _cmdline(p)[:80] for p, s in everything.items() if _alive(p, s)}
        assert not left, f"orphans of the killed build: {left}"
    finally:
        if proc.poll() is None:
            proc.kill()
        try:
            os.killpg(proc.pid, signal.SIGKILL)   # whatever is left, so a failure leaves nothing running
        except ProcessLookupError:
            pass
