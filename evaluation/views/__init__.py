"""The evaluation's pages: the officer's committees and award (officer.py, award.py), a member's declaration and
scores (member.py), the chair's spread, consensus and ranking (chair.py), and the bidder's letters (bidder.py).
Pages showing bid content or scores are sent with `Cache-Control: private, no-store`."""

PRIVATE = "private, no-store, max-age=0"


def private(response):
    response["Cache-Control"] = PRIVATE
    return response
