"""Score triage on real tool outputs wrapped as whole CI job logs: GitHub Actions and Travis.

Every log of tests/triage/fixtures/real/ is what a real tool printed on a failing project
(bench/triage_accuracy/capture.py ran it). Here each tool output is put, unchanged, inside a
whole job log of each provider, with the parts a real job has around the failing command: the
machine preamble, a checkout, a dependency install that passes with warnings, the failing
step with its exit, and the epilogue (after_failure, cache upload, post-job cleanup). The
engine sees only that job log; the labels move with the tool output.

    python bench/triage_accuracy/wrapped.py [--provider actions|travis] [--misses]

Scores as the shared scorer does: hit@1 when the top failure's excerpt holds a cause line
(`cause_lines` of labels.json), hit@3 for any of the top three, and line F1 of the top excerpt
against the cause block (`span` of labels.json where it was labelled, else the cause lines).
"""

from __future__ import annotations

import argparse
import io
import json
import re
import shlex
import sys
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ghbot.engine.triage.engine import Log, Triage

ROOT = Path(__file__).resolve().parents[2]
LOGS = ROOT / "tests" / "triage" / "fixtures" / "real"
LABELS = Path(__file__).with_name("labels.json")
SOURCES = LOGS / "sources.json"
PROVIDERS = ("actions", "travis")

_STAMP = re.compile(r"^\d{4}-\d\d-\d\dT[\d:.]+Z ")
_EXIT = re.compile(r"^##\[error\]Process completed with exit code (\d+)\.")

Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class ToolRun:
    """One real tool output with its cause lines (1-based, in `lines`)."""

    name: str
    ecosystem: str
    command: str
    lines: list[str]
    code: int
    cause: list[int]
    block: list[Span]


@dataclass(frozen=True, slots=True)
class JobLog:
    text: str
    cause: list[int]
    block: list[Span]


def unwrap(lines: list[str]) -> tuple[int, int, int]:
    """(first, end, code): the failing step's own output is lines[first:end] of a log that
    capture.py wrapped as a GitHub Actions step; the whole text for a bare tool output."""
    if not lines or not _STAMP.match(lines[0]):
        return 0, len(lines), 1
    plain = [_STAMP.sub("", line, count=1) for line in lines]
    end = next((i for i, line in enumerate(plain) if _EXIT.match(line)), len(plain))
    group = max(i for i, line in enumerate(plain[:end]) if line.startswith("##[group]Run "))
    first = next(i for i in range(group, end) if plain[i] == "##[endgroup]") + 1
    found = _EXIT.match(plain[end]) if end < len(plain) else None
    return first, end, int(found.group(1)) if found else 1


def tool_runs() -> Iterator[ToolRun]:
    labels = json.loads(LABELS.read_text())
    sources = json.loads(SOURCES.read_text()) if SOURCES.exists() else {}
    for name, label in sorted(labels.items()):
        lines = (LOGS / f"{name}.log").read_text().rstrip("\n").split("\n")
        first, end, code = unwrap(lines)
        plain = [_STAMP.sub("", line, count=1) for line in lines[first:end]]
        cause = [n - first for n in label["cause_lines"] if first < n <= end]
        spans = label.get("span") or [[n, n] for n in label["cause_lines"]]
        block = [(max(a, first + 1) - first, min(b, end) - first) for a, b in spans
                 if b > first and a <= end]
        if not cause:
            continue  # a cause in capture.py's own wrapping (its setup steps)
        command = sources.get(name, {}).get("command") or " ".join(label["command"])
        words = command.split(" ", 1)
        command = " ".join([Path(words[0]).name, *words[1:]])
        yield ToolRun(name, label["ecosystem"], command, plain, code, cause, block)


