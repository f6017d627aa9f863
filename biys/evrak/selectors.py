"""Reads of the evrak module: who sees which incoming document.

A document belongs to its receiving unit: the unit's roles see it (``evrak.view_*``). A Gizli
or Çok Gizli document is the exception: only the people named on it see it, whatever role they
hold over the unit (a superuser included), and a named person sees it even without one.

A document routed (havale) to another unit is seen there as in its receiving unit, and by the
person it was routed on to."""

from datetime import date, timedelta

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from biys.accounts.scope import ALL, get_scope, perm_name, scope_version
from biys.core.precompiled import PrecompiledQuery
from biys.evrak.choices import (
    NAMED_ONLY,
    SIGNER_LEVEL_RANK,
    ArchiveState,
    DisposalKind,
    FinalDisposition,
    RecipientScope,
    RoutingKind,
    RoutingState,
    SignerLevel,
)
from biys.evrak.models import (
    DisposalDecision,
    DocumentFile,
    DocumentResponsibility,
    IncomingDocument,
    OutgoingDocument,
    OutgoingReference,
    Routing,
)


def _unit_q(user, model, action: str) -> Q:
    units = get_scope(user).units_for(perm_name(model, action))
    if units is ALL:
        return Q()
    if not units:
        return Q(pk__in=[])
    return Q(receiving_unit__in=units)


def named_q(user) -> Exists:
    through = IncomingDocument.named_readers.through
    return Exists(through.objects.filter(incomingdocument=OuterRef("pk"), user=user.pk))


def grant_q(user, field: str = "incoming") -> Exists:
    """The document is granted to the user explicitly (``ConfidentialGrant``, not revoked)."""
    from biys.evrak.models import ConfidentialGrant

    grants = ConfidentialGrant.objects.filter(
        **{field: OuterRef("pk")}, user=user.pk, revoked_at__isnull=True
    )
    return Exists(grants)


def reader_q(user) -> Q:
    """Named on the incoming document, or granted it."""
    return Q(named_q(user)) | Q(grant_q(user, "incoming"))


def _routed_q(user, model) -> Q:
    """Documents routed to a unit where the user may view documents, or to the user."""
    units = get_scope(user).units_for(perm_name(model, "view"))
    routings = Routing.objects.filter(document=OuterRef("pk"))
    mine = Q(Exists(routings.filter(assignee=user.pk)))
    if units is ALL or not units:
        return mine
    return mine | Q(Exists(routings.filter(unit__in=units)))


def restrict_documents(queryset, user, action: str = "view"):
    if user is None or not user.is_authenticated:
        return queryset.none()
    unit_q = _unit_q(user, queryset.model, action)
    confidential = Q(confidentiality__in=NAMED_ONLY)
    if action == "view":
        if unit_q:  # not every unit (an empty Q would swallow the alternative)
            unit_q = unit_q | _routed_q(user, queryset.model)
        return queryset.filter((unit_q & ~confidential) | (confidential & reader_q(user)))
    return queryset.filter(unit_q & (~confidential | named_q(user)))


def documents_visible_to(user):
    return restrict_documents(IncomingDocument.objects.all(), user, "view")


def register_rows(queryset, user):
    """The register as the user lists it: the documents they read, and the Gizli and Çok
    Gizli documents of the units whose register they read but which are neither named on
    them nor granted to them, as masked rows (``masked`` True: the number, date, unit and
    marking only; ``mask_row`` blanks the rest).

    The rows are ``restrict_documents(view)`` and the masked ones together, written as one
    short condition per kind of reader (compiled on every request, so kept short): over every
    unit, every document (the masked flag alone names the reader); over some units, every
    document of those units, an ordinary one routed there or to the user and a confidential
    one the user is named on or granted; over none, an ordinary document routed to the user
    and a confidential one they are named on or granted (never masked). The test
    ``test_register_condition`` holds it to the union it replaced, row for row."""
    if user is None or not user.is_authenticated:
        return queryset.none().annotate(masked=Value(False))
    if queryset.model is OutgoingDocument:
        return outgoing_register_rows(queryset, user)
    units = get_scope(user).units_for(perm_name(queryset.model, "view"))
    confidential = Q(confidentiality__in=NAMED_ONLY)
    reader = reader_q(user)
    if units is ALL:
        return queryset.annotate(masked=_masked(confidential & ~reader))
    if not units:
        rows = (~confidential & _routed_q(user, queryset.model)) | (confidential & reader)
        return queryset.filter(rows).annotate(masked=Value(False))
    unit = Q(receiving_unit__in=units)
    rows = unit | (~confidential & _routed_q(user, queryset.model)) | (confidential & reader)
    return queryset.filter(rows).annotate(masked=_masked(confidential & unit & ~reader))


