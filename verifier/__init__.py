"""verifier: check written claims against source documents and cite the quote that supports each."""
from __future__ import annotations

__version__ = "0.1.0"

from .claims import Claim, load_claims
from .components import Components
from .formats import Extracted
from .pipeline import verify
from .result import ClaimResult, Evidence, Run
from .settings import Settings
from .sources import read_text as extract

__all__ = ["Claim", "ClaimResult", "Components", "Evidence", "Extracted", "Run", "Settings", "extract",
           "load_claims", "verify", "__version__"]
