"""Production settings: refused without secrets, silent `check --deploy`, safe headers and logs."""

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "LGNET_ENV": "production",
    "SECRET_KEY": "k" * 20 + "-production-secret-key-of-fifty-plus-chars-0123456789",
    "LGNET_LINKAGE_KEY": "a-network-linkage-secret",
    "ALLOWED_HOSTS": "lgnet.example.it",
    "CSRF_TRUSTED_ORIGINS": "https://lgnet.example.it",
    # Never reached: check --deploy does not connect.
    "DATABASE_URL": "postgres://lgnet@127.0.0.1:9/lgnet",
}


def run_lgnet(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in PRODUCTION and k != "DEBUG"}
    clean.pop("DJANGO_SETTINGS_MODULE", None)
    clean.pop("LGNET_DEMO", None)
    clean["LGNET_ENV_FILE"] = ""  # a developer's .env (make run writes one) must not count
    return subprocess.run(  # noqa: S603 - our own command
        [sys.executable, "-c", "import sys; from lgnet.cli import main; sys.exit(main())", *args],
        capture_output=True,
        text=True,
        env={**clean, **env},
        cwd=ROOT,
        check=False,
        timeout=120,
    )


def test_check_deploy_is_silent_with_production_settings():
    done = run_lgnet("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout
    assert "WARNING" not in done.stderr


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"])
def test_production_refuses_to_start_without(missing):
    env = {k: v for k, v in PRODUCTION.items() if k != missing}
    done = run_lgnet("check", env=env)
    assert done.returncode == 2
    assert f"configuration error: {missing}" in done.stderr
    assert "Traceback" not in done.stderr


def test_production_refuses_debug_and_demo():
    assert "DEBUG must be off" in run_lgnet("check", env={**PRODUCTION, "DEBUG": "1"}).stderr
    assert "LGNET_DEMO" in run_lgnet("check", env={**PRODUCTION, "LGNET_DEMO": "1"}).stderr


def test_production_settings_values():
    code = (
        "from django.conf import settings as s; import json; print(json.dumps({k: getattr(s, k) "
        "for k in ['DEBUG', 'SESSION_COOKIE_SECURE', 'SESSION_COOKIE_HTTPONLY', "
        "'CSRF_COOKIE_SECURE', 'CSRF_COOKIE_HTTPONLY', 'SECURE_HSTS_SECONDS', "
        "'SECURE_SSL_REDIRECT', 'SECURE_PROXY_SSL_HEADER', 'SECURE_REFERRER_POLICY', "
        "'SECURE_CONTENT_TYPE_NOSNIFF', 'X_FRAME_OPTIONS', 'CSRF_TRUSTED_ORIGINS']}))"
    )
    done = run_lgnet("shell", "-c", code, env=PRODUCTION)
    assert done.returncode == 0, done.stderr
    values = json.loads(done.stdout.strip().splitlines()[-1])
    assert values == {
        "DEBUG": False,
        "SESSION_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "CSRF_COOKIE_SECURE": True,
        "CSRF_COOKIE_HTTPONLY": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_SSL_REDIRECT": True,
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
        "SECURE_REFERRER_POLICY": "same-origin",
        "SECURE_CONTENT_TYPE_NOSNIFF": True,
        "X_FRAME_OPTIONS": "DENY",
        "CSRF_TRUSTED_ORIGINS": ["https://lgnet.example.it"],
    }
    other_proxy = run_lgnet(
        "shell", "-c", code, env={**PRODUCTION, "LGNET_PROXY_SSL_HEADER": "X-Forwarded-Ssl-Proto"}
    )
    proxy = json.loads(other_proxy.stdout.strip().splitlines()[-1])["SECURE_PROXY_SSL_HEADER"]
    assert proxy == ["HTTP_X_FORWARDED_SSL_PROTO", "https"]


def test_pages_send_the_security_headers(client, world, login):
    login(world.user("coordinator"))
    response = client.get("/accounts/profile/")
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert "script-src 'self' 'nonce-" in response["Content-Security-Policy"]
    assert (
        "unsafe-inline"
        not in response["Content-Security-Policy"].split("script-src")[1].split(";")[0]
    )


def test_request_log_has_ids_and_never_names(client, world, login, caplog):
    person = world.a.person
    login(world.user("coordinator"))
    with caplog.at_level(logging.INFO), caplog.at_level(logging.INFO, logger="lgnet.request"):
        client.get(f"/api/v1/persons/{person.pk}?q={person.family_names}")
        client.get(f"/c/taranto/persons/{person.pk + 100000}/?q={person.given_names}")
    lines = [record.getMessage() for record in caplog.records]
    request_lines = [
        record.getMessage() for record in caplog.records if record.name == "lgnet.request"
    ]
    assert any(
        f"GET /api/v1/persons/{person.pk} 200" in line
        and f"user={world.user('coordinator').pk}" in line
        for line in request_lines
    )
    assert any(f"/persons/{person.pk + 100000}/ 404" in line for line in request_lines)
    for line in lines:
        assert person.family_names not in line
        assert person.given_names not in line
        assert "?q=" not in line
