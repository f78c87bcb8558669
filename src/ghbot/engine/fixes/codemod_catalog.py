"""Who the codemods are, without LibCST: id, name, how safe their fix is, and the ruff rules that
detect the same problem. `check` reads this alone (importing LibCST costs half a second, more
than ruff takes on a large tree); the codemod classes take their identity from it.
"""

from __future__ import annotations

from dataclasses import dataclass

from ghbot.engine.models import Applicability, Finding, Severity

SOURCE = "codemod"  # Finding.source of every codemod finding; also a --select name


@dataclass(frozen=True, slots=True)
class CodemodInfo:
    id: str
    name: str
    applicability: Applicability
    # Ruff rules finding the same problem: a codemod finding replaces theirs on the same lines,
    # and they serve as probes so LibCST parses only files where ruff saw the problem.
    ruff_rules: tuple[str, ...]
    severity: Severity = Severity.WARNING
    # (ruff rule, text its message must hold): where the codemod's problem is narrower than the
    # rule's, the hits outside it stay ruff's findings and cost no LibCST parse.
    narrowed: tuple[tuple[str, str], ...] = ()
    # Set for a codemod whose ruff rule is preview-only: a separate ruff run with preview on,
    # over just the files holding this text, detects it (the repository's own rules must not
    # change behaviour under preview).
    preview_trigger: str = ""
    # What `explain`, SARIF and the README say: a one-line summary, a blank line, why and when
    # the fix is safe. Here, not in the LibCST class, so describing a rule never imports LibCST.
    doc: str = ""

    def detects(self, hit: Finding) -> bool:
        """True when ruff's `hit` (one of `ruff_rules`) may be this codemod's problem."""
        return all(hit.rule != rule or text in hit.message for rule, text in self.narrowed)