# The registers' pages most often asked (the first page as it opens, the search by a registry
# number typed whole), their SQL compiled once per user and scope, and the registers' querysets
# built once: the visibility condition took longer to build and compile than the database took
# to answer the page.
REGISTER_PAGES = PrecompiledQuery(maxsize=1024)

# The parameters a register's first page may carry and keep its SQL: how many rows and in which
# order (the page's and the API's names). Any other filter, a word search or a cursor puts
# values of its own into the SQL (today's date, a word's pattern, a row to seek from).
OPENING_PARAMS = ("per_page", "sort", "ordering")


def register_key(user, name: str) -> tuple | None:
    """Names the register ``name`` as ``user`` reads it at their scope (its queryset before any
    filter: ``register_rows``); ``None`` where the scope has no generation to name it by."""
    version = scope_version(user)
    return None if version is None else (name, *version)


def register_page_key(user, params, name: str, request=None) -> tuple[tuple | None, tuple]:
    """``(key, values)`` naming the page of the register ``name`` that ``params`` ask for, for
    ``REGISTER_PAGES.fetch``: the first page as it opens (no values), or, with ``request`` (the
    incoming register), the first page of a registry number typed whole that some document has
    (the number its one value: every such search shares one SQL). ``(None, ())`` for any other
    page."""
    from biys.evrak.filtersets import number_in_register

    shape = tuple(tuple(params.getlist(param)) for param in OPENING_PARAMS)
    others = [param for param in params if param not in OPENING_PARAMS]
    if not others:
        kind, values = "opening", ()
    elif others == ["q"] and request is not None and len(params.getlist("q")) == 1:
        number = number_in_register(params["q"], request)
        if number is None:
            return None, ()
        kind, values = "number", (number,)
    else:
        return None, ()
    base = register_key(user, name)
    return (None, ()) if base is None else ((*base, kind, *shape), values)


def kep_undelivered(line, sendings=None) -> bool:
    """The recipient of ``line`` was sent the document by KEP and the latest KEP sending came
    back not delivered or refused by the provider (its evidence, delil): the line may be sent
    again, by KEP or another way. ``sendings``: the line's KEP sendings newest first, when
    read already."""
    from biys.evrak.choices import DispatchChannel, KepState

    if line.dispatched_at is None or line.dispatch_channel != DispatchChannel.KEP:
        return False
    if sendings is None:
        sendings = line.kep_dispatches.order_by("-requested_at", "-pk")[:1]
    latest = next(iter(sendings), None)
    return latest is not None and latest.state in (KepState.NOT_DELIVERED, KepState.REJECTED)


def _masked(condition: Q) -> ExpressionWrapper:
    return ExpressionWrapper(condition, output_field=BooleanField())


MASKED_FIELDS = (
    "subject", "sender_name", "sender_detsis_no", "sender_vkn", "sender_mersis_no",
    "sender_tc_kimlik_no", "sender_number", "notes", "belge_id",
)  # fmt: skip


OUTGOING_MASKED_FIELDS = ("subject", "body", "notes", "signer_title", "belge_id")