ACTIONS_PREAMBLE = """Current runner version: '2.321.0'
##[group]Operating System
Ubuntu
24.04.1
LTS
##[endgroup]
##[group]Runner Image
Image: ubuntu-24.04
Version: 20241201.1.0
Included Software: https://github.com/actions/runner-images/blob/ubuntu24/20241201.1/images/ubuntu/Ubuntu2404-Readme.md
##[endgroup]
##[group]GITHUB_TOKEN Permissions
Contents: read
Metadata: read
##[endgroup]
Secret source: Actions
Prepare workflow directory
Prepare all required actions
Getting action download info
Download action repository 'actions/checkout@v4' (SHA:11bd71901bbe5b1630ceea73d27597364c9af683)
Download action repository 'actions/cache@v4' (SHA:1bd1e32a3bdc45362d1e726936510720a7c30a57)
Complete job name: test (ubuntu-latest)
##[group]Run actions/checkout@v4
with:
  repository: acme/demo
  token: ***
  ssh-strict: true
  persist-credentials: true
  clean: true
  fetch-depth: 1
  lfs: false
##[endgroup]
Syncing repository: acme/demo
##[group]Getting Git version info
Working directory is '/home/runner/work/demo/demo'
[command]/usr/bin/git version
git version 2.47.1
##[endgroup]
Temporarily overriding HOME='/home/runner/work/_temp/0c9e' before making global git config changes
Adding repository directory to the temporary git global config as a safe directory
[command]/usr/bin/git config --global --add safe.directory /home/runner/work/demo/demo
Deleting the contents of '/home/runner/work/demo/demo'
##[group]Initializing the repository
[command]/usr/bin/git init /home/runner/work/demo/demo
hint: Using 'master' as the name for the initial branch. This default branch name
hint: is subject to change. To configure the initial branch name to use in all
hint: of your new repositories, which will suppress this warning, call:
hint:
hint: \tgit config --global init.defaultBranch <name>
Initialized empty Git repository in /home/runner/work/demo/demo/.git/
[command]/usr/bin/git remote add origin https://github.com/acme/demo
##[endgroup]
##[group]Fetching the repository
[command]/usr/bin/git -c protocol.version=2 fetch --no-tags --prune --no-recurse-submodules --depth=1 origin +3f1c2a9e0b7d:refs/remotes/origin/main
From https://github.com/acme/demo
 * [new ref]         3f1c2a9e0b7d -> origin/main
##[endgroup]
##[group]Checking out the ref
[command]/usr/bin/git checkout --progress --force -B main refs/remotes/origin/main
Switched to a new branch 'main'
branch 'main' set up to track 'origin/main'.
##[endgroup]
##[group]Run actions/cache@v4
with:
  path: ~/.cache
  key: deps-Linux-9b1c0e
  enableCrossOsArchive: false
  fail-on-cache-miss: false
  lookup-only: false
##[endgroup]
Cache not found for input keys: deps-Linux-9b1c0e
##[group]Run ./scripts/install-deps.sh
./scripts/install-deps.sh
shell: /usr/bin/bash -e {0}
##[endgroup]
Reading package lists...
Building dependency tree...
Reading state information...
The following additional packages will be installed:
  libfoo-common
0 upgraded, 2 newly installed, 0 to remove and 12 not upgraded.
Need to get 184 kB of archives.
Get:1 http://azure.archive.ubuntu.com/ubuntu noble/main amd64 libfoo-common all 1.2-1 [12.0 kB]
Get:2 http://azure.archive.ubuntu.com/ubuntu noble/main amd64 libfoo-dev amd64 1.2-1 [172 kB]
debconf: unable to initialize frontend: Dialog
debconf: (Dialog frontend will not work on a dumb terminal, an emacs shell buffer, or without a controlling terminal.)
debconf: falling back to frontend: Readline
Fetched 184 kB in 1s (212 kB/s)
Selecting previously unselected package libfoo-common.
Setting up libfoo-common (1.2-1) ...
Setting up libfoo-dev (1.2-1) ...
npm warn deprecated inflight@1.0.6: This module is not supported, and leaks memory. Do not use it.
npm warn deprecated glob@7.2.3: Glob versions prior to v9 are no longer supported
added 312 packages, and audited 313 packages in 9s
found 0 vulnerabilities
WARNING: Running pip as the 'root' user can result in broken permissions and conflicting behaviour with the system package manager.
Successfully installed requests-2.32.3 urllib3-2.2.3
warning: unused manifest key: package.metadata.docs
    Finished `dev` profile [unoptimized + debuginfo] target(s) in 12.31s"""

