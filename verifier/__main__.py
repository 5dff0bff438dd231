"""``python -m verifier``: the same as the ``verifier`` command."""
from .cli import entry_point

entry_point()
