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
- ``fields``: what the factory is given for the object (a state the route needs: an incident
  involving personal data, a stored file); a callable value is given the network unit.
- ``pk_name``: the URL's argument naming the object, where it is not ``pk``; ``None`` for a
  route listing such objects without naming one (asset labels: 404 when the user sees none).
- ``kwargs_of``: the URL's arguments naming records of the object (a fişi's line, a count's
  row), read from (or made for) the object made.
- ``municipality_wide``: the permission counts only held over the whole municipality (loading
  a code list or a framework everyone shares): refused to every role held over one unit, and
  tried with each role holding the permission that way (over every top unit).
- ``unit_lists``: a route without an object that shows only what the user's units hold (a
  year-end's lists), or whose object is read by all staff and whose rows are those of the
  user's units (a person's custody): tried inside and outside the network unit too, where a
  role holding the permission over another unit is still allowed (the lists' content is the
  app's own test).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

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
    fields: dict = field(default_factory=dict, hash=False)
    pk_name: str = "pk"
    kwargs_of: Callable | None = field(default=None, hash=False)
    municipality_wide: bool = False

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
    fields=None,
    pk_name="pk",
    kwargs_of=None,
    municipality_wide=False,
    **kwargs,
) -> Custom:
    return Custom(
        tuple(methods),
        perm,
        model,
        tuple(ok),
        kwargs,
        xfail,
        tuple(needs),
        any_perm,
        unit_lists,
        fields or {},
        pk_name,
        kwargs_of,
        municipality_wide,
    )


def _stored(name: str, content: bytes = b"%PDF-1.4\n"):
    """A ``fields`` value: a file of the object's, stored when the object is saved."""

    def make(unit):
        from django.core.files.base import ContentFile

        return ContentFile(content, name=name)

    return make


def _slip_line(slip) -> dict:
    return {"line": slip.lines.order_by("pk").first().pk}


def _count_row(count) -> dict:
    return {"row": count.asset_rows.order_by("pk").first().pk}


def _incident_task(incident) -> dict:
    from biys.secops.models import IncidentTask

    return {"task_pk": IncidentTask.objects.create(incident=incident, title="Logları topla").pk}


