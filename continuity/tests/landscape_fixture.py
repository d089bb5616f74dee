"""A small landscape whose impact figures are computed by hand in the tests (docs/continuity.md, "Worked example").

Base year 2024. Districts D1 (WK900101) and D2 (WK900102); target groups youth (Y) and elderly (E).

organisation         kind                  staff  volunteers  first funded
A Buurtwerk Groot    large welfare         10     20          2015 (10 years)
B Klein Samen        volunteer with staff   2     40          2020 (5 years)
C Zelforganisatie    self-organisation      0     10          – (activity since 2022: 3 years)

activity  org  districts  group  reach  vol.hours  prev.  grant   conditional  unconditional
a1        A    D1         Y      100    1000       yes    60,000  –            –
a2        A    D2         Y       50       0       no     40,000  –            –
b1        B    D1, D2     E       80    3000       yes    20,000  10,000       5,000
b2        B    D2         E       20    1000       no          –  –            –
c1        C    D1         E       30     500       yes     5,000   2,000       –
plus a grant of 10,000 to B without an activity (shared: b1 +5,000, b2 +5,000).
Test-only fixture: the landscape app's own factories are not used here, so this writes landscape rows directly.
"""

from decimal import Decimal

from core.testing import MunicipalityFactory
from landscape.models import Activity, District, Funding, Organisation, TargetGroup


def build(code="GM9001", name="Voorbeeldstad"):
    m = MunicipalityFactory(cbs_code=code, name=name)
    d1 = District.objects.create(municipality=m, cbs_code=f"WK{code[2:]}01", name="Noord")
    d2 = District.objects.create(municipality=m, cbs_code=f"WK{code[2:]}02", name="Zuid")
    youth = TargetGroup.objects.get(code="youth")
    elderly = TargetGroup.objects.get(code="elderly")
    org = {}
    for key, oname, kind, staff, vol, first in [
        ("A", "Buurtwerk Groot", Organisation.Kind.LARGE_WELFARE, 10, 20, 2015),
        ("B", "Klein Samen", Organisation.Kind.VOLUNTEER_WITH_STAFF, 2, 40, 2020),
        ("C", "Zelforganisatie", Organisation.Kind.SELF_ORGANISATION, 0, 10, None),
    ]:
        org[key] = Organisation.objects.create(
            municipality=m,
            name=oname,
            kind=kind,
            paid_staff_fte=Decimal(staff),
            volunteers=vol,
            first_funded_year=first,
        )
    act = {}
    for key, o, districts, group, reach, hours, prev, since in [
        ("a1", "A", [d1], youth, 100, 1000, True, 2016),
        ("a2", "A", [d2], youth, 50, 0, False, 2016),
        ("b1", "B", [d1, d2], elderly, 80, 3000, True, 2020),
        ("b2", "B", [d2], elderly, 20, 1000, False, 2021),
        ("c1", "C", [d1], elderly, 30, 500, True, 2022),
    ]:
        a = Activity.objects.create(
            organisation=org[o],
            title=f"Activiteit {key}",
            reach=reach,
            volunteer_hours=hours,
            preventive=prev,
            since_year=since,
        )
        a.districts.set(districts)
        a.target_groups.set([group])
        act[key] = a

    def fund(o, a, amount, kind=Funding.Kind.MUNICIPAL_GRANT, conditional=False, source="Subsidie"):
        Funding.objects.create(
            municipality=m,
            organisation=org[o],
            activity=act.get(a),
            year=2024,
            kind=kind,
            source_name=source,
            amount_granted=Decimal(amount),
            conditional=conditional,
        )

    fund("A", "a1", 60000)
    fund("A", "a2", 40000)
    fund("B", "b1", 20000)
    fund("B", "b1", 10000, Funding.Kind.EXTERNAL, True, "Fonds Doen")
    fund("B", "b1", 5000, Funding.Kind.EXTERNAL, False, "Eigen fonds")
    fund("B", None, 10000)
    fund("C", "c1", 5000)
    fund("C", "c1", 2000, Funding.Kind.EXTERNAL, True, "VSB-fonds")
    # An older year, to check that only the base year counts.
    Funding.objects.create(
        municipality=m,
        organisation=org["A"],
        activity=act["a1"],
        year=2023,
        kind=Funding.Kind.MUNICIPAL_GRANT,
        source_name="Subsidie",
        amount_granted=Decimal("99999"),
    )
    return m, org, act, (d1, d2)
