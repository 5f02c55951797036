"""Thin translators between chat platforms and the core: inbound events, renderers, messengers."""
