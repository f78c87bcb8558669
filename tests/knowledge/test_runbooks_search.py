"""Search over the 39-runbook corpus: real error text finds the right runbook first."""

from __future__ import annotations

from pathlib import Path

import pytest

from ghbot.engine.knowledge.runbooks import load_dir
from ghbot.engine.knowledge.search import Index, tokenize

CORPUS = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def index() -> Index:
    return Index(load_dir(CORPUS, "runbooks").runbooks)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("E   ModuleNotFoundError: No module named 'yaml'", "pytest-module-not-found"),
        ("npm ERR! code ERESOLVE unable to resolve dependency tree",
         "npm-eresolve-peer-dependency"),
        ("/home/runner/work/_temp/x.sh: line 1: 2345 Killed ./build.sh\nexit code 137",
         "runner-oom-exit-137"),
        ("write /var/lib/docker/tmp/buildkit: no space left on device",
         "docker-no-space-left-on-device"),
        ('Exception in thread "main" java.lang.OutOfMemoryError: Java heap space',
         "gradle-java-heap-space"),
        ("src/app.ts(3,21): error TS2307: Cannot find module './x'",
         "typescript-ts2307-cannot-find-module"),
        ("[Errno -3] Temporary failure in name resolution", "pip-dns-temporary-failure"),
        ("missing go.sum entry for module providing package golang.org/x/sync/errgroup",
         "go-mod-tidy-missing-go-sum"),
        ("WARNING: DATA RACE Write at 0x00c000 by goroutine 7", "go-data-race-detected"),
        ("error[E0502]: cannot borrow `v` as mutable", "rust-borrow-checker-e0502"),
        ("error: linker `cc` not found", "rust-linker-cc-not-found"),
        ("undefined reference to `curl_easy_init' collect2: error: ld returned 1 exit status",
         "cpp-undefined-reference"),
        ("fatal error: openssl/ssl.h: No such file or directory", "c-header-missing-openssl"),
        ("Could not find artifact com.acme:shared:jar:2.1.0 in central",
         "maven-could-not-resolve-dependencies"),
        ("Could not resolve all files for configuration ':app:debugCompileClasspath'",
         "gradle-could-not-resolve-plugin"),
        ("1 snapshot failed from 1 test suite", "jest-snapshot-obsolete"),
        ("thrown: Exceeded timeout of 5000 ms for a test", "jest-timeout-async-test"),
        ("@typescript-eslint/no-unused-vars", "eslint-no-unused-vars"),
        ("gyp ERR! stack Error: `make` failed with exit code: 2", "node-gyp-rebuild-failed"),
        ("npm WARN EBADENGINE Unsupported engine", "node-engine-unsupported"),
        ('error: Incompatible types in assignment (expression has type "str | None")',
         "mypy-incompatible-types"),
        ("F401 [*] `os` imported but unused", "ruff-f401-unused-import"),
        ("ERROR: ResolutionImpossible: The conflict is caused by", "pip-resolution-impossible"),
        ("pyproject.toml changed significantly since poetry.lock was last generated",
         "poetry-lock-out-of-date"),
        ("toomanyrequests: You have reached your pull rate limit", "docker-pull-rate-limit"),
        ("exec /docker-entrypoint.sh: exec format error", "docker-exec-format-error"),
        ("Back-off pulling image: ImagePullBackOff", "k8s-imagepullbackoff"),
        ("CrashLoopBackOff KeyError: 'DATABASE_URL'", "k8s-crashloopbackoff-missing-env"),
        ("Error acquiring the state lock ConditionalCheckFailedException", "terraform-state-lock"),
        ("[SSL: CERTIFICATE_VERIFY_FAILED] unable to get local issuer certificate",
         "tls-certificate-verify-failed"),
        ('connection to server at "localhost" (127.0.0.1), port 5432 failed: Connection refused',
         "postgres-connection-refused"),
        ("Conflicting migrations detected; multiple leaf nodes in the migration graph",
         "django-migration-conflict"),
        ("HttpError: Resource not accessible by integration",
         "github-token-403-resource-not-accessible"),
        ("has exceeded the maximum execution time of 360 minutes", "actions-job-timeout"),
        ('Bundler could not find compatible versions for gem "activesupport"',
         "bundler-gem-version-conflict"),
        ("requires PHP extension ext-intl * but it is missing from your system",
         "composer-platform-requirement"),
        ("E: Unable to locate package libgtk2.0-dev", "apt-get-package-not-found"),
    ],
)
def test_real_error_text_ranks_the_right_runbook_first(index, query, expected):
    hits = index.search(query, limit=3)
    assert hits, query
    assert hits[0].runbook.id == expected, [h.runbook.id for h in hits]


def test_exact_signature_outranks_any_text_match(index):
    # The text is all about npm; the fingerprint is the OOM runbook's.
    hits = index.search("npm ERESOLVE peer dependency react", signatures=["t1-83a3610e2c49de5a"])
    assert hits[0].runbook.id == "runner-oom-exit-137"
    assert hits[0].signature_match
    assert hits[1].runbook.id == "npm-eresolve-peer-dependency"
    assert not hits[1].signature_match
    # A fingerprint pasted in the query counts as a signature too.
    assert index.search("see t1-e0e5bfb0415521d6")[0].runbook.id == "pytest-module-not-found"


def test_similarity_separates_good_and_weak_matches(index):
    good = index.search("no space left on device")[0]
    weak = index.search("exit status")[0]
    assert good.similarity > 0.6
    assert weak.similarity < 0.5
    assert index.search("zzzz qqqq") == []
    assert index.search("") == []


def test_tokenizer_keeps_compounds_and_splits_them():
    terms = tokenize("E ModuleNotFoundError numpy.core._multiarray_umath src/app/main.py TS2307")
    for term in ("modulenotfounderror", "module", "found", "numpy.core._multiarray_umath",
                 "numpy", "multiarray", "src/app/main.py", "main", "ts2307", "2307"):
        assert term in terms, term
    assert "e" not in terms  # single letters are noise


def test_hostile_query_is_cut_to_the_query_cap(index):
    # Only the first MAX_QUERY_CHARS are read, so a megabyte query is as cheap as a short one.
    assert index.search("x" * 1_000_000) == []
    hits = index.search("no space left on device " + "a." * 500_000)
    assert hits[0].runbook.id == "docker-no-space-left-on-device"
