"""Argument types of the command line: what argparse checks before anything runs."""

from __future__ import annotations

import argparse


def job_number(text: str) -> int:
    """A job number as the database keeps them (a positive 64-bit integer)."""
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a job number") from None
    if not 0 < number < 2**63:
        raise argparse.ArgumentTypeError(f"{text} is not a job number")
    return number


def positive_seconds(text: str) -> float:
    try:
        seconds = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not seconds > 0:
        raise argparse.ArgumentTypeError(f"{text} is not a positive number of seconds")
    return seconds
