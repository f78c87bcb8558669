"""`hephaestus schema`: the JSON Schema of `.github/hephaestus.yml`, for editors and review."""

from __future__ import annotations

import argparse
import json
import sys

from ghbot.github.repo_config import CONFIG_PATH, RepoConfig


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="hephaestus schema",
        description=f"Print the JSON Schema of {CONFIG_PATH} (every key optional).",
    )
    parser.add_argument(
        "--indent", type=int, default=2, help="JSON indentation, 0 to 16; 0 is one line (default 2)"
    )
    try:
        args = parser.parse_args(argv)
        if not 0 <= args.indent <= 16:
            parser.error(f"--indent {args.indent}: give 0 (one line) to 16 spaces")
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    schema = RepoConfig.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    sys.stdout.write(json.dumps(schema, indent=args.indent or None, sort_keys=True) + "\n")
    return 0
