#!/usr/bin/env python3
"""A local Neo4j Community 5.26 server for development, tests and CI, without Docker.

The jars come from Maven Central (scripts/neo4j/pom.xml) and a small Java program
(scripts/neo4j/Server.java) runs the embedded database with Bolt on 127.0.0.1 only.
Standard library only, so it works before the project is installed.

    python scripts/neo4jctl.py fetch
    python scripts/neo4jctl.py start [--port 7687] [--home DIR] [--password P] [--background]
                                     [--allow-file-urls]
    python scripts/neo4jctl.py stop [--home DIR]

As a module::

    with Neo4jServer(password="...") as server:   # free port, temporary home
        print(server.uri)

Environment: IGFMAP_NEO4J_CACHE (jar cache), IGFMAP_NEO4J_HOME (CLI default home),
IGFMAP_NEO4J_JAVA_OPTS (extra JVM options, e.g. -Xmx2g), IGFMAP_NEO4J_CDS=0 (no class-data
archive: a faster first fetch, slower starts), JAVA_HOME.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import hashlib
import os
import re
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import FrameType, TracebackType
from typing import IO

HERE = Path(__file__).resolve().parent
POM = HERE / "neo4j" / "pom.xml"
SERVER_SOURCE = HERE / "neo4j" / "Server.java"

HOST = "127.0.0.1"
DEFAULT_PORT = 7687
USER = "neo4j"
MIN_PASSWORD_LENGTH = 8  # Neo4j's default dbms.security.auth_minimum_password_length
READY_PREFIX = "READY bolt://"
PID_FILE = "neo4j.pid"
LOG_FILE = "server.log"
# The password reaches Java through its environment, never its command line (visible in `ps`).
PASSWORD_ENV = "IGFMAP_NEO4J_SERVER_PASSWORD"
# Neo4j reaches into JDK NIO internals; its own build and launcher open these packages.
ADD_OPENS = [
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
]
# Modest heap so two servers fit beside the test run (page cache: Server.java). Test and dev
# servers live short lives on small machines: the C1 JIT alone and the serial GC halve the
# CPU a start costs (measured: ~9 s vs ~19 s CPU), for ~15% less steady-state throughput.
# IGFMAP_NEO4J_JAVA_OPTS comes later on the command line, so it can override any of these.
JAVA_OPTS = ["-Xms256m", "-Xmx1g", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"]
DEFAULT_PAGE_CACHE_MB = 64  # Server.java's default, when no --page-cache-mb is given
# A server that lives long enough for the full JIT to pay: the JVM's default JIT and collector,
# and a page cache that holds a store of 150,000 entities (about 185 MB on disk).
SERVING_JAVA_OPTS = ["-Xms1g", "-Xmx2g"]
SERVING_PAGE_CACHE_MB = 1024


def _pom_version() -> str:
    ns = {"m": "http://maven.apache.org/POM/4.0.0"}
    node = ET.parse(POM).getroot().find("m:properties/m:neo4j.version", ns)
    if node is None or not node.text:
        raise RuntimeError(f"{POM}: no <neo4j.version> property")
    return node.text.strip()


NEO4J_VERSION = _pom_version()


def cache_dir() -> Path:
    """Where the jars and the compiled server live (one directory per Neo4j version)."""
    override = os.environ.get("IGFMAP_NEO4J_CACHE")
    if override:
        return Path(override).expanduser().resolve()
    return Path.home() / ".cache" / "igf-mapper" / f"neo4j-{NEO4J_VERSION}"


def default_home() -> Path:
    """The CLI's data directory, kept between runs (tests use temporary homes instead)."""
    override = os.environ.get("IGFMAP_NEO4J_HOME")
    if override:
        return Path(override).expanduser().resolve()
    data = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return data / "igf-mapper" / "neo4j"


def _digest(*paths: Path) -> str:
    h = hashlib.sha256()
    for path in paths:
        h.update(path.read_bytes())
    return h.hexdigest()


def launcher_dir(cache: Path) -> Path:
    """The compiled launcher for this Server.java, beside those of other versions.

    Keyed by the source's digest: checkouts on different branches share one cache, and a
    server of one version keeps running while another version is compiled.
    """
    return cache / f"launcher-{_digest(POM, SERVER_SOURCE)[:12]}"


