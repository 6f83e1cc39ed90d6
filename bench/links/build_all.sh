#!/bin/sh
# Rebuild the link set from the local snapshots (see lib/sources.py). System python3 only.
set -e
cd "$(dirname "$0")"
python3 extract_he.py
python3 build_he.py
python3 build_openaire.py
python3 build_misc.py
python3 build_patents.py
python3 build_events.py
python3 assemble.py > /dev/null
python3 validate.py
