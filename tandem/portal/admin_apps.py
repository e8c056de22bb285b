from django.contrib.admin.apps import AdminConfig


class TandemAdminConfig(AdminConfig):
    default_site = "tandem.portal.admin_site.TandemAdminSite"
