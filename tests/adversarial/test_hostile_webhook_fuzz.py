"""The webhook fuzzer's short seeded run (issue 13, item 10, the server's half).

The long run: `python tests/adversarial/fuzz_webhook.py --count 10000 --seed N`.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fuzz_webhook import check, fuzz


@pytest.mark.parametrize("seed", [1, 2])
async def test_generated_requests_get_no_5xx_and_every_202_ends_handled_or_dead(
    tmp_path: Path, seed: int
) -> None:
    outcome = await fuzz(seed, 250, tmp_path)
    check(outcome, tmp_path)
    assert outcome.acknowledged, "the run queued nothing: it tested only refusals"
