"""Hostile logs against the JS monorepo task runners' prefixes (triage's normalise): lines made
of nearly-prefixes (turbo's `pkg:task: `, pnpm's `path task: `, yarn berry's `[pkg]: `) at
every length the prefix pattern allows and past it cost about what plain lines of their size
cost, and what follows a real prefix is never read as a second one."""

from __future__ import annotations

from cost_alike import assert_costs_alike
from hostile_triage import travis_step, triaged

from ghbot.engine.triage.normalise import _TASK_PREFIX, MAX_LINE, normalise


def _log(lines: list[str]) -> bytes:
    return travis_step("pnpm -r run test", lines)


def test_near_prefixes_cost_no_more_than_plain_text() -> None:
    def log(name: str) -> bytes:
        lines = []
        for n in range(60):
            lines += [
                # turbo: a scoped name and a task as long as allowed, then no `: `
                f"@{name * 100}/{name * 100}:{name * 60}:{name * 3000} error {n}",
                f"{name * 100}:{name * 100}:{name * 100}:{name * 100}: error {n}",
                # pnpm: a path of many segments and a task, one character too long
                f"...{name * 80}/{(name + '/') * 200} {name * 61}: error {n}",
                f"{'/'.join([name * 90] * 40)} {name * 60}x error: {n}",
                # yarn berry: a bracket that never closes where it should
                f"[{name * 201}]: error {n}", f"[{name * 3000}] : error {n}",
                # and a line that is only prefixes, one after another
                f"{'web:test: ' * 400}error {n}",
            ]
        return _log(lines)

    assert_costs_alike(triaged, log(" "), log("a"))


def test_the_prefix_pattern_itself_fails_near_prefixes_in_linear_time() -> None:
    """Past the cheap test that guards it: each near-prefix shape, asked directly."""

    def shapes(name: str) -> list[str]:
        return [f"@{name * 100}/{name * 100}:{name * 60}{name * 4000}",
                f"{name * 100}:{name * 100}:{name * 3000}: x",
                f"...{name * 80}/{(name + '/') * 2000} {name * 61}: x",
                f"{(name + '/') * 2000}{name} {name}{'.' * 2000}: x",
                f"[{name * 4000}]: x", f"[{name * 200}/{name * 3000}] x"]

    def match_all(lines: list[str]) -> None:
        for _ in range(200):
            for line in lines:
                _TASK_PREFIX.match(line)

    assert_costs_alike(match_all, [" " * len(s) for s in shapes("a")], shapes("a"))


def test_only_the_first_prefix_goes_and_lines_stay_capped() -> None:
    line = "web:test: " * 1000 + "error"
    text = normalise(1, line).text
    assert text.startswith("web:test: web:test: ") and len(text) <= MAX_LINE
    assert normalise(2, "[web]: [web]: x").text == "[web]: x"
    assert normalise(3, "packages/a test: packages/a test: x").text == "packages/a test: x"