ACTIONS_EPILOGUE = """##[group]Run actions/upload-artifact@v4
with:
  name: test-logs
  path: logs/
  if-no-files-found: warn
##[endgroup]
##[warning]No files were found with the provided path: logs/. No artifacts will be uploaded.
Post job cleanup.
[command]/usr/bin/git version
git version 2.47.1
Temporarily overriding HOME='/home/runner/work/_temp/7a41' before making global git config changes
[command]/usr/bin/git config --local --name-only --get-regexp core\\.sshCommand
[command]/usr/bin/git submodule foreach --recursive sh -c "git config --local --name-only --get-regexp 'core\\.sshCommand' && git config --local --unset-all 'core.sshCommand' || :"
Cleaning up orphan processes"""

TRAVIS_PREAMBLE = """travis_fold:start:worker_info\r\x1b[0K\x1b[33;1mWorker information\x1b[0m
hostname: 5e3c8d1a-6a2b-4c9e-9b7d-2f0a1c3e4d5f@1.worker-com-5b7d9c-1.gce-production-2
version: v6.2.8 https://github.com/travis-ci/worker/tree/5a9fbc1f2a0c4c4f0d7c4f4f1e8b1a2d3c4b5a69
instance: travis-job-0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b travis-ci-ubuntu-1804-1582576938-a9b1a2b3 (via amqp)
startup: 6.453512345s
travis_fold:end:worker_info\r\x1b[0Ktravis_time:start:0a1b2c3d\r\x1b[0Ktravis_time:end:0a1b2c3d:start=1590000000000000000,finish=1590000000321000000,duration=321000000,event=no_world_writable_dirs
\x1b[0Ktravis_fold:start:system_info\r\x1b[0K\x1b[33;1mBuild system information\x1b[0m
Build language: generic
Build group: stable
Build dist: bionic
Build id: 700000001
Job id: 700000002
Runtime kernel version: 5.4.0-1030-gcp
travis-build version: 5a8f9b1c
\x1b[34m\x1b[1mBuild image provisioning date and time\x1b[0m
Tue Feb 25 21:42:41 UTC 2020
\x1b[34m\x1b[1mOperating System Details\x1b[0m
Distributor ID:\tUbuntu
Description:\tUbuntu 18.04.4 LTS
Release:\t18.04
Codename:\tbionic
\x1b[34m\x1b[1mgit version\x1b[0m
git version 2.25.0
\x1b[34m\x1b[1mbash version\x1b[0m
GNU bash, version 4.4.20(1)-release (x86_64-pc-linux-gnu)
\x1b[34m\x1b[1mgcc version\x1b[0m
gcc (Ubuntu 7.4.0-1ubuntu1~18.04.1) 7.4.0
Copyright (C) 2017 Free Software Foundation, Inc.
This is free software; see the source for copying conditions.  There is NO
warranty; not even for MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.

\x1b[34m\x1b[1mdocker version\x1b[0m
Client:
 Version:           18.06.0-ce
 API version:       1.38
\x1b[34m\x1b[1mpre-installed Go versions\x1b[0m
1.11.1
\x1b[34m\x1b[1mpre-installed postgresql versions\x1b[0m
9.4.25
9.5.21
\x1b[34m\x1b[1mRedis version\x1b[0m
redis-server 5.0.7
travis_fold:end:system_info\r\x1b[0K
travis_fold:start:docker_mtu_and_registry_mirrors\r\x1b[0Ktravis_fold:end:docker_mtu_and_registry_mirrors\r\x1b[0K
travis_fold:start:apt\r\x1b[0K\x1b[33;1mInstalling APT Packages\x1b[0m
travis_time:start:1b2c3d4e\r\x1b[0K$ travis_apt_get_update
W: GPG error: http://ppa.launchpad.net/couchdb/stable/ubuntu bionic InRelease: The following signatures couldn't be verified because the public key is not available: NO_PUBKEY 8756C4F765C9AC3CB6B85D62379CE192D401AB61
W: The repository 'http://ppa.launchpad.net/couchdb/stable/ubuntu bionic InRelease' is not signed.
N: Data from such a repository can't be authenticated and is therefore potentially dangerous to use.
travis_time:end:1b2c3d4e:start=1590000001000000000,finish=1590000009000000000,duration=8000000000,event=apt
travis_fold:end:apt\r\x1b[0K
travis_fold:start:git.checkout\r\x1b[0Ktravis_time:start:2c3d4e5f\r\x1b[0K$ git clone --depth=50 --branch=master https://github.com/acme/demo.git acme/demo
Cloning into 'acme/demo'...
remote: Enumerating objects: 812, done.\x1b[K
remote: Counting objects: 100% (812/812), done.\x1b[K
remote: Compressing objects: 100% (402/402), done.\x1b[K
remote: Total 812 (delta 371), reused 640 (delta 260), pack-reused 0\x1b[K
Receiving objects: 100% (812/812), 1.12 MiB | 9.31 MiB/s, done.
Resolving deltas: 100% (371/371), done.
travis_time:end:2c3d4e5f:start=1590000010000000000,finish=1590000011000000000,duration=1000000000,event=checkout
\x1b[0K$ cd acme/demo
travis_time:start:3d4e5f6a\r\x1b[0K$ git checkout -qf 3f1c2a9e0b7d5c4a3b2a1f0e9d8c7b6a5f4e3d2c
travis_time:end:3d4e5f6a:start=1590000011000000000,finish=1590000011100000000,duration=100000000,event=checkout
\x1b[0Ktravis_fold:end:git.checkout\r\x1b[0K
\x1b[33;1mSetting environment variables from repository settings\x1b[0m
$ export DEPLOY_KEY=[secure]

travis_fold:start:cache.1\r\x1b[0KSetting up build cache
$ export CASHER_DIR=${TRAVIS_HOME}/.casher
travis_time:start:4e5f6a7b\r\x1b[0K$ Installing caching utilities
travis_time:end:4e5f6a7b:start=1590000012000000000,finish=1590000012300000000,duration=300000000,event=setup_casher
attempting to download cache archive
fetching master/cache-linux-bionic-e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855--generic.tgz
found cache
travis_fold:end:cache.1\r\x1b[0K
travis_fold:start:install\r\x1b[0Ktravis_time:start:5f6a7b8c\r\x1b[0K$ ./scripts/install-deps.sh
Reading package lists...
Building dependency tree...
0 upgraded, 2 newly installed, 0 to remove and 40 not upgraded.
npm WARN deprecated request@2.88.2: request has been deprecated, see https://github.com/request/request/issues/3142
npm WARN optional SKIPPING OPTIONAL DEPENDENCY: fsevents@1.2.13 (node_modules/fsevents):
npm WARN notsup SKIPPING OPTIONAL DEPENDENCY: Unsupported platform for fsevents@1.2.13: wanted {"os":"darwin","arch":"any"} (current: {"os":"linux","arch":"x64"})
added 412 packages from 301 contributors and audited 1209 packages in 14.2s
found 3 low severity vulnerabilities
  run `npm audit fix` to fix them, or `npm audit` for details
DEPRECATION: Python 2.7 reached the end of its life on January 1st, 2020. Please upgrade your Python as Python 2.7 is no longer maintained.
Successfully installed six-1.14.0
travis_time:end:5f6a7b8c:start=1590000013000000000,finish=1590000030000000000,duration=17000000000,event=install
\x1b[0Ktravis_fold:end:install\r\x1b[0K"""

