"""Feed pages to Pagefind while the site is being built, on the machine's other core.

Running the Pagefind program over the finished site costs its whole indexing time after the build
(35 s of processor at 10,000 cases). Pagefind also runs as a service (`pagefind --service`, the
protocol of its official Node and Python wrappers: base64-encoded JSON messages ended by a comma,
on its standard input and output); pages sent to it as soon as they are written are indexed in
parallel with the rest of the build, and only the writing of the index files is left at the end.

The official Python wrapper (`pagefind.index.PagefindIndex`) polls for one answer every tenth of a
second, which would take a quarter of an hour for 10,000 pages: this module speaks the same
protocol with a reader thread instead. A writer thread encodes and sends the pages, so the build
never waits on Pagefind.

Each page is sent slimmed to what Pagefind reads: its `<html lang>` and the part of the page the
theme marks between SEARCH_START and SEARCH_END (the article with `data-pagefind-body` and the
page's filters). Menus, header and footer, which Pagefind would parse and then skip, stay out.
"""

from __future__ import annotations

import base64
import json
import os
import queue
import re
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

SEARCH_START, SEARCH_END = "<!-- search-index:start -->", "<!-- search-index:end -->"
H1_ID = re.compile(r'(<h1\b[^>]*?)\s+id="[^"]*"')
_STOP = None
NICENESS = 10
READ_BYTES = 1 << 20  # one read of Pagefind's answers
TIMEOUT_S = 900.0  # longest wait for an answer of Pagefind before the build gives up


class IndexerError(Exception):
    """Pagefind failed; the message says what happened, in French. `started`: whether it ran at all."""

    def __init__(self, message: str, started: bool = True):
        super().__init__(message)
        self.started = started


@dataclass(frozen=True)
class IndexerOutcome:
    pages: int
    wait_seconds: float  # what the build waited for at the end
    write_seconds: float  # of which writing the index files


def _lower_priority() -> None:
    """In the Pagefind process, before it starts: it works on the time the build leaves free (the
    build keeps one core busy; under `mkdocs serve`, the next rebuild comes first)."""
    os.nice(NICENESS)


def slim_page(html: str) -> str | None:
    """The part of a built page Pagefind indexes, as a small document; None if the page is not indexed.

    The page's h1 loses its id there: Pagefind makes a sub-result of every heading with an id, and the
    search dialog then showed each page's title twice, as the result and as its first sub-result
    (the text before the first other heading is the page's own, at its address)."""
    start, end = html.find(SEARCH_START), html.rfind(SEARCH_END)
    if start < 0 or end < start:
        return None
    body = H1_ID.sub(r"\1", html[start + len(SEARCH_START):end], count=1)
    return f'<!DOCTYPE html><html lang="fr"><body>{body}</body></html>'


def write_index(files: list[dict[str, str]], output: Path) -> None:
    """Write the index files Pagefind gave back ({path, content in base64}) into `output`.

    Pagefind's own WriteFiles is not used: its answer comes before the files hold their bytes (it
    writes them with tokio, which hands each write to a background thread and never flushes), and
    the service ends with exit(0) as soon as its input closes, dropping the writes still pending.
    On a busy machine `pagefind-entry.json` was then left empty. Here every file is written, and
    closed, before the build goes on."""
    root = output.resolve()
    for file in files:
        target = (root / file["path"]).resolve()
        if root not in target.parents:
            raise IndexerError(f"Pagefind a donné un fichier hors de l'index ({file['path']})")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(base64.b64decode(file["content"]))


