"""Every rule the engine can report, and how `--select`/`--ignore` name them.

Rule ids come in two shapes:
  codes      ruff's (`F401`, `S602`) and the codemods' (`HEP104`): letters then digits
  paths      ours, `family/name`: `syntax/...`, `secrets/...`, `workflow/...`
A selector matches a code by its letters exactly and a prefix of its digits (`S` selects
`S602` but not `SIM101`, as in ruff); a path by whole segments (`secrets` selects
`secrets/aws-access-key`). `ALL` selects everything.

`python -m ghbot.engine.analysis.rules --markdown` prints the README's rule table.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache

from ghbot.engine.fixes.codemod_catalog import CATALOG as CODEMOD_CATALOG
from ghbot.engine.models import Severity

RUFF_DOCS = "https://docs.astral.sh/ruff/rules/"


def _split_code(code: str) -> tuple[str, str] | None:
    letters = code.rstrip("0123456789")
    digits = code[len(letters) :]
    if letters.isalpha() and letters.isupper():
        return letters, digits
    return None


def selector_matches(selector: str, rule: str) -> bool:
    if selector in {"ALL", rule}:
        return True
    selector = selector.rstrip("/")
    if "/" in rule or "/" in selector:
        return rule.startswith(selector + "/")
    wanted, have = _split_code(selector), _split_code(rule)
    if wanted is None or have is None:
        return False
    return wanted[0] == have[0] and have[1].startswith(wanted[1])


def _hits(selector: str, rule: str, source: str) -> bool:
    if selector == source or selector_matches(selector, rule):
        return True
    # A codemod's finding has one id (HEP1xx) whatever the selection; the ruff rules that detect
    # the same problem select or ignore it too, so `--select S` still shows HEP106 (ruff's S113).
    info = CODEMOD_CATALOG.get(rule)
    return info is not None and any(selector_matches(selector, code) for code in info.ruff_rules)


@dataclass(frozen=True, slots=True)
class Selection:
    """`--select`/`--ignore`: empty select means everything; ignore wins over select. Besides rule
    ids and prefixes, a selector may name an analyser: `ruff`, `syntax`, `secrets`, `codemod`."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()

    def wants(self, rule: str, source: str = "") -> bool:
        if self.select and not any(_hits(s, rule, source) for s in self.select):
            return False
        return not any(_hits(s, rule, source) for s in self.ignore)

    def may_want(self, family: str, source: str) -> bool:
        """Could any rule `family/...` of `source` be selected? Lets an analyser be skipped."""

        def about(selector: str) -> bool:
            selector = selector.rstrip("/")
            return selector in {"ALL", family, source} or selector.startswith(family + "/")

        if self.select and not any(about(s) for s in self.select):
            return False
        return not any(s.rstrip("/") in {family, source} for s in self.ignore)

    def ruff_codes(self) -> tuple[str, ...]:
        """Selected code-shaped selectors, so ruff also runs rules outside its defaults (not
        ours: ruff would refuse `HEP104`, and the codemods' probes are added anyway)."""
        return tuple(s for s in self.select if _split_code(s) not in (None, ("HEP", s[3:])))


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    name: str
    summary: str
    source: str  # syntax, ruff, secrets, workflows, codemod
    severity: Severity
    help_uri: str = ""
    explanation: str = ""  # markdown, longer than summary
    tags: tuple[str, ...] = field(default=())
    security_severity: float | None = None  # GitHub's 0.0-10.0 scale, for security rules


@cache
def ruff_rules() -> dict[str, Rule]:
    """Ruff's stable rules, as `ruff rule --all` describes them, keyed by code."""
    from ghbot.engine.analysis.lint import list_rules, ruff_severity, security_severity

    rules: dict[str, Rule] = {}
    for raw in list_rules():
        code = str(raw.get("code", ""))
        if not code or raw.get("preview"):
            continue
        name = str(raw.get("name", code))
        is_security = code.startswith("S") and _split_code(code) == ("S", code[1:])
        rules[code] = Rule(
            id=code,
            name=name,
            summary=str(raw.get("summary") or name).replace("{", "").replace("}", ""),
            source="ruff",
            severity=ruff_severity(code),
            help_uri=RUFF_DOCS + name,
            explanation=str(raw.get("explanation") or ""),
            tags=("security",) if is_security else (str(raw.get("linter", "ruff")).lower(),),
            security_severity=security_severity(code) if is_security else None,
        )
    return rules


# workflows.py keeps its rules in its docstring; a test checks each id here is documented there.
WORKFLOW_RULES = (
    ("script-injection", Severity.ERROR,
     "`${{ github.event.* }}` text an outsider controls expanded inside `run:` or a script"),
    ("untrusted-checkout", Severity.ERROR,
     "`pull_request_target`/`workflow_run` workflow checking out the pull request's head"),
    ("unpinned-action", Severity.WARNING,
     "`uses:` an action by tag or branch instead of a full commit sha"),
    ("excessive-permissions", Severity.ERROR,
     "`write-all`, write access under privileged triggers, or no `permissions:` at all"),
    ("invalid-yaml", Severity.ERROR, "the workflow or action file is not YAML or not a mapping"),
)  # fmt: skip


