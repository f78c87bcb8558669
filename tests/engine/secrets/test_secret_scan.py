from __future__ import annotations

import hashlib

import pytest
import secret_samples as s

from ghbot.engine.analysis.secrets import scan_secrets
from ghbot.engine.models import Severity, SourceFile


def scan(text: str, path: str = "app/settings.py", **kwargs):
    return scan_secrets(SourceFile(path, text), **kwargs)


TOKEN_CASES = [
    ("aws-access-key-id", lambda: s.aws_key_id(), 'KEY_ID = "{}"\n'),
    ("aws-secret-access-key", lambda: s.aws_secret(), 'aws_secret_access_key = "{}"\n'),
    ("github-token", lambda: s.github_token("p"), 'token = "{}"\n'),
    ("github-token", lambda: s.github_token("s"), "GH={}\n"),
    ("github-token", lambda: s.github_token("o"), "headers = {{'x': '{}'}}\n"),
    ("github-fine-grained-pat", lambda: s.fine_grained_pat(), "PAT = '{}'\n"),
    ("gitlab-token", lambda: s.gitlab_token(), "gitlab: {}\n"),
    ("slack-token", lambda: s.slack_token(), "SLACK = '{}'\n"),
    ("slack-webhook", lambda: s.slack_webhook(), "hook = '{}'\n"),
    ("stripe-key", lambda: s.stripe_key(), "stripe.api_key = '{}'\n"),
    ("google-api-key", lambda: s.google_key(), "const key = '{}';\n"),
    ("jwt", lambda: s.jwt(), "Authorization = 'Bearer {}'\n"),
]


@pytest.mark.parametrize(("rule", "make", "template"), TOKEN_CASES)
def test_each_token_format_is_found_at_its_exact_position(rule, make, template):
    secret = make()
    text = "# config\n" + template.format(secret)
    findings = scan(text)
    assert [f.rule for f in findings] == [f"secrets/{rule}"]
    finding = findings[0]
    assert finding.severity is Severity.ERROR
    assert finding.source == "secrets"
    assert (finding.line, finding.end_line) == (2, 2)
    line = text.splitlines()[1]
    assert line[finding.column - 1 : finding.end_column - 1] == secret
    assert secret not in finding.message and secret not in finding.snippet
    assert finding.snippet == "sha256:" + hashlib.sha256(secret.encode()).hexdigest()


def test_message_shows_a_masked_form_with_prefix_and_tail():
    token = s.github_token()
    (finding,) = scan(f"t = '{token}'\n")
    assert f"ghp_…{token[-4:]}" in finding.message


def test_private_key_block_reported_on_its_header_line():
    text = "KEY = '''\n" + s.private_key_block() + "\n'''\n"
    (finding,) = scan(text)
    assert finding.rule == "secrets/private-key"
    assert (finding.line, finding.column) == (2, 1)


def test_private_key_written_with_escaped_newlines():
    block = s.private_key_block("").replace("\n", "\\n")
    (finding,) = scan(f'PEM = "{block}"\n')
    assert finding.rule == "secrets/private-key"


def test_url_with_password():
    password = s.rand(14)
    text = f'DATABASE_URL = "postgres://app:{password}@db.internal:5432/app"\n'
    (finding,) = scan(text)
    assert finding.rule == "secrets/url-password"
    assert text[finding.column - 1 : finding.end_column - 1] == password


@pytest.mark.parametrize(
    "template",
    [
        'api_key = "{}"\n',
        'client_secret: "{}"\n',
        'self.auth_token = "{}"\n',
        '{{"password": "{}"}}\n',
        "export SERVICE_TOKEN={}\n",
    ],
)
def test_generic_high_entropy_assignment_is_a_warning(template):
    value = s.rand(32)
    (finding,) = scan(template.format(value))
    assert finding.rule.startswith("secrets/generic-secret-")
    assert finding.severity is Severity.WARNING


@pytest.mark.parametrize(
    "text",
    [
        'password = "hunter2"\n',  # low entropy, short
        'token = "${{ secrets.DEPLOY_TOKEN }}"\n',
        "token: ${{ secrets.GITHUB_TOKEN }}\n",
        'api_key = os.environ["API_KEY"]\n',
        'SECRET_KEY = os.environ.get("SECRET_KEY")\n',
        'password = "xxxxxxxxxxxxxxxx"\n',
        'api_key = "YOUR_API_KEY_HERE"\n',
        'api_key = "<your api key>"\n',
        'secret_key = "django-insecure-0123456789abcdefghijklmnop"\n',
        'password_template = "registration/password_reset_email.html"\n',
        'token_url = "https://oauth2.example.org/token"\n',
        'commit = "3f786850e387550fdab836ed7e6dc881de23001b"\n',  # a sha, no secret-like name
        'digest = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"\n',
        'request_id = "123e4567-e89b-12d3-a456-426614174000"\n',
        'payload = "aGVsbG8gd29ybGQsIHRoaXMgaXMgbm90IGEgc2VjcmV0"\n',  # base64, no secret name
        'password = "pbkdf2_sha256$870000$salt1234$aGVsbG8gd29ybGQgaGFzaGVkIHZhbHVlcw="\n',
        'url = "postgres://user:password@localhost/db"\n',
        'url = "https://user:${DB_PASSWORD}@host/db"\n',
        "line = f\"TOKEN = '{fixtures.github_token()}'\"\n",  # an f-string's replacement field
        'TOKEN_COOKIE_NAME = "csrftoken_value_name"\n',
        "-----BEGIN RSA PRIVATE KEY-----\n",  # a header alone, as code that parses PEM has
        'HEADER = "-----BEGIN PRIVATE KEY-----"\n',
    ],
)
def test_true_negatives(text):
    assert scan(text) == []