TRAVIS_EPILOGUE = """travis_fold:start:after_failure.1\r\x1b[0Ktravis_time:start:7b8c9d0e\r\x1b[0K$ cat logs/*.log
cat: 'logs/*.log': No such file or directory
travis_time:end:7b8c9d0e:start=1590000100000000000,finish=1590000100010000000,duration=10000000,event=after_failure
\x1b[0Ktravis_fold:end:after_failure.1\r\x1b[0K
travis_fold:start:cache.2\r\x1b[0Kstore build cache
travis_time:start:8c9d0e1f\r\x1b[0K
travis_time:end:8c9d0e1f:start=1590000101000000000,finish=1590000101000100000,duration=100000,event=cache
\x1b[0Ktravis_time:start:9d0e1f2a\r\x1b[0Kchange detected (content changed, file is created, or file is deleted):
/home/travis/.cache/pip/http/a/b/c/d/e/0123456789abcdef

changes detected, packing new archive
uploading master/cache-linux-bionic-e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855--generic.tgz
cache uploaded
travis_time:end:9d0e1f2a:start=1590000102000000000,finish=1590000110000000000,duration=8000000000,event=cache
\x1b[0Ktravis_fold:end:cache.2\r\x1b[0K

Done. Your build exited with 1."""


def _stamped(lines: list[str]) -> list[str]:
    return [f"2026-03-0{1 + i // 50000}T10:{(i // 60) % 60:02d}:{i % 60:02d}.{i % 10**7:07d}Z "
            f"{line}" for i, line in enumerate(lines)]


