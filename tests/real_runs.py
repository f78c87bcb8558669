"""Where the real tool runs are: their saved logs, the labels of their cause lines, and the tool
version and command each ran with."""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT / "tests" / "triage" / "fixtures" / "real"
# name -> what bench/triage_accuracy/capture.py recorded: cause lines, span, command, ...
LABELS = json.loads((ROOT / "bench" / "triage_accuracy" / "labels.json").read_text())
# name -> the tool's version and the command (fixtures/real/sources.json, written by capture.py)
SOURCES = json.loads((REAL / "sources.json").read_text())
