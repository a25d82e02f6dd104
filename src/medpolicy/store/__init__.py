"""The versioned knowledge base: schema, migrations, backends (SQLite, PostgreSQL), ingest, full-text index.

Most callers use it through `medpolicy.open(...)` (see `medpolicy.api.Store`).
"""