def wrap(run: ToolRun, provider: str) -> JobLog:
    """The job log of `provider` whose failing step printed `run`'s output."""
    if provider == "actions":
        before = ACTIONS_PREAMBLE.split("\n") + [
            f"##[group]Run {run.command}", run.command, "shell: /usr/bin/bash -e {0}",
            "##[endgroup]"]
        after = [f"##[error]Process completed with exit code {run.code}.",
                 *ACTIONS_EPILOGUE.split("\n")]
        lines = _stamped(before + run.lines + after)
    else:
        quoted = shlex.quote(run.command) if "'" not in run.command else run.command
        before = TRAVIS_PREAMBLE.split("\n") + [
            f"travis_time:start:6a7b8c9d\r\x1b[0K$ {run.command}"]
        after = [
            "travis_time:end:6a7b8c9d:start=1590000031000000000,finish=1590000090000000000,"
            f"duration=59000000000,event=script\r\x1b[0K\x1b[31;1mThe command \"{quoted}\" "
            f"exited with {run.code}.\x1b[0m", "", *TRAVIS_EPILOGUE.split("\n")]
        lines = before + run.lines + after
    offset = len(before)
    return JobLog("\n".join(lines) + "\n", [n + offset for n in run.cause],
                  [(a + offset, b + offset) for a, b in run.block])


def overlaps(span: Span | None, lines: list[int]) -> bool:
    return span is not None and any(span[0] <= n <= span[1] for n in lines)


def line_f1(span: Span | None, block: list[Span]) -> float:
    gold = {n for a, b in block for n in range(a, b + 1)}
    if span is None or not gold:
        return 0.0
    inside = len(set(range(span[0], span[1] + 1)) & gold)
    if not inside:
        return 0.0
    precision, recall = inside / (span[1] - span[0] + 1), inside / len(gold)
    return 2 * precision * recall / (precision + recall)


@dataclass(frozen=True, slots=True)
class Scored:
    name: str
    ecosystem: str
    provider: str
    hit1: bool
    hit3: bool
    f1: float
    top: str


def score(triage: Triage, providers: tuple[str, ...] = PROVIDERS) -> list[Scored]:
    results = []
    for run in tool_runs():
        for provider in providers:
            job = wrap(run, provider)
            report = triage.run(run.name, [Log(None, io.BytesIO(job.text.encode()))])
            spans = [(f.excerpt.start_line, f.excerpt.end_line) for f in report.failures]
            top = spans[0] if spans else None
            title = report.failures[0].title[:80] if report.failures else "-"
            results.append(Scored(
                run.name, run.ecosystem, provider, overlaps(top, job.cause),
                any(overlaps(span, job.cause) for span in spans[:3]), line_f1(top, job.block),
                f"top {top} {title!r}; cause {job.cause[:3]} block {job.block[:2]}"))
    return results


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--provider", choices=PROVIDERS, action="append")
    parser.add_argument("--misses", action="store_true", help="list the logs missed at 1")
    args = parser.parse_args(argv)
    results = score(Triage(), tuple(args.provider or PROVIDERS))
    groups: dict[str, list[Scored]] = defaultdict(list)
    for result in results:
        groups["all"].append(result)
        groups[result.provider].append(result)
        groups[f"  {result.ecosystem}"].append(result)
        if args.misses and not result.hit1:
            print(f"MISS {result.provider} {result.name}: {result.top}")
    print(f"\n{'':<14} {'logs':>4}  {'hit@1':>6}  {'hit@3':>6}  {'F1':>6}")
    for key in ["all", *PROVIDERS, *sorted(k for k in groups if k.startswith(" "))]:
        rows = groups.get(key)
        if rows:
            n = len(rows)
            print(f"{key:<14} {n:>4}  {sum(r.hit1 for r in rows) / n:6.3f}  "
                  f"{sum(r.hit3 for r in rows) / n:6.3f}  {sum(r.f1 for r in rows) / n:6.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
