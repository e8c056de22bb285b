# Work hours are kept through their pages and the API (every write audited), not the admin.
