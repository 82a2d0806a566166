"""``python -m aligner`` runs the command-line interface."""

from aligner.cli import main

main()
