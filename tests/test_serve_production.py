"""The production processes (`make serve`) as a person meets them, behind a TLS proxy.

CI (.ci/run) starts `make serve` with production settings on a fresh database, then runs this
module with LGNET_SERVE_URL (the gunicorn address) and LGNET_SERVE_DATABASE_URL (its database,
where the test makes a city coordinator with a TOTP device). Without LGNET_SERVE_URL these
tests are skipped, so `make test` does not need a served instance.

Between Chromium and gunicorn the test puts a small TLS-terminating proxy that sets
X-Forwarded-Proto: https, as nginx does in docs/runbooks/deployment.md: the secure cookies,
HSTS, the HTTPS redirect and the CSRF origin check then work as in production.
"""

from __future__ import annotations

import datetime as dt
import http.client
import http.server
import ipaddress
import os
import re
import secrets
import ssl
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django_otp.oath import totp

from tests.browser_support import BROWSER_LOCALE, TIMEOUT_MS

ROOT = Path(__file__).resolve().parent.parent
SERVE_URL = os.environ.get("LGNET_SERVE_URL", "").rstrip("/")
SERVE_DATABASE_URL = os.environ.get("LGNET_SERVE_DATABASE_URL", "")
CITY_SLUG = "collaudo"

served = pytest.mark.skipif(
    not SERVE_URL, reason="set LGNET_SERVE_URL to a `make serve` instance (see .ci/run)"
)

HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "content-length",
}


# -- the TLS-terminating proxy ------------------------------------------------------------


def _self_signed(directory: Path) -> tuple[Path, Path]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(hours=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]
            ),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = directory / "proxy.crt", directory / "proxy.key"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_file, key_file


def _proxy_handler(backend: str):
    upstream = urlsplit(backend)

    class Handler(http.server.BaseHTTPRequestHandler):
        def _forward(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else None
            headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
            headers["X-Forwarded-Proto"] = "https"  # LGNET_PROXY_SSL_HEADER's default
            headers["X-Forwarded-For"] = self.client_address[0]
            connection = http.client.HTTPConnection(upstream.hostname, upstream.port, timeout=60)
            try:
                connection.request(self.command, self.path, body=body, headers=headers)
                answer = connection.getresponse()
                data = answer.read()
            finally:
                connection.close()
            self.send_response_only(answer.status, answer.reason)
            for key, value in answer.getheaders():
                if key.lower() not in HOP_BY_HOP:
                    self.send_header(key, value)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Connection", "close")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)

        do_GET = do_POST = do_HEAD = do_PUT = do_PATCH = do_DELETE = _forward

        def log_message(self, format, *args):  # noqa: A002 - the base class's name
            pass

    return Handler


@pytest.fixture(scope="module")
def https_url(tmp_path_factory):
    """https://127.0.0.1:<port>, a TLS proxy in front of LGNET_SERVE_URL."""
    cert_file, key_file = _self_signed(tmp_path_factory.mktemp("tls"))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _proxy_handler(SERVE_URL))
    server.daemon_threads = True
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"https://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


# -- a city coordinator with a second factor, made in the served database -----------------

MAKE_USER = """
import os
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_scopes import scope
from lgnet.accounts.services import add_member
from lgnet.network.models import City

city, _ = City.objects.get_or_create(
    slug=os.environ["SERVE_CITY"],
    defaults={"name": "Collaudo", "istat_code": "999001", "region": "Collaudo"},
)
with scope(city=city):
    membership = add_member(
        actor=None,
        city=city,
        username=os.environ["SERVE_USERNAME"],
        role="city_coordinator",
        password=os.environ["SERVE_PASSWORD"],
    )
TOTPDevice.objects.create(
    user=membership.user, name="collaudo", key=os.environ["SERVE_TOTP_KEY"], confirmed=True
)
"""


