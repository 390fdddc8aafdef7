"""The demo loaded by `manage.py load_demo`: the council's record from the seed documents
(`motions`), commitments and follow-ups (`plans`) and the one-year rule at work
(`one_year_rule`). Demo tooling, not domain code: it writes through the apps' services."""