def mask_row(document):
    """Blank what a masked register row must not show (in memory only)."""
    from django.utils.translation import gettext

    if isinstance(document, OutgoingDocument):
        return mask_outgoing_row(document)
    for name in MASKED_FIELDS:
        setattr(document, name, "")
    document.subject = gettext("Gizli")
    document.sender_date = None
    document.sdp_code = None
    document.masked = True
    return document


def history_unreadable(model, user, ids, records) -> dict[str, str]:
    """The Gizli and Çok Gizli documents among ``ids`` (``model``: incoming or outgoing) that
    ``user`` may not read, each with the text its change records show instead of its name: its
    number and "Gizli", as its masked register row. A deleted document counts as confidential
    when its last record says so."""
    from django.utils.translation import gettext

    keys = {int(pk) for pk in ids if str(pk).isdigit()}
    current = {
        pk: (confidentiality, number)
        for pk, confidentiality, number in model.objects.filter(pk__in=keys).values_list(
            "pk", "confidentiality", "number"
        )
    }
    confidential = {pk: number for pk, (level, number) in current.items() if level in NAMED_ONLY}
    for record in records:
        pk = int(record.object_id) if str(record.object_id).isdigit() else None
        if pk is None or pk in current:
            continue
        data = record.prechange_data or record.postchange_data or {}
        if data.get("confidentiality") in NAMED_ONLY:
            confidential[pk] = data.get("number") or ""
    if not confidential:
        return {}
    readable = set()
    if user is not None and user.is_authenticated:
        readable = set(
            model.objects.restrict(user, "view")
            .filter(pk__in=confidential)
            .values_list("pk", flat=True)
        )
    secret = gettext("Gizli")
    return {
        str(pk): f"{number} — {secret}" if number else secret
        for pk, number in confidential.items()
        if pk not in readable
    }


def may_read(user, document) -> bool:
    """The whole document, not a masked row."""
    if isinstance(document, OutgoingDocument):
        return outgoing_visible_to(user).filter(pk=document.pk).exists()
    return documents_visible_to(user).filter(pk=document.pk).exists()


def document_list(user):
    return documents_visible_to(user).select_related("receiving_unit", "sdp_code")


def may_reveal(user, document: IncomingDocument) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return (
        get_scope(user).has_perm("evrak.reveal_sender_data", document.receiving_unit_id)
        and documents_visible_to(user).filter(pk=document.pk).exists()
    )


# --------------------------------------------------------------------------- routing (havale)


def restrict_routings(queryset, user, action: str = "view"):
    """The routings of the documents the user sees."""
    if user is None or not user.is_authenticated:
        return queryset.none()
    return queryset.filter(document__in=documents_visible_to(user))


def today() -> date:
    return timezone.localdate()


def routings_of(document) -> list:
    return list(
        document.routings.select_related(
            "unit", "assignee", "routed_by", "assigned_by", "closed_by"
        )
    )


def responsibility_history(document) -> list:
    return list(
        DocumentResponsibility.objects.filter(document=document).select_related(
            "unit", "person", "changed_by"
        )
    )


def responsible_routing(document) -> Routing | None:
    return (
        document.routings.filter(kind=RoutingKind.ACTION, state=RoutingState.OPEN)
        .select_related("unit", "assignee")
        .first()
    )


def may_route(user, document) -> bool:
    from biys.evrak.roles import ROUTE

    return (
        user is not None
        and user.is_authenticated
        and get_scope(user).has_perm(ROUTE, document.receiving_unit_id)
        and documents_visible_to(user).filter(pk=document.pk).exists()
    )


def may_route_on(user, routing) -> bool:
    from biys.evrak.roles import ROUTE_ON

    return (
        routing.is_open
        and user is not None
        and user.is_authenticated
        and get_scope(user).has_perm(ROUTE_ON, routing.unit_id)
    )


def may_close(user, routing) -> bool:
    """The person it was routed on to; while nobody is named, whoever routes on in the unit."""
    if not routing.is_open or user is None or not user.is_authenticated:
        return False
    if routing.assignee_id:
        return routing.assignee_id == user.pk
    return may_route_on(user, routing)


