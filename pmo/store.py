"""The versioned store: raw files kept byte for byte, canonical tables published as immutable versions.

Layout of a store directory (default ./data, or $PMO_DATA_DIR, or --data-dir):

    raw/<sha256[:2]>/<sha256>        every accepted file, content-addressed
    segments/<table>/<uuid>.parquet  canonical rows of one source (immutable once written)
    rejects/<ingest_id>.parquet      rows an ingest could not accept, with reasons
    versions/<NNNNNN>.json           a version: which segment serves each table, and the ingest log
    CURRENT                          the number of the version being served
    .lock                            held by the one writer
    tmp/                             a writer's work in progress (cleared by the next writer)
    mappings/                        column mapping files (TOML) kept for reuse
    inbox/ processed/ failed/        the watched drop folder

Publishing writes segments and the new version file first, then swaps CURRENT with os.replace:
readers see the old version or the new one, never a mixture. A killed writer leaves only files
no version points at; the next writer removes them.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import json
import mmap
import os
import shutil
import threading
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import polars as pl

from pmo import config

VERSION_DIGITS = 6
FULL_BELOW_BYTES = 1 << 20     # less free space than this on the store's disk counts as full
# Segment Parquet compression. LZ4 rather than zstd: at 10 million ledger lines it encodes in about
# 0.7 s less CPU and DuckDB scans it faster (0.15 vs 0.20 s; one project's rows 0.07 vs 0.14 s),
# for files about 30% larger (71 vs 54 MB). benchmarks/RESULTS.md, "Ingest speed".
SEGMENT_COMPRESSION = "lz4"


class StoreBusy(Exception):
    """Another ingest is writing to the store."""


class StoreError(Exception):
    """The store is missing or damaged; the message says what to do."""


class StoreReadOnly(StoreError):
    """The store's directory cannot be written (a read-only mount, no permission)."""


class StoreFull(StoreError):
    """The store's disk is full (or a file size or quota limit was reached)."""


READ_ONLY_ERRNOS = {errno.EROFS, errno.EACCES, errno.EPERM}
FULL_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}
_FULL_WORDS = ("no space left", "file too large", "disk quota exceeded")
_READ_ONLY_WORDS = ("read-only file system", "permission denied", "operation not permitted")


def write_failure(exc: BaseException, root: Path | str) -> StoreError | None:
    """A StoreReadOnly / StoreFull saying what happened and what to do, when `exc` (or what caused
    it: Polars and DuckDB wrap OS errors in their own) is the disk refusing a write; else None."""
    seen: set[int] = set()
    e: BaseException | None = exc
    while e is not None and id(e) not in seen:
        seen.add(id(e))
        code = getattr(e, "errno", None)
        text = str(e).lower()
        if code in FULL_ERRNOS or any(w in text for w in _FULL_WORDS):
            return StoreFull(f"the disk of the store {root} is full (or a file size or quota limit was "
                             f"reached): {_short(e)}. Nothing was stored; the store is unchanged. Free space "
                             "(e.g. old files in processed/), then retry.")
        if code in READ_ONLY_ERRNOS or any(w in text for w in _READ_ONLY_WORDS):
            return StoreReadOnly(f"the store {root} is read-only ({_short(e)}): nothing can be published, "
                                 "rolled back or rebuilt here, and the store is unchanged. Run this where the "
                                 "store is writable (the ingest host), or mount it read-write.")
        e = e.__cause__ or e.__context__
    return None


def _short(exc: BaseException) -> str:
    if getattr(exc, "strerror", None):
        return exc.strerror
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


@dataclass(frozen=True)
class Segment:
    table: str
    key: str
    file: str          # path relative to the store root
    ingest_id: int
    as_of: str | None
    rows: int
    sha256: str | None = None   # of the file as published (None: a store written before checksums)


def default_dir() -> Path:
    return Path(os.environ.get("PMO_DATA_DIR") or "data")


