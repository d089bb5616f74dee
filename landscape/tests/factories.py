"""factory-boy factories for the landscape registry, shared by every app's tests.

Test data only: the factories write models directly (tests set up state; production code writes through
landscape.services). Municipality CBS codes come from core.testing.MunicipalityFactory.

    district = DistrictFactory(municipality=m)
    org = OrganisationFactory(municipality=m, kind=Organisation.Kind.VOLUNTEER_ONLY)
    activity = ActivityFactory(organisation=org, districts=[district], target_groups=["elderly"])
    FundingFactory(organisation=org, year=2025, amount_granted=Decimal("12500"))
    ExternalFundingFactory(organisation=org, conditional=True)
"""

from decimal import Decimal

import factory

from core.testing import MunicipalityFactory
from landscape.models import Activity, District, Funding, Neighbourhood, Organisation, TargetGroup


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ("cbs_code",)

    municipality = factory.SubFactory(MunicipalityFactory)
    # WK + the municipality's 4 digits + a 2-digit district number.
    cbs_code = factory.LazyAttributeSequence(lambda o, n: f"WK{o.municipality.cbs_code[2:]}{n % 100:02d}")
    name = factory.Sequence(lambda n: f"Wijk {n}")


class NeighbourhoodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Neighbourhood
        django_get_or_create = ("cbs_code",)

    district = factory.SubFactory(DistrictFactory)
    cbs_code = factory.LazyAttributeSequence(lambda o, n: f"BU{o.district.cbs_code[2:]}{n % 100:02d}")
    name = factory.Sequence(lambda n: f"Buurt {n}")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Stichting Buurtkracht {n}")
    kvk_number = factory.Sequence(lambda n: f"{10000000 + n:08d}")
    legal_form = Organisation.LegalForm.FOUNDATION
    kind = Organisation.Kind.VOLUNTEER_WITH_STAFF
    paid_staff_fte = Decimal("2.50")
    volunteers = 25
    own_income_share = Decimal("10.00")
    first_funded_year = 2015
    description = "Buurtactiviteiten en ontmoeting."


def _target_group(code: str) -> TargetGroup:
    """The seeded target group (migration 0002), or a new one where a transactional test flushed the seed."""
    return TargetGroup.objects.get_or_create(code=code, defaults={"name": code.replace("_", " ").capitalize()})[0]


class ActivityFactory(factory.django.DjangoModelFactory):
    """`districts` takes District objects; `target_groups` takes TargetGroup objects or their codes."""

    class Meta:
        model = Activity
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Koffieochtend {n}")
    description = "Wekelijkse ontmoeting in het buurthuis."
    reach = 120
    volunteer_hours = 400
    since_year = 2018
    preventive = True

    @factory.post_generation
    def districts(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.districts.set(extracted)

    @factory.post_generation
    def target_groups(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.target_groups.set([g if isinstance(g, TargetGroup) else _target_group(g) for g in extracted])


class FundingFactory(factory.django.DjangoModelFactory):
    """A municipal grant line; the municipality follows the organisation."""

    class Meta:
        model = Funding

    organisation = factory.SubFactory(OrganisationFactory)
    municipality = factory.SelfAttribute("organisation.municipality")
    year = 2025
    kind = Funding.Kind.MUNICIPAL_GRANT
    source_name = "Subsidieregeling Sociale Basis"
    amount_requested = Decimal("50000.00")
    amount_granted = Decimal("45000.00")
    amount_settled = None
    conditional = False


class ExternalFundingFactory(FundingFactory):
    """External co-funding (a fund); set `conditional=True` for matched funding that depends on the municipality."""

    kind = Funding.Kind.EXTERNAL
    source_name = "Fonds Doen"
    amount_requested = None
    amount_granted = Decimal("15000.00")
