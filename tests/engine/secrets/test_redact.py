from __future__ import annotations

import pytest
import secret_samples as s

from ghbot.engine.redact import redact


def test_every_token_format_is_masked_and_the_rest_kept():
    secrets = [
        s.github_token(),
        s.fine_grained_pat(),
        s.aws_key_id(),
        s.gitlab_token(),
        s.slack_token(),
        s.slack_webhook(),
        s.stripe_key(),
        s.google_key(),
        s.jwt(),
    ]
    text = "\n".join(f"step {i}: using {secret} now" for i, secret in enumerate(secrets))
    out = redact(text)
    for secret in secrets:
        assert secret not in out
    assert [line.split(":")[0] for line in out.splitlines()] == [f"step {i}" for i in range(9)]
    assert out.splitlines()[0] == "step 0: using ghp_*** now"


def test_ci_log_credentials_are_masked():
    bearer, basic, password, token = s.rand(40), s.rand(24), s.rand(10), s.rand(20)
    log = "\n".join(
        [
            "2024-05-01T10:00:00.0000000Z curl -H 'Authorization: Bearer " + bearer + "' https://x",
            "2024-05-01T10:00:01.0000000Z > authorization: Basic " + basic,
            "2024-05-01T10:00:02.0000000Z mysql --password=" + password + " -h db",
            "2024-05-01T10:00:03.0000000Z git clone https://ci:" + token + "@git.example.com/r.git",
            "2024-05-01T10:00:04.0000000Z export API_KEY=" + token,
            "2024-05-01T10:00:05.0000000Z tests passed: 10",
        ]
    )
    out = redact(log)
    for secret in (bearer, basic, password, token):
        assert secret not in out
    assert "https://ci:***@git.example.com/r.git" in out
    assert out.splitlines()[-1] == "2024-05-01T10:00:05.0000000Z tests passed: 10"


def test_private_key_block_over_many_lines_is_masked_whole():
    block = s.private_key_block("OPENSSH ")
    log = "before\n" + block + "\nafter\n"
    out = redact(log)
    assert out == "before\n***\nafter\n"


def test_truncated_private_key_in_a_timestamped_log_is_masked_to_its_last_line():
    lines = [s.rand(64, s.ALNUM + "+/") for _ in range(3)]
    log = (
        "-----BEGIN PRIVATE"
        + " KEY-----\n"
        + "\n".join(f"2024-05-01T10:00:0{i}Z {line}" for i, line in enumerate(lines))
        + "\n2024-05-01T10:00:09Z Error: process exited with 1\n"
    )
    out = redact(log)
    assert all(line not in out for line in lines)
    assert out.endswith("2024-05-01T10:00:09Z Error: process exited with 1\n")


@pytest.mark.parametrize(
    "text",
    [
        "Run actions/checkout@v4\nSyncing repository: octo/app\n",
        "password: ***\n",  # already masked by GitHub
        "token: ${{ secrets.GITHUB_TOKEN }}\n",
        "sha 3f786850e387550fdab836ed7e6dc881de23001b passed\n",
        "",
    ],
)
def test_ordinary_text_is_unchanged(text):
    assert redact(text) == text


def test_redaction_is_idempotent():
    text = f"token={s.github_token()} and Bearer {s.rand(30)}\n"
    once = redact(text)
    assert redact(once) == once


@pytest.mark.timeout(30)
@pytest.mark.parametrize(
    "hostile",
    [
        "password=" * 20_000,
        "a" * 300_000 + "@" + ":" * 50_000,
        "https://" + "u:" * 50_000 + "@",
        "Authorization: " * 20_000,
        ("-----BEGIN PRIVATE" + " KEY-----") * 5_000,
        "eyJ" + "a" * 100_000 + ".eyJ" + "b" * 100_000,
        "api_key = '" + "x" * 200_000,
        "ghp_" * 50_000,
        "token " * 100_000,
        "\n".join("secret" + "=" * i for i in range(2_000)),
    ],
)
def test_hostile_input_finishes(hostile):
    # Bounded patterns keep each of these linear; a backtracking regex would hang here.
    out = redact(hostile)
    assert len(out) <= len(hostile) + 10


def test_a_path_glued_to_a_version_is_not_a_bare_aws_key():
    # CMake's own message (tests/triage/fixtures/real/cmake-find-module.log): its 40 characters
    # after "3." looked like a bare secret key, though they are the tail of a longer word.
    line = "CMake Error at /usr/share/cmake-3.25/Modules/FindPackageHandleStandardArgs.cmake:230"
    assert redact(line) == line


@pytest.mark.parametrize("before", [" ", "=", ": ", "'", '"', "\t"])
def test_a_bare_aws_key_standing_alone_is_masked(before):
    key = s.rand(40, s.ALNUM + "+/")
    out = redact(f"aws configure set aws_secret{before}{key}.\n")
    assert key not in out
