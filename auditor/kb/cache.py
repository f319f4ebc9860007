"""An on-disk cache of compiled regexes, so that a one-shot
`mtaudit article.txt` (an editor, a git hook) does not recompile the big
data-derived patterns on every run. A stale or unreadable entry is a miss,
never an error, and nothing here changes what is computed.

`compile_regex`: Python's `re` parses and compiles a pattern in pure Python
  (the role lexicon's pattern alone takes ~40 ms). The compiled program (the
  list of sre opcodes `re` hands to `_sre.compile`) is stored with marshal,
  keyed by the pattern and flags, in a file named for the interpreter build
  (version and `_sre.MAGIC`), and handed back to `_sre.compile` the way `re`
  itself does. A program is stored only after it has rebuilt a pattern equal
  (==: same pattern, flags and compiled code) to `re.compile(pattern, flags)`.

Where: $MTAUDIT_CACHE_DIR, else $XDG_CACHE_HOME/mtaudit, else ~/.cache/mtaudit.
MTAUDIT_CACHE_DIR=off disables it.
"""

from __future__ import annotations

import atexit
import hashlib
import marshal
import os
import re
import sys
from pathlib import Path

try:  # the engine behind `re`; absent or different elsewhere: no regex cache
    import _sre
    from re import _compiler as _re_compiler
    from re import _parser as _re_parser
except ImportError:  # pragma: no cover
    _sre = None

_MAX_PATTERNS = 5000  # a store that outgrows this (many configs) starts afresh


def cache_dir() -> Path | None:
    env = os.environ.get("MTAUDIT_CACHE_DIR")
    if env is not None:
        return None if env.strip().lower() in ("", "off", "0", "none") else Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "mtaudit"


def _write_atomic(path: Path, data: bytes) -> None:
    import tempfile  # only when writing: keeps the import off the cached path

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError:
        pass  # a read-only home is not an error: the cache only saves time


def _tag() -> str:
    build = f"{sys.implementation.name}|{sys.version}|{getattr(_sre, 'MAGIC', None)}|{getattr(_sre, 'CODESIZE', None)}"
    return hashlib.sha256(build.encode()).hexdigest()[:16]


class _RegexStore:
    def __init__(self):
        self.compiled: dict[tuple[str, int], re.Pattern] = {}
        self.programs: dict | None = None  # (pattern, flags) -> arguments of _sre.compile after the pattern
        self.path: Path | None = None
        self.dirty = False

    def _load(self) -> dict:
        if self.programs is None:
            self.programs = {}
            d = cache_dir()
            if d is not None and _sre is not None and sys.implementation.name == "cpython":
                self.path = d / f"regex-{_tag()}.marshal"
                try:
                    data = marshal.loads(self.path.read_bytes())
                    if isinstance(data, dict):
                        self.programs = data
                except (OSError, ValueError, EOFError, TypeError):
                    pass
        return self.programs

    def compile(self, pattern: str, flags: int = 0) -> re.Pattern:
        flags = int(flags)
        key = (pattern, flags)
        rx = self.compiled.get(key)
        if rx is not None:
            return rx
        programs = self._load()
        if self.path is None:
            rx = re.compile(pattern, flags)
        else:
            args = programs.get(key)
            rx = None
            if args is not None:
                try:
                    rx = _sre.compile(pattern, *args)
                except Exception:  # a damaged entry: compile afresh
                    rx = None
            if rx is None:
                rx = re.compile(pattern, flags)
                args = _program(pattern, flags, rx)
                if args is not None:
                    if len(programs) >= _MAX_PATTERNS:
                        programs.clear()
                    programs[key] = args
                    if not self.dirty:
                        self.dirty = True
                        atexit.register(self.save)
        self.compiled[key] = rx
        return rx

    def save(self) -> None:
        if self.dirty and self.path is not None and self.programs is not None:
            # Another process may have added entries meanwhile: keep them too.
            try:
                old = marshal.loads(self.path.read_bytes())
                if isinstance(old, dict) and len(old) + len(self.programs) < _MAX_PATTERNS:
                    old.update(self.programs)
                    self.programs = old
            except (OSError, ValueError, EOFError, TypeError):
                pass
            _write_atomic(self.path, marshal.dumps(self.programs))
            self.dirty = False


def _program(pattern: str, flags: int, expected: re.Pattern):
    """The arguments re.compile passed to _sre.compile for `pattern` (its own
    steps, see re._compiler.compile), or None unless they rebuild a pattern
    equal to `expected` (another Python's internals: no caching)."""
    try:
        p = _re_parser.parse(pattern, flags)
        code = _re_compiler._code(p, flags)
        groupindex = dict(p.state.groupdict)
        indexgroup = [None] * p.state.groups
        for k, i in groupindex.items():
            indexgroup[i] = k
        # Opcodes are int subclasses (named constants): plain ints for marshal.
        args = (int(flags | p.state.flags), [int(c) for c in code], p.state.groups - 1, groupindex, tuple(indexgroup))
        marshal.dumps(args)
        return args if _sre.compile(pattern, *args) == expected else None
    except Exception:
        return None


_store = _RegexStore()


def compile_regex(pattern: str, flags: int = 0) -> re.Pattern:
    """re.compile(pattern, flags), with the compiled program cached on disk."""
    return _store.compile(pattern, flags)
