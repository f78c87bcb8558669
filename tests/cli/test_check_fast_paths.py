"""`check`'s shortcuts for speed change no byte of its output: the reports that show no
fingerprints are built from findings without snippets, and must read exactly as the reports
built from the complete analysis (every snippet, the engine's defaults)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from ghbot.cli import check
from ghbot.engine.analysis.run import AnalysisOptions, analyse

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "engine" / "check"))
from check_helpers import make_repo  # noqa: E402

TOKEN = "ghp_" + "Zq8Lr2Vx7Kd4Np1Tb6Wm3Hc9Jf5Gs0Ya2EuR7"
FILES: dict[str, str | bytes] = {
    "app.py": 'import subprocess\n\nimport yaml\n\n\ndef load(path, cache=None):\n'
              '    if cache == None:\n        cache = {}\n    subprocess.run("ls -l", shell=True)\n'
              '    return yaml.load(open(path, encoding="utf-8"))\n',
    "crlf.py": "import os\r\nimport sys\r\nif os == None:\r\n    pass\r\n",
    "bom.py": "\ufeffimport os\npassword = 'Zq8Lr2Vx" "7Kd4Np1Tb6Wm'\n",  # split: not ours
    "wide.py": "é = 'naïve 日本'\nimport os\nassert é\n",
    "ignored.py": "import os  # hephaestus: ignore[F401]\n"
                  "import sys  # hephaestus: ignore\nimport json\n",
    "broken.py": "def f(:\n    return 1\n",
    "net.py": "import requests\nrequests.get('https://x')\n",
    "conf/settings.ini": f"token = {TOKEN}\n",
    ".github/workflows/ci.yml": 'on: pull_request_target\njobs:\n  build:\n'
                               '    runs-on: ubuntu-latest\n    steps:\n'
                               '      - uses: actions/checkout@v4\n'
                               '      - run: echo "${{ github.event.pull_request.title }}"\n',
    "logo.png": b"\x89PNG\r\n\x1a\n\0\0\0" + bytes(range(256)),
}  # fmt: skip


@pytest.mark.parametrize(
    ("flags", "fmt", "statistics"),
    [
        ([], "text", False),
        (["--statistics"], "text", True),
        (["--format", "github"], "github", False),
    ],
)
def test_reports_without_fingerprints_read_as_the_complete_analysis(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    flags: list[str], fmt: str, statistics: bool,
) -> None:  # fmt: skip
    root = make_repo(tmp_path / "r", FILES)
    monkeypatch.chdir(root)
    assert check.main(["--fail-level", "never", "--no-progress", *flags]) == 0
    shown = capsys.readouterr().out
    complete = analyse(root, options=AnalysisOptions(codemod_fixes=False))
    assert all(f.snippet for f in complete.findings if f.source == "ruff")
    assert shown == check.render(complete, fmt, statistics=statistics)
    sources = {f.source for f in complete.findings}
    assert {"ruff", "codemod", "secrets", "workflows", "syntax"} <= sources
    silenced = [f.line for f in complete.findings if (f.path, f.rule) == ("ignored.py", "F401")]
    assert silenced == [3]  # json's import; the two commented ones are silenced
