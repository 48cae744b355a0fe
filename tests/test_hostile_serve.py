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
            [f"/_publish/units/{name}/doc.json" for name in ("fa", "xx", "fa-xx", "en-fa", "", "..", "en%2fdoc")] * 5
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
