"""What the extraction policy changed in a document, for the fidelity report.

`compare` counts the source after normalisation, so a policy that changes structure
(accepting tracked changes removes ``w:del`` and its fields) never shows as a
difference. `PolicyChanges` says what it changed instead: revisions accepted (run-level
insertions, deletions, moves and the fields inside deletions), what it left
untranslated (comments, hidden runs, paragraphs and runs in excluded styles), and the
data-bound content controls whose XML node was rewritten or left
(`iris.docx.reading.data_binding`). `Document.policy_changes` returns it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from iris.docx.model import Policy
from iris.docx.opc.names import local_name, namespace_of
from iris.docx.opc.package import Package
from iris.docx.reading.rprops import is_toggle_on
from iris.docx.reading.style_exclusion import ExcludedStyles
from iris.docx.reading.wordml import WordVocabulary


@dataclass
class PolicyChanges:
    """Counts of what the policy changed; all zero for a document it did not touch."""

    insertions_accepted: int = 0
    deletions_removed: int = 0
    moves_accepted: int = 0
    fields_deleted: int = 0
    comments_not_translated: int = 0
    hidden_runs_not_translated: int = 0
    paragraphs_excluded: int = 0
    runs_excluded: int = 0
    bound_nodes_updated: int = 0
    bindings_left: list[str] = field(default_factory=list)
    #: ``w:altChunk``: content imported from another file (HTML, RTF, a .docx) that
    #: Word merges in when it opens the document; Iris does not translate it
    embedded_chunks_not_translated: int = 0

    def count_story(
        self, root: etree._Element, vocab: WordVocabulary, policy: Policy, excluded: ExcludedStyles
    ) -> None:
        """Count what ``policy`` changes or leaves out in one story part (call before
        `iris.docx.reading.normalise.accept_revisions`)."""
        if policy.revisions == "accept":
            self.count_revisions(root, vocab)
        self.embedded_chunks_not_translated += sum(1 for _ in root.iter(vocab.names.q("altChunk")))
        if not policy.hidden:
            self.hidden_runs_not_translated += _runs_with(root, vocab.names.vanish, vocab)
        if excluded.paragraph:
            found = _styled(root, vocab.names.q("pStyle"), excluded.paragraph)
            self.paragraphs_excluded += sum(1 for _ in found)
        if excluded.character:
            styled = _styled(root, vocab.names.q("rStyle"), excluded.character)
            self.runs_excluded += sum(1 for rpr in styled if _of_run(rpr, vocab))

    def count_revisions(self, root: etree._Element, vocab: WordVocabulary) -> None:
        """Count the run-level revisions below ``root`` that accepting them will change
        (call before `iris.docx.reading.normalise.accept_revisions`)."""
        names = vocab.names
        for element in root.iter(names.ins, names.delete, names.moveFrom, names.moveTo):
            parent = element.getparent()
            if parent is None or local_name(parent.tag).endswith("Pr"):
                continue  # a mark on a paragraph mark or a property: kept as it is
            if element.tag == names.ins:
                self.insertions_accepted += 1
            elif element.tag == names.delete:
                self.deletions_removed += 1
                self.fields_deleted += _fields_in(element, vocab)
            elif element.tag == names.moveFrom:
                self.moves_accepted += 1

    def count_comments(self, package: Package) -> None:
        """Count the comments kept untranslated (policy ``comments=False``)."""
        for name in package.related(package.main_part, "comments"):
            root = package.xml(name)
            self.comments_not_translated += sum(1 for c in root if local_name(c.tag) == "comment")

    def as_json(self) -> dict[str, Any]:
        """Only what changed: ``{"revisions_accepted": {"insertions": 3, "deletions":
        2}, "comments_not_translated": 1, "data_bindings": {"updated": 1, "left": 1}}``;
        empty when the policy changed nothing."""
        revisions = {
            "insertions": self.insertions_accepted,
            "deletions": self.deletions_removed,
            "moves": self.moves_accepted,
            "fields_deleted": self.fields_deleted,
        }
        bindings = {"updated": self.bound_nodes_updated, "left": len(self.bindings_left)}
        styles = {"paragraphs": self.paragraphs_excluded, "runs": self.runs_excluded}
        found: dict[str, Any] = {
            "revisions_accepted": _non_zero(revisions),
            "comments_not_translated": self.comments_not_translated,
            "hidden_runs_not_translated": self.hidden_runs_not_translated,
            "excluded_by_style": _non_zero(styles),
            "data_bindings": _non_zero(bindings),
            "embedded_chunks_not_translated": self.embedded_chunks_not_translated,
        }
        return {key: value for key, value in found.items() if value}


def policy_summary(changes: Mapping[str, Any]) -> str:
    """`PolicyChanges.as_json` as words: ``revisions accepted: 3 insertions, 2
    deletions; comments not translated: 1``; "" when nothing changed."""
    parts = []
    revisions = changes.get("revisions_accepted") or {}
    if revisions:
        counted = ", ".join(_counted(n, _REVISION_WORDS[k]) for k, n in revisions.items())
        parts.append(f"revisions accepted: {counted}")
    if changes.get("comments_not_translated"):
        parts.append(f"comments not translated: {changes['comments_not_translated']}")
    if changes.get("hidden_runs_not_translated"):
        parts.append(f"hidden runs not translated: {changes['hidden_runs_not_translated']}")
    styles = changes.get("excluded_by_style") or {}
    if styles:
        counted = ", ".join(_counted(n, _STYLE_WORDS[k]) for k, n in styles.items())
        parts.append(f"excluded by style: {counted}")
    bindings = changes.get("data_bindings") or {}
    if bindings:
        counted = ", ".join(_counted(n, _BINDING_WORDS[k]) for k, n in bindings.items())
        parts.append(f"data-bound controls: {counted}")
    if changes.get("embedded_chunks_not_translated"):
        chunks = changes["embedded_chunks_not_translated"]
        parts.append(f"embedded documents (altChunk) not translated: {chunks}")
    return "; ".join(parts)


# (one, several) for each count of `PolicyChanges.as_json`
_REVISION_WORDS = {
    "insertions": ("insertion", "insertions"),
    "deletions": ("deletion", "deletions"),
    "moves": ("move", "moves"),
    "fields_deleted": ("deleted field removed", "deleted fields removed"),
}
_STYLE_WORDS = {"paragraphs": ("paragraph", "paragraphs"), "runs": ("run", "runs")}
_BINDING_WORDS = {
    "updated": ("XML node updated", "XML nodes updated"),
    "left": ("not rewritten", "not rewritten"),
}


def _counted(number: int, words: tuple[str, str]) -> str:
    return f"{number} {words[0] if number == 1 else words[1]}"


def _non_zero(counts: dict[str, int]) -> dict[str, int]:
    return {key: value for key, value in counts.items() if value}


def _runs_with(root: etree._Element, tag: str, vocab: WordVocabulary) -> int:
    """Runs whose own properties switch ``tag`` (a toggle such as ``w:vanish``) on."""
    return sum(
        1
        for element in root.iter(tag)
        if _of_run(element.getparent(), vocab) and is_toggle_on(element)
    )


def _styled(root: etree._Element, tag: str, styles: frozenset[str]) -> Iterator[etree._Element]:
    """Property elements (``w:pPr``, ``w:rPr``) whose style ``tag`` names one of ``styles``."""
    value = f"{{{namespace_of(tag)}}}val"
    for element in root.iter(tag):
        parent = element.getparent()
        if parent is not None and element.get(value) in styles:
            yield parent


def _of_run(properties: etree._Element | None, vocab: WordVocabulary) -> bool:
    run = properties.getparent() if properties is not None else None
    return run is not None and run.tag == vocab.names.r


def _fields_in(element: etree._Element, vocab: WordVocabulary) -> int:
    names = vocab.names
    begins = names.q("fldCharType")
    found = 0
    for child in element.iter(names.fldChar, names.fldSimple):
        found += child.tag == names.fldSimple or child.get(begins) == "begin"
    return found
