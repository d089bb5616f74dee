"""The demo is fictional and its activities fit their organisations (issue 10): no real organisations of the Leiden
tender, activities chosen per organisation, descriptions in Dutch."""

import inspect

from continuity import demo as continuity_demo
from landscape import demo
from tenders import demo as tenders_demo

REAL_ORGANISATIONS = ["SOL", "Incluzio", "BuZz", "Buzz"]


def test_the_demo_names_no_real_organisations():
    for module in (demo, continuity_demo, tenders_demo):
        source = inspect.getsource(module)
        for name in REAL_ORGANISATIONS:
            assert f" {name}" not in source and f'"{name}' not in source and f"({name}" not in source, (module, name)


def test_leiden_lot_winners_are_demo_organisations():
    demo_names = {name for name, _kind, _theme in demo.LEIDEN_ORGANISATIONS}
    assert {winner for _lot, winner, _groups in continuity_demo.LEIDEN_LOTS} <= demo_names


def test_every_small_demo_organisation_runs_activities_chosen_for_it():
    organisations = demo.LEIDEN_ORGANISATIONS + demo.HAARLEM_ORGANISATIONS
    small = {name for name, kind, _theme in organisations if kind != demo.K.LARGE_WELFARE}
    assert small == set(demo.ACTIVITIES)
    assert all(title in demo.BY_TITLE for titles in demo.ACTIVITIES.values() for title in titles)
    # The mismatch the issue found: a language café runs a language café, not a handyman service.
    assert demo.ACTIVITIES["Stichting Taalcafé Schalkwijk-Midden"] == ["Taalcafé"]


def test_activity_descriptions_name_target_groups_in_dutch():
    assert demo._description("Ontmoetingsochtend", ["elderly", "loneliness"]) == (
        "Ontmoetingsochtend voor eenzame inwoners en ouderen."
    )
    assert demo._description("Spreekuur geldzorgen", ["money_worries"]) == (
        "Spreekuur geldzorgen voor mensen met geldzorgen."
    )
