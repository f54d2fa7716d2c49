"""A loopback TCP proxy that can freeze: the network stalls, both ends stay connected.

Once :meth:`FreezingProxy.freeze` is called it stops forwarding in both directions, but keeps
every socket open (the kernel still acknowledges what arrives), as a network that drops a
connection's packets on the floor would look from the client.
"""

from __future__ import annotations

import socket
import threading
from typing import Any


class FreezingProxy:
    """Forward ``127.0.0.1:<port>`` to ``target`` until frozen. Use as a context manager."""

    def __init__(self, target: tuple[str, int], freeze_after: int | None = None):
        self.target = target
        #: Freeze by itself once the server has sent this many bytes through the proxy.
        self.freeze_after = freeze_after
        self.forwarded = 0  # bytes from the server to the client
        self.frozen = threading.Event()
        self._closed = threading.Event()
        self._sockets: list[socket.socket] = []
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def freeze(self) -> None:
        self.frozen.set()

    def _accept(self) -> None:
        while not self._closed.is_set():
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            server = socket.create_connection(self.target)
            self._sockets += [client, server]
            for source, sink, counted in ((client, server, False), (server, client, True)):
                threading.Thread(target=self._pump, args=(source, sink, counted), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket, counted: bool) -> None:
        while not self._closed.is_set():
            if self.frozen.is_set():  # hold everything: read nothing more, send nothing
                self._closed.wait(0.05)
                continue
            source.settimeout(0.05)
            try:
                data = source.recv(65536)
            except TimeoutError:
                continue
            except OSError:
                return
            if not data or self.frozen.is_set():
                if not data:
                    return
                continue  # what arrived as the network froze is lost
            if counted and self.freeze_after is not None:
                if self.forwarded + len(data) > self.freeze_after:
                    self.freeze()  # the rest of this read never arrives
                    continue
                self.forwarded += len(data)
            try:
                sink.sendall(data)
            except OSError:
                return

    def __enter__(self) -> FreezingProxy:
        return self

    def __exit__(self, *exc: Any) -> None:
        self._closed.set()
        self._listener.close()
        for sock in self._sockets:
            sock.close()
