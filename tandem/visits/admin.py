"""Nothing of the exchange visits is registered in the Django admin: visits, sessions and
actions are changed through the services only (which check who may and audit every change)."""
