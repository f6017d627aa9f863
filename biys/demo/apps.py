from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Demo data for trial installations: the top layer, it may use every module."""

    name = "biys.demo"
    label = "demo"
    verbose_name = _("Demo data")

    def ready(self):
        # Each module registers its demo step on import; they run in this order. The register
        # comes first: the service desk's hardware tickets name its devices.
        from biys.demo import inventory  # noqa: F401

        # isort: split
        from biys.demo import servicedesk  # noqa: F401

        # isort: split
        from biys.demo import network  # noqa: F401  (files fault tickets: after the desk)

        # isort: split
        from biys.demo import logs5651  # noqa: F401

        # isort: split
        from biys.demo import applications  # noqa: F401

        # isort: split
        from biys.demo import application_channels  # noqa: F401  (objections, e-mail, CİMER)

        # isort: split
        from biys.demo import gis  # noqa: F401

        # isort: split
        from biys.demo import numarataj  # noqa: F401

        # isort: split
        from biys.demo import basestation  # noqa: F401

        # isort: split
        from biys.demo import evrak  # noqa: F401

        # isort: split
        from biys.demo import secops  # noqa: F401

        # isort: split
        from biys.demo import bgys  # noqa: F401

        # isort: split
        from biys.demo import kvkk  # noqa: F401
