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
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "tests" / "triage" / "fixtures" / "real"
LABELS = Path(__file__).with_name("labels.json")
PY = sys.executable
TOOLS = Path(os.environ.get("TRIAGE_TOOLS_VENV", "/tmp/pytools")) / "bin"
JS = Path(os.environ.get("TRIAGE_JS_DIR", "/tmp/jsproj"))


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


CASES = [
    Case("pytest-assert", "python", {
        "calc.py": "def add(a, b):\n    return a + b + 1\n",
        "test_calc.py": "from calc import add\n\n\ndef test_ok():\n    assert 1\n\n\n"
                        "def test_add():\n    assert add(1, 2) == 3\n",
    }, [PY, "-m", "pytest", "-q", "-p", "no:cacheprovider"], ["assert 4 == 3"], actions=True),
    Case("pytest-exception", "python", {
        "stats.py": "def mean(xs):\n    return sum(xs) / len(xs)\n",
        "test_stats.py": "from stats import mean\n\n\n"
                         "def test_empty():\n    assert mean([]) == 0\n",
    }, [PY, "-m", "pytest", "-p", "no:cacheprovider"], ["ZeroDivisionError: division by zero"]),
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
    Case("maven-compile", "java", {
        "pom.xml": "<project xmlns=\"http://maven.apache.org/POM/4.0.0\">\n"
                   "  <modelVersion>4.0.0</modelVersion>\n  <groupId>acme</groupId>\n"
                   "  <artifactId>demo</artifactId>\n  <version>1.0</version>\n"
                   "  <properties><maven.compiler.release>17</maven.compiler.release>"
                   "</properties>\n</project>\n",
        "src/main/java/acme/App.java": "package acme;\n\npublic class App {\n"
                                       "    int size() { return \"x\"; }\n}\n",
    }, ["mvn", "-o", "-B", "compile"], ["incompatible types"], needs="mvn", actions=True),
    Case("pylint-error", "python", {
        "p.py": '"""Doc."""\n\n\ndef f():\n    """Doc."""\n    return undefined_name\n',
    }, [str(TOOLS / "pylint"), "p.py"], ["undefined-variable"], needs=str(TOOLS / "pylint")),
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


def wrap_actions(command: str, output: str, code: int) -> str:
    lines = SETUP.splitlines() + [f"##[group]Run {command}", command,
                                  "shell: /usr/bin/bash -e {0}", "##[endgroup]"]
    lines += output.rstrip("\n").split("\n")
    lines.append(f"##[error]Process completed with exit code {code}.")
    lines += TEARDOWN.splitlines()
    stamped = [f"2024-05-0{1 + i // 50000}T10:{(i // 60) % 60:02d}:{i % 60:02d}.{i:07d}Z {line}"
               for i, line in enumerate(lines)]
    return "\n".join(stamped) + "\n"


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
        proc = subprocess.run(case.command, cwd=tmp, env=env, capture_output=True, text=True,
                              timeout=300, check=False)
        output = (proc.stdout + proc.stderr).replace(tmp, "/home/runner/work/demo/demo")
        if proc.returncode == 0:
            print(f"{case.name}: tool exited 0, skipped", file=sys.stderr)
            return None
        if case.actions:
            return wrap_actions(" ".join(Path(case.command[0]).name.split() + case.command[1:]),
                                output, proc.returncode)
        if case.name == "oom-killed":  # the shell only reports the code; a runner says this
            output += f"Error: Process completed with exit code {proc.returncode}.\n"
        return output


def main(argv: list[str]) -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    labels = json.loads(LABELS.read_text()) if LABELS.exists() else {}
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
        print(f"{case.name}: {len(lines)} lines, cause {cause[:5]}")
    LABELS.write_text(json.dumps(dict(sorted(labels.items())), indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
