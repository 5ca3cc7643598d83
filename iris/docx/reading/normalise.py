"""Normalisation of WordprocessingML paragraphs before extraction.

The documented normalisation (identity round trips equal the input after it):

* ``w:rsid*`` attributes of paragraphs and runs are dropped; ``w:proofErr``,
  ``w:lastRenderedPageBreak`` and ``w:softHyphen`` (source-language hyphenation hints)
  are removed; whitespace-only text between inline elements is removed.
* Run properties are canonicalised (`iris.docx.reading.rprops.canonicalise_rpr`).
* A run holding a complex child (drawing, field character, field code, note reference…)
  is split so that each complex child sits alone in a run with the same properties.
* Adjacent runs with only simple children (text, tab, break, symbol…) and equal
  canonical properties are merged, and so are adjacent ``w:t``; empty ``w:t`` and empty
  runs are dropped. Runs are never merged across a field character, bookmark, comment
  anchor, revision or wrapper, because those are never adjacent siblings of both runs.
* ``w:t`` carries ``xml:space="preserve"`` exactly when its text has edge whitespace;
  a literal U+2011 in ``w:t`` becomes ``w:noBreakHyphen``.
* With ``Policy.revisions == "accept"``, run-level ``w:del``/``w:moveFrom`` are removed
  (bookmarks and comment anchors inside them are kept) and ``w:ins``/``w:moveTo`` are
  unwrapped.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable

from lxml import etree

from iris.docx.opc.names import XML_SPACE, WordNames, attributes_of, local_name
from iris.docx.reading.rprops import RPrKey, canonicalise_rpr, rpr_key
from iris.docx.reading.wordml import WordVocabulary, run_properties

NB_HYPHEN = "\u2011"
EDGE_WHITESPACE = " \t\r\n"


def accept_revisions(root: etree._Element, vocab: WordVocabulary) -> None:
    """Accept run-level insertions, deletions and moves below ``root``, in place."""
    targets = vocab.revision_removed | vocab.revision_unwrapped
    found = [el for el in root.iter(*targets) if _is_run_level(el)]
    for element in found:
        if element.getparent() is None:
            continue
        if element.tag in vocab.revision_removed:
            _remove_keeping_markers(element, vocab)
        else:
            _unwrap(element)


def _is_run_level(element: etree._Element) -> bool:
    parent = element.getparent()
    return parent is not None and not local_name(parent.tag).endswith("Pr")


def _remove_keeping_markers(element: etree._Element, vocab: WordVocabulary) -> None:
    parent = element.getparent()
    assert parent is not None
    position = parent.index(element)
    kept = [child for child in element if _survives_deletion(child, vocab)]
    for offset, child in enumerate(kept):
        parent.insert(position + offset, child)
    parent.remove(element)


def _survives_deletion(child: etree._Element, vocab: WordVocabulary) -> bool:
    if child.tag in vocab.markers:
        return True
    reference = vocab.names.commentReference
    return child.tag == vocab.names.r and child.find(reference) is not None


def _unwrap(element: etree._Element) -> None:
    parent = element.getparent()
    assert parent is not None
    position = parent.index(element)
    for offset, child in enumerate(list(element)):
        parent.insert(position + offset, child)
    parent.remove(element)


# What normalisation learnt about each simple run it kept, so that the reader need not
# work it out again: the run's `rpr_key` (merging computes it anyway) and, when the run
# is just a w:rPr and one w:t (most runs), that text; None when the run holds more.
SimpleRuns = dict[etree._Element, tuple[RPrKey, str | None]]


def normalise_paragraph(
    paragraph: etree._Element, vocab: WordVocabulary, runs: SimpleRuns | None = None
) -> None:
    """Normalise one ``w:p`` in place (see the module docstring).

    ``runs`` receives what normalisation learnt about the simple runs (`SimpleRuns`).
    """
    _drop_rsids(paragraph, vocab)
    _normalise_container(paragraph, vocab, {} if runs is None else runs)


def _drop_rsids(element: etree._Element, vocab: WordVocabulary) -> None:
    names = element.keys()
    if names:
        rsids = vocab.rsid_attributes
        for name in names:
            if name in rsids:
                del element.attrib[name]


def _normalise_container(
    container: etree._Element, vocab: WordVocabulary, runs: SimpleRuns
) -> None:
    """Normalise the inline children of a paragraph or wrapper, merging equal runs."""
    names = vocab.names
    if container.text is not None:
        container.text = None
    previous: etree._Element | None = None
    previous_key: object = None
    for child in list(container):
        if child.tail is not None:
            child.tail = None
        tag = child.tag
        if tag == names.r:
            for run, simple, text in _normalise_run(child, vocab):
                key = run_key(run, names, runs, text) if simple else None
                if key is not None and key == previous_key and previous is not None:
                    _merge_run(previous, run, names, runs)
                else:
                    previous, previous_key = (run, key) if simple else (None, None)
            continue
        if tag == names.proofErr:
            container.remove(child)
            continue
        previous, previous_key = None, None
        if tag in vocab.wrappers:
            _drop_rsids(child, vocab)
            _normalise_container(child, vocab, runs)
        elif tag == names.sdt:
            _normalise_sdt(child, vocab, runs)


def run_key(run: etree._Element, names: WordNames, runs: SimpleRuns, text: str | None) -> object:
    """Merge key of a simple run: its properties and (rarely present) attributes.

    The run is recorded in ``runs`` with its property key and ``text`` (`SimpleRuns`).
    """
    key = rpr_key(run_properties(run, names))
    runs[run] = (key, text)
    return (key, tuple(run.attrib.items())) if run.attrib else key


def _normalise_sdt(sdt: etree._Element, vocab: WordVocabulary, runs: SimpleRuns) -> None:
    sdt.text = None
    for child in sdt:
        child.tail = None
    content = sdt.find(vocab.names.sdtContent)
    if content is not None:
        _normalise_container(content, vocab, runs)


def _normalise_run(
    run: etree._Element, vocab: WordVocabulary
) -> list[tuple[etree._Element, bool, str | None]]:
    """Normalise a run; return the runs it became, each with "is simple" and, for a run of
    one w:t after its w:rPr, that text."""
    names = vocab.names
    _drop_rsids(run, vocab)
    if run.text is not None:
        run.text = None
    texts: list[tuple[etree._Element, str]] = []  # each w:t left, with its text
    previous_t: etree._Element | None = None
    content = complex_count = 0
    for child in list(run):
        if child.tail is not None:
            child.tail = None
        tag = child.tag
        if tag == names.t:
            text = child.text
            if not text:
                run.remove(child)
            elif previous_t is not None:
                joined = texts[-1][1] + text
                previous_t.text = joined
                texts[-1] = (previous_t, joined)
                run.remove(child)
            else:
                previous_t = child
                texts.append((child, text))
                content += 1
            continue
        if tag in vocab.dropped:
            run.remove(child)
            continue
        previous_t = None
        if tag == names.rPr:
            canonicalise_rpr(child)
        else:
            content += 1
            complex_count += tag not in vocab.simple
    for t, text in texts:
        if NB_HYPHEN in text:
            _expand_hyphens(run, t, text, names)
        else:
            fix_space(t, text)
    if not content:
        parent = run.getparent()
        assert parent is not None
        parent.remove(run)
        return []
    if complex_count and content > 1:
        return _split_complex(run, vocab)
    return [(run, not complex_count, _only_text(run, texts, content, names))]


def _only_text(
    run: etree._Element, texts: list[tuple[etree._Element, str]], content: int, names: WordNames
) -> str | None:
    """The text of a run that holds one w:t after its optional w:rPr, else None."""
    if content != 1 or len(texts) != 1 or NB_HYPHEN in texts[0][1]:
        return None
    size = len(run)
    if size == 1 or (size == 2 and run[0].tag == names.rPr):
        return texts[0][1]
    return None


def _expand_hyphens(run: etree._Element, t: etree._Element, text: str, names: WordNames) -> None:
    position = run.index(t)
    run.remove(t)
    for piece in _split_keep(text, NB_HYPHEN):
        if piece == NB_HYPHEN:
            element = run.makeelement(names.noBreakHyphen, {})
        else:
            element = run.makeelement(names.t, {})
            set_text(element, piece)
        run.insert(position, element)
        position += 1


def _split_keep(text: str, separator: str) -> Iterable[str]:
    pieces = text.split(separator)
    for index, piece in enumerate(pieces):
        if index:
            yield separator
        if piece:
            yield piece


def set_text(t: etree._Element, text: str) -> None:
    """Set a ``w:t``'s text with ``xml:space="preserve"`` exactly when it is needed."""
    t.text = text
    fix_space(t, text)


