"""Under `mkdocs serve`: the booklet printed by another process while the site is served.

The child process is `recueil pdf` (the printer, `pdf.py`); the booklet it makes goes into the cache
(`pdf_cache.py`), from where it is copied into the served site. Nothing here imports MkDocs.
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from html import escape
from pathlib import Path

from recueil.addresses import GUIDE_PDF, PDF_STATUS
from recueil.outputs.pdf_cache import Order, cache_folder, cached_booklet, log
from recueil.project import Project


def status_script(status: str, script: str) -> str:
    """The tag that runs the engine's asset `addresses.PDF_STATUS_SCRIPT` (address `script`) on a served
    page: while the status file (address `status`) says the booklet is being made, its links say so."""
    return f'<script data-recueil-pdf-status="{escape(status)}" src="{escape(script)}"></script>'


class BackgroundPdf:
    """The booklet of a served site, printed by a child process (`recueil pdf`, at low priority, on
    the other core) so that the first page is served without waiting for WeasyPrint. Each rebuild
    asks for the booklet of its content: a booklet in the cache is copied at once; otherwise the
    site gets a status file saying it is being made (`PDF_STATUS`, read by the guide pages' links)
    and the booklet follows when the child is done. A rebuild with other content stops a child
    that prints a booklet nobody wants any more."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._job: tuple[str, subprocess.Popen[bytes], Path] | None = None
        self._site: Path | None = None
        self._fresh_done: set[str] = set()
        atexit.register(self.stop)

    def request(self, booklet: Order, config_file: Path, site: Path, fresh: bool = False) -> bool:
        """Put the booklet of this content in `site`, now if it is made already (True), else later
        (`recueil pdf` reads the same cover, `booklet.info`, from `config_file`)."""
        project, key = booklet.project, booklet.key
        with self._lock:
            self._site = site
            cached = cached_booklet(project, key)
            if cached is not None and (not fresh or key in self._fresh_done):
                self._publish(cached.path, site)
                return True
            _write_status(site, making=True)
            if self._job is not None and self._job[0] == key:
                return False  # already being printed
            self._stop_locked()
            self._start_locked(project, config_file, key, fresh)
            return False

    def _start_locked(self, project: Project, config_file: Path, key: str, fresh: bool) -> None:
        folder = cache_folder(project)
        folder.mkdir(parents=True, exist_ok=True)
        out = folder / f".serve-{os.getpid()}-{key}.pdf"
        command = [sys.executable, "-m", "recueil.cli", "--root", str(project.root), "pdf", "--out", str(out),
                   "--config", str(config_file)] + (["--fresh"] if fresh else [])
        if nice := shutil.which("nice"):  # low priority: the served site's rebuilds come first
            command = [nice, "-n", "10", *command]
        log.info(f"{GUIDE_PDF} : impression en arrière-plan, le site est servi sans attendre")
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self._job = (key, process, out)
        threading.Thread(target=self._wait, args=(project, key, process, out, fresh), daemon=True).start()

    def _wait(self, project: Project, key: str, process: subprocess.Popen[bytes], out: Path, fresh: bool) -> None:
        started = time.perf_counter()
        _, errors = process.communicate()
        out.unlink(missing_ok=True)
        with self._lock:
            if self._job is None or self._job[1] is not process:
                return  # stopped: another content is wanted now
            self._job = None
            cached = cached_booklet(project, key)
            if process.returncode != 0 or cached is None:
                message = errors.decode("utf-8", "replace").strip().splitlines()
                log.warning(f"{GUIDE_PDF} : impression impossible ({message[-1] if message else process.returncode})")
                if self._site is not None:
                    _write_status(self._site, making=False)
                return
            if fresh:
                self._fresh_done.add(key)
            if self._site is not None:
                self._publish(cached.path, self._site)
            log.info(f"{GUIDE_PDF} : {cached.pages} pages, prêt après {time.perf_counter() - started:.1f} s")

    @staticmethod
    def _publish(pdf: Path, site: Path) -> None:
        try:
            site.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(prefix=".", suffix=".pdf", dir=site)
            os.close(handle)
            shutil.copyfile(pdf, temporary)
            os.chmod(temporary, 0o644)
            os.replace(temporary, site / GUIDE_PDF)
            _write_status(site, making=False)
        except OSError as error:  # the served folder moved under a rebuild: the next one copies it
            log.debug(f"{GUIDE_PDF} non copié ({error})")

    def stop(self) -> None:
        with self._lock:
            self._stop_locked()

    def _stop_locked(self) -> None:
        if self._job is not None:
            _, process, out = self._job
            self._job = None
            if process.poll() is None:
                process.terminate()
            out.unlink(missing_ok=True)


def _write_status(site: Path, making: bool) -> None:
    """Say in the served site whether the booklet is being made. Not written (the served folder moved
    under a rebuild, a full disk): the links keep their last state, and the reason is logged."""
    try:
        site.mkdir(parents=True, exist_ok=True)
        (site / PDF_STATUS).write_text(json.dumps({"etat": "en-cours" if making else "pret"}), encoding="utf-8")
    except OSError as error:
        log.warning(f"{PDF_STATUS} non écrit ({error}) : les liens vers {GUIDE_PDF} ne disent pas où en est l'impression")
