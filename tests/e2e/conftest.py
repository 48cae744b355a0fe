"""Shared by the browser tests: one headless Chromium for the session.

Playwright's sync API allows one running instance per process, so the
browser tests of every module (test_browser.py, test_serve.py) share this one.
"""
from __future__ import annotations

import pytest

from .test_browser import CHROMIUM, CHROMIUM_ARGS


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()
