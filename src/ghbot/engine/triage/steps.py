"""Step structure of CI logs: where each step starts, which steps failed, and their line ranges.

Every major CI provider marks the start of a step and says when one failed, each in its own
words. `normalise` turns the starts into `Kind.STEP` lines (Actions groups, Travis folds and
`$ command` lines, GitLab sections, Azure sections, Jenkins stages, Buildkite headers); this
module recognises the failure lines and turns both into the line ranges of the failing steps,
inside which candidates outrank everything else (the provider's preamble and epilogue, such as
machine information, cache uploads and `after_failure` output, fall outside them).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

from ghbot.engine.triage.normalise import Kind, Line

# A step ended with a failure. `cmd` names the command when the provider repeats it (Travis).
STEP_FAILED = re.compile(
    r"^(?:"
    # Travis (`failed. Retrying` is not final); a multi-line command ends its last line with `"`.
    r"(?:The command \"(?P<cmd>.{0,2000})|.{0,2000})\" (?:exited with -?[1-9]\d{0,3}\.?"
    r"|failed(?: \d+ times)?\.?|failed and exited with -?[1-9]\d{0,3}.{0,80})$"
    r"|(?:Error: )?Process completed with exit code -?[1-9]"  # GitHub Actions
    r"|ERROR: Job failed"  # GitLab
    r"|.{0,200}\bscript returned exit code -?[1-9]"  # Jenkins
    r"|Exited with code (?:exit status )?-?[1-9]"  # CircleCI
    r"|(?:\W{1,4} )?Error: The command exited with status -?[1-9]"  # Buildkite
    r"|(?:Bash|PowerShell|Cmd|\w{1,40}) exited with code '-?[1-9]\d{0,3}'\.?$"  # Azure Pipelines
    r")"
)


def says_step_failed(text: str) -> bool:
    """STEP_FAILED's answer, asked only of lines that hold one of its words (most do not, and
    its `.{0,2000}"` costs a scan of the line)."""
    return ("xit" in text or '" failed' in text or "Job failed" in text) and (
        STEP_FAILED.match(text) is not None
    )


def inside_step(lines: Sequence[Line], index: int, first: int, last: int) -> tuple[int, int]:
    """`first` and `last` moved in to the step of line `index`: an excerpt never reaches over
    a step's header into the step before, nor over the line that ends the step (its exit line,
    the runner's error annotation, the next step's header) into what follows. An exit line
    whose code says that a signal killed the step (128 + N: 137 is SIGKILL, the kernel's OOM
    killer) is the excerpt's last line; one that only says that it failed is left out."""
    for probe in range(index - 1, first - 1, -1):
        if lines[probe].kind is Kind.STEP:
            first = probe + 1
            break
    for probe in range(index + 1, last + 1):
        line = lines[probe]
        exit_line = says_step_failed(line.text)
        if line.kind is Kind.STEP or exit_line or line.kind is Kind.ERROR:
            telling = _EXIT_CODE.search(line.text) if exit_line else None
            signal = int(telling.group(1)) - 128 if telling else 0
            last = probe if 0 < signal < SIGNALS else probe - 1
            break
    return first, last


SIGNALS = 32  # exit codes 129 .. 159 say that signal 1 .. 31 killed the process
_EXIT_CODE = re.compile(r"(?:exit code|exited with|script returned exit code) (\d{1,4})\b")


# Steps the provider runs before the job's own: machine and image information, the runner
# setting itself up. Their text (sudo's help, kernel flags) is never a cause.
PREAMBLE = re.compile(
    r"(?i)^(?:worker_info|system_info|Worker information|Build system information|Set up job"
    r"|prepare_executor|prepare_script|Preparing (?:the|environment)|Initialize job)"
)


def is_preamble(step: str | None) -> bool:
    return step is not None and PREAMBLE.match(step) is not None


@dataclass(frozen=True, slots=True)
class StepFailure:
    """A line saying a step failed: its log, its line number and the command it names, if any."""

    log: str | None
    line: int
    command: str | None


@dataclass(frozen=True, slots=True)
class FailingStep:
    log: str | None
    name: str | None
    start: int  # first line of the step (its header), 1 when the log has no step headers
    end: int  # last line of the step
    failed_at: int  # the line that says it failed


@dataclass(frozen=True, slots=True)
class StepIndex:
    """The step headers of one log, in line order."""

    starts: Sequence[int]
    names: Sequence[str]
    default: str | None = None  # the step of a per-step file of a run-logs zip

    def at(self, line: int) -> int:
        """Index of the step holding `line`, -1 before the first header."""
        return bisect.bisect_right(self.starts, line) - 1

    def name_at(self, line: int) -> str | None:
        if self.default is not None:
            return self.default
        position = self.at(line)
        return self.names[position] if position >= 0 else None

    def failing(self, failure: StepFailure, total_lines: int) -> FailingStep:
        position = self.at(failure.line)
        if failure.command is not None:
            # Travis repeats the command: the step is its `$ command` line (tools it runs, yarn
            # for one, print `$ subcommand` lines of their own inside it).
            wanted = failure.command.strip()
            for probe in range(position, max(-1, position - 200), -1):
                if self.names[probe].strip() == wanted:
                    position = probe
                    break
        following = bisect.bisect_right(self.starts, failure.line)
        end = self.starts[following] - 1 if following < len(self.starts) else total_lines
        if position < 0:
            return FailingStep(failure.log, self.default, 1, max(end, failure.line), failure.line)
        return FailingStep(
            failure.log, self.default or self.names[position], self.starts[position],
            max(end, failure.line), failure.line,
        )  # fmt: skip


def command_of(text: str) -> str | None:
    """The command a Travis failure line names, or None."""
    found = STEP_FAILED.match(text)
    return found.group("cmd") if found else None
