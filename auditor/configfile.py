"""Configuration files: `.mtaudit.toml`, `[tool.mtaudit]` in `pyproject.toml`,
a sidecar `ARTICLE.mtaudit.toml` and TOML front-matter in the article.

Lookup for an article at `news/2024/story.txt` (later layers override earlier):

1. the project file: the first `.mtaudit.toml`, or `pyproject.toml` with a
   `[tool.mtaudit]` table, found walking up from the article's directory
   (from the current directory for stdin); `--config FILE` replaces the search;
2. the sidecar `news/2024/story.mtaudit.toml` (or `story.txt.mtaudit.toml`);
3. front-matter: a leading block between two `+++` lines in the article,
   in TOML, e.g.::

       +++
       allow = ["Vladimir Putin's press secretary Dmitry Peskov"]
       +++

   The block is added to the allowed phrases, so nothing inside it is flagged.

Keys (every file, same schema; anything else is an error naming the key)::

    fail_on = "warning"            # default --fail-on
    quote_style = "straight"       # house quote style: curly | straight
    name_style = "reuters"         # house spelling of officials' names: ap | reuters
    disable = ["typography", "Q003"]   # categories or rule codes
    enable = ["Q003"]              # re-enable what an outer file disabled
    select = ["entity", "quote"]   # run only these (categories or codes)
    accept_names = ["Zelenskyy"]
    extra_boilerplate = ["Follow us on Telegram"]
    allow = ["exact phrase never to flag"]
    allow_file = "allow.txt"       # one exact phrase per line, # comments
    [severity]                     # per category or code: error|warning|info|off
    typography = "info"
    [calques]                      # extra calque -> idiomatic suggestion
    "the interlocutor of the agency" = "a source"
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache

from auditor.article import FRONT_MATTER  # the article layer skips the block too
from auditor.categories import CATEGORIES, SEVERITIES
from auditor.config import Config

PROJECT_FILE = ".mtaudit.toml"
PYPROJECT = "pyproject.toml"
SIDECAR_SUFFIX = ".mtaudit.toml"
CODE_PATTERN = re.compile(r"^[A-Z]{1,6}[0-9]{1,4}$")

_LIST_KEYS = ("disable", "enable", "select", "accept_names", "extra_boilerplate", "allow")
_KNOWN_KEYS = frozenset(_LIST_KEYS + ("fail_on", "quote_style", "name_style", "allow_file", "severity", "calques"))
NAME_STYLES = ("ap", "reuters")


class ConfigError(ValueError):
    """A bad configuration file: one line naming the file and the key."""


@dataclass
class Layer:
    """One configuration source, already validated."""

    origin: str
    values: dict = field(default_factory=dict)


def find_project_file(start_dir: str) -> str | None:
    """The nearest `.mtaudit.toml`, or `pyproject.toml` with [tool.mtaudit], upward."""
    d = os.path.abspath(start_dir)
    while True:
        candidate = os.path.join(d, PROJECT_FILE)
        if os.path.isfile(candidate):
            return candidate
        candidate = os.path.join(d, PYPROJECT)
        if os.path.isfile(candidate) and _has_tool_table(candidate):
            return candidate
        parent = os.path.dirname(d)
        if parent == d:
            return None
        d = parent


def _has_tool_table(path: str) -> bool:
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError:
        return False
    if b"mtaudit" not in data:  # cheap pre-check: most pyproject files don't mention us
        return False
    return "mtaudit" in _parse_toml(data, path).get("tool", {})


def _parse_toml(data: bytes, origin: str) -> dict:
    try:
        return tomllib.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise ConfigError(f"{origin}: not UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{origin}: invalid TOML: {exc}") from None


def read_layer(path: str) -> Layer:
    """Read and validate one configuration file (a pyproject's [tool.mtaudit] table).

    Cached by path, size and mtime: a batch over thousands of files in one
    project reads its configuration once."""
    try:
        st = os.stat(path)
    except OSError:
        return _read_layer(path)
    return _read_layer_cached(os.path.abspath(path), path, st.st_mtime_ns, st.st_size)


@lru_cache(maxsize=256)
def _read_layer_cached(_abspath: str, path: str, _mtime_ns: int, _size: int) -> Layer:
    return _read_layer(path)


def _read_layer(path: str) -> Layer:
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such configuration file") from None
    except OSError as exc:
        raise ConfigError(f"{path}: {exc.strerror or exc}") from None
    table = _parse_toml(data, path)
    if os.path.basename(path) == PYPROJECT:
        table = table.get("tool", {}).get("mtaudit", {})
        origin = f"{path} [tool.mtaudit]"
    else:
        origin = path
    return Layer(origin, validate(table, origin, base_dir=os.path.dirname(os.path.abspath(path))))


def front_matter(text: str) -> tuple[str, str] | None:
    """(the whole block, its TOML body) when `text` starts with +++ front-matter."""
    m = FRONT_MATTER.match(text)
    return (m.group(0), m.group(1)) if m else None


def _known_codes() -> set[str] | None:
    """Rule codes we know, or None when no rule is registered (nothing to check against)."""
    from auditor.detectors.registry import all_rules

    try:  # LM rules are declared by a torch-free module
        import auditor.lm.rules  # noqa: F401
    except Exception:
        pass
    codes = {r.code for r in all_rules()}
    return codes or None


def _check_target(name: str, key: str, origin: str) -> str:
    if name in CATEGORIES:
        return name
    if not isinstance(name, str) or not CODE_PATTERN.match(name):
        raise ConfigError(f"{origin}: {key}: {name!r} is neither a category ({', '.join(CATEGORIES)}) nor a rule code")
    codes = _known_codes()
    if codes is not None and name not in codes:
        raise ConfigError(f"{origin}: {key}: unknown rule code {name!r} (see `mtaudit rules`)")
    return name


def validate(table: dict, origin: str, base_dir: str = ".") -> dict:
    """Check every key and value; return the normalised layer values."""
    out: dict = {}
    for key, value in table.items():
        if key not in _KNOWN_KEYS:
            raise ConfigError(f"{origin}: unknown key {key!r} (known: {', '.join(sorted(_KNOWN_KEYS))})")
        if key in _LIST_KEYS:
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ConfigError(f"{origin}: {key} must be a list of strings")
            if key in ("disable", "enable", "select"):
                value = [_check_target(v, key, origin) for v in value]
            out[key] = list(value)
        elif key == "fail_on":
            if value not in SEVERITIES:
                raise ConfigError(f"{origin}: fail_on must be one of {', '.join(SEVERITIES)}, not {value!r}")
            out[key] = value
        elif key == "quote_style":
            if value not in ("curly", "straight"):
                raise ConfigError(f"{origin}: quote_style must be 'curly' or 'straight', not {value!r}")
            out[key] = value
        elif key == "name_style":
            if value not in NAME_STYLES:
                raise ConfigError(f"{origin}: name_style must be one of {', '.join(NAME_STYLES)}, not {value!r}")
            out[key] = value
        elif key == "allow_file":
            if not isinstance(value, str):
                raise ConfigError(f"{origin}: allow_file must be a path")
            path = value if os.path.isabs(value) else os.path.join(base_dir, value)
            read_allow_file(path, origin)  # fail early, naming the config file
            out["allow_file"] = path
            out["allow_origin"] = origin
        elif key == "severity":
            if not isinstance(value, dict):
                raise ConfigError(f"{origin}: severity must be a table of category or code = level")
            levels = {}
            for target, level in value.items():
                _check_target(target, f"severity.{target}", origin)
                if level not in SEVERITIES + ("off",):
                    raise ConfigError(f"{origin}: severity.{target} must be error, warning, info or off, not {level!r}")
                levels[target] = level
            out[key] = levels
        elif key == "calques":
            if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
                raise ConfigError(f"{origin}: calques must be a table of \"phrase\" = \"suggestion\"")
            out[key] = dict(value)
    return out


def read_allow_file(path: str, origin: str = "") -> list[str]:
    """Exact phrases, one per line; blank lines and lines starting with # are skipped.

    Cached by size and mtime, so editors' changes apply to the next audit."""
    try:
        st = os.stat(path)
    except OSError:
        return _read_allow_file(path, origin)
    return list(_read_allow_cached(path, origin, st.st_mtime_ns, st.st_size))


@lru_cache(maxsize=64)
def _read_allow_cached(path: str, origin: str, _mtime_ns: int, _size: int) -> tuple[str, ...]:
    return tuple(_read_allow_file(path, origin))


def _read_allow_file(path: str, origin: str) -> list[str]:
    try:
        with open(path, encoding="utf-8-sig") as fh:
            lines = fh.read().splitlines()
    except FileNotFoundError:
        raise ConfigError(f"{origin or path}: allow_file {path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{origin or path}: allow_file {path}: {getattr(exc, 'strerror', None) or exc}") from None
    return [ln.strip() for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]


def sidecar_for(article_path: str) -> str | None:
    stem, _ext = os.path.splitext(article_path)
    for candidate in (stem + SIDECAR_SUFFIX, article_path + SIDECAR_SUFFIX):
        if os.path.isfile(candidate):
            return candidate
    return None


def layers_for(article_path: str | None, explicit: str | None = None, text: str | None = None) -> list[Layer]:
    """Every configuration layer that applies to the article, outermost first."""
    layers: list[Layer] = []
    if explicit:
        layers.append(read_layer(explicit))
    else:
        start = os.path.dirname(os.path.abspath(article_path)) if article_path else os.getcwd()
        found = find_project_file(start)
        if found:
            layers.append(read_layer(found))
    if article_path:
        side = sidecar_for(article_path)
        if side:
            layers.append(read_layer(side))
        if text is None:
            text = _article_head(article_path)
        fm = front_matter(text) if text else None
        if fm:
            block, body = fm
            origin = f"{article_path} (front-matter)"
            values = validate(_parse_toml(body.encode("utf-8"), origin), origin, os.path.dirname(os.path.abspath(article_path)))
            values.setdefault("allow", [])
            values["allow"] = values["allow"] + [block]
            layers.append(Layer(origin, values))
    return layers


def _article_head(path: str, limit: int = 65536) -> str | None:
    """The start of the article, for front-matter (None if unreadable: the reader reports it)."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(limit)
    except OSError:
        return None
    if not head.lstrip(b"\xef\xbb\xbf").startswith(b"+++"):
        return None
    return head.decode("utf-8", errors="replace")


def merge(layers: list[Layer]) -> Config:
    """Fold layers (outermost first) into one Config."""
    cfg = Config()
    for layer in layers:
        v = layer.values
        if "fail_on" in v:
            cfg.fail_on = v["fail_on"]
        if "quote_style" in v:
            cfg.quote_style = v["quote_style"]
        if "name_style" in v:
            cfg.name_style = v["name_style"]
        if "select" in v:
            cfg.enable_only = set(v["select"])
        for name in v.get("disable", ()):
            cfg.disable.add(name)
        for name in v.get("enable", ()):
            cfg.disable.discard(name)
            if cfg.enable_only:
                cfg.enable_only.add(name)
        for target, level in v.get("severity", {}).items():
            if level == "off":
                cfg.disable.add(target)
            else:
                cfg.severity[target] = level
        cfg.accept_names.extend(x for x in v.get("accept_names", ()) if x not in cfg.accept_names)
        cfg.extra_boilerplate.extend(x for x in v.get("extra_boilerplate", ()) if x not in cfg.extra_boilerplate)
        from_file = read_allow_file(v["allow_file"], v["allow_origin"]) if "allow_file" in v else []
        for phrase in list(v.get("allow", ())) + from_file:
            if phrase not in cfg.allow_phrases:
                cfg.allow_phrases.append(phrase)
        for phrase, suggestion in v.get("calques", {}).items():
            cfg.extra_calques.append((phrase, suggestion))
    return cfg


def load_for(article_path: str | None, explicit: str | None = None, text: str | None = None) -> Config:
    """The effective Config for one article (see the module docstring for the layers).

    Raises ConfigError (a ValueError) with a one-line message on a bad file.
    """
    return merge(layers_for(article_path, explicit, text))


def effective(article_path: str | None, explicit: str | None = None) -> dict:
    """The effective configuration and where it came from (for `mtaudit config`)."""
    layers = layers_for(article_path, explicit)
    cfg = merge(layers)
    return {
        "files": [layer.origin for layer in layers],
        "fail_on": cfg.fail_on,
        "quote_style": cfg.quote_style,
        "name_style": cfg.name_style,
        "disable": sorted(cfg.disable),
        "select": sorted(cfg.enable_only),
        "severity": dict(sorted(cfg.severity.items())),
        "accept_names": cfg.accept_names,
        "extra_boilerplate": cfg.extra_boilerplate,
        "calques": {p: s for p, s in cfg.extra_calques},
        "allow": cfg.allow_phrases,
    }
