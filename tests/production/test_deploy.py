"""deploy/ agrees with the settings: every setting is listed in .env.example, the nginx site
sets the header CLIENT_IP_HEADER names, and systemd, the Procfile and compose run the same
processes. (`make prod-check` runs them; this keeps them from drifting apart.)"""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
READ = re.compile(
    r"""(?:os\.environ(?:\.get)?[\(\[]\s*|env_(?:bool|list)\(\s*)"([A-Z][A-Z0-9_]+)\""""
)


def _documented() -> dict[str, str]:
    names = {}
    for line in (ROOT / ".env.example").read_text().splitlines():
        match = re.match(r"#?\s*([A-Z][A-Z0-9_]+)=(.*)", line)
        if match:
            names[match.group(1)] = match.group(2)
    return names


def test_env_example_lists_every_setting_read_from_the_environment():
    sources = [*(ROOT / "cms/settings").glob("*.py"), DEPLOY / "gunicorn.conf.py"]
    read = {name for path in sources for name in READ.findall(path.read_text())}
    read |= {"DATABASE_URL"}  # dj_database_url.config()
    read -= {"DJANGO_SETTINGS_MODULE"}
    assert read, "the pattern found no setting"
    missing = sorted(read - set(_documented()))
    assert not missing, f".env.example does not list {missing}"


def test_nginx_sets_the_client_ip_header_the_settings_read():
    header = _documented()["CLIENT_IP_HEADER"]  # HTTP_X_REAL_IP
    sent = header.removeprefix("HTTP_").replace("_", "-").lower()
    locations = (DEPLOY / "nginx/beslutsspar-locations.conf").read_text().lower()
    assert f"proxy_set_header {sent} $remote_addr;" in locations
    assert "proxy_set_header x-forwarded-proto $scheme;" in locations
    assert "client_max_body_size" in locations
    assert (
        "include snippets/beslutsspar-locations.conf;"
        in (DEPLOY / "nginx/beslutsspar.conf").read_text()
    )


def _procfile() -> dict[str, str]:
    lines = (DEPLOY / "Procfile").read_text().splitlines()
    return dict(line.split(": ", 1) for line in lines if line and not line.startswith("#"))


def test_procfile_systemd_and_compose_run_the_same_three_processes():
    procfile = _procfile()
    assert set(procfile) == {"web", "worker", "beat"}
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())["services"]
    assert {"web", "worker", "beat", "db", "redis"} <= set(compose)
    for name, command in procfile.items():
        program = command.split()[0]
        unit = (DEPLOY / f"systemd/beslutsspar-{name}.service").read_text()
        start = re.search(r"^ExecStart=\S+/" + program + r" (.*)$", unit, re.M)
        assert start, f"{name}: the unit runs {program}"
        fixed = [part for part in command.split()[1:] if "$" not in part]
        assert all(part in start.group(1).split() for part in fixed), (name, start.group(1))
        if name != "web":
            assert compose[name]["command"].split()[:4] == command.split()[:4]
