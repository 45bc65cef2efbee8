"""The commands of ``tracker``, one module a group; :mod:`tracker.cli` runs them."""