def week_end(day: date) -> date:
    return day + timedelta(days=6 - day.weekday())


def open_routings():
    return Routing.objects.filter(state=RoutingState.OPEN).select_related(
        "document", "unit", "assignee"
    )


def waiting_for_person(user):
    """Open routings given to the user by name."""
    return open_routings().filter(assignee=user.pk).order_by("due_date", "routed_at", "pk")


def waiting_in_units(user):
    """Open routings of the units where the user routes on, not yet given to a person, and the
    units' open routings for those who read them (named-only documents only when named)."""
    from biys.evrak.roles import ROUTE_ON

    units = get_scope(user).units_for(ROUTE_ON)
    if units is ALL:
        queryset = open_routings()
    elif not units:
        return Routing.objects.none()
    else:
        queryset = open_routings().filter(unit__in=units)
    return restrict_routings(queryset, user).order_by("due_date", "routed_at", "pk")


def buckets(routings, *, day: date | None = None) -> dict:
    """Overdue, due this week (to Sunday), and the rest waiting for action."""
    day = day or today()
    end = week_end(day)
    result = {"overdue": [], "this_week": [], "waiting": []}
    for routing in routings:
        if routing.due_date and routing.due_date < day:
            result["overdue"].append(routing)
        elif routing.due_date and routing.due_date <= end:
            result["this_week"].append(routing)
        else:
            result["waiting"].append(routing)
    return result


def suggest_units(subject: str, *, limit: int = 3) -> list[dict]:
    """The units whose duties in the regulation match the document's subject best (the duty
    search of the organisation pages), each with the duty that matched."""
    from biys.org.models import Duty
    from biys.org.search import rank_duties

    if not (subject or "").strip():
        return []
    duties = rank_duties(
        Duty.objects.filter(status=Duty.Status.ACTIVE).select_related("unit"), subject
    )
    suggestions, seen = [], set()
    for duty in duties[: limit * 5]:
        if duty.unit_id in seen:
            continue
        seen.add(duty.unit_id)
        suggestions.append({"unit": duty.unit, "duty": duty})
        if len(suggestions) >= limit:
            break
    return suggestions


# ------------------------------------------------------------------ outgoing documents (giden)


def _outgoing_people_q(user) -> Q:
    """The documents the user drafted, signs or stands on the approval path of."""
    from biys.evrak.models import ApprovalStep

    on_path = ApprovalStep.objects.filter(document=OuterRef("pk"), user=user.pk)
    return Q(created_by=user.pk) | Q(signer=user.pk) | Q(Exists(on_path))


def restrict_outgoing(queryset, user, action: str = "view"):
    """The drafting unit's roles (``evrak.<action>_outgoingdocument``), and for reading also
    the author, the signer and the people on the approval path. A Gizli or Çok Gizli document
    only for those people, whatever role anyone holds."""
    if user is None or not user.is_authenticated:
        return queryset.none()
    units = get_scope(user).units_for(perm_name(queryset.model, action))
    people = _outgoing_people_q(user)
    confidential = Q(confidentiality__in=NAMED_ONLY)
    if action == "view":
        people = people | Q(grant_q(user, "outgoing"))
    if units is ALL:
        return queryset.filter(~confidential | people)
    unit_q = Q(unit__in=units) if units else Q(pk__in=[])
    if action == "view":
        return queryset.filter((~confidential & (unit_q | people)) | (confidential & people))
    return queryset.filter(unit_q & (~confidential | people))


