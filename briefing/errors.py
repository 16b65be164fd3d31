"""Errors the command line turns into one line and exit code 1."""

from __future__ import annotations


_MAX_PROBLEM = 300


class BriefingError(Exception):
    """A problem the user can fix; ``str()`` is one line naming the path and the problem."""

    def __init__(self, path: object, problem: str) -> None:
        from .decode import readable_name

        self.path = readable_name(str(path))
        # One line, whatever a library put in its message (python-docx: kilobytes, many lines).
        problem = " ".join(problem.split())
        self.problem = problem if len(problem) <= _MAX_PROBLEM else problem[: _MAX_PROBLEM - 1] + "…"
        super().__init__(f"{self.path}: {problem}")

    def __reduce__(self):  # type: ignore[no-untyped-def]
        # Errors cross from the summarising worker process to the command line by pickle.
        return (type(self), (self.path, self.problem))


class InputError(BriefingError):
    """A seed file or folder that cannot be read into articles."""


class OutputError(BriefingError):
    """A document that could not be written (permissions, full disk, a failing renderer)."""


class ConfigError(BriefingError):
    """A configuration file with an unknown key or a bad value."""
