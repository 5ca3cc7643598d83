"""Set up: an engine configured as its service needs says nothing is lacking, and
translates; one that lacks a setting says which (the job is refused at submission)
and, asked anyway, fails permanently naming it."""

from __future__ import annotations

import pytest

from iris.engines.base import PermanentError
from tests.engine_contract.harness import SENTENCES, Contract

#: the setting each engine cannot work without, if it has one
REQUIRED = {"openai": "IRIS_OPENAI_MODEL", "deepl": "IRIS_DEEPL_AUTH_KEY"}


def test_an_engine_set_up_lacks_nothing_and_translates(contract: Contract) -> None:
    assert contract.engine_class.configuration_problem() is None
    assert contract.engine_class.not_set_up() is None
    assert contract.translate(contract.request(SENTENCES[0])).targets


@pytest.mark.parametrize("engine_name", sorted(REQUIRED))
def test_an_engine_without_its_setting_says_which(contract: Contract) -> None:
    setting = REQUIRED[contract.name]
    setattr(contract.settings, setting, "")
    message = f"the {contract.name} engine is not set up: {setting} is not set"
    assert contract.engine_class.not_set_up() == message
    with pytest.raises(PermanentError, match=message):
        contract.translate(contract.request(SENTENCES[0]))