def _evidence(incident) -> dict:
    from django.core.files.base import ContentFile

    from biys.secops.models import Evidence

    evidence = Evidence(incident=incident, filename="log.txt", size=4, sha256="0" * 64)
    evidence.file.save("log.txt", ContentFile(b"kayt"), save=False)
    evidence.save()
    return {"evidence_pk": evidence.pk}


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
    # a change record: the change log's permission over the changed object's unit
    "core:objectchange": route(READ, "core.view_objectchange", "core.ObjectChange"),
    "core:personaldataview_list": route(("GET", "POST"), LIST),  # POST: the filter panel
    # org
    "org:chart": route(READ, SIGNED_IN),
    # A person's personal data unmasked (each view logged): org.view_personal_data over the
    # person's unit (the person is read by all staff: 403 outside it).
    "org:person_reveal": route(WRITE, "org.view_personal_data", "org.Person"),
    "person-personal-data": route(WRITE, "org.view_personal_data", "org.Person"),
    # The regulation importer: org.import_regulation (administrators); a draft belongs to the
    # unit it was imported for (404 for another unit's administrator).
    "org:regulation_import": route(("GET", "POST"), "org.import_regulation"),
    "org:regulation_draft_list": route(READ, "org.import_regulation", unit_lists=True),
    "org:regulation_draft_review": route(
        ("GET", "POST"), "org.import_regulation", "org.RegulationDraft"
    ),
    "org:regulation_draft_confirm": route(
        ("GET", "POST"), "org.import_regulation", "org.RegulationDraft"
    ),
    # GET: back to the draft's review page
    "org:regulation_draft_discard": route(
        ("GET", "POST"), "org.import_regulation", "org.RegulationDraft", ok=(302,)
    ),
    # accounts
    "accounts:profile": route(READ, SIGNED_IN),
    "accounts:password_change": route(("GET", "POST", "PUT"), SIGNED_IN),
    "accounts:two_factor_setup": route(READ, SIGNED_IN),
    "accounts:token": route(READ, SIGNED_IN),
    "accounts-me": route(READ, SIGNED_IN),
    "accounts:users": route(READ, "accounts.view_user"),
    "accounts:roles": route(READ, "accounts.view_role"),
    # Users: the accounts permissions over the unit of the user's person (404 outside, 403 where
    # the user is seen but not theirs to change). An empty POST is turned away at its form.
    "accounts:user": route(READ, "accounts.view_user", "accounts.User"),
    "accounts:user_access": route(READ, "accounts.view_user", "accounts.User"),
    "accounts:user_add": route(("GET", "POST"), "accounts.add_user"),
    "accounts:user_edit": route(("GET", "POST"), "accounts.change_user", "accounts.User"),
    "accounts:user_activate": route(WRITE, "accounts.change_user", "accounts.User"),
    "accounts:user_deactivate": route(WRITE, "accounts.change_user", "accounts.User"),
    "accounts:user_person": route(WRITE, "accounts.change_user", "accounts.User"),
    "accounts:user_erase": route(WRITE, "accounts.delete_user", "accounts.User"),
    "accounts:assignment_add": route(WRITE, "accounts.add_roleassignment", "accounts.User"),
    "accounts:assignment_delete": route(
        WRITE, "accounts.delete_roleassignment", "accounts.RoleAssignment"
    ),
    # the user's own second factor
    "accounts:two_factor_disable": route(WRITE, SIGNED_IN),
    # calendar
    "calendar:year_current": route(READ, SIGNED_IN),
    "calendar:year": route(READ, SIGNED_IN, year=2026),
    # a redirect to the current year (RedirectView answers every method the same)
    "calendar:index": route(("GET", "POST", "PUT", "PATCH", "DELETE"), SIGNED_IN, ok=(302,)),
    # Without the year or the start date asked about: 400 once signed in.
    "calendar-days": route(READ, SIGNED_IN, ok=(400,)),
    "calendar-add-working-days": route(READ, SIGNED_IN, ok=(400,)),
    # acknowledgements, notifications (the user's own)
    "acknowledgements:mine": route(READ, SIGNED_IN),
    "acknowledgement-list": route(READ, SIGNED_IN),
    "notifications:list": route(READ, SIGNED_IN),
    "notifications:menu": route(READ, SIGNED_IN),
    "notification-list": route(READ, SIGNED_IN),
    # servicedesk
    "servicedesk:ticket_new": route(READ, SIGNED_IN),
    "servicedesk:my_tickets": route(READ, SIGNED_IN),
    # any member of staff files a request from any active catalogue item
    "servicedesk:catalog_suggest": route(READ, SIGNED_IN),
    "servicedesk:ticket_create": route(("GET", "POST"), SIGNED_IN, "servicedesk.CatalogItem"),
    # phone intake and its caller search: whoever works tickets somewhere (the callers found
    # are the people the user sees)
    "servicedesk:phone_intake": route(("GET", "POST"), "servicedesk.change_ticket"),
    "servicedesk:person_search": route(READ, "servicedesk.change_ticket"),
    # the requesting unit's managers: their units' requests and the approvals waiting for them
    "servicedesk:unit_tickets": route(READ, "servicedesk.view_unit_requests", unit_lists=True),
    "servicedesk:approvals": route(READ, "servicedesk.approve_requests", unit_lists=True),
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
    # The archive time-stamp chain of the kept package (none for a factory's document).
    "outgoingdocument-archive": route(
        READ, "evrak.view_outgoingdocument", "evrak.OutgoingDocument"
    ),
    "incomingdocument-archive": route(
        READ, "evrak.view_incomingdocument", "evrak.IncomingDocument"
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
    # typing a finding in is a change of the test (services.require_pentest)
    "pentest-findings": route(WRITE, "secops.change_pentest", "secops.PenTest"),
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
    "bgys-correctiveaction-verify": route(  # audit_services.may_verify
        WRITE, "bgys.verify_correctiveaction", "bgys.CorrectiveAction"
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
    "gisdatasale-undertaking": route(  # whoever may add an attachment to the sale
        WRITE,
        (
            "applications.change_gisdatasale",
            "applications.collect_gisdatasale",
            "applications.deliver_gisdatasale",
        ),
        "applications.GisDataSale",
        any_perm=True,
    ),
    "gisdatasale-payment": route(
        WRITE, "applications.collect_gisdatasale", "applications.GisDataSale"
    ),
    "gisdatasale-deliver": route(
        WRITE, "applications.deliver_gisdatasale", "applications.GisDataSale"
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
    # --- declared from PENDING (the domain apps) ---
    # A person's custody page and handover list: the person is read by all staff; the rows are
    # those of the registers the user reads (biys/inventory/tests/test_views.py).
    "inventory:person_custody": route(
        READ, "inventory.view_custody", "org.Person", unit_lists=True
    ),
    "inventory:handover_pdf": route(READ, "inventory.view_custody", "org.Person", unit_lists=True),
    # A reversal is a new draft fişi of the store: the permission to write one there (the
    # spending authority approves fişler, it does not write them).
    "inventory:slip_reverse": route(("GET", "POST"), "inventory.add_slip", "inventory.Slip"),
    "slip-reverse": route(WRITE, "inventory.add_slip", "inventory.Slip"),
    "inventory:slip_line_remove": route(
        WRITE, "inventory.change_slip", "inventory.Slip", kwargs_of=_slip_line
    ),
    "inventory:count_unrecord": route(
        WRITE, "inventory.change_count", "inventory.Count", kwargs_of=_count_row
    ),
    "inventory:count_identify": route(
        WRITE, "inventory.change_count", "inventory.Count", kwargs_of=_count_row
    ),
    # labels for the assets listed (as filtered): 404 when the user sees none
    "inventory:asset_labels": route(READ, "inventory.view_asset", "inventory.Asset", pk_name=None),
    "inventory:assetimport_add": route(("GET", "POST"), "inventory.add_assetimport"),
    "installation-report": route(WRITE, "inventory.add_installation"),
    # the national code list: loaded by whoever adds codes for the whole municipality
    "inventory:code_load": route(
        ("GET", "POST"), "inventory.add_tasinircode", municipality_wide=True
    ),
    # secops
    "finding-accept-risk": route(WRITE, "secops.accept_risk_finding", "secops.Finding"),
    "secops:pentest_report": route(
        READ, "secops.view_pentest", "secops.PenTest", fields={"report": _stored("rapor.pdf")}
    ),
    # the breach of an incident involving personal data (the KVKK contact records it too)
    "secops:breach_add": route(
        ("GET", "POST"),
        "secops.add_breach",
        "secops.Incident",
        fields={"personal_data": True},
        pk_name="incident",
    ),
    # an evidence file: whoever may see the incident and its evidence (each download logged)
    "secops:evidence_download": route(
        READ,
        ("secops.view_incident", "secops.view_evidence"),
        "secops.Incident",
        kwargs_of=_evidence,
    ),
    "secops:incident_escalate": route(("GET", "POST"), "secops.add_incident"),
    # a task's step by the SOME of the incident's unit (its assignee too: biys/secops/tests)
    "secops:incident_task_step": route(
        WRITE,
        "secops.change_incident",
        "secops.Incident",
        action="start",
        kwargs_of=_incident_task,
    ),
    "incident-task-step": route(
        WRITE, "secops.change_incident", "secops.Incident", kwargs_of=_incident_task
    ),
    "secops:scanimport_add": route(("GET", "POST"), "secops.add_scanimport"),
    # USOM's list is one for all units: read and imported by whoever holds the permission
    # anywhere.
    "secops:usom_upload": route(("GET", "POST"), "secops.add_usomlistimport"),
    "secops:usomlistimport": route(
        READ, "secops.view_usomlistimport", "secops.UsomListImport", unit_lists=True
    ),
    "secops:usomlistimport_changelog": route(
        READ,
        ("secops.view_usomlistimport", "core.view_objectchange"),
        "secops.UsomListImport",
        unit_lists=True,
    ),
    "usomlistimport-detail": route(
        READ, "secops.view_usomlistimport", "secops.UsomListImport", unit_lists=True
    ),
    "usomaddress-detail": route(
        READ, "secops.view_usomaddress", "secops.UsomAddress", unit_lists=True
    ),
    # bgys
    "bgys-correctiveaction-close": route(
        WRITE, "bgys.verify_correctiveaction", "bgys.CorrectiveAction"
    ),
    "bgys:framework_load": route(("GET", "POST"), "bgys.add_framework", municipality_wide=True),
    "bgys:policy_read": route(READ, "bgys.view_policyversion", "bgys.PolicyVersion"),
    # kvkk
    "kvkk-request-identity": route(WRITE, "kvkk.reveal_subjectrequest", "kvkk.SubjectRequest"),
    "kvkk:subjectrequest_add": route(("GET", "POST"), "kvkk.add_subjectrequest"),
    # applications
    "gisdatasale-accrue": route(
        WRITE, "applications.collect_gisdatasale", "applications.GisDataSale"
    ),
    "applications:reveal": route(
        WRITE, "applications.reveal_applicant_data", "applications.Application"
    ),
    "applications:application_add": route(("GET", "POST"), "applications.add_application"),
    "applications:gisdatasale_add": route(("GET", "POST"), "applications.add_gisdatasale"),
    "applications:gistariffline_add_to": route(
        ("GET", "POST"),
        "applications.add_gistariffline",
        "applications.GisTariff",
        pk_name="tariff_pk",
    ),
    "applications:gis_quote_pdf": route(
        READ,
        "applications.view_gisdatasale",
        "applications.GisDataSale",
        fields={"quoted_on": date(2026, 1, 5)},
    ),
    "applications:report": route(READ, "applications.view_application"),
    # Without the period asked about: 400 once the permission check has passed.
    "applications-report": route(READ, "applications.view_application", ok=(400,)),
    "applications-gis-report": route(READ, "applications.view_gisdatasale", ok=(400,)),
    "applicationtype-deadline": route(
        READ, "applications.view_applicationtype", "applications.ApplicationType", ok=(400,)
    ),
    # The trust store's CRLs belong to no unit: fetched and uploaded by whoever holds the CRL
    # permissions over the whole municipality (biys/evrak/tests/test_trust_pages.py).
    "evrak:revocationlist_fetch": route(
        WRITE, "evrak.change_revocationlist", "evrak.RevocationList", municipality_wide=True
    ),
    "revocationlist-fetch": route(
        WRITE, "evrak.change_revocationlist", "evrak.RevocationList", municipality_wide=True
    ),
    "revocationlist-upload": route(WRITE, "evrak.add_revocationlist", municipality_wide=True),
    # A document mailbox: added over its receiving unit (the generic add needs no password;
    # a mailbox does), its connection tested by whoever may change it.
    "evrak:evrakmailbox_add": route(("GET", "POST"), "evrak.add_evrakmailbox"),
    "evrak:evrakmailbox_test": route(WRITE, "evrak.change_evrakmailbox", "evrak.EvrakMailbox"),
    # The API's: a failed test (the factory's closed port) is a 409 once the check has passed.
    "evrakmailbox-test-connection": route(WRITE, "evrak.change_evrakmailbox", "evrak.EvrakMailbox"),
    # the correspondence module's file plan: loaded by whoever adds and changes SDP codes for
    # the whole municipality
    "evrak:sdp_import": route(
        ("GET", "POST"), ("evrak.add_sdpcode", "evrak.change_sdpcode"), municipality_wide=True
    ),
    "sdpcode-import-file": route(
        WRITE, ("evrak.add_sdpcode", "evrak.change_sdpcode"), municipality_wide=True
    ),
    # logs5651: the stored file is access records, for those who may read them
    "logs5651:download": route(
        READ,
        ("logs5651.view_logfile", "logs5651.view_accessrecord"),
        "logs5651.LogFile",
        fields={"stored": True},
    ),
    "logs5651:upload": route(("GET", "POST"), "logs5651.add_logfile"),
    "logfile-upload": route(WRITE, "logs5651.add_logfile"),
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
    # Roles belong to no unit: read by whoever may view roles anywhere, changed only by a
    # municipality-wide administrator (tests/permissions/test_roles_matrix.py).
    **{
        name: "test_roles_matrix"
        for name in (
            "accounts:role",
            "accounts:role_add",
            "accounts:role_edit",
            "accounts:role_delete",
            "role-list",
            "role-detail",
        )
    },
    # Attachments and comments follow their parent object: read with it, changed with it
    # (tests/permissions/test_attached_matrix.py).
    **{
        name: "test_attached_matrix"
        for name in (
            "attachment-list",
            "attachment-detail",
            "attachment-download",
            "attachments:for_object",
            "attachments:download",
            "attachments:delete",
            "comment-list",
            "comment-detail",
            "comments:for_object",
            "comments:edit",
            "comments:delete",
        )
    },
    # A notification is its recipient's alone, an acknowledgement its person's
    # (tests/permissions/test_own_records_matrix.py).
    **{
        name: "test_own_records_matrix"
        for name in (
            "notification-detail",
            "notification-read",
            "notification-read-all",
            "notifications:mark_read",
            "notifications:mark_all_read",
            "notifications:open",
            "acknowledgement-detail",
            "acknowledgement-accept",
            "acknowledgements:accept",
        )
    },
    # Only the designated signer, once every paraf is in (biys/evrak/tests/test_signature.py).
    "outgoingdocument-signature-request": "test_signature",
    "outgoingdocument-signature": "test_signature",
    "evrak:outgoing_signature_content": "test_signature",
    # The sealing agent: evrak.seal_package over the whole municipality, 403 for every built-in
    # role held over one department (biys/evrak/tests/test_eyp_seal.py).
    "evrak-seal-requests": "test_eyp_seal",
    "evrak-seal-request": "test_eyp_seal",
    "evrak-seal": "test_eyp_seal",
    # The registry's actions for every role inside and outside the document's or the mailbox's
    # unit (biys/evrak/tests/test_actions_matrix.py): a received message is for the registry
    # clerks of its mailbox's unit; the sender's TC kimlik number for the reveal permission.
    **{
        name: "test_actions_matrix"
        for name in (
            "evrak:incomingdocument_add",
            "evrak:part",
            "evrak:reveal",
            "evrak:receivedmail_list",
            "evrak:receivedmail",
            "evrak:receivedmail_file",
            "evrak:receivedmail_dismiss",
            "evrak:receivedmail_package",
            "evrakreceivedmail-detail",
            "incomingdocument-personal-data",
            "incomingdocument-import-eyp",
            "incomingdocument-check-eyp",
        )
    },
    # Acknowledging a routing: only the person routed to (biys/evrak/tests/test_routing_matrix.py).
    "evrak:acknowledge": "test_routing_matrix",
    "evrakrouting-acknowledge": "test_routing_matrix",
    # Paraf: only the approval path's member whose turn it is; signing: only the signer
    # (biys/evrak/tests/test_outgoing_approval.py).
    "outgoingdocument-paraf": "test_outgoing_approval",
    "outgoingdocument-sign": "test_outgoing_approval",
    # Acknowledging a custody: only its holder (biys/inventory/tests/test_views.py).
    "inventory:acknowledge": "test_views",
    "custody-acknowledge": "test_views",
    # A logged search and its evidence package: the searcher, or whoever reads the search log
    # of the whole municipality (biys/logs5651/tests/test_views.py).
    "searchrequest-detail": "test_views",
    "searchrequest-evidence": "test_views",
    "logs5651:evidence": "test_views",
    # The USOM list's imports: listed to all (empty without the view permission), uploaded by
    # whoever holds the import permission anywhere (biys/secops/tests/test_usom.py).
    "usomlistimport-list": "test_usom",
}

# Not yet declared: routes whose permission and methods this table does not state yet, so the
# custom matrix does not try them. The list may only shrink: move a route up into CUSTOM_ROUTES
# with its permission, methods and model. A new route never goes here.
PENDING: set[str] = set()
