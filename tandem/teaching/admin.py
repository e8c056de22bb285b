"""Nothing of teaching is registered in the Django admin: activities and attendance change
through the services only, which check who may and audit every change."""
