"""The shared vocabulary of target groups (code in English, name as shown to Dutch users).

Seeded after every migrate and every flush (post_migrate), so that the rows exist in every database, also in tests
that flush the database between them (live-server browser tests).
"""

TARGET_GROUPS = [
    ("youth", "Jeugd en jongeren"),
    ("families", "Gezinnen en ouders"),
    ("elderly", "Ouderen"),
    ("informal_caregivers", "Mantelzorgers"),
    ("young_informal_caregivers", "Jonge mantelzorgers"),
    ("disabilities", "Mensen met een beperking"),
    ("newcomers", "Nieuwkomers en statushouders"),
    ("money_worries", "Mensen met geldzorgen"),
    ("loneliness", "Eenzame inwoners"),
    ("residents", "Alle bewoners"),
    ("volunteers", "Vrijwilligers"),
]


def seed_target_groups(sender=None, using="default", **kwargs) -> None:
    from .models import TargetGroup

    existing = set(TargetGroup.objects.using(using).values_list("code", flat=True))
    TargetGroup.objects.using(using).bulk_create(
        [TargetGroup(code=code, name=name) for code, name in TARGET_GROUPS if code not in existing]
    )
