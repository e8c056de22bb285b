"""Nothing of this app is registered in the Django admin: nominations, votes and objections
are read only through the app's pages and API, scoped by its selectors (an objector's name is
the committee's to know, decision 104)."""