def fix_space(t: etree._Element, text: str) -> None:
    """Give ``t`` ``xml:space="preserve"`` exactly when ``text`` has edge whitespace."""
    if text and (text[0] in EDGE_WHITESPACE or text[-1] in EDGE_WHITESPACE):
        if t.get(XML_SPACE) != "preserve":
            t.set(XML_SPACE, "preserve")
    elif t.get(XML_SPACE) is not None:  # cheaper than building t.attrib
        del t.attrib[XML_SPACE]


def _split_complex(
    run: etree._Element, vocab: WordVocabulary
) -> list[tuple[etree._Element, bool, str | None]]:
    """Give every complex child its own run (with the same properties)."""
    rpr = run_properties(run, vocab.names)
    groups = _groups([child for child in run if child is not rpr], vocab)
    parent = run.getparent()
    assert parent is not None
    position = parent.index(run)
    runs: list[tuple[etree._Element, bool, str | None]] = [
        (run, groups[0][0].tag in vocab.simple, None)
    ]
    for offset, group in enumerate(groups[1:], start=1):
        fresh = run.makeelement(run.tag, attributes_of(run))
        if rpr is not None:
            fresh.append(copy.deepcopy(rpr))
        fresh.extend(group)
        parent.insert(position + offset, fresh)
        runs.append((fresh, group[0].tag in vocab.simple, None))
    return runs


def _groups(content: list[etree._Element], vocab: WordVocabulary) -> list[list[etree._Element]]:
    groups: list[list[etree._Element]] = []
    for child in content:
        simple = child.tag in vocab.simple
        if simple and groups and groups[-1][-1].tag in vocab.simple:
            groups[-1].append(child)
        else:
            groups.append([child])
    return groups


def _merge_run(
    target: etree._Element, source: etree._Element, names: WordNames, runs: SimpleRuns
) -> None:
    """Move ``source``'s content into ``target`` (a run with equal properties)."""
    _append_run(target, source, names)
    del runs[source]
    runs[target] = (runs[target][0], None)  # more than one text now, or a text and a tab


def _append_run(target: etree._Element, source: etree._Element, names: WordNames) -> None:
    for child in list(source):
        if child.tag == names.rPr:
            continue
        last = target[-1] if len(target) else None
        if child.tag == names.t and last is not None and last.tag == names.t:
            set_text(last, (last.text or "") + (child.text or ""))
        else:
            target.append(child)
    parent = source.getparent()
    assert parent is not None
    parent.remove(source)
