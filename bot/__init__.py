"""Staffroom's core: platform-neutral rules for peer-led professional development.

Nothing in this package knows Slack, Teams or SQL; it talks to them through the protocols in
``bot.kernel.ports``. Only ``staffroom.cli`` (the composition root) wires concrete adapters and storage in.
"""
