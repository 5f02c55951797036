"""The repositories, one module a feature (the same names as ``bot/``), each bound to one workspace.

Each module holds its rows' converters to and from the core's domain objects beside the queries that
use them; ``storage.uow`` gathers them into the core's ``Scope``.
"""
