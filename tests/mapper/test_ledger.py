"""The outputs ledger stays consistent with its outputs: concurrent exports, a full disk."""

from __future__ import annotations

import json
import resource
import signal
import subprocess
import sys
from pathlib import Path

from mapper.outputs import LEDGER, is_own_file
from mapper.store import init_store

IGFMAP = str(Path(sys.executable).parent / "igfmap")


def _export(store: Path, out: Path, *extra: str, **kwargs: object) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [IGFMAP, "--store", str(store), "export", "--format", "json", "--out", str(out), *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kwargs,  # type: ignore[arg-type]
    )


def test_five_simultaneous_exports_each_keep_their_ledger_entry(tmp_path: Path) -> None:
    store = tmp_path / "s.json"
    init_store(store)
    out = tmp_path / "out"
    out.mkdir()
    names = [f"e{i}.json" for i in range(5)]
    for _round in range(3):  # the lost entry showed in 1 run of 6 before the lock
        running = [_export(store, out / name, "--force") for name in names]
        for process in running:
            _stdout, stderr = process.communicate(timeout=120)
            assert process.returncode == 0, stderr
        ledger = json.loads((out / LEDGER).read_text(encoding="utf-8"))
        assert sorted(ledger["files"]) == names
        assert all(is_own_file(out / name, "export-json") for name in names)
    # And so the next run replaces each without --force.
    again = _export(store, out / names[0])
    assert again.communicate(timeout=120)[1].startswith("wrote ") and again.returncode == 0


def _file_size_limit(limit: int) -> None:
    # In the child: files may not grow past `limit` bytes (EFBIG, as a full disk gives ENOSPC).
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


def test_a_ledger_that_cannot_be_written_leaves_no_unrecorded_output(tmp_path: Path) -> None:
    store = tmp_path / "s.json"
    init_store(store)
    out = tmp_path / "out"
    out.mkdir()
    first = _export(store, out / "a.json")
    assert first.communicate(timeout=120)[1].startswith("wrote ")
    size = (out / "a.json").stat().st_size
    # A ledger bigger than the export: many earlier outputs in the folder.
    (out / LEDGER).write_text(
        json.dumps(
            {
                "generator": "igf-mapper",
                "files": {
                    "a.json": json.loads((out / LEDGER).read_text())["files"]["a.json"],
                    **{
                        f"old{i:05}.csv": {"kind": "export-csv", "sha256": "0" * 64}
                        for i in range(size // 60)
                    },
                },
            },
            indent=1,
        )
    )
    for i in range(size // 60):
        (out / f"old{i:05}.csv").touch()
    ledger_before = (out / LEDGER).read_bytes()
    assert len(ledger_before) > size + 4096
    export = _export(store, out / "b.json", preexec_fn=lambda: _file_size_limit(size + 4096))
    _stdout, stderr = export.communicate(timeout=120)
    assert export.returncode == 1
    assert stderr == (
        f"error: {out / 'b.json'}: written, but could not be recorded in {out / LEDGER} "
        "(File too large); removed it again, so nothing was written\n"
    )
    assert not (out / "b.json").exists()
    assert (out / LEDGER).read_bytes() == ledger_before
    assert not [p.name for p in out.iterdir() if p.name.endswith(".tmp")]  # no temp file
    # The next run, with room, writes it without --force.
    again = _export(store, out / "b.json")
    assert again.communicate(timeout=120)[1].startswith("wrote ") and again.returncode == 0
    assert is_own_file(out / "b.json", "export-json")