def _tool(name: str) -> str:
    java_home = os.environ.get("JAVA_HOME")
    if java_home and name in ("java", "javac") and (Path(java_home) / "bin" / name).exists():
        return str(Path(java_home) / "bin" / name)
    found = shutil.which(name)
    if not found:
        hint = "Maven 3.8+" if name == "mvn" else "a JDK 17+ (e.g. Debian's openjdk-17-jdk-headless)"
        raise RuntimeError(f"`{name}` not found on PATH: install {hint} (see scripts/install_system_deps.sh)")
    return found


def _run(cmd: list[str], what: str, cwd: Path | None = None) -> None:
    result = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        output = (result.stdout + result.stderr).strip().splitlines()
        tail = "\n".join(output[-40:])
        raise RuntimeError(f"{what} failed (exit {result.returncode}): {shlex.join(cmd)}\n{tail}")


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    # Parallel test workers may fetch at the same time; only one resolves, the others wait.
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _stamp_ok(stamp: Path, expected: str) -> bool:
    try:
        return stamp.read_text().strip() == expected
    except OSError:
        return False


def _replace_dir(partial: Path, final: Path) -> None:
    if final.exists():
        shutil.rmtree(final)
    partial.rename(final)


def _resolve_jars(cache: Path, stamp_value: str, quiet: bool) -> None:
    lib, partial = cache / "lib", cache / "lib.partial"
    if not quiet:
        print(f"Resolving Neo4j {NEO4J_VERSION} jars from Maven Central into {lib} ...", file=sys.stderr)
    shutil.rmtree(partial, ignore_errors=True)
    # A copy of the pom in a scratch directory keeps Maven from writing into the checkout.
    with tempfile.TemporaryDirectory(prefix="igfmap-neo4j-pom-") as tmp:
        shutil.copy(POM, Path(tmp) / "pom.xml")
        cmd = [_tool("mvn"), "-q", "-B", "dependency:copy-dependencies", f"-DoutputDirectory={partial}"]
        _run(cmd, "Resolving the Neo4j jars", cwd=Path(tmp))
    (partial / ".complete").write_text(stamp_value + "\n")
    _replace_dir(partial, lib)


def _java_major(javac: str) -> int:
    result = subprocess.run([javac, "-version"], capture_output=True, text=True, check=False)
    match = re.search(r"javac (\d+)", result.stdout + result.stderr)
    return int(match.group(1)) if match else 0


def _compile_server(cache: Path, stamp_value: str, quiet: bool) -> None:
    # Compiled once: the single-file source launcher would add ~1.5 s to every start. A jar,
    # not a class directory, because class-data sharing only archives classes from jars.
    launcher = launcher_dir(cache)
    partial = launcher.with_name(launcher.name + ".partial")
    javac = _tool("javac")
    major = _java_major(javac)
    if major < 17:
        raise RuntimeError(f"Neo4j {NEO4J_VERSION} needs Java 17 or newer; {javac} is version {major or '?'}")
    if not quiet:
        print(f"Compiling {SERVER_SOURCE.name} ...", file=sys.stderr)
    shutil.rmtree(partial, ignore_errors=True)
    classes = partial / "classes"
    cmd = [javac, "--release", "17", "-d", str(classes), "-cp", str(cache / "lib" / "*"), str(SERVER_SOURCE)]
    _run(cmd, "Compiling the Neo4j server launcher")
    with zipfile.ZipFile(partial / "server.jar", "w") as jar:
        for path in sorted(classes.rglob("*.class")):
            jar.write(path, path.relative_to(classes).as_posix())
    shutil.rmtree(classes)
    (partial / ".complete").write_text(stamp_value + "\n")
    _replace_dir(partial, launcher)


def _java_identity() -> str:
    # A class-data archive only fits the JVM that wrote it.
    java = Path(_tool("java")).resolve()
    return f"{java} {java.stat().st_mtime_ns}"


def _cds_enabled() -> bool:
    # Recording costs ~30 s once and saves ~3 s CPU per start: a one-shot CI run without a
    # persistent cache may prefer IGFMAP_NEO4J_CDS=0.
    return os.environ.get("IGFMAP_NEO4J_CDS", "1") != "0"


