"""The cache folder: where it is, who may use it, and how an entry is written and trusted.

Four things are kept there: parsed files (`gateaudit.parse_many`, by content hash), whole judgements and
the built-in rules' catalogue (`gateaudit.scan_cache`), and python-hcl2's parse tables (`gateaudit.grammar`).
The folder is `$GATEAUDIT_CACHE_DIR`, else `$XDG_CACHE_HOME/gateaudit`, else `~/.cache/gateaudit`, and in it
one folder per gateaudit version and parser: a digest of python-hcl2's version, grammar and post-lexer, lark's
version and gateaudit's own code that shapes a parsed file, so a change to any of them never reads entries of
another shape.

Entries are pickles, and unpickling runs whatever code the bytes name. So:
- the folder must be the user's own and closed to everyone else: it is created 0700, and a folder that
  another user owns, or that the group or others may read, write or enter, is not used;
- every entry carries an HMAC-SHA256 of its name and bytes, keyed by a random key kept in the folder
  (`key`: 32 bytes, 0600, created whole or not at all). The HMAC is checked before anything is unpickled;
  an entry that fails it (edited, truncated, moved to another name, written under another key) is
  ignored, and written again by the scan that needed it. A key file that is not a regular file of the
  user's own, or that the group or others may read or write, means no cache at all;
- entries are written to a temporary file and renamed into place: a concurrent run sees the old entry or
  the new one, never half.
The key guards against edits by anyone who cannot read it; it cannot guard a folder whose key travels
with it (a CI cache restored from a less trusted job's upload): share the folder only between runs as
trusted as each other.

What the folder holds: the parse cache holds parsed source, literals included, so secrets written in the
scanned files are in it, as they are in the files; the scan cache holds no text of the scanned files
(`gateaudit.scan_cache`). Parsed files keep their literals because an entry is keyed by content and serves
every later scan, whatever its rules and options: which literal a rule flags is known only once the rules
have judged the whole stack (a value reaches a sink through variables, locals and modules), and the model
needs every literal to evaluate. Encrypting them with a key kept beside them would hide them from no one
who can read the folder; the folder's permissions are what keeps them the user's.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import hmac
import os
import pickle
import stat
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

from .inputs import read_regular

KEY_FILE = "key"
KEY_BYTES = 32
_MAC_BYTES = hashlib.sha256().digest_size
# gateaudit's own modules that decide what a parsed file is (its classes, lines and limits): part of the
# folder's name beside python-hcl2's and lark's files.
PARSE_CODE = ("parse", "parse_json", "grammar", "jsonpos", "expr", "limits", "parse_many")
_PRIVATE = stat.S_IRWXG | stat.S_IRWXO  # any access for the group or others


@dataclass(frozen=True)
class Cache:
    """A usable cache folder, and the key its entries are signed with."""

    folder: Path
    key: bytes = field(repr=False)


def open_cache() -> Cache | None:
    """This version's cache, its folder created if needed; None when no folder or key can be trusted."""
    from gateaudit import __version__

    parser = _parser_identity()
    if parser is None:  # an unusual install: better no cache than one shared across parsers
        return None
    base = os.environ.get("GATEAUDIT_CACHE_DIR")
    if not base:
        base = os.path.join(os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "gateaudit")
    folder = Path(base) / f"parse-{__version__}-{parser}"
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not _private(folder.stat()):
            return None
        key = _key(folder / KEY_FILE)
    except OSError:
        return None
    return Cache(folder, key) if key is not None else None


def read(cache: Cache, name: str) -> object | None:
    """The entry kept under `name` (a path inside the folder), if it is there and signed with this cache's key."""
    payload = read_pickled(cache, name)
    return None if payload is None else unpickle(payload)


def read_pickled(cache: Cache, name: str) -> bytes | None:
    """`read`, the entry's pickle not yet loaded (`unpickle`): for a caller that keeps it pickled."""
    data = _read_regular(cache.folder / name)
    if data is None or len(data) < _MAC_BYTES:
        return None
    mac, payload = data[:_MAC_BYTES], data[_MAC_BYTES:]
    if not hmac.compare_digest(mac, _mac(cache, name, payload)):
        return None  # edited, or not ours: never unpickled
    return payload


