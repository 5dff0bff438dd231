"""verifier: check written claims against source documents and cite the quote that supports each."""
from __future__ import annotations

__version__ = "0.1.0"

from .claims import Claim, load_claims
from .formats import Extracted
from .pipeline import Options, verify
from .result import ClaimResult, Evidence, Run
from .sources import read_text as extract

__all__ = ["Claim", "ClaimResult", "Evidence", "Extracted", "Options", "Run", "extract", "load_claims", "verify",
           "__version__"]
