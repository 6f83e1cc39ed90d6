"""The warehouse: models, engine, idempotent loader, analyst views."""
