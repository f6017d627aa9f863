"""The routes the generic matrix cannot reach on its own: custom pages, PDFs, downloads,
dashboards and the API's @action routes, each with the permission it requires and the HTTP
methods it accepts. tests/permissions/test_custom_routes_matrix.py tries each for every built-in
role inside and outside the object's unit; test_route_completeness fails for a route of the
URLconf that is in no list here and not reached by the generic matrix, so a new endpoint must
join this table (or the generic views) before it lands.

``route(methods, perm, model=...)``:
- ``methods``: what the route accepts ("GET", "POST", ...).
- ``perm``: the permission a role needs (a tuple: all of them; with ``any_perm=True``: any one
  of them); ``None``: any signed-in user.
- ``model``: the object the URL's ``pk`` names, made by its factory in the network unit; the
  permission then counts over that unit only (a role outside it gets 403 or 404, the codebase's
  convention: 404 where the object is not visible to the user, 403 where it is but the action
  is not allowed). Without a model the permission counts wherever the role holds it.
- ``ok``: the statuses of an allowed GET (200; a draft's e-Yazışma package is refused as a
  draft, which still proves the permission check passed).
- ``needs``: other records the route needs to answer at all (a framework for the compliance
  figures), made by their factories in the network unit.
- ``kwargs``: the URL's other arguments.
- ``xfail``: a known bug owned elsewhere, with its reason.
- ``unit_lists``: a route without an object that shows only what the user's units hold (a
  year-end's lists): tried inside and outside the network unit too, where a role holding the
  permission over another unit is still allowed (the lists' content is the app's own test).
"""

from dataclasses import dataclass, field

READ = ("GET",)
WRITE = ("POST",)


@dataclass(frozen=True)
class Custom:
    methods: tuple[str, ...]
    perm: str | tuple[str, ...] | None
    model: str | None = None
    ok: tuple[int, ...] = (200,)
    kwargs: dict = field(default_factory=dict, hash=False)
    xfail: str = ""
    needs: tuple[str, ...] = ()
    any_perm: bool = False
    unit_lists: bool = False

    @property
    def perms(self) -> tuple[str, ...]:
        if self.perm is None:
            return ()
        return (self.perm,) if isinstance(self.perm, str) else self.perm


def route(
    methods,
    perm,
    model=None,
    *,
    ok=(200,),
    xfail="",
    needs=(),
    any_perm=False,
    unit_lists=False,
    **kwargs,
) -> Custom:
    return Custom(
        tuple(methods), perm, model, tuple(ok), kwargs, xfail, tuple(needs), any_perm, unit_lists
    )


SIGNED_IN = None  # any signed-in user
# A list or report any signed-in user opens, showing only what their units hold (the codebase's
# convention for lists: 200 and nothing of another unit, never a 403).
LIST = None

USOM_ACCESS = ("secops.view_usomaddress", "logs5651.view_accessrecord")
YEAR_END = ("evrak.approve_disposal", "evrak.hand_over_files")