def test_documented_example_values_are_allowlisted():
    example_id = "AKIA" + "IOSFODNN7" + "EXAMPLE"
    example_secret = "wJalrXUtnFEMI/K7MDENG/" + "bPxRfiCYEXAMPLEKEY"
    assert scan(f'KEY = "{example_id}"\naws_secret_access_key = "{example_secret}"\n') == []


def test_inline_ignore_bare_and_per_rule():
    token = s.github_token()
    assert scan(f"t = '{token}'  # hephaestus: ignore\n") == []
    assert scan(f"t = '{token}'  # hephaestus: ignore[secrets/github-token]\n") == []
    assert scan(f"t = '{token}'  # hephaestus: ignore[github-token, jwt]\n") == []
    assert scan(f"t = '{token}'  # hephaestus: ignore[secrets]\n") == []
    assert len(scan(f"t = '{token}'  # hephaestus: ignore[secrets/jwt]\n")) == 1
    # the comment covers its own line only
    assert len(scan(f"# hephaestus: ignore\nt = '{token}'\n")) == 1


def test_allowlist_entries_from_repo_config():
    token = s.github_token()
    text = f"t = '{token}'\n"
    assert scan(text, path="tests/fixtures/tokens.py", allowlist=["path:tests/fixtures/**"]) == []
    assert scan(text, allowlist=[f"value:{token}"]) == []
    assert scan(text, allowlist=["^ghp_"]) == []
    assert scan(text, allowlist=["regex:^ghp_"]) == []
    assert len(scan(text, allowlist=["path:docs/**", "^gho_"])) == 1


def test_bad_allowlist_regex_is_a_clear_error():
    from ghbot.engine.analysis.secrets import SecretRulesError

    with pytest.raises(SecretRulesError, match="allowlist"):
        scan("x = 1\n", allowlist=["(unclosed"])


def test_specific_rule_wins_over_generic_on_the_same_text():
    token = s.github_token()
    findings = scan(f'api_token = "{token}"\n')
    assert [f.rule for f in findings] == ["secrets/github-token"]


def test_several_secrets_in_order_with_positions_on_later_lines():
    a, b = s.stripe_key(), s.google_key()
    text = "x = 1\n" * 50 + f"A = '{a}'\n\nB = '{b}'\n"
    findings = scan(text)
    assert [(f.rule, f.line) for f in findings] == [
        ("secrets/stripe-key", 51),
        ("secrets/google-api-key", 53),
    ]


def test_non_ascii_text_keeps_columns_in_characters():
    token = s.github_token()
    text = f"ß = 'İstanbul'; t = '{token}'\n"
    (finding,) = scan(text)
    assert text[finding.column - 1 : finding.end_column - 1] == token


def test_empty_and_binary_like_text():
    assert scan("") == []
    assert scan("\0\0\x01garbage\xff" * 100) == []


@pytest.mark.parametrize(
    "template",
    [
        'url = f"postgres://app:{{password}}@db/app"  # {}\n',
        'url = "mysql://root:%(password)s@db/app"  # {}\n',
        'example_api_key = "{}"\n',
        'DUMMY_TOKEN = "{}"\n',
    ],
)
def test_templates_and_example_names_are_not_secrets(template):
    assert scan(template.format(s.rand(32))) == []


def test_scanning_many_files_together_finds_what_scanning_each_finds(monkeypatch):
    from ghbot.engine.analysis import secrets_match
    from ghbot.engine.analysis.secrets import scan_secrets_many

    # Tiny batches, so texts are joined and split across several searches.
    monkeypatch.setattr(secrets_match, "_BATCH_BYTES", 120)
    files = [
        SourceFile("a.py", "x = 1\n" * 30),
        SourceFile("b.py", f"TOKEN = '{s.github_token()}'\nother = 2\n"),
        SourceFile("vendor/c.py", f"t = '{s.github_token()}'\n"),  # allowlisted below
        SourceFile("d.txt", "nothing here\n"),
        SourceFile("é.py", f"\u00a0clé_secret:\u00a0'{s.rand(24)}'\n"),  # non-ASCII before the hit
        SourceFile("e.py", ""),
        SourceFile("f.env", f"export APP_SECRET_KEY={s.rand(24)}"),  # the hit ends the last text
    ]
    allow = ["path:vendor/**"]
    one_by_one = [f for file in files for f in scan_secrets(file, None, allow)]
    assert scan_secrets_many(files, None, allow) == one_by_one
    assert {f.path for f in one_by_one} == {"b.py", "é.py", "f.env"}
