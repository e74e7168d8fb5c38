"""``python -m newstrace`` runs the command line."""

from .cli import main

if __name__ == "__main__":  # Dask process workers import this module without running it
    main()
