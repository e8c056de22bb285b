"""Nothing of this app is registered in the Django admin: no check-in, alert, note, consent
or proposal appears there, not even read-only for consortium admins (decision 089).
`tests/test_privacy.py` proves it."""
