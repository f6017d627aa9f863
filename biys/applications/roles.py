"""The roles of the applications module, each held over units (imported from the app's
``ready()``; roles are re-synced after every migrate).

- the applications clerk (başvuru kayıt görevlisi) records applications at the counter and
  types in CİMER and Alo 153 entries, and routes them to the responsible unit;
- the unit responder answers the applications of their units and extends a period;
- the applications manager does both, corrects records and keeps the application types.

Unmasked personal data of applicants is shown to these roles only, and every view is logged.
"""

from django.utils.translation import gettext_lazy as _

from biys.accounts.roles import RoleSpec, extend_role, register_role

REVEAL = "applications.reveal_applicant_data"

register_role(
    RoleSpec(
        "applications_clerk",
        _("Applications clerk"),
        _(
            "Records applications (counter, CİMER, Alo 153) for the units they hold the role"
            " over and routes them to the responsible unit."
        ),
        include=[
            "applications.view_*",
            "applications.add_application",
            "applications.route_application",
            REVEAL,
        ],
    )
)
register_role(
    RoleSpec(
        "applications_responder",
        _("Applications responder (unit)"),
        _("Answers the applications of their units within the legal period; extends it."),
        include=[
            "applications.view_*",
            "applications.answer_application",
            "applications.extend_application",
            REVEAL,
        ],
    )
)
register_role(
    RoleSpec(
        "applications_manager",
        _("Applications manager"),
        _(
            "Answers for the applications of their units: records, routes, extends, answers,"
            " corrects them and keeps the application types; hears of every deadline at risk."
        ),
        include=[
            "applications.view_*",
            "applications.add_application",
            "applications.change_application",
            "applications.route_application",
            "applications.extend_application",
            "applications.answer_application",
            "applications.add_applicationtype",
            "applications.change_applicationtype",
            REVEAL,
        ],
    )
)

# GIS data sales (biys.applications.gis): the clerk records purchase requests and their
# layers and quotes them; the responder of the unit that holds the data delivers it; the
# applications manager does every step, accrues, records the payment and keeps the layers and
# the dated tariff (an administrator does too, with every permission).
GIS_VIEW = ["applications.view_gis*"]
extend_role(
    "applications_clerk",
    include=[*GIS_VIEW, "applications.add_gisdatasale", "applications.change_gisdatasale"],
)
extend_role("applications_responder", include=[*GIS_VIEW, "applications.deliver_gisdatasale"])
extend_role(
    "applications_manager",
    include=[
        *GIS_VIEW,
        "applications.add_gis*",
        "applications.change_gis*",
        "applications.collect_gisdatasale",
        "applications.deliver_gisdatasale",
    ],
)

# Address numbering and street naming (biys.applications.numarataj): the clerk records the
# numbering requests and prepares naming proposals and sends them to the council; the
# responder (the unit's numbering staff) records the field visit, gives the number, issues the
# certificate or refuses the request; the applications manager does every step, accrues the fee
# and records its payment, records the council's decision and keeps the street and building
# register and, held over the whole municipality, the council's fee tariff. Streets, buildings
# and the tariff are read by all staff.
extend_role(
    "applications_clerk",
    include=[
        "applications.add_numberingrequest",
        "applications.add_streetnamingproposal",
        "applications.change_streetnamingproposal",
    ],
)
extend_role("applications_responder", include=["applications.change_numberingrequest"])
extend_role(
    "applications_manager",
    include=[
        "applications.add_numberingrequest",
        "applications.change_numberingrequest",
        "applications.collect_numberingrequest",
        "applications.add_streetnamingproposal",
        "applications.change_streetnamingproposal",
        "applications.decide_streetnamingproposal",
        "applications.add_street",
        "applications.change_street",
        "applications.add_building",
        "applications.change_building",
        # The fee tariff is the whole municipality's: these count only for a manager holding
        # the role over every unit (the department's top unit with its sub-units).
        "applications.add_numberingtariff",
        "applications.change_numberingtariff",
    ],
)

# Base-station sites (biys.applications.basestation): the clerk records the operators' site
# permit applications and residents' complaints; the responder (the unit's inspection staff)
# ticks the documents, records the inspection and the right-of-way agreement and answers the
# complaints; the applications manager does every step, decides on the permit, records the fee
# or rent contract, accrues each year and records its payment, and keeps the operators.
extend_role(
    "applications_clerk",
    include=["applications.add_basestationsite", "applications.add_sitecomplaint"],
)
extend_role(
    "applications_responder",
    include=["applications.change_basestationsite", "applications.change_sitecomplaint"],
)
extend_role(
    "applications_manager",
    include=[
        "applications.add_basestationsite",
        "applications.change_basestationsite",
        "applications.decide_basestationsite",
        "applications.collect_basestationsite",
        "applications.add_sitecomplaint",
        "applications.change_sitecomplaint",
        "applications.add_operator",
        "applications.change_operator",
    ],
)
