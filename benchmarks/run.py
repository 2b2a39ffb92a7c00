"""Run every benchmark in turn (`make bench`); none of them is a pass/fail test."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path


def main() -> None:
    folder = Path(__file__).parent
    for module in sorted(m.name for m in pkgutil.iter_modules([str(folder)])):
        if module.startswith("bench_"):
            print(f"\n=== {module} ===", flush=True)
            bench = importlib.import_module(f"benchmarks.{module}")
            bench.main()


if __name__ == "__main__":
    main()
