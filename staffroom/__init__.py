"""The composition root: the only package that imports the core, storage and the adapters together."""
