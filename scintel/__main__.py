"""`python -m scintel` runs the CLI."""

from scintel.cli import main

main()
