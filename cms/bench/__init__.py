"""Data and measurements for `manage.py bench` (`make bench`). Bench tooling, not domain code:
it writes rows straight to the tables with bulk_create."""