class Store:
    """A store directory. Reading needs no lock; every change goes through `writer()`."""

    def __init__(self, root: Path | str | None = None):
        self.root = Path(root) if root is not None else default_dir()

    # --- paths -------------------------------------------------------------------------------
    def path(self, *parts: str) -> Path:
        return self.root.joinpath(*parts)

    @property
    def inbox(self) -> Path:
        return self.path("inbox")

    def raw_path(self, sha256: str, file_name: str = "") -> Path:
        """Where a kept file lives: by content hash, with the original suffix (readers need it)."""
        return self.path("raw", sha256[:2], sha256 + Path(file_name).suffix.lower())

    # --- reading -----------------------------------------------------------------------------
    def current_version(self) -> int:
        """The version being served; 0 for an empty store."""
        try:
            return int(self.path("CURRENT").read_text().strip())
        except FileNotFoundError:
            return 0
        except ValueError as exc:
            raise StoreError(f"{self.path('CURRENT')} is damaged. Run `pmo rebuild`.") from exc

    def manifest(self, version: int | None = None) -> dict:
        """The version's manifest; an empty one for version 0."""
        v = self.current_version() if version is None else version
        if v == 0:
            return empty_manifest()
        try:
            return json.loads(self.path("versions", f"{v:0{VERSION_DIGITS}d}.json").read_text())
        except FileNotFoundError as exc:
            raise StoreError(f"version {v} does not exist in {self.root}.") from exc

    def versions(self) -> list[int]:
        current = self.current_version()
        found = sorted(int(p.stem) for p in self.path("versions").glob("*.json") if p.stem.isdigit())
        return [v for v in found if v <= current]

    def segments(self, manifest: dict | None = None) -> dict[str, list[Segment]]:
        m = manifest if manifest is not None else self.manifest()
        return {t: [Segment(t, k, **s) for k, s in sorted(segs.items())]
                for t, segs in m["segments"].items()}

    def ingests(self, manifest: dict | None = None) -> pl.DataFrame:
        m = manifest if manifest is not None else self.manifest()
        from pmo.schema import INGESTS
        rows = [{k: r.get(k) for k in INGESTS} for r in m["ingests"]]
        df = pl.DataFrame(rows, schema={k: (pl.String if k in ("as_of", "ingested_at") else t)
                                        for k, t in INGESTS.items()}, orient="row")
        return df.with_columns(pl.col("as_of").str.to_date(strict=False),
                               pl.col("ingested_at").str.to_datetime(strict=False, time_unit="us"))

    def is_empty(self) -> bool:
        return self.current_version() == 0

    def write_state(self) -> str | None:
        """None when the store can be written; else "read-only" or "full" (probed by writing a
        small file, the way a publish would; a store that does not exist yet is judged by the
        nearest existing folder above it)."""
        folder = self.root
        while not folder.exists() and folder != folder.parent:
            folder = folder.parent
        probe = folder / f".write-probe-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        try:
            fd = os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            try:
                os.write(fd, b"probe\n")
                os.fsync(fd)
            finally:
                os.close(fd)
                probe.unlink(missing_ok=True)
        except OSError as exc:
            found = write_failure(exc, self.root)
            return "full" if isinstance(found, StoreFull) else "read-only"
        try:
            st = os.statvfs(folder)
            if st.f_bavail * st.f_frsize < FULL_BELOW_BYTES:
                return "full"
        except OSError:
            pass
        return None

    # --- writing -----------------------------------------------------------------------------
    @contextlib.contextmanager
    def writer(self):
        """Hold the store's single-writer lock; raise StoreBusy at once if someone else holds it."""
        self.root.mkdir(parents=True, exist_ok=True)
        for d in ("raw", "segments", "rejects", "versions", "mappings", "inbox", "processed", "failed"):
            self.path(d).mkdir(exist_ok=True)
        fh = open(self.path(".lock"), "a+")
        try:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError as exc:
                raise StoreBusy(f"the store {self.root} is busy with another ingest; "
                                "retry in a moment.") from exc
            self._clear_debris()
            yield Writer(self)
        finally:
            fh.close()

    def _clear_debris(self) -> None:
        """Remove what a killed writer left: tmp/, versions past CURRENT, and segment / rejects
        files no version names (moved into place before the kill, never published). Raw files
        are kept whatever happens (they are content-addressed and cost nothing to keep)."""
        shutil.rmtree(self.path("tmp"), ignore_errors=True)
        current = self.current_version()
        for p in self.path("versions").glob("*.json"):
            if p.stem.isdigit() and int(p.stem) > current:
                p.unlink(missing_ok=True)
        referenced: set[str] = set()
        try:
            for v in range(1, current + 1):
                m = self.manifest(v)
                referenced |= {s["file"] for segs in m.get("segments", {}).values() for s in segs.values()}
                referenced |= {i["rejects_file"] for i in m.get("ingests", []) if i.get("rejects_file")}
        except (StoreError, ValueError, KeyError, OSError):
            return               # a version cannot be read: remove nothing rather than guess
        for kind in ("segments", "rejects"):
            for p in self.path(kind).rglob("*.parquet"):
                if str(p.relative_to(self.root)) not in referenced:
                    p.unlink(missing_ok=True)


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(4 << 20):
            h.update(chunk)
    return h.hexdigest()