def _archive_tried(cache: Path) -> bool:
    return _stamp_ok(launcher_dir(cache) / "server.jsa.java", _java_identity())


def _archive(cache: Path) -> Path | None:
    archive = launcher_dir(cache) / "server.jsa"
    return archive if _cds_enabled() and archive.exists() and _archive_tried(cache) else None


def _train_archive(cache: Path, quiet: bool) -> None:
    """Record the classes a start loads into a class-data-sharing archive (~30% less start CPU).

    Optional: without it servers start a little slower, so a failure here only warns.
    """
    archive = launcher_dir(cache) / "server.jsa"
    partial = archive.with_suffix(".jsa.partial")
    if not quiet:
        print("Recording a class-data-sharing archive for faster starts ...", file=sys.stderr)
    partial.unlink(missing_ok=True)
    archive.unlink(missing_ok=True)
    # Tried once per JVM, even if it fails: a retry on every start would cost more than it saves.
    (launcher_dir(cache) / "server.jsa.java").write_text(_java_identity() + "\n")
    # With a password, so that the auth code paths land in the archive too.
    server = Neo4jServer(password=secrets.token_urlsafe(12))
    server._cache = cache
    server._extra_java_opts = [f"-XX:ArchiveClassesAtExit={partial}"]
    try:
        server.start(timeout=300)
    except RuntimeError as exc:
        if not quiet:
            print(f"warning: no class-data archive (servers still work): {exc}", file=sys.stderr)
        return
    finally:
        server.stop()  # the JVM writes the archive as it exits
    if partial.exists():
        partial.rename(archive)
    elif not quiet:
        print(f"warning: the JVM wrote no class-data archive at {partial}", file=sys.stderr)


