"""`medpolicy serve`: the HTTP API and the web pages in one process."""

from __future__ import annotations

import ipaddress
import os
from typing import Annotated, Any

import typer

import medpolicy
from medpolicy.cli.app import DbOption, app, db_url, err_console, user_errors
from medpolicy.web.limits import DEFAULT_MAX_UPLOAD_BYTES

_MEGABYTE = 1024 * 1024


def is_loopback(host: str) -> bool:
    """True when `host` only accepts connections from this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@app.command("serve")
def serve_command(
    host: Annotated[
        str,
        typer.Option(
            "--host", help="Address to listen on; 127.0.0.1 keeps the server private to this machine."
        ),
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port to listen on.")] = 8000,
    db: str | None = DbOption,
    token: Annotated[
        str | None,
        typer.Option(
            "--token",
            envvar="MEDPOLICY_TOKEN",
            help="Allow uploads for clients sending 'Authorization: Bearer TOKEN' (default $MEDPOLICY_TOKEN; "
            "without one, uploads are disabled).",
            show_default=False,
        ),
    ] = None,
    max_upload_mb: Annotated[
        float, typer.Option("--max-upload-mb", min=0.001, help="Largest document accepted for upload, in MB.")
    ] = DEFAULT_MAX_UPLOAD_BYTES / _MEGABYTE,
    workers: Annotated[
        int,
        typer.Option(
            "--workers", min=1, help="Server processes; each answers on its own core (up to the CPU count)."
        ),
    ] = 1,
    access_log: Annotated[
        bool, typer.Option("--access-log/--no-access-log", help="Log a line per request.")
    ] = True,
) -> None:
    """Serve the web pages and the JSON API (/api/v1, documented at /api/v1/docs) over the store."""
    import uvicorn

    from medpolicy.web import create_app
    from medpolicy.web.app import SERVE_DB_ENV, SERVE_MAX_UPLOAD_ENV, SERVE_TOKEN_ENV

    with user_errors():
        store = medpolicy.open(db_url(db))
    if not is_loopback(host):
        err_console.print(
            f"[yellow]warning:[/] listening on {host}: anyone who can reach this address can read the store; "
            "put it behind a TLS proxy if the network is not trusted"
        )
    max_upload_bytes = int(max_upload_mb * _MEGABYTE)
    shown_host = f"[{host}]" if ":" in host else host
    err_console.print(
        f"medpolicy serving {store.url} at http://{shown_host}:{port}/ "
        f"(uploads {'enabled with the token' if token else 'disabled: no token'}"
        f"{f'; {workers} worker processes' if workers > 1 else ''})"
    )
    options: dict[str, Any] = {
        "host": host,
        "port": port,
        "log_level": "info",
        "access_log": access_log,
        "server_header": False,
    }
    if workers == 1:
        try:
            uvicorn.run(create_app(store, token=token, max_upload_bytes=max_upload_bytes), **options)
        finally:
            store.close()
        return
    store.close()  # each worker opens its own
    os.environ[SERVE_DB_ENV] = db_url(db)
    os.environ[SERVE_MAX_UPLOAD_ENV] = str(max_upload_bytes)
    if token:
        os.environ[SERVE_TOKEN_ENV] = token
    uvicorn.run("medpolicy.web.app:app_from_environment", factory=True, workers=workers, **options)
