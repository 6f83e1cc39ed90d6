"""Offline samples: per source, recorded answers in the real format and a routes.json for scintel.replay."""
