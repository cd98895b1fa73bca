"""The image, the compose file and gunicorn are set up for production, and log no searches."""

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
