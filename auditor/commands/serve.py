"""`mtaudit serve`: the HTTP service for CMS pre-publication webhooks."""

from __future__ import annotations

from typing import Optional

import typer


def register(app: typer.Typer) -> None:
    @app.command("serve")
    def serve_command(
        host: str = typer.Option("127.0.0.1", "--host", help="Interface to listen on (default loopback only)."),
        port: int = typer.Option(8765, "--port", min=0, max=65535),
        max_bytes: int = typer.Option(1_000_000, "--max-bytes", min=1, help="Request body limit; larger requests get 413."),
        timeout: float = typer.Option(30.0, "--timeout", min=0.1, help="Per-request audit time limit in seconds (504 beyond)."),
        concurrency: int = typer.Option(4, "--concurrency", min=1, help="Audits run at once; more requests wait."),
        config_path: Optional[str] = typer.Option(None, "--config", help="Configuration file (default: .mtaudit.toml found upward from the current directory)."),
        lm: Optional[bool] = typer.Option(None, "--lm/--no-lm", help="Score fluency (default: when installed); the model loads once at start."),
        model: Optional[str] = typer.Option(None, "--model"),
        threads: int = typer.Option(1, "--threads", min=1),
        log_level: str = typer.Option("warning", "--log-level"),
    ) -> None:
        """Serve POST /v1/audit, GET /healthz and an OpenAPI document (/openapi.json, /docs)."""
        from auditor.cli import CliError, load_config, load_scorer

        try:
            import uvicorn

            from auditor.serve import create_app
        except ModuleNotFoundError as exc:
            raise CliError(f"the server needs {exc.name} (pip install fastapi uvicorn)") from None
        config = load_config(None, config_path)
        scorer = load_scorer(lm, model, threads)
        application = create_app(config=config, scorer=scorer, max_bytes=max_bytes, timeout=timeout, concurrency=concurrency)
        typer.echo(f"mtaudit: serving on http://{host}:{port} (POST /v1/audit, GET /healthz, /docs); Ctrl-C stops", err=True)
        try:
            uvicorn.run(application, host=host, port=port, log_level=log_level)
        except OSError as exc:
            raise CliError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
