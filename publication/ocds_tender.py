"""What most publishers put in an OCDS tender and the base mapping (publication/ocds.py) did not: the CPV codes as
`tender.items[].classification` (scheme CPV, with the check digit), the reasons for the procedure as
`procurementMethodRationale`, the selection criteria as `eligibilityCriteria`, the planned award as `awardPeriod`,
and the buyer's address and contact point in `parties`.

`RATIONALE_SOURCES` lists the functions whose texts make up `procurementMethodRationale`, in order: add one (it
takes the commissioning and its ThresholdCheck and returns a text or "") to publish further recorded reasons."""

from tenders import regime, rules
from tenders.models import Deadline, Route


def _classification(code) -> dict:
    return {"scheme": "CPV", "id": code.code, "description": code.description_nl}


def items(c, lots) -> list[dict]:
    """One item per lot with its main CPV code (its own, or else the commissioning's) and additional codes; a
    commissioning without lots gets one item. Nothing without a main CPV code (a grant round)."""
    if c.main_cpv is None:
        return []
    common = list(c.additional_cpv.all())
    result = []
    for lot in lots or [None]:
        main = (lot.main_cpv if lot else None) or c.main_cpv
        additional = (list(lot.additional_cpv.all()) if lot else []) or common
        item = {
            "id": f"lot-{lot.number}" if lot else "1",
            "description": lot.title if lot else c.title,
            "classification": _classification(main),
        }
        extra = [_classification(code) for code in additional if code.pk != main.pk]
        if extra:
            item["additionalClassifications"] = extra
        if lot:
            item["relatedLot"] = str(lot.number)
        result.append(item)
    return result


def _regime_rationale(c, check) -> str:
    if c.route == Route.GRANT_ROUND:
        return ""
    return f"{rules.REGIME_LABELS[check.regime]}. {check.explanation}"


def _grant_rationale(c, check) -> str:
    if c.route != Route.GRANT_ROUND:
        return ""
    return f"Subsidieplafond € {c.grant_ceiling:.2f}; {c.get_distribution_rule_display()} (Awb 4:22, 4:26)"


RATIONALE_SOURCES = [_regime_rationale, _grant_rationale]


def rationale(c, check) -> str:
    return " ".join(text for source in RATIONALE_SOURCES if (text := source(c, check)))


def extend_tender(c, tender: dict, lots, deadlines: dict, iso) -> None:
    """Add items, procurementMethodRationale, eligibilityCriteria and awardPeriod to an OCDS `tender`."""
    check = rules.check_threshold(c, regime.regime_date(c))
    if found := items(c, lots):
        tender["items"] = found
    if text := rationale(c, check):
        tender["procurementMethodRationale"] = text
    if c.selection_criteria.strip():
        tender["eligibilityCriteria"] = c.selection_criteria.strip()
    planned = deadlines.get(Deadline.Kind.AWARD_PLANNED)
    if planned:
        submissions = deadlines.get(rules.SUBMISSION_DEADLINE[c.route])
        tender["awardPeriod"] = {
            **({"startDate": iso(submissions.at)} if submissions else {}),
            "endDate": iso(planned.at),
        }


def address_and_contact(owner) -> dict:
    """The `address` and `contactPoint` of a party (a municipality or purchasing organisation), as far as known."""
    party = {}
    address = {
        "streetAddress": owner.street_address,
        "locality": owner.locality,
        "postalCode": owner.postal_code,
    }
    if any(address.values()):
        party["address"] = {key: value for key, value in address.items() if value} | {"countryName": "Nederland"}
    contact = {
        "name": owner.contact_name,
        "email": owner.contact_email,
        "telephone": owner.contact_telephone,
    }
    if any(contact.values()):
        party["contactPoint"] = {key: value for key, value in contact.items() if value}
    return party
