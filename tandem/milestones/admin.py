"""Nothing of the milestones is registered in the Django admin: sets, committees and reviews
are changed through the services only (which audit every change and check who may)."""
