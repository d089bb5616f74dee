"""The explanations in a self-declaration are the bidder's own words: like a draft they are stored encrypted (with
the key-encryption key outside the database, bids.sealing), so that a database dump shows which grounds were
answered yes, never why. `Declaration.answers` holds {"code": {"applies": bool, "explanation_sealed": base64}};
`answers_of(declaration)` gives the documented shape {"code": {"applies": bool, "explanation": str}}."""

import base64

from . import sealing


def _aad(participation_id: int, code: str) -> bytes:
    return f"declaration|{participation_id}|{code}".encode()


def seal_answer(participation_id: int, code: str, applies: bool, explanation: str) -> dict:
    answer = {"applies": bool(applies)}
    if explanation:
        sealed = sealing.encrypt(sealing.kek(), explanation.encode(), _aad(participation_id, code))
        answer["explanation_sealed"] = base64.b64encode(sealed).decode()
    return answer


def answers_of(declaration) -> dict:
    """The answers with their explanations decrypted, for the participant's own form and, after the opening, for
    the evaluation."""
    result = {}
    for code, answer in (declaration.answers or {}).items():
        explanation = ""
        if answer.get("explanation_sealed"):
            sealed = base64.b64decode(answer["explanation_sealed"])
            explanation = sealing.decrypt(sealing.kek(), sealed, _aad(declaration.participation_id, code)).decode()
        result[code] = {"applies": bool(answer.get("applies")), "explanation": explanation}
    return result
