from store.backends import (  # noqa: F401  (fixtures)
    fresh_store_url,
    postgres_session_url,
    sqlite_store,
    store,
    store_url,
)