def outgoing_register_rows(queryset, user):
    """The outgoing register as the user lists it, as ``register_rows`` the incoming one: the
    documents they read, and the Gizli and Çok Gizli documents of the units whose register they
    read, where they neither drafted, sign nor stand on the path of one nor hold a grant, as
    masked rows (``masked`` True: number, state, unit, marking and dates only)."""
    if user is None or not user.is_authenticated:
        return queryset.none().annotate(masked=Value(False))
    # ``restrict_outgoing(view)`` and the masked rows together, one short condition per kind
    # of reader as ``register_rows``: over every unit every document, over some units their
    # documents and the user's own, over none the user's own (never masked).
    units = get_scope(user).units_for(perm_name(queryset.model, "view"))
    people = _outgoing_people_q(user) | Q(grant_q(user, "outgoing"))
    confidential = Q(confidentiality__in=NAMED_ONLY)
    if units is ALL:
        return queryset.annotate(masked=_masked(confidential & ~people))
    if not units:
        return queryset.filter(people).annotate(masked=Value(False))
    unit = Q(unit__in=units)
    return queryset.filter(unit | people).annotate(masked=_masked(confidential & unit & ~people))


def mask_outgoing_row(document):
    """Blank what a masked outgoing register row must not show (in memory only): the subject
    reads "Gizli"; the text, the signer, the SDP code and the file go."""
    from django.utils.translation import gettext

    for name in OUTGOING_MASKED_FIELDS:
        setattr(document, name, "")
    document.subject = gettext("Gizli")
    for name in ("sdp_code", "signer", "created_by", "file"):
        setattr(document, name, None)
    document.masked = True
    return document


# ------------------------------------------------------------------ signing authorities

# The unit kinds whose manager is a department head (a müdürlük is the department of a
# municipality without daire başkanlıkları); the top unit's is the municipality's management.
DEPARTMENT_KINDS = ("daire_baskanligi", "mudurluk", "belediye")
TOP_KINDS = ("belediye",)


def required_signer_level(*, confidentiality: str, recipient_kinds) -> tuple[str, object]:
    """The level that must sign a document of this confidentiality whose distribution lines
    are of these recipient kinds (``RecipientKind``): the highest of the active signing rules
    that apply (a rule about recipients applies when one line is of its kind), with the rule
    (None: no rule applies, a person of the drafting unit or above signs)."""
    from biys.evrak.models import SigningRule

    kinds = set(recipient_kinds)
    level, deciding = SignerLevel.STAFF, None
    for rule in SigningRule.objects.filter(active=True).order_by("pk"):
        if rule.confidentiality and rule.confidentiality != confidentiality:
            continue
        if rule.recipients != RecipientScope.ANY and rule.recipients not in kinds:
            continue
        if SIGNER_LEVEL_RANK[rule.level] > SIGNER_LEVEL_RANK[level]:
            level, deciding = rule.level, rule
    return level, deciding


def _line_of(units) -> list[int]:
    """The units and every unit above them (ids)."""
    from biys.org.models import Unit

    return sorted(
        {
            int(part)
            for path in Unit.objects.filter(pk__in=units).values_list("path", flat=True)
            for part in path.strip("/").split("/")
            if part
        }
    )


def _signers_q(line: list[int], level: str) -> Q:
    """The users who sign at ``level`` for a unit whose line (itself and the units above it)
    is ``line``: a person of the line or a role over it (staff); a chief or department head
    role over it or a manager's position in it (chief); a department head role over it or the
    manager's position of a department (daire başkanlığı, müdürlük) or of the municipality in
    it (department head); the manager or a department head role of the municipality's top
    unit (top)."""
    from biys.org.models import Unit

    if level == SignerLevel.STAFF:
        return Q(person__unit__in=line) | Q(role_assignments__unit__in=line)
    kinds, roles = None, ("chief", "department_head")
    if level == SignerLevel.DEPARTMENT_HEAD:
        kinds, roles = DEPARTMENT_KINDS, ("department_head",)
    elif level == SignerLevel.TOP:
        kinds, roles = TOP_KINDS, ("department_head",)
    units = Unit.objects.filter(pk__in=line)
    role_units = units
    if level == SignerLevel.TOP:
        role_units = units.filter(kind__in=TOP_KINDS)
    if kinds is not None:
        units = units.filter(kind__in=kinds)
    return (
        Q(role_assignments__unit__in=role_units, role_assignments__role__slug__in=roles)
        | Q(person__positions__is_manager=True, person__positions__unit__in=units)
        | Q(person__positions__managed_units__in=units)
    )