CATALOG: dict[str, CodemodInfo] = {
    info.id: info
    for info in (
        CodemodInfo(
            "HEP101",
            "yaml-unsafe-load",
            "safe",
            ("S506",),
            doc=(
                "`yaml.load` (and friends) without a safe Loader -> `yaml.safe_load` / "
                "`SafeLoader`.\n\n"
                "PyYAML's full and unsafe loaders construct Python objects named in the document,"
                " so loading untrusted YAML can run code. With no Loader at all, PyYAML 6 raises "
                "TypeError and 5.x warns and uses FullLoader, so `safe_load` is the fix the "
                "author most likely meant: safe. Where the author named an unsafe loader (or "
                "called `unsafe_load`/`full_load`), they may rely on Python tags, so swapping in "
                "the safe loader is only offered as a suggestion."
            ),
        ),
        CodemodInfo(
            "HEP102",
            "none-comparison",
            "safe",
            ("E711",),
            doc=(
                "`x == None` / `x != None` -> `x is None` / `x is not None`.\n\n"
                "None is a singleton, and `==` calls the left operand's `__eq__`, which may say "
                "anything. Safe where the result is only tested for truth (`if`, `while`, "
                "`assert`, `and`/`or`/`not` there); elsewhere, e.g. `query.filter(Model.field == "
                "None)` in SQLAlchemy, `__eq__` is overloaded on purpose, so the rewrite is "
                "offered as a suggestion only."
            ),
        ),
        CodemodInfo(
            "HEP103",
            "mutable-default-argument",
            "unsafe",
            ("B006",),
            doc=(
                "A list/dict/set default argument -> `None`, created afresh at the top of the "
                "body.\n\n"
                "The default is evaluated once, when `def` runs, so every call shares (and "
                "mutates) the same object. The rewrite changes what a caller passing `None` "
                "explicitly gets, and code may rely on the shared object as a cache, so it is a "
                "suggestion, not an automatic fix."
            ),
        ),
        CodemodInfo(
            "HEP104",
            "bare-except",
            "unsafe",
            ("E722",),
            doc=(
                "`except:` -> `except Exception:` (or `except BaseException:` when the handler "
                "re-raises).\n\n"
                "A bare `except:` also catches KeyboardInterrupt and SystemExit, so Ctrl-C and "
                "`sys.exit()` get swallowed. Narrowing to Exception changes exactly that, which "
                "the author may rely on, so it is a suggestion. A handler that re-raises "
                "(cleanup, then `raise`) keeps its behaviour with `except BaseException:`, which "
                "only says explicitly what it catches: that rewrite is safe."
            ),
        ),
        # PLW1514 also flags Path.read_text() and friends: the codemod fixes calls of open().
        CodemodInfo(
            "HEP105",
            "open-without-encoding",
            "unsafe",
            ("PLW1514",),
            doc=(
                '`open()` in text mode without `encoding=` -> `encoding="utf-8"` added.\n\n'
                "Without it the locale's encoding is used: UTF-8 on most Linux and macOS "
                "machines, cp1252 on many Windows ones, so the same file reads differently per "
                "machine (PEP 597). Pinning UTF-8 is what the author nearly always means, but a "
                "script reading files written in the platform's encoding would change behaviour, "
                "so this is a suggestion only."
            ),
            narrowed=(("PLW1514", "`open` in text mode"),),
            preview_trigger="open(",
        ),
        CodemodInfo(
            "HEP106",
            "request-without-timeout",
            "unsafe",
            ("S113",),
            doc=(
                "`requests.*` calls without `timeout=`, `httpx.*` with `timeout=None` -> a 30 s "
                "timeout.\n\n"
                "requests waits forever by default, so one stalled server hangs the program. "
                "httpx has a 5 s default, which `timeout=None` switches off. Any timeout can cut "
                "short a slow but legitimate transfer, so the fix is a suggestion: the author "
                "should pick the number."
            ),
        ),
        # ruff says "seems safe" for a literal command, the only kind the codemod rewrites.
        CodemodInfo(
            "HEP107",
            "subprocess-shell-constant",
            "safe",
            ("S602", "S604"),
            doc=(
                '`subprocess.run("cmd args", shell=True)` -> '
                '`subprocess.run(["cmd", "args"])`.\n\n'
                "With `shell=True` the string goes through `/bin/sh`, the usual road to command "
                "injection once someone later formats a variable into it. A constant command with"
                " no shell syntax (no pipes, redirections, variables, globs, escapes; not a shell"
                " builtin) means the same as its `shlex.split` list, so the rewrite is safe. One "
                "difference: a missing program raises FileNotFoundError instead of returning exit"
                " status 127; both are a failure."
            ),
            narrowed=(("S602", "seems safe"),),
        ),
        CodemodInfo(
            "HEP108",
            "tempfile-mktemp",
            "unsafe",
            ("S306",),
            doc=(
                "`name = tempfile.mktemp(...)` -> `fd, name = tempfile.mkstemp(...)` then "
                "`os.close(fd)`.\n\n"
                "`mktemp` only returns a name; between that and the file's creation another "
                "process can create it (or a symlink) first. `mkstemp` creates the file "
                "atomically and takes the same leading arguments (suffix, prefix, dir). The file "
                "now exists, which breaks code that expects to create it (or a directory) at that"
                " name itself, so the fix is a suggestion. Only a plain assignment is rewritten; "
                "other uses are left to the author (ruff's S306 reports them)."
            ),
        ),
        CodemodInfo(
            "HEP109",
            "datetime-utcnow",
            "unsafe",
            ("DTZ003", "DTZ004"),
            doc=(
                "`datetime.utcnow()` -> `datetime.now(timezone.utc)`; same for "
                "`utcfromtimestamp(ts)`.\n\n"
                "The `utc*` constructors return naive datetimes that many APIs then take for "
                "local time; they are deprecated since Python 3.12. The replacement returns an "
                "*aware* datetime, and comparing or subtracting aware and naive datetimes raises "
                "TypeError, so it is a suggestion only."
            ),
        ),
    )
}

# ruff rule -> the codemod that owns its problem
BY_RUFF_RULE: dict[str, CodemodInfo] = {
    rule: info for info in CATALOG.values() for rule in info.ruff_rules
}
# The stable rules among them: added to the main ruff run, so detection costs no second pass.
STABLE_PROBES: tuple[str, ...] = tuple(
    sorted(rule for rule, info in BY_RUFF_RULE.items() if not info.preview_trigger)
)
PREVIEW_PROBES: tuple[CodemodInfo, ...] = tuple(i for i in CATALOG.values() if i.preview_trigger)


def safe_fix_expected(finding: Finding) -> bool:
    """True when `finding` has a safe fix, or is a codemod finding whose fix was not computed
    (ruff's detection alone) and whose codemod's fixes are safe. What the check run's "Apply
    fixes" button goes by, so no LibCST runs for findings nobody sees; the fix run computes the
    edits and says so if a site turns out to need a human."""
    if finding.fix is not None:
        return finding.fix.applicability == "safe"
    info = CATALOG.get(finding.rule)
    return finding.source == SOURCE and info is not None and info.applicability == "safe"
