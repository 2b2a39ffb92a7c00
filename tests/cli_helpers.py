"""Running the command line inside the test process, as the console script does."""

from __future__ import annotations

import sys
from unittest import mock

from typer.testing import CliRunner

from missionplan.cli import main


def run_main(*args: str) -> tuple[int, str, str]:
    """Run the console-script entry point (missionplan.cli.main): exit code, stdout, stderr."""
    runner = CliRunner()
    with (
        runner.isolation() as (out, err, _),
        mock.patch.object(sys, "argv", ["missionplan", *args]),
    ):
        try:
            main()
            code = 0
        except SystemExit as stop:
            code = stop.code if isinstance(stop.code, int) else 1
        sys.stdout.flush()
        sys.stderr.flush()
        return code, out.getvalue().decode(), err.getvalue().decode()
