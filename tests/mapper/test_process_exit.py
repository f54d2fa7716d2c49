"""igfmap ends its process without the interpreter's shutdown (mapper.cli.common.exit_flushed):
output flushed, atexit handlers run, the exit code as sys.exit reads it."""

from __future__ import annotations

import subprocess
import sys

import pytest

CODE = """
import atexit, sys
from mapper.cli.common import exit_flushed
atexit.register(lambda: sys.stdout.write(" and the atexit handler"))
sys.stdout.write("buffered output")  # no newline, no flush: still written
exit_flushed({code})
"""


@pytest.mark.parametrize(
    ("code", "status", "stderr"),
    [("0", 0, ""), ("None", 0, ""), ("4", 4, ""), ("'no store here'", 1, "no store here\n")],
)
def test_exit_flushes_runs_atexit_and_keeps_the_code(code: str, status: int, stderr: str) -> None:
    done = subprocess.run(
        [sys.executable, "-c", CODE.format(code=code)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == status
    assert done.stdout == "buffered output and the atexit handler"
    assert done.stderr == stderr
