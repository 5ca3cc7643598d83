"""QA's language model is read from an uncompressed copy made once (py3langid
decompresses its model on every load, most of a second per process); the copy
identifies exactly as the model does, and without a writable cache the model is read
as it comes."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

from iris.qa.checks import language

TEXTS = [
    "Dies ist ein Bericht über das vergangene Jahr und unsere Kunden.",
    "Ceci est un rapport sur l'année écoulée et nos clients.",
    "Este es un informe sobre el año pasado y nuestros clientes.",
    "これは昨年とお客様についての報告書です。",
    "هذا تقرير عن العام الماضي وعملائنا.",
]


def test_the_cached_copy_identifies_as_the_model_does(settings, tmp_path) -> None:
    settings.IRIS_CACHE_DIR = str(tmp_path / "cache")
    model = Path(MODEL_DIR) / MODEL_FILE
    parts = language._cached_parts(model)
    assert parts is not None
    assert any((tmp_path / "cache").iterdir())
    assert isinstance(parts["ptc"], np.memmap)  # mapped, not read whole
    again = language._cached_parts(model)  # the second time: the copy, as it is
    assert again is not None
    plain = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    cached = LanguageIdentifier(
        again["ptc"],
        again["pc"],
        again["classes"].tolist(),
        language._words(again["nextmove"]),
        again["out_feat"].tolist(),
        norm_probs=True,
        tk_row=language._words(again["nextmove_row"]),
    )
    for text in TEXTS:
        assert cached.classify(text) == plain.classify(text)
        assert cached.rank(text)[:5] == plain.rank(text)[:5]


def test_without_a_writable_cache_the_model_is_read_as_it_comes(settings, tmp_path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    settings.IRIS_CACHE_DIR = str(blocker / "cache")
    assert language._cached_parts(Path(MODEL_DIR) / MODEL_FILE) is None