def fetch(quiet: bool = False) -> Path:
    """Resolve the Neo4j jars, compile the launcher and record its class-data archive, once.

    Returns the cache directory. Idempotent and fast when already done: it only compares stamps.
    """
    cache = cache_dir()
    lib_stamp, lib_file = _digest(POM), cache / "lib" / ".complete"
    launcher_stamp, launcher_file = _digest(POM, SERVER_SOURCE), launcher_dir(cache) / ".complete"

    def done() -> bool:
        return (
            _stamp_ok(lib_file, lib_stamp)
            and _stamp_ok(launcher_file, launcher_stamp)
            and (_archive_tried(cache) or not _cds_enabled())
        )

    if done():
        return cache
    with _locked(cache / ".lock"):
        if not _stamp_ok(lib_file, lib_stamp):
            _resolve_jars(cache, lib_stamp, quiet)
        if not _stamp_ok(launcher_file, launcher_stamp):
            _compile_server(cache, launcher_stamp, quiet)
        if _cds_enabled() and not _archive_tried(cache):
            _train_archive(cache, quiet)
    return cache


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def _port_in_use(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        # As the server does: connections of an earlier run in TIME_WAIT do not block the port.
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((HOST, port))
        except OSError:
            return True
        return False


def _accepts(port: int) -> bool:
    try:
        with socket.create_connection((HOST, port), timeout=1):
            return True
    except OSError:
        return False


def _tail(path: Path, lines: int = 30) -> str:
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return f"(no log at {path})"
    return "\n".join(text.strip().splitlines()[-lines:]) or f"({path} is empty)"


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie still answers to kill(0); on Linux /proc tells the truth.
    stat = Path(f"/proc/{pid}/stat")
    if stat.exists():
        with contextlib.suppress(OSError):
            return stat.read_text().split(")")[-1].split()[0] != "Z"
    return True


def _running_pid(home: Path) -> int | None:
    """The pid recorded in HOME if that process is still our server, else None."""
    try:
        pid = int((home / PID_FILE).read_text().strip())
    except (OSError, ValueError):
        return None
    if not _pid_alive(pid):
        return None
    cmdline = Path(f"/proc/{pid}/cmdline")
    if cmdline.exists():
        # Guard against a recycled pid: it must be a Server launched for this very home.
        with contextlib.suppress(OSError):
            args = cmdline.read_bytes().split(b"\0")
            if b"Server" not in args or str(home).encode() not in args:
                return None
    return pid


class Neo4jServer:
    """A Neo4j server process on 127.0.0.1, usable as a context manager.

    port=None picks a free port; home=None uses a temporary directory that stop() deletes;
    password=None disables auth, otherwise user ``neo4j`` gets that password (also on an existing
    home: restarting it with its password works, another password replaces it). detach=True
    leaves the server running after this process exits (the CLI's --background).
    allow_file_urls=True lets ``LOAD CSV`` read ``file:///`` URLs, under HOME/import only; by
    default it may not read local files at all.

    The defaults suit tests: a 64 MiB page cache and :data:`JAVA_OPTS` (small heap, quick
    JIT). A server that should answer big queries fast (the scale benchmark) passes
    ``page_cache_mb`` large enough for its store and ``java_opts`` in place of JAVA_OPTS, e.g.
    :data:`SERVING_JAVA_OPTS`.
    """

    def __init__(
        self,
        port: int | None = None,
        home: str | os.PathLike[str] | None = None,
        password: str | None = None,
        *,
        detach: bool = False,
        allow_file_urls: bool = False,
        page_cache_mb: int | None = None,
        java_opts: Sequence[str] | None = None,
    ) -> None:
        self.port = port
        self.home = Path(home).expanduser().resolve() if home is not None else None
        self.password = password
        self.user = USER
        self.detach = detach
        self.allow_file_urls = allow_file_urls
        self.page_cache_mb = page_cache_mb
        self.java_opts = list(java_opts) if java_opts is not None else None
        self._owns_home = False
        self._proc: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None
        # Set by fetch() for its archive-recording run, which must not call fetch() again.
        self._cache: Path | None = None
        self._extra_java_opts: list[str] = []

    @property
    def uri(self) -> str:
        if self.port is None:
            raise RuntimeError("the server has no port yet: call start() first")
        return f"bolt://{HOST}:{self.port}"

    @property
    def auth(self) -> tuple[str, str] | None:
        """Credentials for the Python driver (None when auth is off)."""
        return (self.user, self.password) if self.password is not None else None

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    @property
    def log_path(self) -> Path:
        if self.home is None:
            raise RuntimeError("the server has no home yet: call start() first")
        return self.home / LOG_FILE

    def __repr__(self) -> str:  # never shows the password
        auth = "on" if self.password is not None else "off"
        return f"Neo4jServer(port={self.port}, home={self.home}, auth={auth}, pid={self.pid})"

    def __enter__(self) -> Neo4jServer:
        if self._proc is None:
            self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def start(self, timeout: float = 120) -> Neo4jServer:
        """Start the server and wait until Bolt accepts connections; RuntimeError on failure."""
        if self._proc is not None:
            raise RuntimeError(f"already started: {self!r}")
        if self.password is not None and len(self.password) < MIN_PASSWORD_LENGTH:
            # Neo4j would refuse it only after a full start; say so at once.
            raise RuntimeError(f"the Neo4j password must be at least {MIN_PASSWORD_LENGTH} characters")
        cache = self._cache or fetch(quiet=True)
        if self.home is None:
            self.home = Path(tempfile.mkdtemp(prefix="igfmap-neo4j-"))
            self._owns_home = True
        self.home.mkdir(parents=True, exist_ok=True)
        running = _running_pid(self.home)
        if running is not None:
            raise RuntimeError(f"a Neo4j server (pid {running}) already runs with home {self.home}")
        if self.port is None:
            self.port = _free_port()
        elif _port_in_use(self.port):
            raise RuntimeError(f"port {self.port} on {HOST} is already in use")

        archive = _archive(cache)
        cmd = [
            _tool("java"),
            *ADD_OPENS,
            *(JAVA_OPTS if self.java_opts is None else self.java_opts),
            # The class-data archive was recorded with JAVA_OPTS; other options may not match it.
            *(
                [f"-XX:SharedArchiveFile={archive}"]
                if archive and not self._extra_java_opts and self.java_opts is None
                else []
            ),
            *self._extra_java_opts,
            *shlex.split(os.environ.get("IGFMAP_NEO4J_JAVA_OPTS", "")),
            "-cp",
            os.pathsep.join([str(launcher_dir(cache) / "server.jar"), str(cache / "lib" / "*")]),
            "Server",
            "--home",
            str(self.home),
            "--port",
            str(self.port),
        ]
        env = {k: v for k, v in os.environ.items() if k != PASSWORD_ENV}
        if self.password is not None:
            cmd += ["--password-env", PASSWORD_ENV]
            env[PASSWORD_ENV] = self.password
        if self.detach:
            cmd.append("--ignore-stdin")
        if self.page_cache_mb is not None:
            cmd += ["--page-cache-mb", str(int(self.page_cache_mb))]
        if self.allow_file_urls:
            cmd.append("--allow-file-urls")
            (self.home / "import").mkdir(exist_ok=True)

        self._log = self.log_path.open("wb")
        self._proc = subprocess.Popen(
            cmd,
            cwd=self.home,
            env=env,
            # Attached servers watch this pipe: if this process dies, the pipe closes and Java exits.
            stdin=subprocess.DEVNULL if self.detach else subprocess.PIPE,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            # Own session: Ctrl-C reaches us, and we stop the server in order.
            start_new_session=True,
        )
        (self.home / PID_FILE).write_text(f"{self._proc.pid}\n")
        try:
            self._wait_ready(timeout)
        except BaseException:
            # Keep a failed server's home (and its logs) for the post-mortem the error points to.
            self._owns_home = False
            self.stop()
            raise
        return self

    def _wait_ready(self, timeout: float) -> None:
        assert self._proc is not None
        deadline = time.monotonic() + timeout
        ready_line = f"{READY_PREFIX}{HOST}:{self.port}"
        while time.monotonic() < deadline:
            code = self._proc.poll()
            if code is not None:
                raise RuntimeError(
                    f"Neo4j server exited with code {code} before it was ready. "
                    f"Last lines of {self.log_path}:\n{_tail(self.log_path)}\n"
                    f"(details in {self.home / 'logs' / 'debug.log'})"
                )
            if ready_line in self.log_path.read_text(errors="replace") and _accepts(self.port):
                return
            time.sleep(0.1)
        raise RuntimeError(
            f"Neo4j server not ready on {self.uri} after {timeout:.0f} s. "
            f"Last lines of {self.log_path}:\n{_tail(self.log_path)}"
        )

    def stop(self, timeout: float = 60) -> None:
        """Stop the server (SIGTERM, then SIGKILL after timeout); safe to call twice."""
        proc, self._proc = self._proc, None
        if proc is not None:
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(timeout)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
            if proc.stdin is not None:
                proc.stdin.close()
            if self.home is not None:
                with contextlib.suppress(FileNotFoundError):
                    (self.home / PID_FILE).unlink()
        if self._log is not None:
            self._log.close()
            self._log = None
        if self._owns_home and self.home is not None:
            shutil.rmtree(self.home, ignore_errors=True)
            self._owns_home = False
            self.home = None  # a later start() gets a fresh temporary home

    def wait(self) -> int:
        """Block until the server process ends; return its exit code."""
        if self._proc is None:
            raise RuntimeError("the server is not running")
        return self._proc.wait()


def stop_home(home: str | os.PathLike[str], timeout: float = 60) -> int | None:
    """Stop the server recorded in HOME's pid file; return its pid, or None if none was running."""
    home = Path(home).expanduser().resolve()
    pid = _running_pid(home)
    if pid is None:
        with contextlib.suppress(FileNotFoundError):
            (home / PID_FILE).unlink()
        return None
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while _pid_alive(pid):
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            break
        time.sleep(0.1)
    with contextlib.suppress(FileNotFoundError):
        (home / PID_FILE).unlink()
    return pid


def _connect_hint(server: Neo4jServer) -> str:
    lines = [f"  export IGFMAP_NEO4J_URI={server.uri}"]
    if server.password is not None:
        # The password itself is never printed.
        lines.append(f"  export NEO4J_USERNAME={server.user} NEO4J_PASSWORD=<the password you gave>")
    return "\n".join(lines)


def _cmd_fetch(args: argparse.Namespace) -> int:
    start = time.monotonic()
    cache = fetch(quiet=False)
    print(f"Neo4j {NEO4J_VERSION} ready in {cache} ({time.monotonic() - start:.1f} s)")
    return 0


def _raise_interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def _cmd_start(args: argparse.Namespace) -> int:
    home = Path(args.home) if args.home else default_home()
    fetch(quiet=False)
    server = Neo4jServer(
        port=args.port,
        home=home,
        password=args.password,
        detach=args.background,
        allow_file_urls=args.allow_file_urls,
        page_cache_mb=args.page_cache_mb or (SERVING_PAGE_CACHE_MB if args.serving else None),
        java_opts=SERVING_JAVA_OPTS if args.serving else None,
    )
    began = time.monotonic()
    server.start(timeout=args.timeout)
    auth = "on (user neo4j)" if args.password is not None else "off"
    files = f"LOAD CSV reads files under {home / 'import'}" if args.allow_file_urls else "no file URLs"
    cache = f"page cache {server.page_cache_mb or DEFAULT_PAGE_CACHE_MB} MiB{', set up to serve' if args.serving else ''}"
    print(
        f"Neo4j {NEO4J_VERSION} ready at {server.uri} in {time.monotonic() - began:.1f} s "
        f"(auth {auth}; {files}; {cache}; home {home}; log {server.log_path})"
    )
    print("Connect with:\n" + _connect_hint(server))
    if args.background:
        print(
            f"Running in the background (pid {server.pid}); stop it with: python {sys.argv[0]} stop --home {home}"
        )
        return 0

    print("Press Ctrl-C to stop.", flush=True)
    # Ctrl-C (even if a parent shell ignored SIGINT) and SIGTERM both stop the server in order.
    signal.signal(signal.SIGINT, _raise_interrupt)
    signal.signal(signal.SIGTERM, _raise_interrupt)
    try:
        code = server.wait()
    except KeyboardInterrupt:
        print("\nStopping Neo4j ...", flush=True)
        server.stop()
        return 0
    print(f"Neo4j exited unexpectedly (code {code}). Last lines of {server.log_path}:", file=sys.stderr)
    print(_tail(server.log_path), file=sys.stderr)
    server.stop()
    return 1


def _cmd_stop(args: argparse.Namespace) -> int:
    home = Path(args.home) if args.home else default_home()
    pid = stop_home(home)
    print(f"Stopped Neo4j (pid {pid})." if pid is not None else f"No Neo4j server running with home {home}.")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="neo4jctl.py", description=(__doc__ or "").split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser(
        "fetch", help="resolve the jars from Maven Central and compile the launcher (once)"
    ).set_defaults(func=_cmd_fetch)
    start = sub.add_parser("start", help="run a server (foreground unless --background)")
    start.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"Bolt port (default {DEFAULT_PORT})")
    start.add_argument("--home", help="data directory (default: $IGFMAP_NEO4J_HOME or ~/.local/share/...)")
    start.add_argument(
        "--password",
        help="enable auth with this password for user neo4j (8+ characters; sets it on an existing home too)",
    )
    start.add_argument("--background", action="store_true", help="detach; stop with the stop command")
    start.add_argument(
        "--allow-file-urls",
        action="store_true",
        help="let LOAD CSV read file:/// URLs, from HOME/import only (default: no local files)",
    )
    start.add_argument(
        "--serving",
        action="store_true",
        help=f"set up for big stores: a {SERVING_PAGE_CACHE_MB} MiB page cache, the JVM's full JIT and a "
        "2 GB heap (starts slower; default: small and quick, for tests and the seed)",
    )
    start.add_argument(
        "--page-cache-mb",
        type=int,
        help=f"page cache size in MiB (default {DEFAULT_PAGE_CACHE_MB}, or as --serving)",
    )
    start.add_argument("--timeout", type=float, default=120, help="seconds to wait for readiness")
    start.set_defaults(func=_cmd_start)
    stop = sub.add_parser("stop", help="stop a server started with --background")
    stop.add_argument("--home", help="data directory the server was started with")
    stop.set_defaults(func=_cmd_stop)

    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except RuntimeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