def empty_manifest() -> dict:
    return {"version": 0, "created_at": None, "action": None, "segments": {}, "ingests": [],
            "active": [], "note": ""}


def now_iso() -> str:
    return datetime.now(timezone.utc).replace(tzinfo=None).isoformat(timespec="seconds")


class Writer:
    """Stages a new version. Nothing is visible to readers until `publish()`."""

    def __init__(self, store: Store):
        self.store = store
        self.base = store.manifest()
        self.tmp = store.path("tmp", uuid.uuid4().hex)
        self.tmp.mkdir(parents=True)
        self._moves: list[tuple[Path, Path]] = []

    def next_ingest_id(self, staged: int = 0) -> int:
        return len(self.base["ingests"]) + 1 + staged

    def stage_raw(self, src: Path, sha256: str, file_name: str, copied: Path | None = None) -> None:
        """Keep `src` under raw/ on publish. `copied`: its bytes already copied into tmp
        (`copy_raw`), used instead of copying again."""
        dest = self.store.raw_path(sha256, file_name)
        if dest.exists():
            return
        staged = copied if copied is not None else self.tmp / f"raw-{sha256}"
        if copied is None:
            shutil.copyfile(src, staged)
        self._moves.append((staged, dest))

    def copy_raw(self, src: Path) -> RawCopy:
        """Start copying `src` into tmp in a thread, hashing it on the way (one read of the file
        for both); meanwhile the caller parses it. See `stage_raw(copied=...)`."""
        return RawCopy(Path(src), self.tmp / f"raw-{uuid.uuid4().hex}")

    def stage_file(self, kind: str, name: str, src: Path) -> str:
        """Take a finished Parquet file (a big file's segment, written while it was parsed) into
        tmp; return its final path relative to the store root."""
        rel = f"{kind}/{name}.parquet"
        staged = self.tmp / f"{kind.replace('/', '_')}-{name}.parquet"
        shutil.move(src, staged)   # a rename: the file was written on the store's disk
        self._moves.append((staged, self.store.path(rel)))
        return rel

    def read_path(self, rel: str) -> Path:
        """Where the file for `rel` can be read now: staged in tmp, else in the store."""
        dest = self.store.path(rel)
        for staged, target in self._moves:
            if target == dest:
                return staged
        return dest

    def checksum(self, rel: str) -> str:
        """The sha256 of a file staged for `rel` (recorded in the manifest, checked by readers)."""
        dest = self.store.path(rel)
        for staged, target in self._moves:
            if target == dest:
                return file_sha256(staged)
        raise KeyError(rel)

    def discard(self) -> None:
        """Drop everything staged (a failed ingest): the store stays exactly as it was."""
        shutil.rmtree(self.tmp, ignore_errors=True)
        self._moves.clear()

    def stage_copy(self, src: Path, rel: str) -> None:
        """Copy a small file (a mapping) into the store at `rel` on publish."""
        staged = self.tmp / f"copy-{uuid.uuid4().hex}"
        shutil.copyfile(src, staged)
        self._moves.append((staged, self.store.path(rel)))

    def stage_frame(self, kind: str, name: str, df: pl.DataFrame | pl.LazyFrame) -> str:
        """Write a frame to tmp; return its final path relative to the store root."""
        rel = f"{kind}/{name}.parquet"
        staged = self.tmp / f"{kind.replace('/', '_')}-{name}.parquet"
        if isinstance(df, pl.LazyFrame):
            df.sink_parquet(staged, compression=SEGMENT_COMPRESSION, statistics=True)
        else:
            df.write_parquet(staged, compression=SEGMENT_COMPRESSION, statistics=True)
        self._moves.append((staged, self.store.path(rel)))
        return rel

    def publish(self, manifest: dict) -> int:
        """Move staged files into place, write the version, then swap CURRENT. Returns the version."""
        for staged, dest in self._moves:
            dest.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staged, dest)
        version = self.base["version"] + 1
        manifest = {**manifest, "version": version, "parent": self.base["version"],
                    "created_at": now_iso()}
        vfile = self.store.path("versions", f"{version:0{VERSION_DIGITS}d}.json")
        tmp_v = self.tmp / "version.json"
        tmp_v.write_text(json.dumps(manifest, indent=1, default=str))
        os.replace(tmp_v, vfile)
        _fsync_dir(vfile.parent)
        tmp_c = self.tmp / "CURRENT"
        tmp_c.write_text(f"{version}\n")
        os.replace(tmp_c, self.store.path("CURRENT"))
        _fsync_dir(self.store.root)
        shutil.rmtree(self.tmp, ignore_errors=True)
        return version


