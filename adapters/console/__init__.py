"""The console adapter: Staffroom in a terminal, over the same core and outbox as Slack and Teams."""
