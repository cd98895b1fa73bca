"""The image, the compose file and gunicorn are set up for production, and log no searches."""

import json
import re
import runpy
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import yaml
from gunicorn.config import Config
from gunicorn.glogging import Logger

BASE_DIR = Path(__file__).resolve().parents[2]


def test_access_log_lines_carry_no_query_string_and_no_referrer():
    conf = runpy.run_path(str(BASE_DIR / "gunicorn.conf.py"))
    logger = Logger(Config())
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": "/candidates/?q=ada%40example.org",
        "PATH_INFO": "/candidates/",
        "QUERY_STRING": "q=ada%40example.org",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "10.0.0.2",
        "HTTP_REFERER": "https://rfs.example.org/candidates/?q=lovelace",
        "HTTP_USER_AGENT": "Browser/1.0",
    }
    response = SimpleNamespace(status="200 OK", sent=512, headers=[])
    atoms = logger.atoms(response, SimpleNamespace(headers=[]), environ, timedelta(0, 0, 1500))
    line = conf["access_log_format"] % atoms
    assert '"GET /candidates/ HTTP/1.1" 200 512' in line
    assert "ada" not in line and "lovelace" not in line and "q=" not in line


def test_gunicorn_runs_with_that_configuration_everywhere():
    dockerfile = (BASE_DIR / "Dockerfile").read_text()
    compose = yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())
    assert "--config" in dockerfile.splitlines()[-1] and "gunicorn.conf.py" in dockerfile
    assert "--config gunicorn.conf.py" in compose["services"]["web"]["command"]


def test_the_image_and_the_compose_file_default_to_production():
    dockerfile = (BASE_DIR / "Dockerfile").read_text()
    assert re.search(r"^ENV .*\bDJANGO_ENV=production\b", dockerfile, re.MULTILINE)
    compose = yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())
    for name in ("web", "worker", "beat"):
        environment = compose["services"][name]["environment"]
        assert environment["DJANGO_ENV"] == "production"
        assert "console" not in environment.get("EMAIL_BACKEND", "")


def test_the_image_installs_no_test_only_front_end_package():
    dockerfile = (BASE_DIR / "Dockerfile").read_text()
    installs = [line for line in dockerfile.splitlines() if "npm ci" in line]
    assert installs and all("--omit=dev" in line for line in installs)
    package = json.loads((BASE_DIR / "package.json").read_text())
    lock = json.loads((BASE_DIR / "package-lock.json").read_text())
    # axe-core runs only inside the browser tests: locked, but as a devDependency.
    assert "axe-core" in package["devDependencies"]
    assert "axe-core" not in package.get("dependencies", {})
    assert lock["packages"]["node_modules/axe-core"]["dev"] is True
