"""`mtaudit config [ARTICLE]`: print the effective configuration and its files."""

from __future__ import annotations

from typing import Optional

import typer


def _toml_value(v) -> str:
    import json

    if isinstance(v, dict):
        return "{ " + ", ".join(f"{json.dumps(k, ensure_ascii=False)} = {_toml_value(x)}" for k, x in v.items()) + " }"
    return json.dumps(v, ensure_ascii=False)  # strings and lists of strings read the same in TOML


def register(app: typer.Typer) -> None:
    @app.command("config")
    def config_command(
        article: Optional[str] = typer.Argument(None, help="Show the configuration that applies to this article (default: the current directory)."),
        config_path: Optional[str] = typer.Option(None, "--config", help="Configuration file instead of the upward search."),
        fmt: str = typer.Option("toml", "--format", "-f", help="toml or json"),
    ) -> None:
        """Print the effective configuration and the files it came from."""
        import json

        from auditor.cli import CliError
        from auditor.configfile import effective

        if fmt not in ("toml", "json"):
            raise CliError(f"--format must be toml or json, not {fmt!r}")
        try:
            eff = effective(article, config_path)
        except ValueError as exc:
            raise CliError(str(exc)) from None
        if fmt == "json":
            typer.echo(json.dumps(eff, ensure_ascii=False, indent=2))
            return
        files = eff.pop("files")
        typer.echo("# effective mtaudit configuration")
        typer.echo("# from: " + (", ".join(files) if files else "built-in defaults (no configuration file found)"))
        for key in ("severity", "calques"):
            eff[key] = eff.pop(key)
        for key, value in eff.items():
            typer.echo(f"{key} = {_toml_value(value)}")
