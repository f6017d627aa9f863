"""``biys documents``: the ``biys evrak`` command under the name the registry's users know
(``biys documents check-eyp FILE``, ``biys documents export-eyp NUMBER --out FILE``)."""

from biys.evrak.management.commands.evrak import Command as EvrakCommand


class Command(EvrakCommand):
    pass
