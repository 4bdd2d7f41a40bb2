"""Constants and helpers shared by the browser tests (fixtures are in tests/conftest.py)."""

import re
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DEMO_PASSWORD = "demo-lgnet"  # noqa: S105 - the documented demo password
TIMEOUT_MS = 15_000
# An English browser on purpose: the UI must still open in Italian (the browser's
# Accept-Language is ignored; only the language switch changes it).
BROWSER_LOCALE = "en-US"
PO_FILE = Path(__file__).resolve().parent.parent / "locale" / "it" / "LC_MESSAGES" / "django.po"


def italian(msgid: str) -> str:
    """The Italian msgstr of a single-line msgid in the project's catalogue."""
    text = PO_FILE.read_text(encoding="utf-8")
    match = re.search(rf'^msgid "{re.escape(msgid)}"\nmsgstr "(.*)"$', text, re.MULTILINE)
    assert match and match.group(1), f"no Italian translation for {msgid!r}"
    return match.group(1)


def login(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    with page.expect_navigation():
        page.click("main form button[type=submit]")


def path_of(page, live_server) -> str:
    return page.url.removeprefix(live_server.url).split("?")[0]
