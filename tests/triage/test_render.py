from ghbot.engine.render import details, escape_inline, fence, truncate_lines, truncate_middle
from ghbot.engine.triage.cluster import NORMALISER_VERSION, fingerprint, template


def test_fence_survives_backticks_in_the_text() -> None:
    assert fence("a ``` b").startswith("````\n") and fence("a ``` b").endswith("\n````")
    assert fence("x", "python") == "```python\nx\n```"


def test_truncate_middle_keeps_head_and_tail_within_the_limit() -> None:
    text = "HEAD" + "x" * 100_000 + "TAIL"
    cut = truncate_middle(text, 1000)
    assert len(cut) <= 1000 and cut.startswith("HEAD") and cut.endswith("TAIL")
    assert "characters omitted" in cut
    assert truncate_middle("short", 10) == "short"


def test_truncate_lines_and_details() -> None:
    text = "\n".join(str(i) for i in range(100))
    cut = truncate_lines(text, 10).split("\n")
    assert len(cut) == 10 and cut[0] == "0" and cut[-1] == "99" and "omitted" in cut[5]
    assert details("<b>x</b>", "body").startswith("<details>\n<summary>&lt;b&gt;")
    assert escape_inline("a_b *c*") == "a\\_b \\*c\\*"


def test_templates_mask_what_varies_between_runs() -> None:
    one = template("/home/runner/work/a/b/x.py:12: took 3.2s at 0x7ffe1234 id 9f8e7d6c5b4a")
    two = template("/tmp/build/x.py:99: took 10s at 0xdeadbeef id 0a1b2c3d4e5f")
    assert one == two
    assert fingerprint("gcc", "compile", "a.c:3: error: x") == fingerprint(
        "gcc", "compile", "a.c:40: error: x")
    assert fingerprint("gcc", "compile", "a.c:3: error: x") != fingerprint(
        "gcc", "compile", "a.c:3: error: y")
    assert fingerprint("gcc", "compile", "e").startswith(NORMALISER_VERSION + "-")