def unpickle(payload: bytes) -> object | None:
    """A signed entry's pickle loaded; None when it cannot be."""
    try:
        return pickle.loads(payload)
    except Exception:  # signed but unreadable (another Python's pickle, a class since renamed): made again
        return None


def write(cache: Cache, name: str, entry: object, must_not_hold: Collection[str] = ()) -> None:
    """Sign and write an entry atomically. One whose bytes would hold any of `must_not_hold` is not written."""
    try:
        payload = pickle.dumps(entry, protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError, RecursionError):
        return  # the cache only speeds things up; a scan never fails because of it
    if any(text.encode("utf-8", "surrogatepass") in payload for text in must_not_hold):
        return
    write_pickled(cache, name, payload)


def write_pickled(cache: Cache, name: str, payload: bytes) -> None:
    """`write`, for an entry already pickled (a parse worker's outcome, pickled once for the parent too)."""
    import tempfile  # only where a scan writes (a warm scan writes no entry)

    path = cache.folder / name
    temporary = None
    try:
        try:
            handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        except FileNotFoundError:  # the entry's folder is made when first needed, not asked for every entry
            path.parent.mkdir(exist_ok=True, mode=0o700)
            handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        with os.fdopen(handle, "wb") as out:
            out.write(_mac(cache, name, payload))
            out.write(payload)
        os.replace(temporary, path)
        temporary = None
    except OSError:
        return
    finally:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)


def _mac(cache: Cache, name: str, payload: bytes) -> bytes:
    # The name is signed too: a valid entry copied under another name (another file's hash) is not valid there.
    return hmac.new(cache.key, name.encode("utf-8", "surrogatepass") + b"\0" + payload, hashlib.sha256).digest()


def _private(info: os.stat_result) -> bool:
    """The user's own and nobody else's (where the platform has owners and modes)."""
    if not hasattr(os, "getuid"):
        return True
    return info.st_uid == os.getuid() and not info.st_mode & _PRIVATE


def _read_regular(path: Path, private: bool = False) -> bytes | None:
    """A regular file's bytes, never through a symbolic link and never waiting on a pipe; with `private`, only
    a file of the user's own that nobody else may read or write."""
    try:
        found = read_regular(path)
    except OSError:
        return None
    if found is None or (private and not _private(found[1])):
        return None
    return found[0]


def _key(path: Path) -> bytes | None:
    """The folder's key, made on first use; None when the key file cannot be trusted."""
    if not os.path.lexists(path):
        _make_key(path)
    key = _read_regular(path, private=True)
    return key if key is not None and len(key) == KEY_BYTES else None


def _make_key(path: Path) -> None:
    # Written in full under a temporary name (mkstemp: 0600), then linked to its name: a concurrent run never
    # reads half a key, and when two runs race, the first link wins and both use it.
    import tempfile

    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-key-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(os.urandom(KEY_BYTES))
        with contextlib.suppress(FileExistsError):
            os.link(temporary, path)
    finally:
        os.unlink(temporary)


@functools.cache
def _parser_identity() -> str | None:
    """A digest of what makes the parsed files: python-hcl2's version, grammar and post-lexer, lark's version (its
    `__init__.py` holds it) and gateaudit's own parse code. Read from the installed files: importing
    importlib.metadata for the versions would cost more than the rest of finding the folder."""
    from importlib.util import find_spec

    digest = hashlib.sha256()
    try:
        hcl2 = Path(find_spec("hcl2").origin).parent
        files = [hcl2 / "version.py", hcl2 / "hcl2.lark", hcl2 / "postlexer.py", Path(find_spec("lark").origin)]
        files += [Path(find_spec(f"gateaudit.{module}").origin) for module in PARSE_CODE]
        for path in files:
            content = path.read_bytes()
            digest.update(f"{path.name}\0{len(content)}\0".encode())
            digest.update(content)
    except (AttributeError, TypeError, ValueError, ImportError, OSError):  # not installed as files
        return None
    return digest.hexdigest()[:16]
