"""The shared resource library: teachers share links and notes, find them by search, and get
at most two offered at the right moment (``bot.resources.surfacing.suggest_resources``)."""