CUSTOM_ROUTES: dict[str, Custom] = {
    # core
    "core:search": route(READ, SIGNED_IN),
    "core:changelog": route(READ, LIST),
    "core:audit_verify": route(READ, "core.view_objectchange"),
    "personaldataview-list": route(READ, LIST),
    "core:personaldataview_list": route(("GET", "POST"), LIST),  # POST: the filter panel
    # org
    "org:chart": route(READ, SIGNED_IN),
    # accounts
    "accounts:profile": route(READ, SIGNED_IN),
    "accounts:password_change": route(("GET", "POST", "PUT"), SIGNED_IN),
    "accounts:two_factor_setup": route(READ, SIGNED_IN),
    "accounts:token": route(READ, SIGNED_IN),
    "accounts-me": route(READ, SIGNED_IN),
    "accounts:users": route(READ, "accounts.view_user"),
    "accounts:roles": route(READ, "accounts.view_role"),
    # calendar
    "calendar:year_current": route(READ, SIGNED_IN),
    "calendar:year": route(READ, SIGNED_IN, year=2026),
    # acknowledgements, notifications (the user's own)
    "acknowledgements:mine": route(READ, SIGNED_IN),
    "acknowledgement-list": route(READ, SIGNED_IN),
    "notifications:list": route(READ, SIGNED_IN),
    "notifications:menu": route(READ, SIGNED_IN),
    "notification-list": route(READ, SIGNED_IN),
    # servicedesk
    "servicedesk:ticket_new": route(READ, SIGNED_IN),
    "servicedesk:my_tickets": route(READ, SIGNED_IN),
    "servicedesk:stats": route(READ, LIST),
    # linking older tickets to the asset register: whoever keeps a register
    "servicedesk:asset_links": route(("GET", "POST"), "inventory.change_asset"),
    "servicedesk:asset_links_csv": route(READ, "inventory.change_asset"),
    "statistics": route(READ, LIST),
    "catalogitem-suggest": route(READ, SIGNED_IN),
    "knowledgearticle-suggest": route(READ, SIGNED_IN),
    "ticket-sla": route(READ, "servicedesk.view_ticket", "servicedesk.Ticket"),
    "ticket-responsibility": route(READ, "servicedesk.view_ticket", "servicedesk.Ticket"),
    # logs5651
    "logs5651:who": route(("GET", "POST"), "logs5651.view_accessrecord"),
    "logs5651:verify": route(READ, "logs5651.view_logfile"),
    "logs5651:searchrequest_list": route(READ, LIST),
    "searchrequest-list": route(READ, LIST),
    # inventory
    "inventory:my_custody": route(READ, SIGNED_IN),
    "inventory:import_template": route(READ, SIGNED_IN, kind="subnets", fmt="csv"),
    "custody-mine": route(READ, SIGNED_IN),
    "inventory:low_stock": route(READ, LIST, ok=(302,)),  # the stock list, filtered
    "inventory:zimmet_fisi": route(READ, "inventory.view_custody", "inventory.Custody"),
    "inventory:slip_pdf": route(READ, "inventory.view_slip", "inventory.Slip"),
    "inventory:request_pdf": route(READ, "inventory.view_stockrequest", "inventory.StockRequest"),
    "inventory:count_tutanak": route(READ, "inventory.view_count", "inventory.Count"),
    "inventory:count_cetvel": route(READ, "inventory.view_count", "inventory.Count"),
    "inventory:disposal_pdf": route(READ, "inventory.view_disposal", "inventory.Disposal"),
    "asset-custody": route(READ, "inventory.view_asset", "inventory.Asset"),
    "count-sheet": route(READ, "inventory.view_count", "inventory.Count"),
    "softwaretitle-compliance": route(READ, "inventory.view_softwaretitle"),
    # applications
    "applications:gis_report": route(READ, "applications.view_gisdatasale"),
    # evrak
    "evrak:outgoing_pdf": route(READ, "evrak.view_outgoingdocument", "evrak.OutgoingDocument"),
    "outgoingdocument-pdf": route(READ, "evrak.view_outgoingdocument", "evrak.OutgoingDocument"),
    "outgoingdocument-approval": route(
        READ, "evrak.view_outgoingdocument", "evrak.OutgoingDocument"
    ),
    # The factory's document is a draft: the package is refused as such (a message on the
    # document's page, 400 in the API) once the permission check has passed.
    "evrak:outgoing_eyp": route(
        READ, "evrak.view_outgoingdocument", "evrak.OutgoingDocument", ok=(302,)
    ),
    "outgoingdocument-eyp": route(
        READ, "evrak.view_outgoingdocument", "evrak.OutgoingDocument", ok=(400,)
    ),
    "evrak:waiting": route(READ, LIST),
    # the day's paper dispatch list: the units whose outgoing documents the user reads
    "evrak:dispatch_list": route(READ, LIST),
    "evrak-dispatch-list": route(READ, LIST),
    # a document's view log (confidential documents): department head, auditor
    "evrak:views": route(READ, "evrak.audit_confidential", "evrak.IncomingDocument"),
    "evrak:outgoing_views": route(READ, "evrak.audit_confidential", "evrak.OutgoingDocument"),
    "incomingdocument-view-log": route(READ, "evrak.audit_confidential", "evrak.IncomingDocument"),
    "outgoingdocument-view-log": route(READ, "evrak.audit_confidential", "evrak.OutgoingDocument"),
    "incomingdocument-grants": route(READ, "evrak.view_incomingdocument", "evrak.IncomingDocument"),
    "outgoingdocument-grants": route(READ, "evrak.view_outgoingdocument", "evrak.OutgoingDocument"),
    "evrakrouting-waiting": route(READ, LIST),
    "evrakreceivedmail-list": route(READ, LIST),
    "evrak:scans": route(READ, "evrak.view_incomingdocument", "evrak.IncomingDocument"),
    "incomingdocument-suggested-units": route(
        READ, "evrak.view_incomingdocument", "evrak.IncomingDocument"
    ),
    # The archive's year-end: whoever approves a year-end list somewhere (transfer and
    # destruction: the department head; hand-over: the archivist too), each list showing only
    # the files of their units (biys/evrak/tests/test_archive.py, test_handover.py); a POST
    # with an empty body is refused at its fields (400).
    "evrak:year_end": route(("GET", "POST"), YEAR_END, any_perm=True, unit_lists=True),
    "evrak-year-end": route(("GET", "POST"), YEAR_END, any_perm=True, unit_lists=True),
    # secops
    "secops:overdue": route(READ, "secops.view_finding"),
    "secops:my_tasks": route(READ, SIGNED_IN),
    "secops:incident_statistics": route(READ, "secops.view_incident"),
    "secops:incident_report": route(READ, "secops.view_incident", "secops.Incident"),
    "secops:usom_matches": route(READ, ("secops.view_usomaddress", "secops.view_incident")),
    "usomaddress-matches": route(READ, "secops.view_usomaddress"),
    # the SOME's USOM permission, or the log module's reader (the log officer: their records)
    "secops:usom_access": route(READ, USOM_ACCESS, any_perm=True),
    "usomaddress-access-matches": route(READ, USOM_ACCESS, any_perm=True),
    "secops:usomaddress_list": route(READ, LIST),
    "usomaddress-list": route(READ, LIST),
    "secops:usomlistimport_list": route(READ, LIST),
    # bgys
    "bgys:compliance": route(READ, "bgys.view_applicabilityentry"),
    "bgys-soa-compliance": route(READ, "bgys.view_applicabilityentry", needs=("bgys.Framework",)),
    "bgys:soa_pdf": route(READ, LIST),
    "bgys:risk_heatmap": route(READ, "bgys.view_risk"),
    "bgys:policy_compliance": route(READ, "bgys.view_policyversion"),
    "bgys:training_compliance": route(READ, "bgys.view_trainingsession"),
    "bgys:training_compliance_csv": route(READ, "bgys.view_trainingsession"),
    "bgys-trainingsession-compliance": route(READ, "bgys.view_trainingsession"),
    "bgys:audit_assigned": route(READ, SIGNED_IN),
    "bgys-framework-summary": route(READ, "bgys.view_framework", "bgys.Framework"),
    "bgys:policyversion_csv": route(READ, "bgys.view_policyversion", "bgys.PolicyVersion"),
    "bgys-policyversion-acknowledgements": route(
        READ, "bgys.view_policyversion", "bgys.PolicyVersion"
    ),
    "bgys:training_attendees": route(WRITE, "bgys.add_trainingattendance", "bgys.TrainingSession"),
    # kvkk
    "kvkk:verbis_export": route(READ, LIST),
    "kvkk:request_overdue": route(READ, LIST),
    # API actions: inventory
    "asset-hand-over": route(WRITE, "inventory.change_asset", "inventory.Asset"),
    "asset-transfer": route(WRITE, "inventory.change_asset", "inventory.Asset"),
    "asset-take-back": route(WRITE, "inventory.change_asset", "inventory.Asset"),
    "asset-set-status": route(WRITE, "inventory.change_asset", "inventory.Asset"),
    "slip-approve": route(WRITE, "inventory.approve_slip", "inventory.Slip"),
    "slip-discard": route(WRITE, "inventory.change_slip", "inventory.Slip"),
    "stockrequest-decide": route(WRITE, "inventory.issue_stockrequest", "inventory.StockRequest"),
    "stockrequest-issue": route(WRITE, "inventory.issue_stockrequest", "inventory.StockRequest"),
    "count-scan": route(WRITE, "inventory.change_count", "inventory.Count"),
    "count-quantity": route(WRITE, "inventory.change_count", "inventory.Count"),
    "count-finish": route(WRITE, "inventory.change_count", "inventory.Count"),
    "count-reopen": route(WRITE, "inventory.change_count", "inventory.Count"),
    "count-close": route(WRITE, "inventory.change_count", "inventory.Count"),
    "disposal-decide": route(WRITE, "inventory.approve_disposal", "inventory.Disposal"),
    "installation-remove": route(WRITE, "inventory.change_installation", "inventory.Installation"),
    "agentdevice-link": route(WRITE, "inventory.change_agentdevice", "inventory.AgentDevice"),
    "agentconflict-resolve": route(
        WRITE, "inventory.change_agentconflict", "inventory.AgentConflict"
    ),
    "assetimport-confirm": route(WRITE, "inventory.add_asset", "inventory.AssetImport"),
    # API actions: evrak
    "outgoingdocument-submit": route(
        WRITE, "evrak.change_outgoingdocument", "evrak.OutgoingDocument"
    ),
    "outgoingdocument-return-to-writer": route(
        WRITE, "evrak.view_outgoingdocument", "evrak.OutgoingDocument"
    ),
    "incomingdocument-route": route(
        WRITE, "evrak.route_incomingdocument", "evrak.IncomingDocument"
    ),
    "evrakrouting-close": route(WRITE, "evrak.view_routing", "evrak.Routing"),
    "evrakrouting-route-on": route(WRITE, "evrak.view_routing", "evrak.Routing"),
    "evrakscantext-recognise": route(WRITE, "evrak.change_incomingdocument", "evrak.ScanText"),
    # API actions: secops
    "finding-start": route(WRITE, "secops.change_finding", "secops.Finding"),
    "finding-fix": route(WRITE, "secops.change_finding", "secops.Finding"),
    "finding-reopen": route(WRITE, "secops.change_finding", "secops.Finding"),
    "finding-false-positive": route(WRITE, "secops.change_finding", "secops.Finding"),
    "finding-ticket": route(WRITE, "secops.change_finding", "secops.Finding"),
    "finding-due-by-unit": route(READ, "secops.view_finding"),
    "incident-contain": route(WRITE, "secops.change_incident", "secops.Incident"),
    "incident-recover": route(WRITE, "secops.change_incident", "secops.Incident"),
    "incident-close": route(WRITE, "secops.change_incident", "secops.Incident"),
    "incident-reopen": route(WRITE, "secops.change_incident", "secops.Incident"),
    "incident-events": route(WRITE, "secops.change_incident", "secops.Incident"),
    "incident-indicators": route(WRITE, "secops.change_incident", "secops.Incident"),
    "incident-notifications": route(WRITE, "secops.change_incident", "secops.Incident"),
    "incident-tasks": route(WRITE, "secops.change_incident", "secops.Incident"),
    "pentest-findings": route(WRITE, "secops.add_finding", "secops.PenTest"),
    "breach-notify-board": route(WRITE, "secops.change_breach", "secops.Breach"),
    # API actions: bgys
    "bgys-assessment-add-to-soa": route(WRITE, "bgys.add_applicabilityentry", "bgys.Assessment"),
    "bgys-risk-submit": route(WRITE, "bgys.change_risk", "bgys.Risk"),
    "bgys-risk-approve": route(WRITE, "bgys.approve_risk", "bgys.Risk"),
    "bgys-risk-return-to-draft": route(WRITE, "bgys.approve_risk", "bgys.Risk"),
    "bgys-audit-start": route(WRITE, "bgys.change_audit", "bgys.Audit"),
    "bgys-audit-draw-checklist": route(WRITE, "bgys.change_audit", "bgys.Audit"),
    "bgys-audit-report": route(WRITE, "bgys.change_audit", "bgys.Audit"),
    "bgys-audit-close": route(WRITE, "bgys.change_audit", "bgys.Audit"),
    "bgys-correctiveaction-complete": route(
        WRITE, "bgys.change_correctiveaction", "bgys.CorrectiveAction"
    ),
    "bgys-correctiveaction-verify": route(
        WRITE, "bgys.change_correctiveaction", "bgys.CorrectiveAction"
    ),
    "bgys-policyversion-approve": route(WRITE, "bgys.approve_policyversion", "bgys.PolicyVersion"),
    "bgys-policyversion-publish": route(WRITE, "bgys.approve_policyversion", "bgys.PolicyVersion"),
    "bgys-policyversion-remind": route(WRITE, "bgys.change_policyversion", "bgys.PolicyVersion"),
    # API actions: kvkk
    "kvkk-request-start": route(WRITE, "kvkk.change_subjectrequest", "kvkk.SubjectRequest"),
    "kvkk-request-answer": route(WRITE, "kvkk.change_subjectrequest", "kvkk.SubjectRequest"),
    "kvkk-request-reopen": route(WRITE, "kvkk.change_subjectrequest", "kvkk.SubjectRequest"),
    # API actions: applications (GIS data sales)
    "gisdatasale-items": route(
        WRITE, "applications.change_gisdatasale", "applications.GisDataSale"
    ),
    "gisdatasale-remove-item": route(
        WRITE, "applications.change_gisdatasale", "applications.GisDataSale"
    ),
    "gisdatasale-quote": route(
        WRITE, "applications.change_gisdatasale", "applications.GisDataSale"
    ),
    "gisdatasale-undertaking": route(
        WRITE, "applications.change_gisdatasale", "applications.GisDataSale"
    ),
    "gisdatasale-payment": route(
        WRITE, "applications.change_gisdatasale", "applications.GisDataSale"
    ),
    "gisdatasale-deliver": route(
        WRITE, "applications.change_gisdatasale", "applications.GisDataSale"
    ),
    "gisdatasale-cancel": route(
        WRITE, "applications.change_gisdatasale", "applications.GisDataSale"
    ),
    # API actions: applications (address numbering and street naming)
    **{
        f"numberingrequest-{step}": route(WRITE, perm, "applications.NumberingRequest")
        for step, perm in (
            ("visit", "applications.change_numberingrequest"),
            ("number", "applications.change_numberingrequest"),
            ("issue", "applications.change_numberingrequest"),
            ("refuse", "applications.change_numberingrequest"),
            ("accrue", "applications.collect_numberingrequest"),
            ("payment", "applications.collect_numberingrequest"),
        )
    },
    "streetnamingproposal-send": route(
        WRITE, "applications.change_streetnamingproposal", "applications.StreetNamingProposal"
    ),
    "streetnamingproposal-decide": route(
        WRITE, "applications.decide_streetnamingproposal", "applications.StreetNamingProposal"
    ),
    # API actions: applications (base-station sites)
    **{
        f"basestationsite-{step}": route(WRITE, perm, "applications.BaseStationSite")
        for step, perm in (
            ("documents", "applications.change_basestationsite"),
            ("inspect", "applications.change_basestationsite"),
            ("right-of-way", "applications.change_basestationsite"),
            ("decide", "applications.decide_basestationsite"),
            ("contract", "applications.collect_basestationsite"),
            ("accrue", "applications.collect_basestationsite"),
            ("payment", "applications.collect_basestationsite"),
        )
    },
    "sitecomplaint-answer": route(
        WRITE, "applications.change_sitecomplaint", "applications.SiteComplaint"
    ),
    # Tying a complaint already received to a site: whoever records complaints somewhere (the
    # service checks the application's unit); untying: in the complaint's unit.
    "sitecomplaint-link": route(WRITE, "applications.add_sitecomplaint"),
    "sitecomplaint-unlink": route(
        WRITE, "applications.add_sitecomplaint", "applications.SiteComplaint"
    ),
    # API: logs5651
    "dailyseal-retry": route(WRITE, "logs5651.change_dailyseal", "logs5651.DailySeal"),
    # Without the address and time asked about: 400 once the permission check has passed.
    "logs5651-who": route(READ, "logs5651.view_accessrecord", ok=(400,)),
    "logs5651-verify": route(READ, "logs5651.view_logfile"),
    # API: others
    # Pages' actions (POST; a GET shows the form where there is one)
    "bgys:risk_action": route(WRITE, "bgys.change_risk", "bgys.Risk", action="submit"),
    "bgys:audit_action": route(WRITE, "bgys.change_audit", "bgys.Audit", action="start"),
    "bgys:policyversion_action": route(
        WRITE, "bgys.approve_policyversion", "bgys.PolicyVersion", action="approve"
    ),
    "bgys:correctiveaction_step": route(
        WRITE, "bgys.change_correctiveaction", "bgys.CorrectiveAction", step="complete"
    ),
    "bgys:add_applicable": route(WRITE, "bgys.add_applicabilityentry", "bgys.Assessment"),
    "bgys:add_to_soa": route(WRITE, "bgys.add_applicabilityentry", "bgys.Framework"),
    "bgys:checklist_draw": route(WRITE, "bgys.change_audit", "bgys.Audit"),
    "bgys:audit_report": route(READ, "bgys.view_audit", "bgys.Audit"),
    "secops:finding_action": route(
        ("GET", "POST"), "secops.change_finding", "secops.Finding", action="start"
    ),
    "secops:finding_ticket": route(WRITE, "secops.change_finding", "secops.Finding"),
    "secops:incident_action": route(
        WRITE, "secops.change_incident", "secops.Incident", action="contain"
    ),
    "secops:breach_notify_board": route(WRITE, "secops.change_breach", "secops.Breach"),
    "secops:pentest_finding_add": route(WRITE, "secops.add_finding", "secops.PenTest"),
    "kvkk:request_action": route(
        WRITE, "kvkk.change_subjectrequest", "kvkk.SubjectRequest", action="start"
    ),
    "kvkk:request_edit": route(
        ("GET", "POST"), "kvkk.change_subjectrequest", "kvkk.SubjectRequest"
    ),
    "kvkk:request_reveal": route(WRITE, "kvkk.reveal_subjectrequest", "kvkk.SubjectRequest"),
    "evrak:outgoing_action": route(
        WRITE, "evrak.change_outgoingdocument", "evrak.OutgoingDocument", action="submit"
    ),
    "evrak:route": route(WRITE, "evrak.route_incomingdocument", "evrak.IncomingDocument"),
    # grants of a confidential document: who may change it (and, named on it, grants)
    "evrak:incoming_grant": route(WRITE, "evrak.change_incomingdocument", "evrak.IncomingDocument"),
    "evrak:outgoing_grant": route(WRITE, "evrak.change_outgoingdocument", "evrak.OutgoingDocument"),
    "incomingdocument-grant": route(
        WRITE, "evrak.change_incomingdocument", "evrak.IncomingDocument"
    ),
    "incomingdocument-revoke-grant": route(
        WRITE, "evrak.change_incomingdocument", "evrak.IncomingDocument"
    ),
    "outgoingdocument-grant": route(
        WRITE, "evrak.change_outgoingdocument", "evrak.OutgoingDocument"
    ),
    "outgoingdocument-revoke-grant": route(
        WRITE, "evrak.change_outgoingdocument", "evrak.OutgoingDocument"
    ),
    # how a signed document went to each recipient: the drafting unit's writers
    "evrak:outgoing_dispatch": route(
        WRITE, "evrak.change_outgoingdocument", "evrak.OutgoingDocument"
    ),
    "outgoingdocument-dispatch": route(
        WRITE, "evrak.change_outgoingdocument", "evrak.OutgoingDocument"
    ),
    # sending a signed document by KEP: the same writers; its sendings: its readers
    "evrak:outgoing_kep": route(WRITE, "evrak.change_outgoingdocument", "evrak.OutgoingDocument"),
    "outgoingdocument-kep": route(WRITE, "evrak.change_outgoingdocument", "evrak.OutgoingDocument"),
    "outgoingdocument-kep-dispatches": route(
        READ, "evrak.view_outgoingdocument", "evrak.OutgoingDocument"
    ),
    "evrak:recognise": route(WRITE, "evrak.change_incomingdocument", "evrak.IncomingDocument"),
    "evrak:close_routing": route(WRITE, "evrak.view_routing", "evrak.Routing"),
    "evrak:route_on": route(WRITE, "evrak.view_routing", "evrak.Routing"),
    "inventory:hand_over": route(("GET", "POST"), "inventory.change_asset", "inventory.Asset"),
    "inventory:transfer": route(("GET", "POST"), "inventory.change_asset", "inventory.Asset"),
    "inventory:take_back": route(("GET", "POST"), "inventory.change_asset", "inventory.Asset"),
    "inventory:status": route(("GET", "POST"), "inventory.change_asset", "inventory.Asset"),
    "inventory:slip_approve": route(WRITE, "inventory.approve_slip", "inventory.Slip"),
    "inventory:slip_discard": route(WRITE, "inventory.change_slip", "inventory.Slip"),
    "inventory:slip_line_add": route(WRITE, "inventory.change_slip", "inventory.Slip"),
    "inventory:request_line_add": route(
        WRITE, "inventory.change_stockrequest", "inventory.StockRequest"
    ),
    "inventory:request_approve": route(
        WRITE, "inventory.issue_stockrequest", "inventory.StockRequest"
    ),
    "inventory:request_reject": route(
        WRITE, "inventory.issue_stockrequest", "inventory.StockRequest"
    ),
    "inventory:request_issue": route(
        WRITE, "inventory.issue_stockrequest", "inventory.StockRequest"
    ),
    "inventory:count_scan": route(WRITE, "inventory.change_count", "inventory.Count"),
    "inventory:count_quantity": route(WRITE, "inventory.change_count", "inventory.Count"),
    "inventory:count_finish": route(WRITE, "inventory.change_count", "inventory.Count"),
    "inventory:count_reopen": route(WRITE, "inventory.change_count", "inventory.Count"),
    "inventory:count_close": route(WRITE, "inventory.change_count", "inventory.Count"),
    "inventory:disposal_approve": route(WRITE, "inventory.approve_disposal", "inventory.Disposal"),
    "inventory:disposal_reject": route(WRITE, "inventory.approve_disposal", "inventory.Disposal"),
    "inventory:installation_remove": route(
        WRITE, "inventory.change_installation", "inventory.Installation"
    ),
    "inventory:agentdevice_link": route(
        WRITE, "inventory.change_agentdevice", "inventory.AgentDevice"
    ),
    "inventory:agentconflict_resolve": route(
        WRITE, "inventory.change_agentconflict", "inventory.AgentConflict"
    ),
    "inventory:assetimport_confirm": route(WRITE, "inventory.add_asset", "inventory.AssetImport"),
    "applications:gis_sale_action": route(
        WRITE, "applications.change_gisdatasale", "applications.GisDataSale", action="quote"
    ),
    # Drafting the answer as an outgoing document: the answer permission over the application's
    # unit and the correspondence module's drafting permission there.
    "applications:draft_answer": route(
        WRITE,
        ("applications.answer_application", "evrak.add_outgoingdocument"),
        "applications.Application",
    ),
    # CİMER and Alo 153 export files: whoever records applications somewhere (the service
    # checks each row's unit).
    "applications:import": route(("GET", "POST"), "applications.add_application"),
    "applications:gis_start_sale": route(
        WRITE, "applications.add_gisdatasale", "applications.Application"
    ),
    "applications:numberingrequest_add": route(
        ("GET", "POST"), "applications.add_numberingrequest"
    ),
    "applications:numarataj_request_action": route(
        WRITE,
        "applications.change_numberingrequest",
        "applications.NumberingRequest",
        action="visit",
    ),
    "applications:numarataj_proposal_action": route(
        WRITE,
        "applications.change_streetnamingproposal",
        "applications.StreetNamingProposal",
        action="send",
    ),
    "applications:basestationsite_add": route(("GET", "POST"), "applications.add_basestationsite"),
    "applications:sitecomplaint_add": route(("GET", "POST"), "applications.add_sitecomplaint"),
    "applications:basestation_site_action": route(
        WRITE,
        "applications.change_basestationsite",
        "applications.BaseStationSite",
        action="inspect",
    ),
    "applications:basestation_complaint_answer": route(
        WRITE, "applications.change_sitecomplaint", "applications.SiteComplaint"
    ),
    "applications:basestation_map": route(READ, "applications.view_basestationsite"),
    # The complaint link form's site search: whoever records complaints somewhere (the sites
    # found are those the user sees).
    "applications:basestation_site_search": route(READ, "applications.add_sitecomplaint"),
    "applications:basestation_complaint_link": route(
        WRITE, "applications.add_sitecomplaint", "applications.Application"
    ),
    "applications:basestation_complaint_unlink": route(
        WRITE, "applications.add_sitecomplaint", "applications.SiteComplaint"
    ),
    "applications:basestation_site_sheet_pdf": route(
        READ, "applications.view_basestationsite", "applications.BaseStationSite"
    ),
    # The factory's request has no certificate yet: 404 once the permission check has passed
    # (the PDF of an issued one, inside and outside its unit: biys/applications/tests).
    "applications:numarataj_certificate_pdf": route(
        READ, "applications.view_numberingrequest", "applications.NumberingRequest", ok=(404,)
    ),
    "logs5651:seal_retry": route(WRITE, "logs5651.change_dailyseal", "logs5651.DailySeal"),
    "inventory:software_compliance": route(READ, "inventory.view_softwaretitle"),
    "inventory:network_faults": route(READ, "inventory.view_networkdevice"),
    # bulk delete (a generic view the matrix does not walk): the model's delete permission
    # anywhere, then only the selected rows the user may delete
    "inventory:vrf_bulk_delete": route(WRITE, "inventory.delete_vrf"),
    "inventory:vlan_bulk_delete": route(WRITE, "inventory.delete_vlan"),
    "inventory:vlangroup_bulk_delete": route(WRITE, "inventory.delete_vlangroup"),
    "inventory:networkdevice_bulk_delete": route(WRITE, "inventory.delete_networkdevice"),
    "inventory:deviceport_bulk_delete": route(WRITE, "inventory.delete_deviceport"),
    "inventory:subnet_bulk_delete": route(WRITE, "inventory.delete_subnet"),
    "inventory:ipassignment_bulk_delete": route(WRITE, "inventory.delete_ipassignment"),
}

