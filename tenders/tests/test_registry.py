"""The one registry behind the plug points of tenders (ADR 0007): recipients, intake, stage links and guards."""

import pytest

from tenders import guards, intake, recipients, stage_links
from tenders.models import Phase
from tenders.registry import Registry


def first(*args):
    return ["first"]


def second(*args):
    return ["second"]


def test_functions_come_in_the_order_of_registration_each_once():
    registry = Registry("test")
    assert registry.add(second) is second  # usable as a decorator
    registry.add(first)
    registry.add(second)
    assert registry.functions() == (second, first)
    assert list(registry) == [second, first]


def test_keys_keep_their_functions_apart():
    registry = Registry("test")
    registry.add(first, key="a")
    registry.add(second, key="b")
    assert registry.functions("a") == (first,)
    assert registry.functions("b") == (second,)
    assert registry.functions() == ()
    assert registry.functions("unknown") == ()


def test_remove_takes_a_function_away_and_ignores_one_that_is_not_there():
    registry = Registry("test")
    registry.add(first)
    registry.add(first, key="a")
    registry.remove(first)
    registry.remove(second)
    registry.remove(first, key="nowhere")
    assert registry.functions() == ()
    assert registry.functions("a") == (first,)


def test_functions_returns_a_copy_that_registering_does_not_change():
    registry = Registry("test")
    registry.add(first)
    found = registry.functions()
    registry.add(second)
    assert found == (first,)


def test_replaced_holds_exactly_the_given_functions_within_the_block_only():
    registry = Registry("test")
    registry.add(first)
    registry.add(second, key="other")
    with registry.replaced(second, second):
        assert registry.functions() == (second,)
        assert registry.functions("other") == (second,)
        registry.add(first, key="other")  # a registration within the block does not outlive it
    assert registry.functions() == (first,)
    assert registry.functions("other") == (second,)
    with registry.replaced():
        assert registry.functions() == ()
    assert registry.functions() == (first,)


def test_replaced_restores_the_registry_when_the_block_fails():
    registry = Registry("test")
    registry.add(first)
    with pytest.raises(RuntimeError), registry.replaced(second):
        raise RuntimeError
    assert registry.functions() == (first,)


def test_only_keeps_the_chosen_functions_under_every_key_within_the_block():
    registry = Registry("test")
    registry.add(first, key="a")
    registry.add(second, key="a")
    registry.add(second, key="b")
    with registry.only(lambda fn: fn is first):
        assert registry.functions("a") == (first,)
        assert registry.functions("b") == ()
    assert registry.functions("a") == (first, second)
    assert registry.functions("b") == (second,)


# --- the plug points keep their public API on the one registry ----------------------------------------------------
def test_recipients_register_and_unregister_through_the_registry():
    def provider(commissioning):
        return []

    assert recipients.register(provider) is provider
    try:
        assert provider in recipients.providers.functions()
    finally:
        recipients.unregister(provider)
    assert provider not in recipients.providers.functions()


def test_intake_asks_its_providers_and_speakers_through_the_registry():
    with intake.providers.replaced():
        assert intake.sealed_requests(object()) is False
    with intake.providers.replaced(lambda c: False, lambda c: True):
        assert intake.sealed_requests(object()) is True

    def speaker(user, commissioning):
        return []

    with intake.speakers.replaced():
        assert intake.register_speaker(speaker) is speaker
        assert intake.speakers.functions() == (speaker,)
    assert speaker not in intake.speakers.functions()


def test_stage_links_are_kept_per_place():
    def manage(subject, user, municipality):
        return [stage_links.Link("manage", "/m")]

    def elsewhere(subject, user, municipality):
        return [stage_links.Link("elsewhere", "/e")]

    with stage_links.providers.replaced(key=stage_links.MANAGE):
        stage_links.register(manage)
        stage_links.register(place="test.place")(elsewhere)
        assert stage_links.links(None, None, None) == [stage_links.Link("manage", "/m")]
        assert stage_links.links(None, None, None, place="test.place") == [stage_links.Link("elsewhere", "/e")]
        stage_links.unregister(elsewhere, place="test.place")
        assert stage_links.links(None, None, None, place="test.place") == []
    assert manage not in stage_links.providers.functions(stage_links.MANAGE)


def test_guards_are_kept_per_phase_pair_and_only_from_filters_by_app():
    def guard(commissioning, now):
        return []

    guards.register(Phase.EVALUATION, Phase.AWARDED)(guard)
    try:
        assert guard in guards.guards_for(Phase.EVALUATION, Phase.AWARDED)
        assert guard not in guards.guards_for(Phase.TENDERING, Phase.EVALUATION)
        with guards.only_from("bids"):  # this module's guard is a tenders one
            assert guard not in guards.guards_for(Phase.EVALUATION, Phase.AWARDED)
        assert guard in guards.guards_for(Phase.EVALUATION, Phase.AWARDED)  # restored after the block
    finally:
        guards.unregister(Phase.EVALUATION, Phase.AWARDED, guard)
    assert guard not in guards.guards_for(Phase.EVALUATION, Phase.AWARDED)
    with pytest.raises(ValueError, match="Unknown phase"):
        guards.register("nowhere", Phase.AWARDED)
