"""``python -m newstrace`` runs the command line."""

from .cli import main

main()
