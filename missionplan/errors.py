"""Errors a person can act on: each carries a one-line message, never a traceback."""

from __future__ import annotations

from dataclasses import dataclass


class MissionplanError(Exception):
    """A problem with the user's input: the CLI prints the message and exits with code 2."""

    exit_code = 2


@dataclass(frozen=True)
class Problem:
    """One problem found in a data file (framework, roster or plan), with where it is."""

    file: str
    line: int | None
    where: str
    message: str

    def __str__(self) -> str:
        place = f"{self.file}:{self.line}" if self.line else self.file
        subject = f" {self.where}:" if self.where else ""
        return f"{place}:{subject} {self.message}"


class DataFileError(MissionplanError):
    """A data file has one or more problems; all of them are reported at once."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        count = len(problems)
        head = f"{count} problem{'s' if count != 1 else ''} in {problems[0].file}"
        super().__init__(head + ":\n" + "\n".join(f"  {p}" for p in problems))
