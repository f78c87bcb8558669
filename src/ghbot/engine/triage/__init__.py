"""CI failure triage: stream a log, find the lines that say why it failed, rank and explain them.

Pipeline: `scan` reads the raw bytes in large chunks and finds trigger lines with one RE2
prefilter; `normalise` cleans the few lines around each hit; `extractors` and `rules` turn them
into candidates; `cluster` masks variables into templates and fingerprints; `rank` orders them
(first real error of the failing step first) and falls back to anomalous tail lines.
"""

from ghbot.engine.triage.engine import triage_stream
from ghbot.engine.triage.model import Excerpt, Failure, TriageReport

__all__ = ["Excerpt", "Failure", "TriageReport", "triage_stream"]
