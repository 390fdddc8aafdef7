"""deploy/nginx's locations in a server of their own, run by nginx as an ordinary process on a
high port: `make prod-check` and the decision-night load of `make bench` put the same locations
file production includes in front of gunicorn, with this install's paths in place of /srv/."""

import shutil
from pathlib import Path

INSTALL_PATH = "/srv/beslutsspar/"


def locations(root: Path) -> str:
    return (root / "deploy/nginx/beslutsspar-locations.conf").read_text()


def nginx_binary() -> str | None:
    found = shutil.which("nginx") or "/usr/sbin/nginx"
    return found if Path(found).exists() else None


def write_config(*, root: Path, work: Path, web_port: int, listen_port: int) -> Path:
    """nginx.conf in `work` (with its logs and temporary files) proxying to 127.0.0.1:web_port."""
    text = locations(root)
    text = text.replace(f"{INSTALL_PATH}staticfiles/", f"{root}/staticfiles/")
    text = text.replace(f"{INSTALL_PATH}media/", f"{work}/media/")
    (work / "locations.conf").write_text(text)
    for folder in ("client", "proxy", "logs"):
        (work / folder).mkdir(exist_ok=True)
    conf = work / "nginx.conf"
    conf.write_text(f"""
worker_processes 1;
pid {work}/nginx.pid;
error_log {work}/logs/error.log;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    access_log {work}/logs/access.log;
    client_body_temp_path {work}/client;
    proxy_temp_path {work}/proxy;
    fastcgi_temp_path {work}/proxy;
    uwsgi_temp_path {work}/proxy;
    scgi_temp_path {work}/proxy;
    upstream beslutsspar_web {{ server 127.0.0.1:{web_port}; keepalive 32; }}
    server {{
        listen 127.0.0.1:{listen_port};
        server_name _;
        include {work}/locations.conf;
    }}
}}
""")
    return conf


def command(conf: Path, work: Path) -> list[str]:
    """nginx in the foreground, so the caller owns the process and stops it."""
    return [nginx_binary() or "nginx", "-c", str(conf), "-p", str(work), "-g", "daemon off;"]