def own_rules() -> list[Rule]:
    """The rules written for this project, from each analyser's own registry."""
    from ghbot.engine.analysis.secrets_rules import load_secret_rules
    from ghbot.engine.analysis.syntax import RULES as SYNTAX_RULES

    rules = [
        Rule(id=rule_id, name=rule_id.partition("/")[2], summary=summary, source="syntax",
             severity=Severity.ERROR, tags=("correctness",))
        for rule_id, summary in SYNTAX_RULES.items()
    ]  # fmt: skip
    rules += [
        Rule(
            id=rule.rule_id,
            name=rule.id,
            summary=rule.description,
            source="secrets",
            severity=rule.severity,
            tags=("security", "secrets"),
            security_severity=8.5 if rule.severity is Severity.ERROR else 5.0,
        )
        for rule in load_secret_rules().rules
        if "scan" in rule.scopes
    ]
    rules += [
        Rule(id=f"workflow/{name}", name=name, summary=summary, source="workflows",
             severity=severity, tags=("security", "github-actions"),
             security_severity=8.0 if severity is Severity.ERROR else 5.0)
        for name, severity, summary in WORKFLOW_RULES
    ]  # fmt: skip
    for codemod in CODEMOD_CATALOG.values():
        first, _, rest = codemod.doc.partition("\n\n")
        rules.append(
            Rule(id=codemod.id, name=codemod.name, summary=first, source="codemod",
                 severity=codemod.severity, explanation=rest,
                 tags=("fixable", codemod.applicability))
        )  # fmt: skip
    return sorted(rules, key=lambda rule: rule.id)


@cache
def catalog() -> dict[str, Rule]:
    rules = dict(ruff_rules())
    rules.update((rule.id, rule) for rule in own_rules())
    return rules


def describe(rule_id: str, source: str = "", severity: Severity = Severity.WARNING) -> Rule:
    """The catalog entry for a rule, or a minimal one for an id the catalog does not know."""
    known = catalog().get(rule_id)
    if known is not None:
        return known
    return Rule(id=rule_id, name=rule_id, summary=rule_id, source=source, severity=severity)


# Names a selector may use besides rule ids: the analysers, and the families of our path ids.
ANALYSERS = ("ruff", "syntax", "secrets", "workflows", "codemod", "workflow", "analysis")


def unknown_selectors(selectors: Iterable[str], names: Iterable[str] = ()) -> list[str]:
    """One message per selector that names no rule this engine or ruff knows (nor a prefix of
    one, nor an analyser, nor one of `names`), with the closest known ids."""
    import difflib  # here: only checking selectors needs it, and every check imports this module

    from ghbot.engine.analysis.lint import list_rules

    known = {str(raw.get("code", "")) for raw in list_rules()} | set(catalog())
    known.discard("")
    words = {*ANALYSERS, *names, "ALL"}
    problems = []
    for selector in dict.fromkeys(selectors):
        bare = selector.rstrip("/")
        if bare in words or any(rule.startswith(bare) for rule in known):
            continue
        close = difflib.get_close_matches(selector, sorted(known | words), n=3, cutoff=0.5)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        problems.append(f"unknown rule {selector!r}{hint}")
    return problems


DEFAULT_RUFF_FAMILIES = (
    ("defaults", "ruff's own default rule set, or the repository's ruff configuration"),
    ("S", "flake8-bandit security checks, always added (a repository's ignores still win)"),
)


def _escape_cell(text: str) -> str:
    return " ".join(text.replace("|", "\\|").split())


def markdown_table(rules: Iterable[Rule] | None = None) -> str:
    """Our rules in full, ruff's default families summarised with a link to ruff's docs."""
    rows = [
        "| rule | severity | what it finds |",
        "| --- | --- | --- |",
    ]
    for rule in rules if rules is not None else own_rules():
        rows.append(f"| `{rule.id}` | {rule.severity.value} | {_escape_cell(rule.summary)} |")
    for codes, summary in DEFAULT_RUFF_FAMILIES:
        rows.append(f"| ruff `{codes}` | by rule | {summary}; see [ruff's rules]({RUFF_DOCS}) |")
    return "\n".join(rows) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ghbot.engine.analysis.rules")
    parser.add_argument("--markdown", action="store_true", help="print the README rule table")
    args = parser.parse_args(argv)
    if args.markdown:
        sys.stdout.write(markdown_table())
    else:
        for rule in sorted(catalog().values(), key=lambda r: r.id):
            sys.stdout.write(f"{rule.id}\t{rule.severity.value}\t{rule.summary}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
