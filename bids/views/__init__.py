"""The bids app's pages, one module per topic (submission, operators, consortium, opening)."""
