"""Renderings of an analysis: text for people, JSON for programs, workflow commands for Actions.

SARIF, for code scanning, lives with the analysers (`ghbot.engine.analysis.sarif`).
"""
