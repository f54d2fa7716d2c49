"""Output-path safety: what a command may write, with what mode, and how it appears.

A user's files are sacred (design section 5, "Outputs"):

- :func:`check_output` decides whether ``--out`` may be written. A missing path may. An
  existing file or a non-empty folder may only when it is recognisably this tool's own earlier
  output *of the same kind*, unchanged since, or with ``force``. The store and the inputs are
  never written over, not even with ``force``.
- "Recognisably its own": a folder the tool wrote (report bundle, CSV export, CSV template)
  carries a manifest, :data:`MANIFEST`, listing each file with its SHA-256; a single file is
  listed in the ledger :data:`LEDGER` of its folder with its kind and SHA-256 (an HTML map is
  also recognised by its ``<meta name="generator" content="igf-mapper">``). A file the user
  edited since no longer matches its hash, so it counts as the user's.
- Every file gets the mode the umask gives (:func:`file_mode`, read once at start-up), or keeps
  the mode of the file it replaces.
- Multi-file outputs are built in a staging folder beside the target and swapped in whole
  (:func:`replace_dir_atomically`): readers see the old folder or the new one, never a mix.
- Temporary names carry host and process id (:func:`temp_path`); :func:`sweep_stale` removes
  the ones a killed command left, the next time the same target is written.

>>> import tempfile, pathlib
>>> out = pathlib.Path(tempfile.mkdtemp()) / "map.html"
>>> check_output(out, "map") == out
True
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import hashlib
import io
import json
import os
import re
import secrets
import shutil
import signal
import socket
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

from mapper.errors import IgfmapError, note_commit

#: The manifest a folder output carries (report bundle, CSV export, CSV template).
MANIFEST = ".igfmap-manifest.json"
#: The ledger of the single-file outputs written into a folder (maps, exports, templates).
LEDGER = ".igfmap-outputs.json"
GENERATOR = "igf-mapper"
#: Temporary names left by a process on another host are removed after this many seconds.
STALE_SECONDS = 24 * 3600
#: A temporary name of the old format (before names carried host and process id:
#: ``TARGET.XXXXXXXX.tmp``, from :func:`tempfile.mkstemp`) is removed once unchanged this long
#: and open in no process: its writer wrote to it all the while it ran.
OLD_FORMAT_SECONDS = 3600
#: The random part :func:`tempfile.mkstemp` gives a name: 8 of these characters.
_MKSTEMP_NAME = re.compile(r"[a-z0-9_]{8}")


class OutputError(IgfmapError):
    """An output path that may not be written (exit code 1); the message says how to proceed."""

    exit_code = 1


def _read_umask() -> int:
    # os.umask can only be read by setting it; done once at import, before any thread starts.
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


UMASK = _read_umask()


def file_mode() -> int:
    """The mode a new file gets from the umask (``0o666 & ~umask``)."""
    return 0o666 & ~UMASK


def dir_mode() -> int:
    """The mode a new folder gets from the umask (``0o777 & ~umask``)."""
    return 0o777 & ~UMASK


# --- temporary names ------------------------------------------------------------------------

_HOST = socket.gethostname().replace(".", "_").replace("-", "_") or "host"


def temp_path(target: Path, suffix: str = "tmp") -> Path:
    """A hidden name beside ``target`` that says which process made it (for :func:`sweep_stale`)."""
    target = Path(target)
    token = secrets.token_hex(4)
    return target.with_name(f".{target.name}.igfmap-{_HOST}-{os.getpid()}-{token}.{suffix}")


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return True


def _is_stale(name: str, prefix: str, every: bool) -> bool:
    """Whether the temporary ``name`` (made by :func:`temp_path`) belongs to no live process."""
    if every:
        return True
    try:
        host, pid, _token = name[len(prefix) :].rsplit(".", 1)[0].rsplit("-", 2)
        pid_number = int(pid)
    except ValueError:
        return False
    if host == _HOST:
        return pid_number != os.getpid() and not _pid_alive(pid_number)
    return False  # another host: judged by age in sweep_stale


def _old_format(target: Path, name: str) -> bool:
    """Whether ``name`` is a temporary name of ``target`` in the old format (``TARGET.XXXXXXXX.tmp``)."""
    head, dot, rest = name.partition(f"{target.name}.")
    return not head and bool(dot) and rest.endswith(".tmp") and bool(_MKSTEMP_NAME.fullmatch(rest[:-4]))


def _open_anywhere(path: Path) -> bool:
    """Whether a process this user can see holds ``path`` open (Linux's /proc; elsewhere, and
    for other users' processes, unknown: the age test alone then decides)."""
    try:
        pids = [p for p in os.listdir("/proc") if p.isdigit()]
    except OSError:
        return False
    wanted = os.path.realpath(path)
    for pid in pids:
        with contextlib.suppress(OSError):
            if any(os.readlink(f"/proc/{pid}/fd/{fd}") == wanted for fd in os.listdir(f"/proc/{pid}/fd")):
                return True
    return False


def _stale_names(parent: Path, target: Path, every: bool) -> list[str]:
    """The temporary names of ``target`` in ``parent`` whose writer is gone (see :func:`sweep_stale`)."""
    prefix = f".{target.name}.igfmap-"
    try:
        names = sorted(os.listdir(parent))
    except OSError:
        return []
    stale: list[str] = []
    for name in names:
        if name.startswith(prefix):
            gone = _is_stale(name, prefix, every)
            limit = STALE_SECONDS
        elif _old_format(target, name):
            gone, limit = False, OLD_FORMAT_SECONDS
        else:
            continue
        with contextlib.suppress(OSError):
            gone = gone or time.time() - (parent / name).lstat().st_mtime > limit
        if gone and not (limit == OLD_FORMAT_SECONDS and _open_anywhere(parent / name)):
            stale.append(name)
    return stale


def sweep_stale(target: Path, every: bool = False) -> list[Path]:
    """Remove the temporary files and folders that killed writers of ``target`` left beside it.

    A name of :func:`temp_path` is stale when its process is gone (on this host), when it is
    older than :data:`STALE_SECONDS` (another host's), or with ``every`` (the caller holds the
    target's lock, so any temporary name of it is stale). A name of the old format, which says
    nothing about its writer, when it has not changed for :data:`OLD_FORMAT_SECONDS` and no
    process holds it open. A folder swap interrupted between its two renames is undone (the old
    folder comes back). Returns what was removed or restored.
    """
    target = Path(target)
    parent = target.parent
    removed: list[Path] = []
    for name in _stale_names(parent, target, every):
        path = parent / name
        with contextlib.suppress(OSError):
            if name.endswith(".old") and not target.exists() and path.is_dir():
                os.rename(path, target)  # a swap killed half-way: the old folder was whole
            elif path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink()
            removed.append(path)
    return removed


# --- recognising the tool's own outputs ----------------------------------------------------


# --- writing ------------------------------------------------------------------------------


def real_path(path: Path | str) -> Path:
    """``path`` with every symlink resolved: a linked store is written (and locked) where it lives."""
    return Path(os.path.realpath(path))


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so readers see the old or the new file, never a mix."""
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_lines(path: Path, lines: Iterable[str]) -> None:
    """Write the text ``lines`` make to ``path`` as they are made (a big export is never
    held whole in memory), atomically like :func:`atomic_write_bytes`; ``lines`` is only
    consumed once the temp file is open, and a failure while making them writes nothing."""

    def write(handle: BinaryIO) -> None:
        text = io.TextIOWrapper(handle, encoding="utf-8", newline="")
        text.writelines(lines)
        text.flush()
        text.detach()  # the caller still fsyncs and closes the binary handle

    _atomic_write(path, write)


@contextlib.contextmanager
def signals_held() -> Iterator[None]:
    """Hold SIGINT and SIGTERM back (they arrive right after) while a commit and the note that
    says it was made happen as one step: an interrupt between the two would report the change
    as not written. Only the main thread can be interrupted; elsewhere this does nothing."""
    if not hasattr(signal, "pthread_sigmask") or threading.current_thread() is not threading.main_thread():
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def atomic_write_bytes(
    path: Path,
    data: bytes,
    mode: int | None = None,
    before_rename: Callable[[], None] | None = None,
    commit: str = "",
) -> None:
    """Write ``data`` to ``path`` atomically (temp file beside it, fsync, rename).

    ``before_rename`` runs right before the rename (a compare-and-swap check): when it raises,
    the temp file is removed and nothing is written. ``commit``: the rename is a commit point;
    this phrase (``"s.json was written in full"``) is noted (:func:`~mapper.errors.note_commit`)
    together with it, so that a later interrupt says the change was written.

    A symlink is written through (the file it points to is replaced, the link stays). The file
    keeps the mode of the file it replaces, or gets ``mode``, or the umask's
    (:func:`file_mode`); temp files of killed writers are swept first.
    """
    _atomic_write(path, lambda handle: handle.write(data), mode, before_rename, commit)


def _atomic_write(
    path: Path,
    write: Callable[[BinaryIO], object],
    mode: int | None = None,
    before_rename: Callable[[], None] | None = None,
    commit: str = "",
) -> None:
    """The one atomic writer: ``write`` fills a temp file beside ``path``, then it is renamed
    (see :func:`atomic_write_bytes` for ``mode``, ``before_rename`` and ``commit``)."""
    path = real_path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if mode is None:
        try:
            mode = path.stat().st_mode & 0o7777
        except FileNotFoundError:
            mode = file_mode()
    sweep_stale(path)
    tmp = temp_path(path)
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)  # created 0600 so no one reads it half-written; now the final mode
        if before_rename is not None:
            before_rename()
        with signals_held():
            os.replace(tmp, path)
            if commit:
                note_commit(commit)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    # fsync the directory so the rename itself survives a crash.
    with contextlib.suppress(OSError):
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) and data.get("generator") == GENERATOR else {}


def _ledger_entry(path: Path) -> dict[str, Any]:
    entry = _read_json(path.parent / LEDGER).get("files", {}).get(path.name)
    return entry if isinstance(entry, dict) else {}


def _has_generator_meta(path: Path) -> bool:
    try:
        with open(path, "rb") as handle:
            head = handle.read(4096)
    except OSError:
        return False
    return b'<meta name="generator" content="igf-mapper">' in head


def is_own_file(path: Path, kind: str) -> bool:
    """Whether the file ``path`` is this tool's earlier output of ``kind``, unchanged since."""
    entry = _ledger_entry(path)
    if entry:
        return entry.get("kind") == kind and entry.get("sha256") == sha256_file(path)
    return kind == "map" and _has_generator_meta(path)


def _dir_files(folder: Path) -> list[str]:
    return sorted(
        p.relative_to(folder).as_posix() for p in folder.rglob("*") if not p.is_dir() and p.name != MANIFEST
    )


def foreign_entry(folder: Path, kind: str) -> str | None:
    """Why the folder is not this tool's unchanged output of ``kind`` (None when it is)."""
    manifest = _read_json(folder / MANIFEST)
    if not manifest:
        return f"it has no {MANIFEST} (not written by igfmap)"
    if manifest.get("kind") != kind:
        return f"it holds igfmap {manifest.get('kind')!r} output, not {kind!r}"
    listed = manifest.get("files", {})
    for name in _dir_files(folder):
        if name not in listed:
            return f"{name} was not written by igfmap"
        if listed[name] != sha256_file(folder / name):
            return f"{name} changed since igfmap wrote it"
    return None


def write_manifest(folder: Path, kind: str) -> Path:
    """List every file under ``folder`` with its SHA-256 in ``folder/MANIFEST``."""
    files = {name: sha256_file(folder / name) for name in _dir_files(folder)}
    doc = {"generator": GENERATOR, "kind": kind, "files": files}
    path = folder / MANIFEST
    atomic_write_text(path, json.dumps(doc, indent=1, sort_keys=True) + "\n")
    return path


@contextlib.contextmanager
def _folder_locked(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``folder`` itself (flock on the directory: no lock file left
    among the user's files), for the short read-modify-write of its ledger."""
    import fcntl

    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def record_output(path: Path, kind: str) -> None:
    """Note in the folder's ledger that ``path`` is this tool's ``kind`` output (with its hash).

    Under a lock on the folder, so that commands writing into one folder at once each keep
    their entry (a read-modify-write without it lost one in six runs of five exports).
    """
    path = Path(os.path.realpath(path))
    ledger = path.parent / LEDGER
    digest = sha256_file(path)
    with _folder_locked(path.parent):
        doc = _read_json(ledger) or {"generator": GENERATOR, "files": {}}
        files = {n: e for n, e in doc.get("files", {}).items() if (path.parent / n).is_file()}
        files[path.name] = {"kind": kind, "sha256": digest}
        doc["files"] = dict(sorted(files.items()))
        atomic_write_text(ledger, json.dumps(doc, indent=1) + "\n")


def _record_or_remove(path: Path, kind: str) -> None:
    """Record the output just written, or (the ledger cannot be written: a full disk) remove
    it, so the output and the ledger never disagree: an unrecorded file would be refused as
    the user's by the next run."""
    try:
        record_output(path, kind)
    except OSError as err:
        with contextlib.suppress(OSError):
            path.unlink()
        raise OutputError(
            f"{path}: written, but could not be recorded in {path.parent / LEDGER} "
            f"({err.strerror or err}); removed it again, so nothing was written"
        ) from None


# --- deciding ------------------------------------------------------------------------------


def _same_or_inside(path: Path, other: Path) -> bool:
    return path == other or other.is_relative_to(path)


def check_output(
    path: Path | str,
    kind: str,
    force: bool = False,
    *,
    directory: bool = False,
    protected: Iterable[Path | str] = (),
    option: str = "--out",
) -> Path:
    """Decide whether ``path`` may be written as output ``kind``; return it, or raise :class:`OutputError`.

    Parameters
    ----------
    path : the file (or, with ``directory``, the folder) to write.
    kind : what is written, e.g. ``"map"``, ``"report"``, ``"export-csv"``, ``"template-csv"``.
    force : replace an existing file or folder that is not the tool's own output of ``kind``.
    protected : the store and the inputs: never written over, and never inside a replaced folder.
    option : how the path was given, for the messages.
    """
    if not directory and isinstance(path, str) and path.endswith(("/", os.sep)):
        raise OutputError(
            f"{option} {path}: names a folder, but {kind} writes a file; give a file name "
            f"(e.g. {Path(path) / _example_name(kind)})"
        )
    path = Path(path)
    real = Path(os.path.realpath(path))
    for guarded in protected:
        guarded_real = Path(os.path.realpath(guarded))
        if guarded_real == real or (directory and _same_or_inside(real, guarded_real)):
            raise OutputError(
                f"{option} {path}: {'holds' if guarded_real != real else 'is'} the store or an input "
                f"({guarded}); igfmap never writes over it, choose another {option}"
            )
    parent = real.parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if not parent.is_dir():
        raise OutputError(f"{option} {path}: {parent} is a file, not a folder; choose another {option}")
    if not real.exists():
        return path
    if directory:
        if not real.is_dir():
            raise OutputError(
                f"{option} {path}: is a file, but {kind} writes a folder; give a folder name "
                f"(e.g. {path.with_suffix('')}-{kind.split('-')[0]}/)"
            )
        if not any(real.iterdir()) or force:
            return path
        why = foreign_entry(real, kind)
        if why is None:
            return path
        raise OutputError(
            f"{option} {path}: folder exists and is not igfmap's earlier {kind} output ({why}); "
            f"choose an empty or new folder, or pass --force to replace the whole folder"
        )
    if real.is_dir():
        raise OutputError(
            f"{option} {path}: is a folder, but {kind} writes a file; give a file name "
            f"(e.g. {path / _example_name(kind)})"
        )
    if force or is_own_file(real, kind):
        return path
    raise OutputError(
        f"{option} {path}: file exists and is not igfmap's earlier {kind} output (or was changed "
        f"since); choose another {option}, or pass --force to replace it"
    )


def _example_name(kind: str) -> str:
    if kind == "map":
        return "igfmap-map.html"
    if kind.startswith("export-"):
        return f"igfmap.{kind.removeprefix('export-')}"
    return "collect.xlsx"


# --- replacing a folder whole ----------------------------------------------------------------

_RENAME_EXCHANGE = 2


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths (Linux renameat2); False when the system cannot."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd = -100
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE)
    return bool(result == 0)  # a C int from ctypes


def replace_dir_atomically(staging: Path, target: Path) -> None:
    """Put the finished folder ``staging`` in the place of ``target`` (which may not exist).

    Where the system can swap two names atomically (Linux), readers see the old folder or the
    new one; elsewhere there is a moment between two renames when ``target`` is missing, and a
    kill then leaves the old folder under a hidden name that :func:`sweep_stale` restores.
    """
    staging, target = Path(staging), Path(os.path.realpath(target))
    if not target.exists():
        os.rename(staging, target)
        return
    if _exchange(staging, target):
        shutil.rmtree(staging)  # now holds the old content
        return
    old = temp_path(target, "old")
    os.rename(target, old)
    os.rename(staging, target)
    shutil.rmtree(old)


@contextlib.contextmanager
def output_path(
    path: Path | str,
    kind: str,
    force: bool = False,
    *,
    directory: bool = False,
    protected: Iterable[Path | str] = (),
    option: str = "--out",
) -> Iterator[Path]:
    """Check ``path`` (:func:`check_output`), yield where to write, then make it appear whole.

    For a file, yields ``path`` (the writer writes it atomically) and records it in the
    ledger afterwards. For a folder, yields a fresh staging folder beside it; when the block
    ends without error the manifest is added and the staging folder replaces ``path`` whole.
    """
    path = check_output(path, kind, force, directory=directory, protected=protected, option=option)
    real = Path(os.path.realpath(path))
    sweep_stale(real)
    if not directory:
        yield path
        if real.is_file():
            _record_or_remove(real, kind)
        return
    real.parent.mkdir(parents=True, exist_ok=True)
    staging = temp_path(real, "tmpdir")
    staging.mkdir(mode=dir_mode())
    try:
        yield staging
        write_manifest(staging, kind)
        os.chmod(staging, real.stat().st_mode & 0o7777 if real.is_dir() else dir_mode())
        replace_dir_atomically(staging, real)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


__all__ = [
    "LEDGER",
    "MANIFEST",
    "OutputError",
    "check_output",
    "dir_mode",
    "file_mode",
    "foreign_entry",
    "is_own_file",
    "output_path",
    "record_output",
    "replace_dir_atomically",
    "sweep_stale",
    "temp_path",
    "write_manifest",
]
