"""In-memory fakes of the core's ports, for the unit tier: no database, the same semantics.

``FakeUnitOfWorkFactory(db, clock.now)`` stands where ``storage.uow.SqlUnitOfWorkFactory`` does.
Repositories are bound to one workspace, a commit applies and a rollback discards (copy on write, see
``tables``), and the unique constraints the core relies on (outbox idempotency keys, delivery ids,
one check-in a week) hold as they do in SQL. ``tests/storage/test_contracts.py`` keeps fakes and SQL
in step.
"""

from tests.support.fakes.tables import InMemoryDatabase, IntegrityError
from tests.support.fakes.uow import FakeScope, FakeUnitOfWork, FakeUnitOfWorkFactory

__all__ = [
    "FakeScope",
    "FakeUnitOfWork",
    "FakeUnitOfWorkFactory",
    "InMemoryDatabase",
    "IntegrityError",
]
