"""Runs in dom0 (copied into the payload): a xenstore client speaking xenstored's wire
protocol on its Unix socket, for the checks that read xenstore many times a run
(grantcheck.py). Each xenstore-ls or xenstore-read is a program start, ~0.45 s in the
testbed's dom0; a request on an open socket takes milliseconds.

The message types are those of the enum xsd_sockmsg_type in Xen's io/xs_wire.h;
test_xs_wire.py checks them against the host's copy of that header (libxen-dev).
"""
import socket
import struct

XS_DIRECTORY, XS_READ, XS_ERROR = 1, 2, 16
SOCKETS = ("/run/xenstored/socket", "/var/run/xenstored/socket")
HEADER = struct.Struct("<IIII")         # type, req_id, tx_id, len


class XenstoreError(Exception):
    """xenstored answered XS_ERROR; args[0] is its error name (ENOENT, EACCES, ...)."""


class Xenstore:
    def __init__(self, path=None):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(10)
        for p in [path] if path else SOCKETS:
            try:
                self.sock.connect(p)
                break
            except OSError as e:
                err = e
        else:
            raise err
        self.req_id = 0

    def close(self):
        self.sock.close()

    def _recv(self, n):
        data = b""
        while len(data) < n:
            chunk = self.sock.recv(n - len(data))
            if not chunk:
                raise ConnectionError("xenstored closed the connection")
            data += chunk
        return data

    def request(self, kind, path):
        self.req_id += 1
        body = path.encode() + b"\0"
        self.sock.sendall(HEADER.pack(kind, self.req_id, 0, len(body)) + body)
        rtype, req_id, _, length = HEADER.unpack(self._recv(HEADER.size))
        body = self._recv(length)
        if req_id != self.req_id:
            raise ConnectionError(f"xenstored answered request {req_id}, not {self.req_id}")
        if rtype == XS_ERROR:
            raise XenstoreError(body.rstrip(b"\0").decode(errors="replace"))
        if rtype != kind:
            raise ConnectionError(f"xenstored answered type {rtype} to type {kind}")
        return body

    def read(self, path):
        return self.request(XS_READ, path).decode(errors="replace")

    def directory(self, path):
        return [n.decode(errors="replace") for n in self.request(XS_DIRECTORY, path).split(b"\0") if n]

    def exists(self, path):
        try:
            self.request(XS_READ, path)
            return True
        except XenstoreError:
            return False
