"""The operator console (``/console/``): Django templates and htmx fragments over the
same actions, permission matrix and read-models as the API (DESIGN.md §6)."""