def messages_of(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """The messages of Pagefind's answer stream, each ended by a comma, as the chunks read arrive.

    Only the new chunk is searched for the end of a message, and the bytes of an unfinished one are
    kept in a list until it ends. The answer to GetFiles is one message holding the whole index
    (about 58 MB at 10,000 synthetic cases), which the pipe delivers 64 KiB at a time. Joining and
    splitting the whole pending buffer at every chunk, as before, copied it once per chunk: time
    grew with the square of the index (39 s for 57 MB; now 0.08 s)."""
    pending: list[bytes] = []
    for chunk in chunks:
        start = 0
        while (end := chunk.find(b",", start)) >= 0:
            pending.append(chunk[start:end])
            yield b"".join(pending)
            pending.clear()
            start = end + 1
        if start < len(chunk):
            pending.append(chunk[start:])


class StreamingIndexer:
    """One Pagefind index, filled page by page while the build goes on."""

    def __init__(self, executable: Path, config: dict[str, Any], timeout: float = TIMEOUT_S):
        self.timeout = timeout
        self.cancelled = False
        # An empty working folder: Pagefind reads a pagefind.yml from there, and no file of the
        # project may change how the site is indexed. What it says on stderr goes to a file.
        self._folder = tempfile.TemporaryDirectory(prefix="recueil-pagefind-")
        self._said = tempfile.TemporaryFile()  # noqa: SIM115 (kept while the indexer lives)
        try:
            self.process = subprocess.Popen([str(executable), "--service"], stdin=subprocess.PIPE,
                                            stdout=subprocess.PIPE, stderr=self._said, bufsize=0,
                                            cwd=self._folder.name,
                                            preexec_fn=_lower_priority if os.name == "posix" else None)
        except OSError as error:
            self._folder.cleanup()
            raise IndexerError(f"Pagefind ne se lance pas ({error.strerror or error})", started=False) from None
        self._answers: dict[int, dict[str, Any]] = {}
        self._answered = threading.Condition()
        self._sent = 0
        self._pages = 0
        self._outbox: queue.SimpleQueue[tuple[str, str] | None] = queue.SimpleQueue()
        self._failure: str | None = None
        threading.Thread(target=self._read, daemon=True, name="pagefind-reader").start()
        self.index_id = int(self._ask({"type": "NewIndex", "config": config})["index_id"])
        self._writer = threading.Thread(target=self._write, daemon=True, name="pagefind-writer")
        self._writer.start()

    def add(self, url: str, html: str) -> bool:
        """Queue a built page (its URL from the site root, '/cas/x/'); False if it is not indexed."""
        slim = None if self.cancelled else slim_page(html)
        if slim is None:
            return False
        self._outbox.put((url, slim))
        self._pages += 1
        return True

    def finish(self, output: Path) -> IndexerOutcome:
        """Wait for every page to be indexed, write the index into `output`, stop the service."""
        waiting = time.perf_counter()
        self._outbox.put(_STOP)
        self._writer.join()
        try:
            last = self._sent
            self._wait(lambda: last in self._answers)
            errors = [answer for answer in self._answers.values() if answer.get("type") == "Error"]
            if self._failure:
                raise IndexerError(self._what_happened())
            if errors:
                raise IndexerError(f"Pagefind a refusé une page ({errors[0].get('message', errors[0])})")
            indexed = time.perf_counter()
            files = self._ask({"type": "GetFiles", "index_id": self.index_id}).get("files") or []
        finally:
            self.close()
        write_index(files, output)
        now = time.perf_counter()
        return IndexerOutcome(self._pages, now - waiting, now - indexed)

    def cancel(self) -> None:
        """Drop the index being made (a newer build replaces it)."""
        self.cancelled = True
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self._fail("index abandonné")

    def close(self) -> None:
        """Stop the service (an unfinished index is dropped)."""
        if self.process.poll() is None:
            if self.process.stdin:
                self.process.stdin.close()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._folder.cleanup()

    # --- protocol ------------------------------------------------------------------------------

    def _send(self, payload: dict[str, Any]) -> int:
        self._sent += 1
        message = json.dumps({"message_id": self._sent, "payload": payload}, ensure_ascii=False)
        stdin: IO[bytes] | None = self.process.stdin
        try:
            assert stdin is not None
            stdin.write(base64.b64encode(message.encode("utf-8")) + b",")
        except (OSError, ValueError) as error:  # the service has stopped
            self._fail(f"service arrêté : {error}")
        return self._sent

    def _ask(self, payload: dict[str, Any]) -> dict[str, Any]:
        number = self._send(payload)
        self._wait(lambda: number in self._answers)
        answer = self._answers.get(number)
        if answer is None:
            self.close()
            raise IndexerError(self._what_happened())
        if answer.get("type") == "Error":
            raise IndexerError(f"Pagefind a refusé la demande ({answer.get('message')})")
        return answer

    def _wait(self, answered: Callable[[], bool]) -> None:
        with self._answered:
            if not self._answered.wait_for(lambda: answered() or self._failure is not None, self.timeout):
                self.cancel()
                raise IndexerError(f"Pagefind n'a pas répondu en {self.timeout:.0f} s")

    def _what_happened(self) -> str:
        """Why the service stopped: its exit code and the last lines it wrote."""
        if self.cancelled:
            return "index abandonné"
        try:
            code = self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            code = None
        self._said.seek(0)
        said = " / ".join(line.strip() for line in self._said.read().decode("utf-8", "replace").splitlines()[-5:]
                          if line.strip())
        return f"Pagefind s'est arrêté (code {code}) : {said or self._failure or 'sans message'}"

    def _write(self) -> None:
        while (item := self._outbox.get()) is not _STOP:
            if self.cancelled:
                continue  # drop what is left without encoding it: a newer build needs the time
            url, html = item
            self._send({"type": "AddFile", "index_id": self.index_id, "url": url, "file_path": None,
                        "file_contents": html})

    def _read(self) -> None:
        stdout = self.process.stdout
        assert stdout is not None
        try:
            for message in messages_of(iter(lambda: stdout.read(READ_BYTES), b"")):
                answer = json.loads(base64.b64decode(message))
                with self._answered:
                    self._answers[int(answer.get("message_id") or 0)] = answer["payload"]
                    self._answered.notify_all()
        except (ValueError, KeyError, AttributeError) as error:  # not a message of the protocol
            self._fail(f"réponse illisible ({error})")
            return
        self._fail("le service s'est arrêté")  # its output closed: what is unanswered never will be

    def _fail(self, reason: str) -> None:
        with self._answered:
            self._failure = self._failure or reason
            self._answered.notify_all()