# Routes tested by a matrix of their own (every role, inside and outside its unit).
TESTED_ELSEWHERE = {
    "servicedesk:ticket_action": "test_ticket_actions_matrix",
    **{
        f"ticket-{path}": "test_ticket_actions_matrix"
        for path in (
            "approve",
            "reject",
            "take",
            "assign",
            "transfer",
            "start",
            "hold",
            "resume",
            "reply",
            "log-time",
            "resolve",
            "reopen",
            "rate",
            "cancel",
            "merge",
            "set-parent",
            "send-to-supplier",
            "return-from-supplier",
            "field-visits",
        )
    },
    "applications:route": "test_application_actions_matrix",
    "applications:extend": "test_application_actions_matrix",
    "applications:outcome": "test_application_actions_matrix",
    "application-route": "test_application_actions_matrix",
    "application-extend": "test_application_actions_matrix",
    "application-outcome": "test_application_actions_matrix",
    "application-personal-data": "test_application_actions_matrix",
    # A person recipient's TC kimlik number: the reveal permission over the drafting unit, each
    # view logged (biys/evrak/tests/test_recipient_reveal.py).
    "evrak:outgoing_recipient_reveal": "test_recipient_reveal",
    "outgoingdocument-recipient-personal-data": "test_recipient_reveal",
    # Hand-over lists to the State Archives: evrak.hand_over_files over the list's files, 404
    # for a list of other units (biys/evrak/tests/test_handover.py).
    "evrak:handover_list": "test_handover",
    "evrak:handover_csv": "test_handover",
    "evrak:handover_pdf": "test_handover",
    "evrak-handover-list": "test_handover",
    "evrak-handover-complete": "test_handover",
    # Only the designated signer, once every paraf is in (biys/evrak/tests/test_signature.py).
    "outgoingdocument-signature-request": "test_signature",
    "outgoingdocument-signature": "test_signature",
}

