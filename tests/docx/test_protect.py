"""protected_spans and is_translatable."""

from __future__ import annotations

import itertools

import pytest

from iris.docx.text.protect import is_translatable, link_spans, protected_spans


def protected(text: str) -> list[str]:
    return [text[a:b] for a, b in protected_spans(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hello {{ user.name }}, welcome", ["{{ user.name }}"]),
        ("{% if premium %}Gold{% endif %}", ["{% if premium %}", "{% endif %}"]),
        ("Note {# internal comment #} here", ["{# internal comment #}"]),
        ("You have %d new %s", ["%d", "%s"]),
        ("Hello %(name)s, you owe %(amount).2f", ["%(name)s", "%(amount).2f"]),
        ("%1$s sent %2$d files", ["%1$s", "%2$d"]),
        ("Value: %-10.3f and %05d and %@", ["%-10.3f", "%05d", "%@"]),
        ("Item {0} of {1}", ["{0}", "{1}"]),
        ("Dear {name}, your {order_id}", ["{name}", "{order_id}"]),
        ("Total {0:N2} and {1,-10}", ["{0:N2}", "{1,-10}"]),
        ("Path ${HOME}/bin", ["${HOME}"]),
        ("Visit https://example.com/a?b=1&c=2 now", ["https://example.com/a?b=1&c=2"]),
        ("Use ftp://files.example.org/pub.", ["ftp://files.example.org/pub"]),
        ("See www.example.co.uk, then", ["www.example.co.uk"]),
        (
            "Read https://en.wikipedia.org/wiki/Mercury_(planet).",
            ["https://en.wikipedia.org/wiki/Mercury_(planet)"],
        ),
        ("(see http://example.com/x)", ["http://example.com/x"]),
        ("Mail john.doe+tag@mail.example.org.", ["john.doe+tag@mail.example.org"]),
        ("请访问www.example.com。谢谢", ["www.example.com"]),
        ("Encoded https://x.org/a%20b%s", ["https://x.org/a%20b%s"]),
        # Text written straight after a URL, with no space, is not part of it.
        ("请访问https://example.com/docs获取更多信息。", ["https://example.com/docs"]),
        ("詳しくはhttps://example.com/docsをご覧ください。", ["https://example.com/docs"]),
        ("「https://example.com」を参照してください", ["https://example.com"]),
        ("자세한 내용은 https://example.com/docs에서 확인하세요", ["https://example.com/docs"]),
        ("ดูได้ที่https://example.com/docsได้เลยครับ", ["https://example.com/docs"]),
        ("راجع https://example.com/docs، ثم", ["https://example.com/docs"]),
        ("Visit https://example.com/docs—it is free.", ["https://example.com/docs"]),
        # Latin, Greek and Cyrillic letters are part of an IRI.
        (
            "Siehe https://de.wikipedia.org/wiki/Übersetzung.",
            ["https://de.wikipedia.org/wiki/Übersetzung"],
        ),
        (
            "См. https://ru.wikipedia.org/wiki/Перевод сегодня",
            ["https://ru.wikipedia.org/wiki/Перевод"],
        ),
    ],
)
def test_protected_spans(text: str, expected: list[str]) -> None:
    assert protected(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "50% discount on 10% of items",
        "A 100 % guarantee",
        "Use [[name]] here",
        "Ratio :name and :id",
        "Braces {with spaces} stay",
        "Email me at home",
        "user@localhost is not an address",
        "Just text.",
    ],
)
def test_not_protected(text: str) -> None:
    assert protected_spans(text) == []


def test_spans_are_sorted_and_disjoint() -> None:
    text = "{{a}}{{b}} %s{0}${x} https://a.org/{{c}} x@y.com"
    spans = protected_spans(text)
    assert spans == sorted(spans)
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))


def test_link_spans_only_links() -> None:
    text = "{0} at https://a.org and b@c.de with %s"
    assert [text[a:b] for a, b in link_spans(text)] == ["https://a.org", "b@c.de"]


@pytest.mark.parametrize(
    "plain",
    [
        "",
        "   ",
        "\t\n",
        "42",
        "1,234.56",
        "1.234,56",
        "12 %",
        "-3.5%",
        "$5",
        "€ 10,00",
        "£1,000,000",
        "¥300",
        "2024-01-31",
        "12/31/2024",
        "31.12.2024",
        "10:30",
        "+49 (0)30 123 456",
        "…",
        "—",
        "***",
        "•",
        "§ 3",
        "(1)",
        "https://example.com",
        "www.example.com",
        "john@example.com",
        "{{ name }}",
        "%s",
        "{0} – {1}",
        "https://a.org | b@c.de",
        "ABC-123",
        "A4",
        "MP3",
        "ISO-9001:2015",
        "X1",
    ],
)
def test_not_translatable(plain: str) -> None:
    assert is_translatable(plain) is False


@pytest.mark.parametrize(
    "plain",
    [
        "Hello",
        "A",
        "OK",
        "5 kg",
        "1st place",
        "Page %d of %d",
        "Dear {name}",
        "See https://example.com for more",
        "Version 2",
        "ISO 9001 certified",
        "版本",
        "مرحبا",
        "Figure 3",
        "ABC-123 is the code",
        "Room 4b",
    ],
)
def test_translatable(plain: str) -> None:
    assert is_translatable(plain) is True
