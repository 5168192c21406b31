import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)


@pytest.mark.django_db
def test_pages_carry_a_strict_content_security_policy(client_as, cmg):
    response = client_as(cmg).get("/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def _templates() -> list[Path]:
    """Templates served to browsers. Print templates (``*_print.html`` or under ``print/``) are only
    rendered to PDF by WeasyPrint, which needs their <style> blocks; no browser ever loads them."""
    return [
        p
        for p in ROOT.rglob("templates/**/*.html")
        if ".venv" not in p.parts and "print" not in p.parts and not p.name.endswith("_print.html")
    ]


def test_templates_have_no_inline_scripts_handlers_or_styles():
    offenders = []
    for path in _templates():
        text = path.read_text()
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text):
            offenders.append(f"{path}: inline <script>")
        if re.search(r"\son[a-z]+\s*=", text):
            offenders.append(f"{path}: inline event handler")
        if re.search(r"\sstyle\s*=", text) or "<style" in text:
            offenders.append(f"{path}: inline style")
    assert offenders == []


PRODUCTION_VALUES = {
    "SIG_ENV": "production",
    "SIG_SECRET_KEY": "x" * 60 + "-production-secret-for-the-deploy-check",
    "SIG_AUDIT_KEY": "a" * 40 + "-production-audit-key",
    "SIG_ALLOWED_HOSTS": "sig.juntos.gob.pe",
    "SIG_SITE_URL": "https://sig.juntos.gob.pe",
    "SIG_EMAIL_HOST": "smtp.juntos.gob.pe",
}


def _readme_production_variables() -> list[str]:
    readme = (ROOT / "README.md").read_text()
    line = next(line for line in readme.splitlines() if line.startswith("Minimal production environment:"))
    return re.findall(r"`(\w+)`", line)


def _production_env(**overrides: str) -> dict[str, str]:
    """The environment of a server configured with exactly the README's minimal list: nothing
    else of ours leaks in from the test run's own environment."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SIG_") and k != "DATABASE_URL"}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    env.update({name: PRODUCTION_VALUES[name] for name in _readme_production_variables()})
    env.update(overrides)
    return env


def _check(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", "check", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_the_readme_lists_every_variable_production_requires():
    assert set(_readme_production_variables()) == set(PRODUCTION_VALUES)


def test_check_deploy_is_clean_with_exactly_the_readmes_production_variables():
    result = _check(_production_env(), "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("hosts", ["*", "sig.juntos.gob.pe,*"])
def test_production_refuses_any_host(hosts):
    result = _check(_production_env(SIG_ALLOWED_HOSTS=hosts))
    assert result.returncode != 0
    assert "SIG_ALLOWED_HOSTS" in result.stderr and "'*'" in result.stderr


@pytest.mark.parametrize("missing", ["SIG_SECRET_KEY", "SIG_AUDIT_KEY"])
def test_production_refuses_to_start_without_its_secrets(tmp_path, missing):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SIG_ENV": "production",
        "SIG_ALLOWED_HOSTS": "x.example",
        "SIG_SECRET_KEY": "s" * 60,
        "SIG_AUDIT_KEY": "a" * 60,
        "SIG_DATA_DIR": str(tmp_path),
    }
    env.pop(missing)
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert missing in result.stderr


def test_production_cookies_are_secure(tmp_path):
    code = "from django.conf import settings as s; print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS)"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SIG_ENV": "production",
        "SIG_SECRET_KEY": "y" * 60,
        "SIG_AUDIT_KEY": "z" * 60,
        "SIG_ALLOWED_HOSTS": "x.example",
        "SIG_DATA_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); " + code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.split() == ["True", "True", "31536000"], result.stderr


@pytest.mark.django_db
def test_unknown_urls_are_404_not_500(client_as, cmg):
    client = client_as(cmg)
    for url in [
        "/organizacion/unidades/999999/",
        "/normas/requisitos/999999/",
        "/auditoria/999999/",
        "/cuenta/personas/999999/",
        "/no-such-page/",
    ]:
        assert client.get(url).status_code == 404, url


@pytest.mark.django_db
def test_healthz_reports_the_database_without_login_but_not_the_engine(client, client_as, cmg):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert client_as(cmg).get("/healthz").json()["vendor"] in {"sqlite", "postgresql"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["/", "/documentos/", "/auditoria/exportar.csv", "/api/v1/units", "/cuenta/personas/revision-accesos/"]
)
def test_what_an_authenticated_person_receives_is_never_stored(client_as, oficial_si, url):
    response = client_as(oficial_si).get(url)
    assert response.status_code in {200, 404}
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"no-store", "private"} <= directives


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/cuenta/ingresar/", "/documentos/", "/api/v1/units", "/healthz"])
@pytest.mark.parametrize("method", ["TRACE", "TRACK", "CONNECT"])
def test_trace_is_refused_everywhere(client_as, cmg, url, method):
    response = client_as(cmg).generic(method, url)
    assert response.status_code == 405
    assert "TRACE" not in response["Allow"]


@pytest.mark.django_db
def test_the_api_docs_need_a_login_unless_published(client, client_as, lector, settings):
    assert client.get("/api/v1/docs").status_code == 302
    assert client.get("/api/v1/openapi.json").status_code == 401
    from core.testing import bearer, token_for

    assert client.get("/api/v1/openapi.json", **bearer(token_for(lector))).status_code == 200
    assert client_as(lector).get("/api/v1/docs").status_code == 200
    settings.SIG_PUBLIC_API_DOCS = True
    assert client.get("/api/v1/docs").status_code == 200
    assert client.get("/api/v1/openapi.json").status_code == 200


@pytest.mark.django_db
def test_unknown_api_paths_answer_json_404(client_as, cmg):
    response = client_as(cmg).get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}