def allowed_signers(*, unit, level: str):
    """The active users who may sign a document drafted in ``unit`` at ``level``."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    chosen = users.filter(_signers_q(_line_of([unit.pk if hasattr(unit, "pk") else unit]), level))
    return users.filter(is_active=True, pk__in=chosen.values("pk"))


def signer_refusal(*, signer, unit, confidentiality: str, recipient_kinds) -> str | None:
    """Why ``signer`` may not sign such a document (translated), or None when they may. The
    one definition of the signing authorities: the services refuse with it, and
    ``signer_choices`` offers only whom it allows."""
    from django.utils.translation import gettext

    level, rule = required_signer_level(
        confidentiality=confidentiality, recipient_kinds=recipient_kinds
    )
    if allowed_signers(unit=unit, level=level).filter(pk=signer.pk).exists():
        return None
    if rule is None:
        return gettext(
            "%(user)s may not sign this document: the signer is a person of the drafting unit"
            " or of a unit above it."
        ) % {"user": signer}
    return gettext("%(user)s may not sign this document: %(rule)s (%(level)s).") % {
        "user": signer,
        "rule": rule.name,
        "level": SignerLevel(level).label,
    }


def paraf_choices(document):
    """Who may initial (paraf) ``document``: the active people of its drafting unit's
    department (the nearest daire başkanlığı, müdürlük or the municipality at or above the
    unit, with every unit under it: who prepared the document and the hierarchy it goes up)
    and of the units above it, and whoever holds a role over one of them. The one definition:
    the form offers these and ``outgoing_services.submit_for_approval`` refuses anyone else
    (``paraf_refusal``)."""
    from django.contrib.auth import get_user_model

    from biys.org.models import Unit

    line = _line_of([document.unit_id])
    units = {unit.pk: unit for unit in Unit.objects.filter(pk__in=line).only("path", "kind")}
    ordered = sorted(units.values(), key=lambda unit: len(unit.path), reverse=True)
    department = next((unit for unit in ordered if unit.kind in DEPARTMENT_KINDS), None)
    department = department or units.get(document.unit_id)
    users = get_user_model().objects
    people = Q(person__unit__in=line) | Q(role_assignments__unit__in=line)
    if department is not None and department.path:
        people |= Q(person__unit__path__startswith=department.path) | Q(
            role_assignments__unit__path__startswith=department.path
        )
    chosen = users.filter(people)
    return users.filter(is_active=True, pk__in=chosen.values("pk")).order_by(
        "first_name", "last_name", "username"
    )


def paraf_refusal(*, person, document) -> str | None:
    """Why ``person`` may not stand on the approval path of ``document`` (translated), or
    None when they may (``paraf_choices``)."""
    from django.utils.translation import gettext

    if paraf_choices(document).filter(pk=person.pk).exists():
        return None
    return gettext(
        "%(user)s may not initial this document: the people on the path are of the drafting"
        " unit's department or of a unit above it."
    ) % {"user": person}


def may_reveal_recipients(user, document: OutgoingDocument) -> bool:
    """May ``user`` see the unmasked TC kimlik numbers of ``document``'s person recipients?
    The incoming sender's permission (``evrak.reveal_sender_data``) over the drafting unit,
    and the document readable by them (a masked Gizli row is not)."""
    if user is None or not user.is_authenticated:
        return False
    return (
        get_scope(user).has_perm("evrak.reveal_sender_data", document.unit_id)
        and outgoing_visible_to(user).filter(pk=document.pk).exists()
    )


def units_named(name: str) -> list:
    """The active units of the municipality named exactly ``name`` (case and spaces as
    typed): a distribution line that gives a unit's name alone is that unit when one unit has
    the name (``outgoing_services``)."""
    from biys.org.models import Unit

    name = (name or "").strip()
    if not name:
        return []
    return list(Unit.objects.filter(is_active=True, name=name).order_by("pk")[:2])


def recipient_unit_choices(document=None):
    """The units a distribution line may go to: the active units, and those already on the
    document's lines (a unit closed since stays chosen)."""
    from biys.org.models import Unit

    chosen = Q(is_active=True)
    if document is not None and document.pk:
        chosen |= Q(pk__in=document.distribution.filter(unit__isnull=False).values("unit"))
    return Unit.objects.filter(chosen).order_by("path")


