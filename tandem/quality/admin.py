# Quality records are kept through the app's pages and services (every write audited).
