"""Side-menu entries of the evrak module (imported from biys/evrak/urls.py)."""

from django.utils.translation import gettext_lazy as _

from biys.core.navigation import MenuGroup, MenuItem, register_menu

register_menu(
    MenuGroup(
        label=_("Correspondence"),
        icon="mail",
        order=57,
        items=[
            MenuItem(
                _("Incoming documents"),
                "evrak:incomingdocument_list",
                icon="inbox",
                permission="evrak.view_incomingdocument",
            ),
            MenuItem(
                _("Outgoing documents"),
                "evrak:outgoingdocument_list",
                icon="send",
                permission="evrak.view_outgoingdocument",
            ),
            MenuItem(
                _("Paper dispatch list"),
                "evrak:dispatch_list",
                icon="mailbox",
                permission="evrak.view_outgoingdocument",
            ),
            MenuItem(
                _("Documents waiting for me"),
                "evrak:waiting",
                icon="clock",
            ),
            MenuItem(
                _("E-mail and KEP inbox"),
                "evrak:receivedmail_list",
                icon="mail-opened",
                permission="evrak.add_incomingdocument",
            ),
            MenuItem(
                _("Register a document"),
                "evrak:incomingdocument_add",
                icon="plus",
                permission="evrak.add_incomingdocument",
            ),
            MenuItem(
                _("Archive year-end"),
                "evrak:year_end",
                icon="archive",
                permission=("evrak.approve_disposal", "evrak.hand_over_files"),
            ),
            MenuItem(
                _("File plan (SDP)"),
                "evrak:sdpcode_list",
                icon="folders",
                permission="evrak.view_sdpcode",
            ),
            MenuItem(
                _("Signing authorities"),
                "evrak:signingrule_list",
                icon="signature",
                permission="evrak.change_signingrule",
            ),
            MenuItem(
                _("Signature trust store"),
                "evrak:trustedcertificate_list",
                icon="certificate",
                permission="evrak.add_trustedcertificate",
            ),
            MenuItem(
                _("Revocation lists (CRL)"),
                "evrak:revocationlist_list",
                icon="certificate-off",
                permission="evrak.add_revocationlist",
            ),
            MenuItem(
                _("Document mailboxes (e-mail, KEP)"),
                "evrak:evrakmailbox_list",
                icon="mail-cog",
                permission="evrak.change_evrakmailbox",
            ),
        ],
    )
)
