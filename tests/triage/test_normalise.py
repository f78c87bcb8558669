from ghbot.engine.triage.normalise import MAX_LINE, Kind, normalise


def test_actions_timestamp_and_ansi_are_removed() -> None:
    line = normalise(7, "2024-05-01T10:00:01.1234567Z \x1b[31mError:\x1b[0m boom")
    assert (line.number, line.text, line.kind) == (7, "Error: boom", Kind.TEXT)


def test_group_run_starts_a_step_and_other_groups_are_markers() -> None:
    assert normalise(1, "2024-05-01T10:00:01Z ##[group]Run pytest -q").kind is Kind.STEP
    assert normalise(1, "##[group]Run pytest -q").text == "pytest -q"
    assert normalise(1, "##[group]Getting Git version info").kind is Kind.MARKER
    assert normalise(1, "##[endgroup]").kind is Kind.MARKER


def test_error_annotations_and_workflow_commands() -> None:
    error = normalise(3, "##[error]Process completed with exit code 1.")
    assert (error.kind, error.text) == (Kind.ERROR, "Process completed with exit code 1.")
    command = normalise(4, "::error file=app.py,line=3,col=5::bad thing")
    assert (command.kind, command.text) == (Kind.ERROR, "app.py:3:5: bad thing")
    assert normalise(5, "::warning::careful").text == "careful"


def test_keypad_and_cursor_escapes_leave_nothing_glued_to_the_text() -> None:
    # The .NET CLI and curses programs set the keypad mode before each line they print (lines
    # of real Travis logs: dotnet build's error, a vis test's status).
    dotnet = (
        "\x1b[?1h\x1b=\x1b[?1h\x1b=\x1b[39;49m\x1b[31mExtensions/CollectionExtensions.cs(20,40):"
        " error CS0103: The name 'key' does not exist in the current context"
    )
    assert normalise(1, dotnet).text.startswith("Extensions/CollectionExtensions.cs(20,40): error")
    status = "\x1b[?1h\x1b=\x1b[?1l\x1b>text-objects/lexer                                FAIL"
    assert normalise(2, status).text == "text-objects/lexer                                FAIL"
    assert normalise(3, "\x1b7saved\x1b8 and restored").text == "saved and restored"


def test_carriage_return_progress_keeps_the_last_frame() -> None:
    assert normalise(1, "Downloading 10%\rDownloading 55%\rDownloading 100%\r").text == (
        "Downloading 100%"
    )


def test_travis_and_gitlab_folds() -> None:
    fold = normalise(1, "travis_fold:start:install\r\x1b[0K$ pip install")
    assert (fold.kind, fold.text) == (Kind.STEP, "install")
    assert normalise(2, "travis_time:end:0a1b:start=1,finish=2\r\x1b[0K").kind is Kind.MARKER
    section = normalise(3, "section_start:1700000000:step_script\r\x1b[0K\x1b[36mExecuting script")
    assert (section.kind, section.text) == (Kind.STEP, "Executing script")
    assert normalise(4, "section_end:1700000001:step_script\r\x1b[0K").kind is Kind.MARKER


def test_buildkit_prefix_is_removed() -> None:
    assert normalise(1, "#12 0.532 E: Unable to locate package foo").text == (
        "E: Unable to locate package foo"
    )


def test_sbt_log_levels_are_removed_coloured_or_not() -> None:
    # sbt's level before every line, as it logs a forked program (fixtures/real/sbt-fork-run)
    # and, coloured, as CI shows it; the tool's own indentation stays.
    assert normalise(1, "[error] \tat Main$.port(Main.scala:3)").text == (
        "\tat Main$.port(Main.scala:3)"
    )
    coloured = "\x1b[0m[\x1b[0m\x1b[0minfo\x1b[0m] \x1b[0m\x1b[0m  11 did not equal 10\x1b[0m"
    assert normalise(2, coloured).text == "  11 did not equal 10"
    assert normalise(3, "[info] ").text == ""
    assert normalise(4, "[success] Total time: 3 s").text == "Total time: 3 s"
    # once: what follows is the tool's text, whatever it holds
    assert normalise(5, "[info] [info] Instrumentation completed").text == (
        "[info] Instrumentation completed"
    )
    # Maven's levels and other bracketed words are the tool's own text
    for text in ("[ERROR] Failed to execute goal", "[wait] Failed to upload", "[information]"):
        assert normalise(6, text).text == text


def test_huge_line_is_capped() -> None:
    assert len(normalise(1, "x" * (MAX_LINE * 10)).text) == MAX_LINE


def test_colour_codes_in_caret_notation_are_removed() -> None:
    # A log saved with control characters shown as `^[` (2026 Actions logs of pip and pnpm)
    line = normalise(1, "2026-05-04T06:35:53.2Z ^[[36mnox > ^[[31mSession test-3.12 failed.^[[0m")
    assert line.text == "nox > Session test-3.12 failed."
    progress = "^[[?25l   ^[[90m----^[[0m ^[[32m7.6/7.6 MB^[[0m^[[2K"
    assert normalise(2, progress).text == "   ---- 7.6/7.6 MB"
    assert normalise(3, "^[[m^[[Kdone").text == "done"
    # a printed regex keeps its brackets
    assert normalise(4, "grep -E '^[[a-z]+$' words.txt").text == "grep -E '^[[a-z]+$' words.txt"
