"""What the extraction policy changed in a document, for the fidelity report.

`compare` counts the source after normalisation, so a policy that changes structure
(accepting tracked changes removes ``w:del`` and its fields) never shows as a
difference. `PolicyChanges` says what it changed instead: revisions accepted (run-level
insertions, deletions, moves and the fields inside deletions), comments left
untranslated, and the data-bound content controls whose XML node was rewritten or
left (`iris.docx.data_binding`). `Document.policy_changes` returns it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from iris.docx.names import local_name
from iris.docx.package import Package
from iris.docx.wordml import WordVocabulary


@dataclass
class PolicyChanges:
    """Counts of what the policy changed; all zero for a document it did not touch."""

    insertions_accepted: int = 0
    deletions_removed: int = 0
    moves_accepted: int = 0
    fields_deleted: int = 0
    comments_not_translated: int = 0
    bound_nodes_updated: int = 0
    bindings_left: list[str] = field(default_factory=list)

    def count_revisions(self, root: etree._Element, vocab: WordVocabulary) -> None:
        """Count the run-level revisions below ``root`` that accepting them will change
        (call before `iris.docx.normalise.accept_revisions`)."""
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
        found: dict[str, Any] = {
            "revisions_accepted": _non_zero(revisions),
            "comments_not_translated": self.comments_not_translated,
            "data_bindings": _non_zero(bindings),
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
    bindings = changes.get("data_bindings") or {}
    if bindings:
        counted = ", ".join(_counted(n, _BINDING_WORDS[k]) for k, n in bindings.items())
        parts.append(f"data-bound controls: {counted}")
    return "; ".join(parts)


# (one, several) for each count of `PolicyChanges.as_json`
_REVISION_WORDS = {
    "insertions": ("insertion", "insertions"),
    "deletions": ("deletion", "deletions"),
    "moves": ("move", "moves"),
    "fields_deleted": ("deleted field removed", "deleted fields removed"),
}
_BINDING_WORDS = {
    "updated": ("XML node updated", "XML nodes updated"),
    "left": ("left as bound", "left as bound"),
}


def _counted(number: int, words: tuple[str, str]) -> str:
    return f"{number} {words[0] if number == 1 else words[1]}"


def _non_zero(counts: dict[str, int]) -> dict[str, int]:
    return {key: value for key, value in counts.items() if value}


def _fields_in(element: etree._Element, vocab: WordVocabulary) -> int:
    names = vocab.names
    begins = names.q("fldCharType")
    found = 0
    for child in element.iter(names.fldChar, names.fldSimple):
        found += child.tag == names.fldSimple or child.get(begins) == "begin"
    return found
