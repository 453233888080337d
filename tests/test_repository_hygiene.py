"""No secret or credential is in the repository: the system reads local files only."""

import re
import subprocess

from tests.conftest import REPO

SECRET_PATTERNS = [
    re.compile(r"-----BEGIN (RSA |EC |OPENSSH |)PRIVATE KEY-----"),
    re.compile(r"AKIA[0-9A-Z]{16}"),  # AWS access key id
    re.compile(r"(?i)(password|passwd|secret|api[_-]?key|token)\s*[:=]\s*['\"][^'\"]{6,}['\"]"),
    re.compile(r"ghp_[0-9A-Za-z]{30,}"),  # GitHub token
]


def tracked_files() -> list[str]:
    out = subprocess.run(["git", "ls-files"], cwd=REPO, capture_output=True, text=True, check=True)
    return [f for f in out.stdout.splitlines() if not f.endswith((".geojson", ".png", ".pdf"))]


def test_no_secret_in_tracked_files():
    hits = []
    for name in tracked_files():
        try:
            text = (REPO / name).read_text(encoding="utf-8")
        except (UnicodeDecodeError, FileNotFoundError):
            continue
        hits += [f"{name}: {p.pattern}" for p in SECRET_PATTERNS if p.search(text)]
    assert hits == []


def test_the_detector_finds_a_planted_secret():
    # Assembled at run time, so this file itself holds no literal that looks like a secret.
    planted = "api_" + "key = " + '"abcd1234efgh"'
    assert any(p.search(planted) for p in SECRET_PATTERNS)
