"""Host tests of xs_wire.py (dom0's xenstore client for grantcheck.py): its message types
against the host's Xen header, and its requests against a fake xenstored on a Unix socket,
including the answers a broken daemon gives."""
import os
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import xs_wire  # noqa: E402

HEADER = struct.Struct("<IIII")


def header_values(*names):
    """NAMES' values in the host's xen/io/xs_wire.h (libxen-dev), through gcc (both are
    tools/deps.sh packages: the ROM builds with them)."""
    with tempfile.TemporaryDirectory() as t:
        src, exe = os.path.join(t, "v.c"), os.path.join(t, "v")
        with open(src, "w") as f:
            f.write("#include <stdint.h>\n#include <stdio.h>\n#include <xen/io/xs_wire.h>\n"
                    "int main(void) {\n")
            f.writelines(f'    printf("%d\\n", (int){n});\n' for n in names)
            f.write("    return 0;\n}\n")
        subprocess.run(["gcc", "-o", exe, src], check=True)
        return [int(v) for v in subprocess.run([exe], check=True, capture_output=True,
                                               text=True).stdout.split()]


class FakeXenstored(threading.Thread):
    """Answers each request from TREE (path -> value or list of children); ANSWER, when
    set, replaces the answer: a function (type, req_id, body) -> bytes on the wire."""

    def __init__(self, path, tree, answer=None):
        super().__init__(daemon=True)
        self.tree, self.answer = tree, answer
        self.server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.server.bind(path)
        self.server.listen(1)
        self.start()

    def reply(self, kind, req_id, body):
        if self.answer:
            return self.answer(kind, req_id, body)
        node = self.tree.get(body.rstrip(b"\0").decode())
        if node is None:
            kind, out = xs_wire.XS_ERROR, b"ENOENT\0"
        elif isinstance(node, list):
            out = b"".join(n.encode() + b"\0" for n in node)
        else:
            out = node.encode()
        return HEADER.pack(kind, req_id, 0, len(out)) + out

    def run(self):
        conn, _ = self.server.accept()
        with conn:
            while True:
                head = conn.recv(HEADER.size, socket.MSG_WAITALL)
                if len(head) < HEADER.size:
                    return
                kind, req_id, _, length = HEADER.unpack(head)
                out = self.reply(kind, req_id, conn.recv(length, socket.MSG_WAITALL))
                if out is None:
                    return
                conn.sendall(out)


TREE = {
    "/local/domain/5": "",
    "/local/domain/5/device/vbd": ["768", "51712"],
    "/local/domain/5/device/vbd/768/ring-ref": "8",
    "/local/domain/5/device/vbd/51712/ring-ref": "9",
}


class XsWire(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, self.dir)
        self.path = os.path.join(self.dir, "socket")

    def client(self, tree=TREE, answer=None):
        FakeXenstored(self.path, tree, answer)
        xs = xs_wire.Xenstore(self.path)
        self.addCleanup(xs.close)
        return xs

    def test_types_are_the_headers(self):
        self.assertEqual(header_values("XS_DIRECTORY", "XS_READ", "XS_ERROR"),
                         [xs_wire.XS_DIRECTORY, xs_wire.XS_READ, xs_wire.XS_ERROR])

    def test_read_directory_exists(self):
        xs = self.client()
        self.assertEqual(xs.directory("/local/domain/5/device/vbd"), ["768", "51712"])
        self.assertEqual(xs.read("/local/domain/5/device/vbd/768/ring-ref"), "8")
        self.assertTrue(xs.exists("/local/domain/5"))
        self.assertFalse(xs.exists("/local/domain/6"))
        with self.assertRaisesRegex(xs_wire.XenstoreError, "ENOENT"):
            xs.read("/local/domain/6/name")

    def test_answer_to_another_request_is_refused(self):
        xs = self.client(answer=lambda kind, req_id, body: HEADER.pack(kind, req_id + 7, 0, 0))
        with self.assertRaisesRegex(ConnectionError, "answered request"):
            xs.read("/local/domain/5")

    def test_answer_of_another_type_is_refused(self):
        xs = self.client(answer=lambda kind, req_id, body: HEADER.pack(kind + 1, req_id, 0, 0))
        with self.assertRaisesRegex(ConnectionError, "answered type"):
            xs.read("/local/domain/5")

    def test_closed_connection_is_an_error_not_a_hang(self):
        xs = self.client(answer=lambda kind, req_id, body: None)
        with self.assertRaisesRegex(ConnectionError, "closed"):
            xs.read("/local/domain/5")

    def test_short_answer_times_out(self):
        xs = self.client(answer=lambda kind, req_id, body: HEADER.pack(kind, req_id, 0, 100) + b"x")
        xs.sock.settimeout(0.2)
        with self.assertRaises(socket.timeout):
            xs.read("/local/domain/5")


if __name__ == "__main__":
    unittest.main()
