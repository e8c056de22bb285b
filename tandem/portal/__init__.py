"""The top floor: what looks across the domain apps (dashboards, navigation, the tutor workspace,
change history as people read it, the admin site, the demo and the seed commands). It may import
every app; no app imports it (see docs/architecture.md)."""
