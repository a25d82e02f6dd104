"""`python -m medpolicy` runs the command line."""

from medpolicy.cli import app

app()
