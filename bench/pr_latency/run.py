"""Pull-request latency: from a signed `pull_request` delivery to the review and the check run
existing on the sandbox GitHub, for a PR of 20 changed Python files.

The real server (HMAC check, SQLite queue, workers, App client) runs in this process; the
sandbox GitHub runs in a thread of the same process (request checks against GitHub's OpenAPI
description included), so its own time is part of the figure: an upper bound on ours. Also
printed: GitHub API calls per PR (fewer is better) and the engine alone on the same 20 files.

    python bench/pr_latency/run.py [--runs 10] [--files 20] [--without-codemods]

`--without-codemods` sets `analysis.ignore: [codemod]` in the repository config: the LibCST
codemods dominate the engine's time, and this shows what the rest of the pipeline costs.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from contextlib import AsyncExitStack
from pathlib import Path

import yaml
from aiohttp import ClientSession, web

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))

from sandbox import Sandbox  # noqa: E402
from sandbox.webhooks import delivery, pull_request_payload  # noqa: E402

from ghbot.cli.serve import start_workers  # noqa: E402
from ghbot.engine.analysis.run import (  # noqa: E402
    AnalysisOptions,
    analyse_files,
    attach_codemod_fixes,
)
from ghbot.engine.models import SourceFile  # noqa: E402
from ghbot.registry import default_registry  # noqa: E402
from ghbot.server import ServerState, create_app  # noqa: E402
from ghbot.settings import parse  # noqa: E402

TARGET_MEDIAN_S = 1.0
MAX_COMMENTS = 30  # review.max_comments' default
REPO = "octo/app"


def module(n: int, run: int) -> str:
    """A 60-line module with a few findings: an unused import, `== None`, shell=True."""
    body = [
        "import os",
        "import subprocess",
        "",
        "",
        f"def check_{n}(value):",
        "    if value == None:",
        f"        return {run}",
        "    return 2",
        "",
        "",
        f"def run_{n}(cmd):",
        "    return subprocess.run(cmd, shell=True, check=False)",
    ]
    for k in range(16):
        body += ["", "", f"def helper_{n}_{k}(a, b):", f"    return a * {k} + b"]
    return "\n".join(body) + "\n"


async def main(runs: int, files: int, without_codemods: bool) -> int:
    manifest = yaml.safe_load((ROOT / "app.yml").read_text(encoding="utf-8"))
    sandbox = Sandbox(app_permissions=manifest["default_permissions"]).start()
    base = {f"pkg/mod_{n}.py": f"VALUE_{n} = {n}\n" for n in range(files)}
    if without_codemods:
        base[".github/hephaestus.yml"] = "analysis: {ignore: [codemod]}\n"
    sandbox.create_repo(REPO, files={"README.md": "# app\n", **base})
    sandbox.create_installation("octo", [REPO])
    app = sandbox.app
    try:
        with tempfile.TemporaryDirectory(prefix="pr-latency-") as data:
            env = {
                "HEPHAESTUS_APP_ID": str(app.id),
                "HEPHAESTUS_PRIVATE_KEY": app.private_key_pem,
                "HEPHAESTUS_WEBHOOK_SECRET": app.webhook_secret,
                "HEPHAESTUS_GITHUB_API_URL": sandbox.base_url,
                "HEPHAESTUS_DATA_DIR": data,
                "HEPHAESTUS_APP_SLUG": app.slug,
                "HEPHAESTUS_LOG_LEVEL": "WARNING",
            }
            settings = parse(["--workers", "2"], env, "bench", "")
            registry = default_registry()
            async with AsyncExitStack() as stack:
                queue, pool = await start_workers(settings, registry, stack)
                state = ServerState(settings.webhook_secret, queue, registry, app.slug, pool)
                runner = web.AppRunner(create_app(state), access_log=None)
                await runner.setup()
                stack.push_async_callback(runner.cleanup)
                site = web.TCPSite(runner, "127.0.0.1", 0)
                await site.start()
                port = site._server.sockets[0].getsockname()[1]  # noqa: SLF001
                url = f"http://127.0.0.1:{port}/webhook"
                session = await stack.enter_async_context(ClientSession())
                times, calls = [], []
                for run in range(runs + 2):  # two warm-up runs, not counted
                    seconds, count = await one_pull(sandbox, session, url, run, files)
                    if run >= 2:
                        times.append(seconds)
                        calls.append(count)
    finally:
        sandbox.stop()

    sources = [SourceFile(f"pkg/mod_{n}.py", module(n, 0)) for n in range(files)]
    ignore = ("codemod",) if without_codemods else ()
    started = time.perf_counter()
    analyse_files(sources, AnalysisOptions(ignore=ignore))
    engine = time.perf_counter() - started
    # What the PR path does: ruff's detection, then LibCST fixes for the shown findings only
    # (here: at most `review.max_comments` of them, the first by path and line).
    started = time.perf_counter()
    found = analyse_files(sources, AnalysisOptions(ignore=ignore, codemod_fixes=False)).findings
    shown = sorted(found, key=lambda f: (f.path, f.line))[:MAX_COMMENTS]
    attach_codemod_fixes(sources, shown)
    engine_pr = time.perf_counter() - started

    median = statistics.median(times)
    p95 = statistics.quantiles(times, n=20)[-1] if len(times) >= 2 else times[0]
    per_pr = statistics.median(calls)
    what = " without codemods" if without_codemods else ""
    print(f"PR of {files} changed files{what}, {runs} runs (delivery -> review + check run)")
    print(f"  median      {median * 1000:8.0f} ms   target {TARGET_MEDIAN_S * 1000:.0f} ms"
          f"   ratio {median / TARGET_MEDIAN_S:.2f}x of target")  # fmt: skip
    print(f"  p95         {p95 * 1000:8.0f} ms")
    print(f"  API calls   {per_pr:8.0f} per PR  (min {min(calls)}, max {max(calls)})")
    print(f"  engine only {engine_pr * 1000:8.0f} ms   (as the PR path: fixes for shown findings)")
    print(f"  engine all  {engine * 1000:8.0f} ms   (analyse_files with every codemod fix)")
    return 0


async def one_pull(
    sandbox: Sandbox, session: ClientSession, url: str, run: int, files: int
) -> tuple[float, int]:
    branch = f"feature-{run}"
    changed = {f"pkg/mod_{n}.py": module(n, run) for n in range(files)}
    head = sandbox.commit(REPO, branch, changed)
    number = sandbox.create_pull(REPO, head=branch).number
    payload = pull_request_payload(sandbox, REPO, number)
    d = delivery("pull_request", payload, sandbox.app.webhook_secret)
    before = len(sandbox.requests)
    started = time.perf_counter()
    async with session.post(url, data=d.body, headers=d.headers) as resp:
        assert resp.status == 202, resp.status
    deadline = started + 60
    while True:
        done = [r for r in sandbox.check_runs(REPO, head) if r.status == "completed"]
        if done and sandbox.reviews(REPO, number):
            break
        if time.perf_counter() > deadline:
            raise SystemExit(f"run {run}: no review and check run after 60 s")
        await asyncio.sleep(0.002)
    elapsed = time.perf_counter() - started
    await asyncio.sleep(0.05)  # let the handler's last calls land before counting
    app_calls = [r for r in sandbox.requests[before:] if "/access_tokens" not in r.path]
    return elapsed, len(app_calls)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--files", type=int, default=20)
    parser.add_argument("--without-codemods", action="store_true")
    args = parser.parse_args()
    sys.exit(asyncio.run(main(args.runs, args.files, args.without_codemods)))
