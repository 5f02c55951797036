"""SQLAlchemy persistence for Staffroom: models, repositories, the unit of work and migrations.

It implements the protocols of ``bot.kernel.ports``; the core never sees a session or a row.
"""
