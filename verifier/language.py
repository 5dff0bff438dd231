"""Which texts are not in English, the only language the models read: a warning, never a silent verdict."""
from __future__ import annotations

from functools import lru_cache
from typing import Any, Sequence

from .store import Store, key

KIND = "language"  # the store's kind; its version is in verifier.store.VERSIONS
# A text is called another language only when the identifier is this sure and the text this long:
# a short claim full of names ("Azerbaijan and Turkey") is no evidence of any language.
CONFIDENT = 0.9
MIN_WORDS = 5
SAMPLE_CHARS = 3000  # of a source: enough to tell its language, cheap to read
NAMES = {"de": "German", "fr": "French", "es": "Spanish", "it": "Italian", "pt": "Portuguese", "nl": "Dutch",
         "ru": "Russian", "uk": "Ukrainian", "pl": "Polish", "tr": "Turkish", "az": "Azerbaijani", "ar": "Arabic",
         "fa": "Persian", "zh": "Chinese", "ja": "Japanese", "ko": "Korean", "hy": "Armenian", "ka": "Georgian",
         "sv": "Swedish", "da": "Danish", "no": "Norwegian", "fi": "Finnish", "cs": "Czech", "el": "Greek",
         "he": "Hebrew", "hi": "Hindi", "hu": "Hungarian", "ro": "Romanian", "bg": "Bulgarian", "id": "Indonesian"}


@lru_cache(maxsize=1)
def _identifier() -> Any:
    # py3langid ships its model in the package (BSD-3-Clause). Only languages with two-letter codes
    # are considered: the rarer ones it knows (pidgins, regional variants) are what it confuses
    # English with on short texts.
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    ident.set_languages(sorted({code for code in ident.nb_classes if len(code) == 2 and code != "zxx"}))
    return ident


def identify(text: str) -> str:
    """The text's language code when it is surely not English; "" for English or when unsure."""
    text = text[:SAMPLE_CHARS]
    cjk = any("\u3040" <= ch <= "\u9fff" or "\uac00" <= ch <= "\ud7af" for ch in text)
    if len(text.split()) < MIN_WORDS and not cjk:
        return ""
    code, probability = _identifier().classify(text)
    return str(code) if code != "en" and probability >= CONFIDENT else ""


def languages(texts: Sequence[str], cache_dir: Any = None) -> list[str]:
    """Each text's :func:`identify`, from the store where seen before (a warm run never loads the model)."""
    store = Store.at(cache_dir)
    texts = [t[:SAMPLE_CHARS] for t in texts]
    if store is None:
        return [identify(t) for t in texts]
    keys = {t: key(KIND, _version(), t) for t in dict.fromkeys(texts)}
    stored = store.get_rows(KIND, list(keys.values()), _decode, what="language", then="identifying it again")
    found = {t: stored[k] for t, k in keys.items() if k in stored}
    todo = [t for t in keys if t not in found]
    for t in todo:
        found[t] = identify(t)
    if todo:
        store.put_rows(KIND, {keys[t]: found[t].encode("ascii") for t in todo})
    return [found[t] for t in texts]


@lru_cache(maxsize=1)
def _version() -> str:
    """What an identification depends on besides the text: the identifier's version and how sure it must be."""
    from importlib import metadata

    try:
        lib = metadata.version("py3langid")
    except metadata.PackageNotFoundError:
        lib = "unknown"
    return f"py3langid=={lib}/{CONFIDENT}/{MIN_WORDS}"


def _decode(body: bytes) -> str:
    code = body.decode("ascii")
    if code and (len(code) > 3 or not code.isalpha()):
        raise ValueError("not a language code")
    return code


def name(code: str) -> str:
    return f"{NAMES[code]} ({code})" if code in NAMES else f"language '{code}'"


def warning(claim_language: str, source_languages: Sequence[str]) -> str:
    """The warning a reason ends with, or "" when the claim and its quotes' sources read as English."""
    said = []
    if claim_language:
        said.append(f"the claim is in {name(claim_language)}")
    for code in dict.fromkeys(c for c in source_languages if c):
        said.append(f"its source is in {name(code)}")
    if not said:
        return ""
    return "warning: " + " and ".join(said) + ", and the models read English only, so this verdict may be wrong"
