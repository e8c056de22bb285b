"""Nothing of this app is registered in the Django admin: discipline cases, their evidence,
votes and decisions are read only through the app's own pages and API, scoped by its
selectors (decision 096). `tests/test_privacy.py` proves it."""
