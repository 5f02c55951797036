"""The pairing engine: mentor pairs and peer groups teachers would choose themselves.

records (plain data) -> scoring (what a good match is) -> solver (the algorithms) -> explain (why, in
one sentence) -> rounds (preview, publish, schedule) -> chat (the coordinator's ``pair`` verb).
"""
