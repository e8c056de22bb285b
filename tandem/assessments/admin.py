"""Nothing of the assessments is registered in the Django admin: assessments, plans and WBAs are
changed through the services only (which check who may and audit every change); the training
offices keep the plans on the plans page. One-time codes are never shown anywhere."""