def signer_choices(user, document=None):
    """Who may be named to sign the user's drafts, by the signing authorities: for a document,
    whom they allow for its unit, confidentiality and recipients; for a new draft, whom they
    allow in the units the user drafts for (the confidentiality and recipients not chosen yet:
    the service checks again). At the lowest level these are the active people of those units
    and of every unit above them and whoever holds a role over one of them, so the chief of the
    unit and the head of its department are offered to a writer of a unit under it whether or
    not the writer may read the user accounts (the accounts module's own scope)."""
    from django.contrib.auth import get_user_model

    if document is not None and document.pk and document.unit_id:
        level, _rule = required_signer_level(
            confidentiality=document.confidentiality,
            recipient_kinds=document.distribution.values_list("recipient_kind", flat=True),
        )
        users = allowed_signers(unit=document.unit_id, level=level)
        return users.order_by("first_name", "last_name", "username")
    users = get_user_model().objects.filter(is_active=True)
    units = get_scope(user).units_for(perm_name(OutgoingDocument, "add"))
    if units is not ALL:
        level, _rule = required_signer_level(confidentiality="YOK", recipient_kinds=())
        chosen = get_user_model().objects.filter(_signers_q(_line_of(units), level))
        users = users.filter(pk__in=chosen.values("pk"))
    return users.order_by("first_name", "last_name", "username")


def outgoing_visible_to(user):
    return restrict_outgoing(OutgoingDocument.objects.all(), user, "view")


def replies_for(user, document):
    """The signed outgoing documents that cite ``document`` in their ilgi and that ``user``
    may read (every one for ``None``, the command line): what a routing of it is closed with."""
    from biys.evrak.choices import OutgoingState

    documents = OutgoingDocument.objects.all() if user is None else outgoing_visible_to(user)
    cites = OutgoingReference.objects.filter(document=OuterRef("pk"), incoming=document)
    return documents.filter(Exists(cites), state=OutgoingState.SIGNED).order_by("-signed_at", "-pk")


# ------------------------------------------------------------------ files, archive and disposal

APPROVE_DISPOSAL = "evrak.approve_disposal"
# A retention not yet decided never makes a file due: it counts as forever.
_FOREVER = Value(10000, output_field=IntegerField())


# The hand-over to the State Archives is the institutional archive's work (the archivist, and
# the department head over their units), apart from the transfer and destruction decisions.
HAND_OVER = "evrak.hand_over_files"


def _disposal_permission(kind) -> str:
    return HAND_OVER if kind == DisposalKind.HANDOVER else APPROVE_DISPOSAL


def disposal_units(user, kind=None):
    """The units whose files the user may decide on (``ALL`` or a set): transfer or destroy
    them (``kind`` None, transfer or destroy), or hand them over (``kind`` handover)."""
    if user is None or not user.is_authenticated:
        return set()
    return get_scope(user).units_for(_disposal_permission(kind))


def may_approve_disposal(user, kind=None) -> bool:
    units = disposal_units(user, kind)
    return units is ALL or bool(units)


def year_end_kinds(user) -> list[str]:
    """The year-end lists the user works on, in their order on the page."""
    return [kind for kind in DisposalKind.values if may_approve_disposal(user, kind)]


def disposal_files(user, kind=None):
    """The files of the units where the user approves the year-end decisions of ``kind``
    (``user`` None: the system, every file)."""
    files = DocumentFile.objects.all()
    if user is None:
        return files
    units = disposal_units(user, kind)
    if units is ALL:
        return files
    return files.filter(unit__in=units) if units else files.none()


def _count(model):
    rows = model.objects.filter(file=OuterRef("pk")).order_by().values("file")
    return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n")[:1]), 0)