class RawCopy:
    """A file copied byte for byte to `dest` by a thread that hashes it on the way (sha256 and
    file I/O release the GIL, so this overlaps with parsing the file).

    The copy is written with O_DIRECT where the filesystem allows it: a big export is not needed
    in the page cache, and filling fresh page-cache pages cost more CPU than the copy itself (an
    800 MB ledger: 2.9 s of system time written normally, 0.4 s direct, on the benchmark VM)."""

    CHUNK = 4 << 20          # a multiple of any block size O_DIRECT asks for
    ALIGN = 4096

    def __init__(self, src: Path, dest: Path):
        self.src, self.dest = src, dest
        self._sha256: str | None = None
        self._error: BaseException | None = None
        self._cancel = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"pmo-raw-copy-{src.name}", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            h = hashlib.sha256()
            buf = mmap.mmap(-1, self.CHUNK)        # page-aligned, as O_DIRECT needs
            view = memoryview(buf)
            with self.src.open("rb", buffering=0) as fin, _DirectWriter(self.dest, self.ALIGN) as out:
                while not self._cancel.is_set():
                    n = _fill(fin, view)
                    if not n:
                        break
                    h.update(view[:n])
                    out.write(view[:n])
            view.release()
            buf.close()
            if not self._cancel.is_set():
                self._sha256 = h.hexdigest()
        except BaseException as exc:   # noqa: BLE001 - handed to the caller by sha256()
            self._error = exc

    def sha256(self) -> str:
        """The file's sha256 once the copy is complete; raises what the copy raised."""
        self._thread.join()
        if self._error is not None:
            raise self._error
        if self._sha256 is None:
            raise RuntimeError(f"the copy of {self.src} was cancelled")
        return self._sha256

    def cancel(self) -> None:
        """Stop early and wait for the thread (a failed ingest)."""
        self._cancel.set()
        self._thread.join()


def _fill(fin, view: memoryview) -> int:
    """Read into `view` until it is full or the file ends; the number of bytes read."""
    n = 0
    while n < len(view):
        got = fin.readinto(view[n:])
        if not got:
            break
        n += got
    return n


class _DirectWriter:
    """Writes a new file with O_DIRECT while the chunks stay block-aligned; the unaligned tail, or
    everything on a filesystem without O_DIRECT (tmpfs), through the page cache as usual."""

    def __init__(self, path: Path, align: int):
        self.path, self.align, self.offset = path, align, 0
        flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
        self.fd: int | None = None
        if hasattr(os, "O_DIRECT"):
            try:
                self.fd = os.open(path, flags | os.O_DIRECT, 0o644)
            except OSError:
                self.fd = None
        self.fh = open(path, "r+b" if self.fd is not None else "wb")   # noqa: SIM115 - closed in __exit__

    def __enter__(self):
        return self

    def write(self, chunk: memoryview) -> None:
        aligned = len(chunk) - len(chunk) % self.align if self.fd is not None else 0
        done = 0
        try:
            while done < aligned:
                done += os.write(self.fd, chunk[done:aligned])
        except OSError:
            pass                                   # the rest of the chunk goes the usual way
        if done < len(chunk):
            if self.fd is not None:
                os.close(self.fd)
                self.fd = None                     # from here on through the page cache
            self.fh.seek(self.offset + done)
            self.fh.write(chunk[done:])
        self.offset += len(chunk)

    def __exit__(self, *exc) -> None:
        if self.fd is not None:
            os.close(self.fd)
        self.fh.close()


def _fsync_dir(d: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(d, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def open_store(data_dir: str | Path | None = None) -> Store:
    """The store at `data_dir`, else $PMO_DATA_DIR, else ./data (config may name another)."""
    if data_dir is not None:
        return Store(data_dir)
    if os.environ.get("PMO_DATA_DIR"):
        return Store(os.environ["PMO_DATA_DIR"])
    return Store(config.load().get("store", {}).get("data_dir", "data"))
