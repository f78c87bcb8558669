"""Issue 13, item 8: `/hephaestus` lines GitHub does not show as a line of text are not commands.

Text inside `<pre>` (and the other raw HTML blocks), inside HTML comments (invisible on GitHub),
and lazy continuation lines of a `>` quote (rendered inside the quote) is someone citing or
hiding a command, never giving one.
"""

from __future__ import annotations

from ghbot.commands.grammar import parse


def words(body: str) -> list[tuple[str, ...]]:
    return [c.words for c in parse(body).commands]


def test_commands_inside_pre_and_raw_html_blocks_are_not_run():
    assert words("<pre>\n/hephaestus fix\n</pre>\n/hephaestus help") == [("help",)]
    assert words("<PRE class=x>\n/hephaestus fix\n</Pre>") == []
    assert words("see <pre>\n/hephaestus fix\n</pre>") == []  # inline, still preformatted
    assert words("<textarea>\n/hephaestus fix\n</textarea>") == []
    assert words("<script>\n/hephaestus fix\n</script>") == []
    assert words("<style>\n/hephaestus fix") == []  # never closed: the rest is hidden
    assert words("<pre>x</pre>\n/hephaestus help") == [("help",)]  # closed on its line
    assert words("<prefix>\n/hephaestus help") == [("help",)]  # another tag


def test_commands_inside_html_comments_are_not_run():
    assert words("<!--\n/hephaestus fix\n-->\n/hephaestus help") == [("help",)]
    assert words("hi <!-- hidden\n/hephaestus fix\n   -->") == []
    assert words("<!-- a --> <!--\n/hephaestus fix\n-->") == []
    assert words("<!--\n/hephaestus fix") == []  # never closed
    assert words("<!--\n-->/hephaestus fix") == []  # the closing line belongs to the comment
    assert words("<!-- note -->\n/hephaestus help") == [("help",)]
    # The visible part of a command line is what runs.
    assert words("/hephaestus ignore E501 <!-- src/secret.py -->") == [("ignore", "E501")]
    assert words("/hephaestus fix <!--\nE501\n-->") == [("fix",)]


def test_lazy_continuations_of_a_quote_are_not_run():
    assert words("> I ran\n/hephaestus fix") == []
    assert words("> I ran\nand then\n/hephaestus fix") == []
    assert words("> I ran\n\n/hephaestus help") == [("help",)]  # a blank line ends the quote
    assert words(">\n/hephaestus help") == [("help",)]  # an empty quote line has no paragraph
    assert words("  > nested > quote\n/hephaestus fix\n\n/hephaestus help") == [("help",)]


def test_hidden_blocks_stay_linear_on_hostile_bodies():
    assert not parse("<!--" * 20_000 + "\n/hephaestus fix")
    assert not parse("<pre>\n" + "/hephaestus fix\n" * 20_000)
    assert not parse("> q\n" + "/hephaestus fix\n" * 20_000)
    assert words("<!-- -->" * 5_000 + "\n/hephaestus help") == [("help",)]