def with_counts(files):
    """Each file with the number of its incoming and outgoing documents (two subqueries: the
    query count stays the same however many files are listed)."""
    return files.select_related("unit", "sdp_code").annotate(
        incoming_count=_count(IncomingDocument), outgoing_count=_count(OutgoingDocument)
    )


def due_files(*, user, year: int, kind: str):
    """The files due at the end of ``year``. A file closes at the end of its own year; it is
    due for transfer to the institutional archive once its years in the unit archive are over
    (file year + unit years <= ``year``), and due for destruction once its years in the
    institutional archive are over too, if the SDP code says destroy. A file due for
    destruction is listed there only, not for transfer as well. Codes whose periods are not
    yet decided make nothing due.

    Due for hand-over to the State Archives: the files in the institutional archive
    (transferred) whose SDP code says so and whose years there are over, not yet on a
    hand-over list. A file of such a code still in the unit is transferred first."""
    files = disposal_files(user, kind)
    unit_years = F("sdp_code__unit_retention_years")
    total = (
        F("year")
        + Coalesce(unit_years, _FOREVER)
        + Coalesce(F("sdp_code__archive_retention_years"), _FOREVER)
    )
    destroy = Q(sdp_code__final_disposition=FinalDisposition.DESTROY, total_end__lte=year)
    files = files.alias(unit_end=F("year") + Coalesce(unit_years, _FOREVER), total_end=total)
    if kind == DisposalKind.HANDOVER:
        files = files.filter(
            sdp_code__final_disposition=FinalDisposition.STATE_ARCHIVES,
            total_end__lte=year,
            state=ArchiveState.TRANSFERRED,
            handover_list__isnull=True,
        )
    elif kind == DisposalKind.DESTROY:
        files = files.filter(destroy, state__in=[ArchiveState.CURRENT, ArchiveState.TRANSFERRED])
    else:
        files = files.filter(state=ArchiveState.CURRENT, unit_end__lte=year).exclude(destroy)
    return with_counts(files).order_by("sdp_code__code", "unit__name", "year", "pk")


def _first_last(model, field: str, aggregate):
    rows = model.objects.filter(file=OuterRef("pk")).order_by().values("file")
    return Subquery(rows.annotate(day=aggregate(field)).values("day")[:1])


def handover_lists(user):
    """The hand-over lists with a file of the user's units (every one for the system)."""
    lists = DisposalDecision.objects.filter(kind=DisposalKind.HANDOVER)
    if user is None:
        return lists
    units = disposal_units(user, DisposalKind.HANDOVER)
    if units is ALL:
        return lists
    if not units:
        return lists.none()
    mine = DocumentFile.objects.filter(handover_list=OuterRef("pk"), unit__in=units)
    return lists.filter(Exists(mine))


def may_complete_handover(user, decision) -> bool:
    """Every file of the list in the user's units: only then may they mark it handed over."""
    if user is None:
        return True
    units = disposal_units(user, DisposalKind.HANDOVER)
    if units is ALL:
        return True
    return not decision.handover_files.exclude(unit__in=units or ()).exists()


def handover_items(decision):
    """The numbered items of a hand-over list: each file with its document count and the
    dates of its first and last document (a fixed number of queries however long the list)."""
    files = with_counts(decision.handover_files.all()).annotate(
        incoming_first=_first_last(IncomingDocument, "registered_at", Min),
        incoming_last=_first_last(IncomingDocument, "registered_at", Max),
        outgoing_first=_first_last(OutgoingDocument, "signed_at", Min),
        outgoing_last=_first_last(OutgoingDocument, "signed_at", Max),
    )
    items = list(files.order_by("handover_item", "pk"))
    for item in items:
        firsts = [day for day in (item.incoming_first, item.outgoing_first) if day]
        lasts = [day for day in (item.incoming_last, item.outgoing_last) if day]
        item.first_date = min(firsts) if firsts else None
        item.last_date = max(lasts) if lasts else None
    return items
