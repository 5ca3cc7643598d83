"""Property tests: whatever an engine does to a tagged unit, repair makes it valid."""

from __future__ import annotations

import re
from dataclasses import dataclass

from hypothesis import given, settings
from hypothesis import strategies as st

from iris.docx.text.tags import escape_text, plain_text, repair_tags, tokenize, validate_tags

ALPHABET = "ab c.&<>/xg1é漢字 \u00a0"
JUNK = ["<", ">", "&", "&quot;", "&lt;", "&gt;", "&amp;", "</", "/>", "<g", "< x1 / >", "&#39;"]


@dataclass
class Builder:
    next_id: int = 1

    def take(self) -> int:
        self.next_id += 1
        return self.next_id - 1


Tree = list[object]


def trees(depth: int = 3) -> st.SearchStrategy[Tree]:
    leaf = st.one_of(st.text(ALPHABET, min_size=1, max_size=8), st.just("X"))
    if depth == 0:
        return st.lists(leaf, max_size=4)
    pair = st.builds(lambda inner: ("G", inner), trees(depth - 1))
    return st.lists(st.one_of(leaf, pair), max_size=5)


def render(tree: Tree, builder: Builder) -> str:
    out: list[str] = []
    for node in tree:
        if node == "X":
            out.append(f"<x{builder.take()}/>")
        elif isinstance(node, tuple):
            tag = builder.take()
            out.append(f"<g{tag}>{render(node[1], builder)}</g{tag}>")
        else:
            out.append(escape_text(str(node)))
    return "".join(out)


sources = trees().map(lambda tree: render(tree, Builder()))
TAG_RE = re.compile(r"</?g\d+>|<x\d+/>")


def corrupt(target: str, data: st.DataObject) -> str:
    for _ in range(data.draw(st.integers(0, 6))):
        operation = data.draw(st.sampled_from(OPERATIONS))
        target = operation(target, data)
    return target


def _tags(target: str) -> list[re.Match[str]]:
    return list(TAG_RE.finditer(target))


def _pick_tag(target: str, data: st.DataObject) -> re.Match[str] | None:
    found = _tags(target)
    return data.draw(st.sampled_from(found)) if found else None


def _position(target: str, data: st.DataObject) -> int:
    return data.draw(st.integers(0, len(target)))


def _gap(target: str, data: st.DataObject) -> int:
    """A position that is not inside a tag or an entity."""
    inside = {
        i
        for m in re.finditer(r"<[^<>]*>|&[a-z#0-9]+;", target)
        for i in range(m.start() + 1, m.end())
    }
    return data.draw(st.sampled_from([i for i in range(len(target) + 1) if i not in inside]))


def drop(target: str, data: st.DataObject) -> str:
    tag = _pick_tag(target, data)
    return target if tag is None else target[: tag.start()] + target[tag.end() :]


def duplicate(target: str, data: st.DataObject) -> str:
    tag = _pick_tag(target, data)
    at = _gap(target, data)
    return target if tag is None else target[:at] + tag.group() + target[at:]


def move(target: str, data: st.DataObject) -> str:
    tag = _pick_tag(target, data)
    if tag is None:
        return target
    rest = target[: tag.start()] + target[tag.end() :]
    at = _gap(rest, data)
    return rest[:at] + tag.group() + rest[at:]


def reshape(target: str, data: st.DataObject) -> str:
    tag = _pick_tag(target, data)
    if tag is None:
        return target
    number = re.search(r"\d+", tag.group())
    assert number is not None
    n = data.draw(st.sampled_from([number.group(), "7", "42", "1"]))
    form = data.draw(
        st.sampled_from(
            ["<g{}>", "</g{}>", "<x{}/>", "<g{}/>", "<x{}>", "< g {} >", "< / g{} >", "＜x{}/＞"]
        )
    )
    return target[: tag.start()] + form.format(n) + target[tag.end() :]


def html_escape(target: str, data: st.DataObject) -> str:
    tag = _pick_tag(target, data)
    if tag is None:
        return target
    escaped = tag.group().replace("<", "&lt;").replace(">", "&gt;")
    return target[: tag.start()] + escaped + target[tag.end() :]


def insert_junk(target: str, data: st.DataObject) -> str:
    at = _position(target, data)
    junk = data.draw(st.one_of(st.sampled_from(JUNK), st.text(ALPHABET, max_size=5)))
    return target[:at] + junk + target[at:]


def cut(target: str, data: st.DataObject) -> str:
    start = _position(target, data)
    end = data.draw(st.integers(start, len(target)))
    return target[:start] + target[end:]


def retranslate(target: str, data: st.DataObject) -> str:
    words = data.draw(st.text(ALPHABET, max_size=12))
    return TAG_RE.sub(lambda m: m.group() + escape_text(words[: len(m.group()) % 5]), target)


OPERATIONS = [drop, duplicate, move, reshape, html_escape, insert_junk, cut, retranslate]


def assert_every_source_tag_once(source: str, result: str) -> None:
    expected = sorted(TAG_RE.findall(source))
    assert sorted(TAG_RE.findall(result)) == expected


@settings(max_examples=600, deadline=None)
@given(source=sources, data=st.data())
def test_repair_of_corrupted_target_is_valid(source: str, data: st.DataObject) -> None:
    target = corrupt(source, data)
    result = repair_tags(source, target)
    assert validate_tags(source, result) == []
    assert_every_source_tag_once(source, result)
    tokenize(result, require_balanced=True)


@settings(max_examples=300, deadline=None)
@given(source=sources, target=st.text(ALPHABET + "<>&;", max_size=40))
def test_repair_of_arbitrary_text_is_valid(source: str, target: str) -> None:
    result = repair_tags(source, target)
    assert validate_tags(source, result) == []
    assert_every_source_tag_once(source, result)


@settings(max_examples=300, deadline=None)
@given(source=sources, data=st.data())
def test_repair_is_idempotent_and_keeps_valid_targets(source: str, data: st.DataObject) -> None:
    once = repair_tags(source, corrupt(source, data))
    assert repair_tags(source, once) == once
    assert repair_tags(source, source) == source


@settings(max_examples=300, deadline=None)
@given(source=sources, data=st.data())
def test_repair_keeps_text_that_was_not_tag_like(source: str, data: st.DataObject) -> None:
    """Only tags move: the plain text of a tag-damaged target is kept (drop/move/dup)."""
    target = source
    for _ in range(data.draw(st.integers(0, 4))):
        target = data.draw(st.sampled_from([drop, duplicate, move]))(target, data)
    assert plain_text(repair_tags(source, target)) == plain_text(source)