# Not yet declared: routes whose permission and methods this table does not state yet, so the
# custom matrix does not try them. The list may only shrink: move a route up into CUSTOM_ROUTES
# with its permission, methods and model. A new route never goes here.
PENDING = {
    # Answer a holder of inventory.view_custody over ANOTHER unit with 200 (the person is read by
    # all staff): to check whether the custody rows and the PDF are limited to their units.
    "inventory:person_custody",
    "inventory:handover_pdf",
    "evrak:sdp_import",  # landed on main alongside this table: to declare
    "sdpcode-import-file",  # landed on main alongside this table: to declare
    "secops:pentest_report",  # 404 without a report file: needs one
    "slip-reverse",  # spending_authority refused: the permission to confirm
    "inventory:slip_reverse",  # as slip-reverse
    "outgoingdocument-paraf",  # only the approval path's current member: needs a document on its path
    "outgoingdocument-sign",  # only the signer, on a document at the end of its path
    "evrakrouting-acknowledge",  # only the routed-to unit's people
    "evrak:acknowledge",  # only the routed-to unit's people
    "finding-accept-risk",  # department head, some_member refused: the permission to confirm (secops)
    "bgys-correctiveaction-close",  # department head, bgys_member refused: the permission to confirm
    "kvkk-request-identity",  # department head refused: the permission to confirm
    "gisdatasale-accrue",  # chief, department head, clerk refused: the permission to confirm
    "role-detail",  # roles belong to no unit: the administrator reads them from anywhere
    "incomingdocument-personal-data",  # a reveal: its permission to confirm (evrak_clerk gets 200)
    "person-personal-data",  # a reveal: chief, department head, auditor get 200; the permission to confirm
    "evrak:reveal",  # as incomingdocument-personal-data
    "applications:reveal",  # a reveal: the applications roles get 200; the permission to confirm
    "org:person_reveal",  # as person-personal-data
    "applications-gis-report",  # needs its query parameters (400 without)
    "applications-report",  # needs its query parameters (400 without)
    "applications:gis_quote_pdf",  # 404 for a sale without a quote: needs a quoted sale
    "applicationtype-deadline",  # needs its query parameters (400 without)
    "calendar-days",  # needs its query parameters (400 without)
    "evrak:receivedmail_list",  # refuses technician, chief, auditor, evrak_reader/writer: to confirm
    "inventory:asset_labels",  # needs the assets' ids (404 without)
    "logs5651:download",  # 404 without a stored file: needs one
    "servicedesk:approvals",  # 404 unless the user is a unit manager: to confirm
    "servicedesk:unit_tickets",  # 404 unless the user manages a unit: to confirm
    "role-list",  # as role-detail; POST refused to the administrator (superusers only?)
    "usomlistimport-list",  # POST refused with 415 before the permission check (secops)
    "usomaddress-detail",
    "accounts:assignment_add",
    "accounts:assignment_delete",
    "accounts:role",
    "accounts:role_add",
    "accounts:role_delete",
    "accounts:role_edit",
    "accounts:two_factor_disable",
    "accounts:user",
    "accounts:user_access",
    "accounts:user_activate",
    "accounts:user_add",
    "accounts:user_deactivate",
    "accounts:user_edit",
    "accounts:user_erase",
    "accounts:user_person",
    "acknowledgement-accept",
    "acknowledgement-detail",
    "acknowledgements:accept",
    "applications:application_add",
    "applications:gisdatasale_add",
    "applications:gistariffline_add_to",
    "applications:report",
    "attachment-detail",
    "attachment-download",
    "attachment-list",
    "attachments:delete",
    "attachments:download",
    "attachments:for_object",
    "bgys:framework_load",
    "bgys:policy_read",
    "calendar-add-working-days",
    "calendar:index",
    "comment-detail",
    "comment-list",
    "comments:delete",
    "comments:edit",
    "comments:for_object",
    "core:objectchange",
    "custody-acknowledge",
    "evrak:incomingdocument_add",
    "evrak:part",
    "evrak:receivedmail",
    "evrak:receivedmail_dismiss",
    "evrak:receivedmail_file",
    "evrak:receivedmail_package",
    "evrakreceivedmail-detail",
    "incident-task-step",
    "incomingdocument-check-eyp",
    "incomingdocument-import-eyp",
    "installation-report",
    "inventory:acknowledge",
    "inventory:assetimport_add",
    "inventory:code_load",
    "inventory:count_identify",
    "inventory:count_unrecord",
    "inventory:slip_line_remove",
    "kvkk:subjectrequest_add",
    "logfile-upload",
    "logs5651:evidence",
    "logs5651:upload",
    "notification-detail",
    "notification-read",
    "notification-read-all",
    "notifications:mark_all_read",
    "notifications:mark_read",
    "notifications:open",
    "org:regulation_draft_confirm",
    "org:regulation_draft_discard",
    "org:regulation_draft_list",
    "org:regulation_draft_review",
    "org:regulation_import",
    "personaldataview-detail",
    "searchrequest-detail",
    "searchrequest-evidence",
    "secops:breach_add",
    "secops:evidence_download",
    "secops:incident_escalate",
    "secops:incident_task_step",
    "secops:scanimport_add",
    "secops:usom_upload",
    "secops:usomlistimport",
    "secops:usomlistimport_changelog",
    "servicedesk:catalog_suggest",
    "servicedesk:person_search",
    "servicedesk:phone_intake",
    "servicedesk:ticket_create",
    "usomlistimport-detail",
}
