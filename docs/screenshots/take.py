"""Take the README screenshots from a running demo server.

    LGNET_DEMO=1 .venv/bin/python manage.py seed_demo
    LGNET_DEMO=1 .venv/bin/python manage.py runserver 127.0.0.1:8765
    .venv/bin/python docs/screenshots/take.py [http://127.0.0.1:8765]

Writes login.png, city-home.png, network-home.png and phone-city-home.png next to this file.
"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

BASE_URL = (sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8765").rstrip("/")
OUT = Path(__file__).resolve().parent
PASSWORD = "demo-lgnet"  # noqa: S105 - the documented demo password
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"viewport": {"width": 1280, "height": 800}}
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}


def login(page, username: str) -> None:
    page.goto(f"{BASE_URL}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("main form button[type=submit]")


def shoot(browser, name: str, path: str, username: str | None = None, **context) -> None:
    ctx = browser.new_context(locale="it-IT", **(context or DESKTOP))
    page = ctx.new_page()
    if username:
        login(page, username)
    page.goto(f"{BASE_URL}{path}")
    page.wait_for_load_state("networkidle")
    page.evaluate("document.fonts.ready")
    page.screenshot(path=str(OUT / name), full_page=True)
    ctx.close()
    print(f"{name}: {path}" + (f" as {username}" if username else ""))


def main() -> None:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        shoot(browser, "login.png", "/accounts/login/")
        shoot(browser, "city-home.png", "/c/taranto/", "taranto.coordinatore")
        shoot(browser, "network-home.png", "/rete/", "rete")
        shoot(browser, "phone-city-home.png", "/c/taranto/", "taranto.operatore", **PHONE)
        browser.close()


if __name__ == "__main__":
    main()
