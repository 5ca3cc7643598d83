"""Round-trip benchmark: Iris translation of a large .docx against the unzip/parse/zip floor.

Run ``.venv/bin/python bench/docx_roundtrip.py [--pages N] [--runs R] [--quick]``.

Three documents, each measured against the floor on the same document:

* ``pages`` (default 500): a seeded generator builds a long report (formatting spans,
  hyperlinks, fragmented runs with rsids, proofing marks, tables, headers, footers,
  footnotes: about 3.5 MB of document.xml and 1.4 M characters for 500 pages);
* ``pages x4`` (2,000 pages, about 5.6 M characters): time per page within 1.2x of the
  first case (no super-linear step) and memory within 2x of its floor;
* ``short`` (``--short``, default 200,000): one-line paragraphs of a few words, one run
  each, the shape where per-paragraph costs dominate.

Modes: (a) floor: unzip, lxml-parse every XML part, walk every ``w:t``, serialise, zip
(deflate level 6); (b) Iris: ``open_document`` → ``units()`` → pseudo-translate every
unit (accented vowels, ~30 % expansion, tags kept) → ``apply()``. A third line, the unit
contract alone (`unit_contract`: the floor plus one `Unit` per ``w:t`` and the same
pseudo translation written back), shows what any design that hands out units pays.

Each mode runs in its own fresh child process, which times ``--runs`` repetitions
(the median is reported; the big cases use fewer) and reports its peak resident memory
(VmHWM from /proc/self/status; ru_maxrss would include the forking parent's peak). The
peak includes the interpreter and imports, which a baseline child measures alone. The
Iris child then makes one more run with the library's stage stopwatch
(`iris.docx.stages`) on and prints that breakdown. ``--quick`` measures the first case
only. The last line is the first case's ``ratio=<b/a> mem_ratio=<b/a>``.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
WML = "application/vnd.openxmlformats-officedocument.wordprocessingml."
NSMAP = {"w": W, "r": R}
REPO_ROOT = Path(__file__).resolve().parents[1]
SEED = 20240611
VOCABULARY = """
the of and to in is that for it as was with be by on not he this are or his from at
which but have an they you were her she there been one all we their has would when
document translation paragraph formatting contract agreement payment delivery party
obligation clause schedule annex section liability warranty notice termination
confidential information supplier customer service quality report analysis result
measurement temperature pressure engineering management committee review approval
"""
WORDS = tuple(VOCABULARY.split())
COLOURS = ("C00000", "1F4E79", "548235", "7030A0", "BF8F00")
ACCENTS = str.maketrans("aeiouAEIOU", "àéîôüÀÉÎÔÜ")
TOKEN = re.compile(r"(<[^>]*>|&[a-z]+;)")


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


class DocumentBuilder:
    """Seeded generator of a long, realistically fragmented WordprocessingML body."""

    def __init__(self, pages: int) -> None:
        self.pages = pages
        self.rng = random.Random(SEED)
        self.links: list[str] = []
        self.notes: list[str] = []

    def rsid(self) -> str:
        return f"00{self.rng.randrange(16**6):06X}"

    def sentence(self) -> str:
        words = [self.rng.choice(WORDS) for _ in range(self.rng.randint(8, 22))]
        return " ".join(words).capitalize() + self.rng.choice(".....;?!")

    def run(self, parent: etree._Element, text: str, props: tuple[str, ...]) -> None:
        run = etree.SubElement(parent, w("r"), {w("rsidR"): self.rsid()})
        if props:
            rpr = etree.SubElement(run, w("rPr"))
            for prop in props:
                if prop == "color":
                    etree.SubElement(rpr, w("color"), {w("val"): self.rng.choice(COLOURS)})
                else:
                    etree.SubElement(rpr, w(prop))
        t = etree.SubElement(run, w("t"))
        t.text = text
        if text != text.strip():
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")

    def props(self) -> tuple[str, ...]:
        roll = self.rng.random()
        for limit, props in ((0.6, ()), (0.75, ("b",)), (0.85, ("i",)), (0.95, ("color",))):
            if roll < limit:
                return props
        return ("b", "i")

    def fragmented(self, parent: etree._Element, text: str, props: tuple[str, ...]) -> None:
        """Split text mid-word over runs with equal properties but different rsids."""
        cut = self.rng.randint(1, max(1, len(text) - 1))
        if self.rng.random() < 0.3:
            etree.SubElement(parent, w("proofErr"), {w("type"): "spellStart"})
        self.run(parent, text[:cut], props)
        self.run(parent, text[cut:], props)
        if self.rng.random() < 0.3:
            etree.SubElement(parent, w("proofErr"), {w("type"): "spellEnd"})

    def hyperlink(self, parent: etree._Element, text: str) -> None:
        self.links.append(f"https://example.com/{len(self.links)}")
        link = etree.SubElement(parent, w("hyperlink"), {f"{{{R}}}id": f"rIdL{len(self.links)}"})
        self.run(link, text, ("color",))

    def footnote_ref(self, parent: etree._Element) -> None:
        self.notes.append(self.sentence())
        run = etree.SubElement(parent, w("r"))
        etree.SubElement(etree.SubElement(run, w("rPr")), w("vertAlign"), {w("val"): "superscript"})
        etree.SubElement(run, w("footnoteReference"), {w("id"): str(len(self.notes) + 1)})

    def paragraph(self, body: etree._Element, sentences: int) -> etree._Element:
        p = etree.SubElement(
            body, w("p"), {w("rsidR"): self.rsid(), w("rsidRDefault"): self.rsid()}
        )
        words = " ".join(self.sentence() for _ in range(sentences)).split(" ")
        while words:
            take = self.rng.randint(4, 18)
            chunk, words = words[:take], words[take:]
            text = " ".join(chunk) + (" " if words else "")
            self.span(p, text)
        return p

    def span(self, p: etree._Element, text: str) -> None:
        roll = self.rng.random()
        if roll < 0.04:
            self.hyperlink(p, text)
        elif roll < 0.16:
            self.fragmented(p, text, self.props())
        else:
            self.run(p, text, self.props())
        if self.rng.random() < 0.004:
            self.footnote_ref(p)

    def table(self, body: etree._Element) -> None:
        tbl = etree.SubElement(body, w("tbl"))
        tbl_pr = etree.SubElement(tbl, w("tblPr"))
        etree.SubElement(tbl_pr, w("tblW"), {w("w"): "0", w("type"): "auto"})
        for _ in range(4):
            tr = etree.SubElement(tbl, w("tr"))
            for _ in range(3):
                self.paragraph(etree.SubElement(tr, w("tc")), 1)

    def page(self, body: etree._Element, number: int) -> None:
        if number % 10 == 0:
            heading = self.paragraph(body, 1)
            ppr = etree.Element(w("pPr"))
            etree.SubElement(ppr, w("pStyle"), {w("val"): "Heading1"})
            heading.insert(0, ppr)
        for sentences in (3, 3, 3, 3, 3, 3, 3, 3, 2):
            self.paragraph(body, sentences)
        if number % 5 == 0:
            self.table(body)
        brk = etree.SubElement(etree.SubElement(body, w("p")), w("r"))
        etree.SubElement(brk, w("br"), {w("type"): "page"})

    def document(self) -> bytes:
        root = etree.Element(w("document"), nsmap=NSMAP)
        body = etree.SubElement(root, w("body"))
        for number in range(self.pages):
            self.page(body, number)
        sect = etree.SubElement(body, w("sectPr"))
        for kind in ("header", "footer"):
            attrs = {w("type"): "default", f"{{{R}}}id": f"rId{kind}"}
            etree.SubElement(sect, w(f"{kind}Reference"), attrs)
        return serialise(root)

    def story(self, tag: str, text: str, page_field: bool = False) -> bytes:
        root = etree.Element(w(tag), nsmap=NSMAP)
        p = etree.SubElement(root, w("p"))
        self.run(p, text, ("b",))
        if page_field:
            field = etree.SubElement(p, w("fldSimple"), {w("instr"): " PAGE "})
            self.run(field, "1", ())
        return serialise(root)

    def footnotes(self) -> bytes:
        root = etree.Element(w("footnotes"), nsmap=NSMAP)
        for number, kind in ((0, "separator"), (1, "continuationSeparator")):
            note = etree.SubElement(root, w("footnote"), {w("type"): kind, w("id"): str(number)})
            etree.SubElement(etree.SubElement(etree.SubElement(note, w("p")), w("r")), w(kind))
        for number, text in enumerate(self.notes, start=2):
            note = etree.SubElement(root, w("footnote"), {w("id"): str(number)})
            self.run(etree.SubElement(note, w("p")), text, ())
        return serialise(root)


def serialise(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def package_parts(builder: DocumentBuilder) -> dict[str, bytes]:
    document = builder.document()
    parts = {
        "[Content_Types].xml": content_types(),
        "_rels/.rels": rels([("rId1", "officeDocument", "word/document.xml", False)]),
        "word/document.xml": document,
        "word/header1.xml": builder.story("hdr", "Iris benchmark — confidential "),
        "word/footer1.xml": builder.story("ftr", "Page ", page_field=True),
        "word/footnotes.xml": builder.footnotes(),
        "word/styles.xml": styles(),
    }
    doc_rels = [
        ("rIdheader", "header", "header1.xml", False),
        ("rIdfooter", "footer", "footer1.xml", False),
        ("rIdnotes", "footnotes", "footnotes.xml", False),
        ("rIdstyles", "styles", "styles.xml", False),
    ]
    doc_rels += [(f"rIdL{i}", "hyperlink", url, True) for i, url in enumerate(builder.links, 1)]
    parts["word/_rels/document.xml.rels"] = rels(doc_rels)
    return parts


def content_types() -> bytes:
    root = etree.Element(f"{{{CT}}}Types", nsmap={None: CT})  # type: ignore[dict-item]
    defaults = {"rels": "application/vnd.openxmlformats-package.relationships+xml"}
    defaults["xml"] = "application/xml"
    for extension, kind in defaults.items():
        etree.SubElement(root, f"{{{CT}}}Default", Extension=extension, ContentType=kind)
    overrides = {"document": "document.main", "header1": "header", "footer1": "footer"}
    overrides |= {"footnotes": "footnotes", "styles": "styles"}
    for part, kind in overrides.items():
        attrs = {"PartName": f"/word/{part}.xml", "ContentType": f"{WML}{kind}+xml"}
        etree.SubElement(root, f"{{{CT}}}Override", attrs)
    return serialise(root)


def rels(items: list[tuple[str, str, str, bool]]) -> bytes:
    nsmap = {None: PKG_RELS}
    root = etree.Element(f"{{{PKG_RELS}}}Relationships", nsmap=nsmap)  # type: ignore[arg-type]
    for rel_id, kind, target, external in items:
        attrs = {"Id": rel_id, "Type": REL + kind, "Target": target}
        if external:
            attrs["TargetMode"] = "External"
        etree.SubElement(root, f"{{{PKG_RELS}}}Relationship", attrs)
    return serialise(root)


def styles() -> bytes:
    root = etree.Element(w("styles"), nsmap=NSMAP)
    for style_id, kind in (("Normal", "paragraph"), ("Heading1", "paragraph")):
        style = etree.SubElement(root, w("style"), {w("type"): kind, w("styleId"): style_id})
        etree.SubElement(style, w("name"), {w("val"): style_id})
    return serialise(root)


def build_docx(pages: int) -> bytes:
    return _zipped(package_parts(DocumentBuilder(pages)))


def build_short_paragraphs(count: int) -> bytes:
    """The other shape: ``count`` one-line paragraphs of a few words each, one plain
    run per paragraph, all distinct (200,000 make a ~1 MB file)."""
    rng = random.Random(SEED)
    body = "".join(
        f"<w:p><w:r><w:t>{rng.choice(WORDS).capitalize()} {rng.choice(WORDS)} {number}"
        "</w:t></w:r></w:p>"
        for number in range(count)
    )
    document = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{W}" '
        f'xmlns:r="{R}"><w:body>{body}</w:body></w:document>'
    ).encode()
    parts = {
        "[Content_Types].xml": content_types(),
        "_rels/.rels": rels([("rId1", "officeDocument", "word/document.xml", False)]),
        "word/document.xml": document,
        "word/styles.xml": styles(),
        "word/_rels/document.xml.rels": rels([("rIdstyles", "styles", "styles.xml", False)]),
    }
    return _zipped(parts)


def _zipped(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


# -- the measured modes --------------------------------------------------------


def floor_roundtrip(data: bytes) -> bytes:
    """Unzip, parse every XML part, walk every w:t, serialise, zip (deflate 6)."""
    return _rezipped(data, _walked)


def _walked(name: str, content: bytes) -> bytes:
    if not name.endswith((".xml", ".rels")):
        return content
    root = etree.fromstring(content)
    for t in root.iter(w("t")):
        t.text = t.text
    return serialise(root)


def _rezipped(data: bytes, part: Callable[[str, bytes], bytes]) -> bytes:
    """The package with each entry's content passed through ``part(name, content)``."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as target,
    ):
        for info in source.infolist():
            target.writestr(info.filename, part(info.filename, source.read(info)))
    return out.getvalue()