@pytest.fixture(scope="module")
def coordinator():
    """(username, password, TOTP key) of a new city coordinator of the served instance."""
    if not SERVE_DATABASE_URL:
        pytest.fail("LGNET_SERVE_DATABASE_URL must name the served instance's database")
    account = {
        "SERVE_CITY": CITY_SLUG,
        "SERVE_USERNAME": f"collaudo.{secrets.token_hex(4)}",
        "SERVE_PASSWORD": secrets.token_urlsafe(18),
        "SERVE_TOTP_KEY": secrets.token_hex(20),
    }
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_SETTINGS_MODULE", "LGNET_DEMO", "DEBUG"}
    }
    env.update(account, LGNET_ENV="development", DATABASE_URL=SERVE_DATABASE_URL)
    done = subprocess.run(  # noqa: S603 - our own command
        [sys.executable, "-c", "import sys; from lgnet.cli import main; sys.exit(main())"]
        + ["shell", "-c", MAKE_USER],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return account["SERVE_USERNAME"], account["SERVE_PASSWORD"], account["SERVE_TOTP_KEY"]


# -- the tests ------------------------------------------------------------------------------


def _header(url: str, path: str, headers: dict[str, str]) -> http.client.HTTPResponse:
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


@served
@pytest.mark.browser
def test_plain_http_is_redirected_and_the_proxy_header_is_trusted():
    plain = _header(SERVE_URL, "/healthz", {})
    assert plain.status == 301
    assert plain.getheader("Location", "").startswith("https://")
    behind_proxy = _header(SERVE_URL, "/healthz", {"X-Forwarded-Proto": "https"})
    assert behind_proxy.status == 200
    assert "max-age=31536000" in behind_proxy.getheader("Strict-Transport-Security", "")


def _directives(policy: str) -> dict[str, list[str]]:
    out = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            out[words[0]] = words[1:]
    return out


@served
@pytest.mark.browser
def test_a_coordinator_signs_in_with_the_second_factor(browser, https_url, coordinator):
    username, password, key = coordinator
    context = browser.new_context(
        ignore_https_errors=True,  # the proxy's certificate is self-signed
        locale=BROWSER_LOCALE,
        viewport={"width": 1280, "height": 900},
    )
    context.set_default_timeout(TIMEOUT_MS)
    # Every CSP violation, reported by the page itself (init scripts are not subject to CSP).
    context.add_init_script(
        "window.__csp = []; document.addEventListener('securitypolicyviolation', e =>"
        " window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));"
    )
    page = context.new_page()
    console = []
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    static_answers = {}
    page.on(
        "response",
        lambda r: static_answers.__setitem__(r.url, r.status) if "/static/" in r.url else None,
    )
    try:
        response = page.goto(f"{https_url}/accounts/login/")
        assert response.status == 200
        headers = response.headers
        assert "max-age=31536000" in headers["strict-transport-security"]
        policy = _directives(headers["content-security-policy"])
        script_src = policy.get("script-src", policy.get("default-src"))
        assert "'self'" in script_src
        assert any(source.startswith("'nonce-") for source in script_src)
        assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
        assert policy["frame-ancestors"] == ["'none'"]

        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        with page.expect_navigation():
            page.click("main form button[type=submit]")
        assert urlsplit(page.url).path == "/accounts/otp/", page.content()[:2000]
        page.fill("input[name=otp_token]", f"{totp(bytes.fromhex(key)):06d}")
        with page.expect_navigation():
            page.click("main form button[type=submit]")
        assert urlsplit(page.url).path.startswith(f"/c/{CITY_SLUG}/"), page.url
        page.wait_for_load_state("load")

        cookies = {c["name"]: c for c in context.cookies()}
        assert cookies["sessionid"]["secure"] and cookies["sessionid"]["httpOnly"]
        assert cookies["csrftoken"]["secure"]

        # Our CSS and JS: hashed names (manifest storage), served by whitenoise with
        # far-future caching, and applied: the theme's font, htmx and Bootstrap Italia loaded.
        assets = page.eval_on_selector_all(
            "link[rel=stylesheet], script[src]", "els => els.map(e => e.href || e.src)"
        )
        assert any(a.endswith(".css") for a in assets) and any(a.endswith(".js") for a in assets)
        for asset in assets:
            assert re.search(r"\.[0-9a-f]{12}\.(css|js)$", asset), asset
            answer = context.request.get(asset)
            assert answer.status == 200, asset
            assert "immutable" in answer.headers.get("cache-control", ""), asset
        assert static_answers and all(status == 200 for status in static_answers.values()), (
            static_answers
        )
        assert "Titillium" in page.evaluate("getComputedStyle(document.body).fontFamily")
        assert page.evaluate("typeof htmx === 'object' && typeof bootstrap === 'object'")

        # A page that does not exist is a 404 page, not a server error.
        missing = page.goto(f"{https_url}/c/{CITY_SLUG}/no-such-page/")
        assert missing.status == 404

        assert page.evaluate("window.__csp") == []
        assert not [m for m in console if "Content Security Policy" in m], console
    finally:
        context.close()


# -- the command CI uses to authenticate the API fuzz run -----------------------------------


def test_issue_token_prints_a_token_of_the_users_membership(client, world):
    from io import StringIO

    out = StringIO()
    call_command("issue_token", "coordinator", "--name", "fuzz", stdout=out)
    secret = out.getvalue().strip()
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 200, response.content
    assert response.json()["username"] == "coordinator"


def test_issue_token_needs_a_membership_in_the_named_city(world):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no active membership in 'milano'"):
        call_command("issue_token", "coordinator", "--city", "milano")
    with pytest.raises(CommandError, match="No active user"):
        call_command("issue_token", "nobody")
