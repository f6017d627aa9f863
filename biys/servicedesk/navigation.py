"""Side-menu entries of the service desk (imported from biys/servicedesk/urls.py at start-up)."""

from django.utils.translation import gettext_lazy as _

from biys.core.navigation import MenuGroup, MenuItem, register_menu

register_menu(
    MenuGroup(
        label=_("Service desk"),
        icon="headset",
        order=20,
        items=[
            MenuItem(_("New request"), "servicedesk:ticket_new", icon="plus"),
            MenuItem(_("My requests"), "servicedesk:my_tickets", icon="ticket"),
            MenuItem(
                _("My unit's requests"),
                "servicedesk:unit_tickets",
                icon="users-group",
                permission="servicedesk.view_unit_requests",
            ),
            MenuItem(
                _("Awaiting my approval"),
                "servicedesk:approvals",
                icon="checklist",
                permission="servicedesk.approve_requests",
            ),
            MenuItem(
                _("Queue"),
                "servicedesk:ticket_list",
                icon="list",
                permission="servicedesk.view_ticket",
            ),
            MenuItem(
                _("Phone intake"),
                "servicedesk:phone_intake",
                icon="phone-call",
                permission="servicedesk.change_ticket",
            ),
            MenuItem(_("Knowledge base"), "servicedesk:knowledgearticle_list", icon="book"),
            MenuItem(_("Service catalogue"), "servicedesk:catalogitem_list", icon="category"),
            MenuItem(
                _("Queues"),
                "servicedesk:queue_list",
                icon="adjustments",
                permission="servicedesk.change_queue",
            ),
            # the register's officers link older tickets' device references to it
            # (biys.core.assets.may_link_assets; the page checks the same)
            MenuItem(
                _("Link to asset register"),
                "servicedesk:asset_links",
                icon="link",
                permission="inventory.change_asset",
            ),
        ],
    )
)
