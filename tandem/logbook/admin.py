"""Nothing of the logbook is registered in the Django admin: entries are read and changed
through the services only (which audit every change and check who may), and the catalogues
have their own pages for the training offices."""