def pseudo_translate(tagged: str) -> str:
    """Accent vowels and expand text by ~30 %, leaving tags and entities intact."""
    pieces = []
    for piece in TOKEN.split(tagged):
        if not piece or TOKEN.fullmatch(piece):
            pieces.append(piece)
        else:
            pieces.append(piece.translate(ACCENTS) + "~" * round(len(piece) * 0.3))
    return "".join(pieces)


def iris_roundtrip(data: bytes) -> bytes:
    """open_document → units → pseudo-translate every unit → apply."""
    from iris.docx import open_document

    document = open_document(data)
    targets = {u.id: pseudo_translate(u.source) for u in document.units() if u.translatable}
    output: bytes = document.apply(targets, "fr")
    return output


def unit_contract(data: bytes) -> bytes:
    """What the unit contract alone costs, with none of the library's reading or
    writing: one `Unit` per ``w:t`` of the main part (its id, location, word count and
    translatability), the same pseudo translation, the text written back, on top of the
    floor's unzip, parse, serialise and zip. A lower bound for any design that hands
    out a `Unit` per sentence."""
    return _rezipped(data, _contract_part)


def _contract_part(name: str, content: bytes) -> bytes:
    from iris.docx.model import Unit, UnitKind
    from iris.docx.text.protect import is_translatable
    from iris.docx.text.units import count_words

    if name != "word/document.xml":
        return _walked(name, content)
    root = etree.fromstring(content)
    for number, element in enumerate(root.iter(w("t"))):
        text = element.text or ""
        unit = Unit(
            id=f"word/document.xml#p{number}.s0",
            part="word/document.xml",
            location=f"body ¶{number + 1}",
            kind=UnitKind.BODY,
            source=text,
            plain=text,
            words=count_words(text),
            translatable=is_translatable(text),
            tags={},
        )
        element.text = pseudo_translate(unit.source)
    return serialise(root)


