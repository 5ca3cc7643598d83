"""Secrets kept out of messages and logs."""

from __future__ import annotations

import re
from urllib.parse import urlsplit


def masked(url: str) -> str:
    """``url`` with its password (if any) replaced by ``***``: safe to print or log."""
    try:
        parts = urlsplit(url)
        password = parts.password
    except ValueError:  # not even a URL: show nothing of it that could be a secret
        return "<unreadable URL>" if "@" in url else url
    if password is None:
        return url
    host = parts.netloc.rpartition("@")[2]
    return parts._replace(netloc=f"{parts.username or ''}:***@{host}").geturl()


#: the token of a signed download link (/d/<token>): a credential while it lives
_DOWNLOAD_TOKEN = re.compile(r"/d/[^/\s?\"']+")


def tokens_hidden(text: str) -> str:
    """``text`` with the tokens of signed download links replaced by ``***``."""
    return _DOWNLOAD_TOKEN.sub("/d/***", text)
