"""`make bench`: the one table of jobs, floors and ratios (benchmarks/table.py).

The detailed benchmarks (bench_validate, bench_merge, bench_export) run on their own:
`.venv/bin/python -m benchmarks.bench_validate`, and so on.
"""

from __future__ import annotations

import sys

from benchmarks import table


def main() -> None:
    table.main(sys.argv[1:])


if __name__ == "__main__":
    main()
