"""The `/hephaestus` grammar: what counts as a command in a comment, and hostile input."""

from __future__ import annotations

from ghbot.commands.grammar import MAX_ARGS, MAX_COMMANDS, MAX_LINE, parse


def words(body: str) -> list[tuple[str, ...]]:
    return [c.words for c in parse(body).commands]


def test_a_command_is_a_line_starting_with_the_prefix_in_any_case():
    assert words("/hephaestus fix E501 F401") == [("fix", "E501", "F401")]
    assert words("/HEPHAESTUS Help") == [("Help",)]
    assert words("   /hephaestus\tretest  ") == [("retest",)]
    assert words("/hephaestus") == [()]  # bare prefix: the handler answers with help


def test_text_around_or_glued_to_the_prefix_is_not_a_command():
    assert words("please /hephaestus fix") == []
    assert words("/hephaestusfix") == []
    assert words("    /hephaestus fix") == []  # four spaces: an indented code block
    assert words("`/hephaestus fix` does that") == []


def test_fenced_code_blocks_and_quotes_are_skipped():
    body = "\n".join([
        "```bash", "/hephaestus fix", "```",
        "~~~~", "/hephaestus retest", "```", "still code", "~~~~",
        "> /hephaestus help", "  > quoted /hephaestus", ">/hephaestus check",
        "",  # without it the next line would continue the quote (tests/adversarial)
        "/hephaestus explain E501",
    ])  # fmt: skip
    assert words(body) == [("explain", "E501")]


def test_an_unclosed_fence_hides_the_rest_of_the_comment():
    assert words("```\n/hephaestus fix\n/hephaestus retest") == []


def test_a_fence_closes_only_with_the_same_character_and_at_least_its_length():
    assert words("````\n```\n/hephaestus fix\n````\n/hephaestus retest") == [("retest",)]
    assert words("```\n~~~\n/hephaestus fix\n```\n/hephaestus help") == [("help",)]
    # ``` followed by text is an info string, not a closing fence
    assert words("```\n``` python\n/hephaestus fix\n```\n/hephaestus help") == [("help",)]


def test_several_commands_keep_their_order_and_line_numbers():
    parsed = parse("thanks!\n/hephaestus explain F401\n\n/hephaestus fix\r\n/hephaestus retest")
    assert [(c.words[0], c.line_no) for c in parsed.commands] == [
        ("explain", 2), ("fix", 4), ("retest", 5)
    ]  # fmt: skip
    assert parsed.commands[1].line == "/hephaestus fix"


def test_double_quotes_group_words_and_apostrophes_are_text():
    assert words('/hephaestus runbook create "Disk full on runners"') == [
        ("runbook", "create", "Disk full on runners")
    ]
    assert words("/hephaestus runbook search can't connect #12") == [
        ("runbook", "search", "can't", "connect", "#12")
    ]
    assert words(r"/hephaestus ignore W605 src\re.py") == [("ignore", "W605", r"src\re.py")]


def test_an_unclosed_quote_is_reported_not_run():
    parsed = parse('/hephaestus runbook create "half\n/hephaestus help')
    assert words('/hephaestus runbook create "half\n/hephaestus help') == [("help",)]
    [problem] = parsed.problems
    assert "quote is not closed" in problem.message


def test_too_many_commands_are_reported_and_the_rest_ignored():
    parsed = parse("\n".join(["/hephaestus help"] * (MAX_COMMANDS + 3)))
    assert len(parsed.commands) == MAX_COMMANDS
    [problem] = parsed.problems
    assert f"at most {MAX_COMMANDS} commands" in problem.message


def test_overlong_lines_and_argument_floods_are_reported_not_run():
    long_line = "/hephaestus fix " + "E501 " * MAX_LINE
    flood = "/hephaestus fix " + " ".join(["E501"] * (MAX_ARGS + 3))
    parsed = parse(long_line + "\n" + flood + "\n/hephaestus help")
    assert [c.words for c in parsed.commands] == [("help",)]
    messages = [p.message for p in parsed.problems]
    assert any(f"longer than {MAX_LINE}" in m for m in messages)
    assert any(f"more than {MAX_ARGS} arguments" in m for m in messages)
    assert all(len(p.line) <= 101 for p in parsed.problems)  # quoted back, cut short


def test_hostile_bodies_are_reported_or_ignored_without_error():
    # Each is handled in one linear pass (no regex here can backtrack); what matters is the result.
    assert "quote is not closed" in parse("/hephaestus x " + '"' * 401).problems[0].message
    assert "longer than" in parse("/hephaestus " + '"' * 200_000).problems[0].message
    assert not parse("```\n" + "> /hephaestus x\n" * 20_000)
    assert "longer than" in parse("/hephaestus " + "a " * 100_000).problems[0].message
    assert not parse("\n" * 500_000)
    assert not parse(("`" * 3 + "~" * 3 + "\n") * 50_000)
    assert not parse("\x00/hephaestus help\u2028/hephaestus\u00a0help")


def test_only_the_first_64k_characters_are_read():
    assert words("x" * 70_000 + "\n/hephaestus help") == []