def baseline(data: bytes) -> bytes:
    """Nothing but the imports both modes share, to size the interpreter's own memory."""
    return data


MODES: dict[str, Callable[[bytes], bytes]] = {
    "baseline": baseline,
    "floor": floor_roundtrip,
    "iris": iris_roundtrip,
    "contract": unit_contract,
}


def run_child(mode: str, path: Path, runs: int) -> None:
    data = path.read_bytes()
    function = MODES[mode]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        output = function(data)
        times.append(time.perf_counter() - start)
    peak_kib = peak_rss_kib()
    result: dict[str, object] = {"median": statistics.median(times), "times": times}
    result["peak_kib"] = peak_kib
    if mode == "iris":
        check_output(output)
        from iris.docx import stages

        with stages.record() as recording:
            start = time.perf_counter()
            function(data)
            total = time.perf_counter() - start
        recording["translate (bench pseudo) and the rest"] = total - sum(recording.values())
        result["stages"] = stages.describe(recording)
    print(json.dumps(result))


def peak_rss_kib() -> int:
    """VmHWM of this process; unlike ru_maxrss it is not inherited from the forking parent."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def check_output(output: bytes) -> None:
    """The translated package must open and carry the pseudo translation."""
    from iris.docx.opc.package import open_package

    main = open_package(output).read("word/document.xml")
    if "à".encode() not in main and "é".encode() not in main:
        raise SystemExit("the Iris output does not contain the pseudo translation")


def measure(mode: str, path: Path, runs: int) -> dict[str, Any] | None:
    command = [sys.executable, __file__, "--child", mode, "--input", str(path), "--runs", str(runs)]
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    done = subprocess.run(command, capture_output=True, text=True, check=False, env=env)
    if done.returncode != 0:
        reason = (done.stderr.strip().splitlines() or ["no output"])[-1]
        print(f"{mode}: failed ({reason})")
        return None
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def describe(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        main = archive.read("word/document.xml")
    chars = sum(len(t.text or "") for t in etree.fromstring(main).iter(w("t")))
    return f"docx {len(data) / 1e6:.2f} MB, document.xml {len(main) / 1e6:.2f} MB, {chars:,} chars"


def report(name: str, result: dict[str, Any] | None) -> None:
    if result is not None:
        peak = result["peak_kib"] / 1024
        print(f"  {name}: median {result['median']:.3f} s, peak RSS {peak:.0f} MiB", flush=True)
        if "stages" in result:
            print(f"    stages: {result['stages']}", flush=True)


_LABELS = {
    "floor": "floor (a)",
    "contract": "unit contract alone (a Unit per w:t, pseudo, write back)",
    "iris": "iris (b)",
}


def compare_case(label: str, data: bytes, runs: int) -> dict[str, dict[str, Any] | None]:
    """Measure baseline, floor and Iris on one document; print and return the results."""
    print(f"{label}: {describe(data)}", flush=True)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.docx"
        path.write_bytes(data)
        results = {}
        for mode in ("baseline", "floor", "contract", "iris"):
            results[mode] = result = measure(mode, path, runs)
            if mode == "baseline" and result is not None:
                print(f"  baseline (imports only): peak RSS {result['peak_kib'] / 1024:.0f} MiB")
            elif mode != "baseline":
                report(_LABELS[mode], result)
        floor, contract = results["floor"], results["contract"]
        if floor is not None and contract is not None:
            ratio = contract["median"] / floor["median"]
            print(f"  the unit contract alone costs {ratio:.2f}x the floor")
    return results


def ratios(results: dict[str, dict[str, Any] | None]) -> tuple[float, float] | None:
    floor, iris = results["floor"], results["iris"]
    if floor is None or iris is None:
        return None
    return iris["median"] / floor["median"], iris["peak_kib"] / floor["peak_kib"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=500)
    parser.add_argument("--short", type=int, default=200_000, help="paragraphs of the short case")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="the first case only")
    parser.add_argument("--child", choices=sorted(MODES))
    parser.add_argument("--input", type=Path)
    args = parser.parse_args()
    if args.child:
        run_child(args.child, args.input, args.runs)
        return
    print("memory: peak RSS (VmHWM) of a fresh child process per mode, imports included")
    first = compare_case(f"{args.pages} pages", build_docx(args.pages), args.runs)
    main_ratios = ratios(first)
    if not args.quick:
        big_runs = max(1, min(args.runs, 3))
        big = compare_case(f"{args.pages * 4} pages", build_docx(args.pages * 4), big_runs)
        big_ratios = ratios(big)
        if main_ratios is not None and big_ratios is not None and first["iris"] and big["iris"]:
            per_page = (big["iris"]["median"] / 4) / first["iris"]["median"]
            print(
                f"{args.pages * 4} pages: ratio={big_ratios[0]:.2f} mem_ratio={big_ratios[1]:.2f} "
                f"per_page_ratio={per_page:.2f} (goals: per page <= 1.2, mem <= 2)"
            )
        short = compare_case(
            f"{args.short:,} short paragraphs", build_short_paragraphs(args.short), big_runs
        )
        short_ratios = ratios(short)
        if short_ratios is not None:
            print(
                f"short paragraphs: ratio={short_ratios[0]:.2f} mem_ratio={short_ratios[1]:.2f} "
                "(goals: ratio <= 4, mem <= 2)"
            )
    if main_ratios is None:
        print("ratio=n/a mem_ratio=n/a")
        return
    print(f"{args.pages} pages (goals: ratio <= 4, mem_ratio <= 2):")
    print(f"ratio={main_ratios[0]:.2f} mem_ratio={main_ratios[1]:.2f}")


if __name__ == "__main__":
    main()
