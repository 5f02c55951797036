"""The coordinator's weekly digest: what happened, who needs a hand, and the trend.

weeks (which week, in the program's time zone), queries (the protocol storage implements), build (raw
figures to a digest, privacy floor applied), render (chat, text, HTML, CSV), chart (the trend PNG),
schedule and service (the scheduler's job), chat (the ``digest`` verb and its buttons).
"""
