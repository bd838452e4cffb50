#!/usr/bin/env python3
"""Times `womlint server` answering edits to a 5 KiB draft, and watches its memory.

Standard library only. Usage:

    bench/server.sh                       # builds the release binary, 10,000 edits
    bench/server.sh --edits 2000 --binary target/debug/womlint

Two phases, on one server process:

1. *Answered edits*: each edit (one character typed, or the one typed before deleted, in
   turn, after accents and emoji so that UTF-16 positions matter) is sent as an incremental
   didChange, and the time until the diagnostics of that version arrive is recorded. The
   median, 90th percentile and maximum are printed, with the server's resident memory
   (VmRSS) after the first edits and after the last.
2. *A burst*: the same number of edits sent without waiting, as a fast typist or a paste
   macro would; the server coalesces them, and the time until the last version's
   diagnostics arrive and the number of diagnostics messages published are printed.
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

PARAGRAPHS = [
    "Città più bella 🌿 questa settimana! Il caffè è perfetto e la luce è dorata ✨.",
    "@glowco sent me their new Barrier Repair serum three weeks ago and I've used it every single night since.",
    "No stinging, no pilling under SPF. My skin has honestly never looked this calm 🌿👩‍💻.",
    "Use my code GLOW20 for 20% off! Perché no? È un prodotto che uso davvero ogni giorno.",
    "Ho provato la crema per tre settimane: la pelle è più morbida e luminosa, senza irritazioni.",
    "#skincare #barrierrepair #nightroutine #pelle #routine",
    "---",
]


def draft(size: int) -> str:
    """A Markdown draft of about `size` bytes: front matter, then posts (split by `---`) of the
    paragraphs in turn, each with a gift and a code and no label."""
    text = "---\nplatform: instagram\nlang: en\n---\n"
    i = 0
    while len(text.encode()) < size:
        text += PARAGRAPHS[i % len(PARAGRAPHS)] + "\n\n"
        i += 1
    return text


class Client:
    def __init__(self, binary: str, cwd: str):
        self.proc = subprocess.Popen(
            [binary, "server"], cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
        )
        self.next_id = 0
        # Messages are read as they come, by a thread, as an editor reads them: a client that
        # only writes would fill the pipe the server writes to and both would wait forever.
        self.messages: queue.Queue = queue.Queue()
        threading.Thread(target=self._read_all, daemon=True).start()

    def _read_all(self) -> None:
        while True:
            message = self._read_one()
            self.messages.put(message)
            if message is None:
                return

    def send(self, message: dict) -> None:
        body = json.dumps(message).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def read(self) -> dict:
        message = self.messages.get(timeout=120)
        if message is None:
            raise SystemExit("the server stopped")
        return message

    def _read_one(self) -> dict | None:
        length = 0
        while True:
            line = self.proc.stdout.readline()
            if not line:
                return None
            line = line.strip()
            if not line:
                break
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        return json.loads(self.proc.stdout.read(length))

    def request(self, method: str, params) -> dict:
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params})
        while True:
            message = self.read()
            if message.get("id") == self.next_id and "method" not in message:
                return message

    def notify(self, method: str, params) -> None:
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def diagnostics(self, version: int) -> tuple[list, int]:
        """The diagnostics of `version`, and how many diagnostics messages came until then."""
        published = 0
        while True:
            message = self.read()
            if message.get("method") == "textDocument/publishDiagnostics":
                published += 1
                if message["params"].get("version") == version:
                    return message["params"]["diagnostics"], published

    def rss_kib(self) -> int:
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        return 0


def edit(version: int, line: int, character: int) -> dict:
    """Edit `version`: a character typed at (line, character) on even versions, deleted on odd."""
    at = {"line": line, "character": character}
    if version % 2 == 0:
        change = {"range": {"start": at, "end": at}, "text": "x"}
    else:
        after = {"line": line, "character": character + 1}
        change = {"range": {"start": at, "end": after}, "text": ""}
    return change


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", default=str(REPO / "target" / "release" / "womlint"))
    parser.add_argument("--edits", type=int, default=10_000)
    parser.add_argument("--size", type=int, default=5 * 1024)
    args = parser.parse_args()
    args.binary = str(Path(args.binary).resolve())

    text = draft(args.size)
    # Typing happens on the first paragraph's line, after its accents and emoji.
    line = 4
    character = len(PARAGRAPHS[0].split("!")[0].encode("utf-16-le")) // 2
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "post.md"
        path.write_text(text)
        uri = path.as_uri()
        client = Client(args.binary, tmp)
        client.request("initialize", {"processId": os.getpid(), "capabilities": {}, "rootUri": Path(tmp).as_uri()})
        client.notify("initialized", {})
        started = time.perf_counter()
        client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}})
        found, _ = client.diagnostics(1)
        first = time.perf_counter() - started
        print(f"draft: {len(text.encode())} bytes, {len(found)} diagnostics; first check (rules compiled): {first * 1000:.1f} ms")

        times = []
        rss = []
        version = 1
        for i in range(args.edits):
            version += 1
            change = edit(version, line, character)
            started = time.perf_counter()
            client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]})
            client.diagnostics(version)
            times.append(time.perf_counter() - started)
            if i + 1 in (100, args.edits // 2, args.edits) or (i + 1) % 1000 == 0:
                rss.append((i + 1, client.rss_kib()))
        times.sort()
        median = statistics.median(times) * 1000
        p90 = times[int(len(times) * 0.9) - 1] * 1000
        print(f"answered edits: {args.edits}; median {median:.2f} ms, p90 {p90:.2f} ms, max {times[-1] * 1000:.2f} ms")
        print("RSS (KiB) after N edits: " + ", ".join(f"{n}: {kib}" for n, kib in rss))

        started = time.perf_counter()
        for _ in range(args.edits):
            version += 1
            change = edit(version, line, character)
            client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]})
        _, published = client.diagnostics(version)
        burst = time.perf_counter() - started
        print(f"burst: {args.edits} edits sent without waiting, last version answered after {burst * 1000:.0f} ms, "
              f"{published} diagnostics messages published; RSS {client.rss_kib()} KiB")

        client.request("shutdown", None)
        client.notify("exit", None)
        client.proc.wait(timeout=30)
        sys.exit(client.proc.returncode)


if __name__ == "__main__":
    main()
