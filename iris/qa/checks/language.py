"""Language: the translation is written in the target language.

When the job's target language is known and the translation has at least 20 letters,
a language identifier (py3langid) reads it (at most its first 300 characters, without
addresses and placeholders) and the check warns when it reads confidently as the
source language (probability ≥ 0.7), or as a third language (≥ 0.8) with next to no
chance (≤ 0.05) of being the target language, unless the source reads as that language
too (an address or a quotation kept as it was). Without a target language (or with
two the identifier does not know) it warns instead when most of the translation's
words are the source's own, a cruder test that options, names and titles trip.

Languages are compared by their language subtag, and close languages count as one
(Norwegian and Danish, Serbian, Croatian and Bosnian in either script, the Chinese
languages, Malay and Indonesian, …): the identifier confuses them on single
sentences. Nothing is judged between a job's two languages when they are close.

Measured on the human translations of a Debian system's gettext catalogues (English
into 63 languages, 300 segments of 20 letters or more each): it flags 1 of 18,600 (a
line of runic letters in an Icelandic catalogue), none in Norwegian, Danish, Serbian in
either script, Croatian, Bosnian, Chinese (three variants), Malay or Indonesian; it
flags 550 of 711 English texts given as a translation (most misses are shorter than
40 letters) and 2,209 of 3,000 translations given as another language's.

A warning, not an error: the identifier is statistical, and a segment of names, terms
or a quotation can read as another language; errors are kept for faults that are
certain. A job's QA option can make it an error (see `policy`). The identifier's model
loads in about 1.5 s on first use; a classification costs about 70 µs.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import lzma
import re
import shutil
import tempfile
import threading
from array import array
from pathlib import Path
from typing import Any

import langcodes
from django.conf import settings

from iris.qa.checks.base import (
    Issue,
    SegmentView,
    Severity,
    base_language,
    register,
)

#: languages the identifier cannot tell apart on a sentence, by language subtag
_CLOSE = (
    frozenset({"no", "nb", "nn", "da"}),
    frozenset({"sr", "hr", "bs", "sh", "cnr", "hbs"}),
    frozenset({"zh", "yue", "wuu", "cmn", "lzh", "hak", "nan", "gan"}),
    frozenset({"ms", "id", "zsm"}),
    frozenset({"ar", "arb", "ary", "arz", "apc", "acm", "ajp", "aeb", "arq"}),
    frozenset({"fa", "pes", "prs"}),
    frozenset({"en", "pcm", "sco"}),
    frozenset({"hi", "mr", "ne"}),
)
_MIN_LETTERS = 20
_SAMPLE = 300
_SOURCE_CONFIDENCE = 0.7  # the probability of the source language's kin to call it that
_OTHER_CONFIDENCE = 0.8  # and of a third language's ...
_TARGET_CHANCE = 0.05  # ... with at most this left to the target language's kin
#: what may surround a word: quotes, brackets, sentence punctuation, but no hyphen (an
#: option, ``--quiet``, is no word)
_AROUND_WORDS = "\"'()[]{}«»“”„‘’¡¿…,.;:!?"
_NOT_TEXT = re.compile(r"\S*(?:://|www\.|@)\S*|[%{$][^\s]*")


@functools.cache
def _kin(code: str) -> frozenset[str]:
    """``code`` and the languages counted as one with it."""
    return frozenset({code}).union(*(group for group in _CLOSE if code in group))


def _close(first: str, second: str) -> bool:
    return first == second or second in _kin(first)


@register("language")
def check_language(view: SegmentView) -> list[Issue]:
    target = view.target_plain
    if len(target) < _MIN_LETTERS or view.source_plain.strip() == target.strip():
        return []  # too short to judge; wholly equal is the "untranslated" check's
    source, wanted = base_language(view.source_lang), base_language(view.target_lang)
    if source and wanted and _close(source, wanted):
        return []  # variants of one language, or close ones, share their words
    sample = _sample(target) if wanted else None
    if sample is not None and (wanted in _known_languages() or source in _known_languages()):
        return _identified(view, sample, source, wanted)
    shared = _shared_words(view)
    return [shared] if shared is not None else []


def _shared_words(view: SegmentView) -> Issue | None:
    """Most of the translation's words (of letters only: options, paths and markup
    repeat) are its source's. Names and terms repeat too, so only when most do."""
    if len(view.target_plain) < 30:
        return None
    words = [w.strip(_AROUND_WORDS) for w in view.target_plain.lower().split()]
    words = [w for w in words if len(w) > 3 and w.isalpha()]
    if len(words) < 5:
        return None
    source = {w.strip(_AROUND_WORDS) for w in view.source_plain.lower().split()}
    shared = sum(1 for w in words if w in source)
    if shared * 10 < len(words) * 7:
        return None
    message = f"{shared} of its {len(words)} words are the source's: left in the source language?"
    return Issue("language", Severity.WARNING, message)


@functools.lru_cache(maxsize=4096)
def _classified(sample: str) -> str:
    """The language ``sample`` reads as. Remembered a while: an engine that checks an
    answer before accepting it and QA after it judge the same text."""
    label, _ = _identifier().classify(sample)
    return str(label)


