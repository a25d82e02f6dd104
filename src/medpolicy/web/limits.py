"""Limits the operator can change when starting the web app (kept apart so the CLI loads them cheaply)."""

DEFAULT_MAX_UPLOAD_BYTES = 25 * 1024 * 1024