def _identified(view: SegmentView, sample: str, source: str, wanted: str) -> list[Issue]:
    label = _classified(sample)
    read = base_language(label)
    if _close(read, wanted) or label == "zxx":
        return []  # the common case: one classification
    if source and _close(read, source):
        if _share(_chances(sample), source) < _SOURCE_CONFIDENCE:
            return []
        return [_issue(f"{_name(source)}, the source language,", wanted)]
    if wanted not in _known_languages():
        return []  # the identifier cannot see the target language: no third one either
    chances = _chances(sample)
    if _share(chances, read) < _OTHER_CONFIDENCE or _share(chances, wanted) > _TARGET_CHANCE:
        return []
    if _reads_as(view.source_plain, read):
        return []  # the source is in that language too: kept as it was
    return [_issue(_name(read), wanted)]


def _sample(text: str) -> str | None:
    """The start of ``text`` without addresses and placeholders, when it has enough
    letters to judge."""
    text = text[:_SAMPLE]
    if "://" in text or "@" in text or "www." in text or "%" in text or "{" in text:
        text = _NOT_TEXT.sub(" ", text)
    letters = len(list(itertools.islice(filter(str.isalpha, text), _MIN_LETTERS)))
    return text if letters >= _MIN_LETTERS else None


def _issue(read: str, wanted: str) -> Issue:
    message = f"the translation reads as {read} and not as {_name(wanted)}"
    return Issue("language", Severity.WARNING, message)


def _chances(text: str) -> dict[str, float]:
    """Each language's probability for ``text``, by language subtag."""
    codes = _label_codes()
    chances: dict[str, float] = {}
    for label, chance in _identifier().rank(text):
        code = codes[label]
        chances[code] = chances.get(code, 0.0) + chance
    return chances


@functools.cache
def _label_codes() -> dict[str, str]:
    """Each of the identifier's labels' language subtag, looked up once: a ranking lists
    every label, and one call per label cost more than the ranking's own sorting."""
    return {label: base_language(label) for label in _identifier().labels}


def _share(chances: dict[str, float], code: str) -> float:
    return sum(chances.get(kin, 0.0) for kin in _kin(code))


def _reads_as(text: str, code: str) -> bool:
    sample = _sample(text)
    return sample is not None and _close(base_language(_classified(sample)), code)


@functools.cache
def _name(code: str) -> str:
    return str(langcodes.Language.get(code).display_name("en"))


_LOADING = threading.Lock()


@functools.cache
def _identifier() -> Any:
    # Imported and loaded on first use: the model takes most of a second to load,
    # which a process that never judges a long target never pays. Loaded once: the
    # threads of an engine's requests that check answers at the same time wait for it
    # rather than each loading its own (which took seconds, all holding the GIL).
    with _LOADING:
        return _load()


@functools.cache
def _load() -> Any:
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    model = Path(MODEL_DIR) / MODEL_FILE
    parts = _cached_parts(model)
    if parts is None:
        return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    return LanguageIdentifier(
        parts["ptc"],
        parts["pc"],
        parts["classes"].tolist(),
        _words(parts["nextmove"]),
        parts["out_feat"].tolist(),
        norm_probs=True,
        tk_row=_words(parts["nextmove_row"]),
    )


#: the arrays of py3langid's model (an LZMA-compressed .npz it decompresses on every
#: load, most of a second)
_PARTS = ("ptc", "pc", "classes", "nextmove", "nextmove_row", "out_feat")


def _cached_parts(model: Path) -> dict[str, Any] | None:
    """The model's arrays, memory-mapped from an uncompressed copy made once per
    installed model under ``IRIS_CACHE_DIR`` (loads in a few hundredths of a second);
    None when no copy can be made there (then the model is read as it comes)."""
    import numpy as np

    stat = model.stat()
    folder = Path(settings.IRIS_CACHE_DIR) / f"py3langid-{stat.st_size}-{int(stat.st_mtime)}"
    try:
        if not folder.is_dir():
            _unpack(model, folder)
        return {name: np.load(folder / f"{name}.npy", mmap_mode="r") for name in _PARTS}
    except (OSError, ValueError):
        return None


def _unpack(model: Path, folder: Path) -> None:
    import numpy as np

    folder.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=folder.parent) as work:
        unpacked = Path(work) / "model.npz"
        with lzma.open(model) as source, unpacked.open("wb") as out:
            shutil.copyfileobj(source, out, length=1 << 20)
        with np.load(unpacked, allow_pickle=False) as data:
            for name in _PARTS:
                np.save(Path(work) / f"{name}.npy", data[name], allow_pickle=False)
        unpacked.unlink()
        with contextlib.suppress(FileExistsError, OSError):  # another process was first
            Path(work).rename(folder)


def _words(values: Any) -> array[int]:
    """An unsigned integer array as the standard library array py3langid indexes."""
    codes = {2: "H", 4: "I", 8: "Q"}
    out = array(codes[values.dtype.itemsize])
    out.frombytes(memoryview(values).cast("B"))
    return out


def warm_language_model() -> None:
    """Load the language model now (a worker process at start, the command line beside
    extraction), not in the middle of the first segments' checks."""
    _identifier()


@functools.cache
def _known_languages() -> frozenset[str]:
    return frozenset(base_language(label) for label in _identifier().labels)
