"""The registers' rows (``selectors.register_rows``) are one short condition per kind of
reader, compiled on every request. They must be exactly the rows and ``masked`` flags of the
union they replaced (``restrict_documents`` / ``restrict_outgoing`` with the masked rows of
the user's units, kept here as the reference), for every kind of reader: a clerk over every
unit, a superuser, a unit's reader, a named recipient, a grant holder (and one whose grant was
revoked), the person a document was routed to, the author, signer and initialler of an
outgoing document, an outsider and a user with no role."""

import pytest
from django.db.models import BooleanField, ExpressionWrapper, Q, Value

from biys.accounts.models import Role, RoleAssignment, User
from biys.accounts.scope import ALL, get_scope, perm_name
from biys.evrak import selectors
from biys.evrak.choices import NAMED_ONLY, Confidentiality
from biys.evrak.models import (
    ApprovalStep,
    ConfidentialGrant,
    IncomingDocument,
    OutgoingDocument,
    Routing,
)
from biys.evrak.tests.factories import make_document, make_outgoing

pytestmark = pytest.mark.django_db


# --------------------------------------------------------------------------- the reference


def reference_register_rows(queryset, user):
    """``register_rows`` as it was: the documents the user reads OR-ed with the masked ones."""
    if user is None or not user.is_authenticated:
        return queryset.none().annotate(masked=Value(False))
    if queryset.model is OutgoingDocument:
        return reference_outgoing_register_rows(queryset, user)
    readable = selectors.restrict_documents(queryset, user, "view")
    unit_q = selectors._unit_q(user, queryset.model, "view")
    confidential = Q(confidentiality__in=NAMED_ONLY)
    hidden = confidential & ~selectors.reader_q(user)
    if unit_q:
        hidden = hidden & unit_q
    masked_rows = queryset.filter(hidden)
    return (readable | masked_rows).annotate(
        masked=ExpressionWrapper(hidden, output_field=BooleanField())
    )


def reference_outgoing_register_rows(queryset, user):
    readable = selectors.restrict_outgoing(queryset, user, "view")
    units = get_scope(user).units_for(perm_name(queryset.model, "view"))
    people = selectors._outgoing_people_q(user) | Q(selectors.grant_q(user, "outgoing"))
    hidden = Q(confidentiality__in=NAMED_ONLY) & ~people
    if units is not ALL:
        hidden = hidden & (Q(unit__in=units) if units else Q(pk__in=[]))
    return (readable | queryset.filter(hidden)).annotate(
        masked=ExpressionWrapper(hidden, output_field=BooleanField())
    )


# --------------------------------------------------------------------------- the register


LEVELS = [value for value, _label in Confidentiality.choices]


@pytest.fixture
def people(make_user, org_tree):
    network, software, roads = org_tree["network"], org_tree["software"], org_tree["roads"]
    clerk_all = make_user("evrak_clerk", org_tree["dept"])
    RoleAssignment.objects.create(
        user=clerk_all, role=Role.objects.get(slug="evrak_clerk"), unit=roads,
        include_subtree=True,
    )  # fmt: skip
    return {
        "clerk_all": clerk_all,
        "superuser": make_user(superuser=True, username="kok"),
        "clerk_dept": make_user("evrak_clerk", org_tree["dept"]),
        "unit_reader": make_user("evrak_reader", network),
        "section_reader": make_user("evrak_reader", org_tree["helpdesk"]),
        "software_reader": make_user("evrak_reader", software),
        "named": make_user("requester", software),
        "grantee": make_user("evrak_reader", roads),
        "revoked": make_user("evrak_reader", roads),
        "assignee": make_user(None, roads),
        "writer": make_user("evrak_writer", network),
        "signer": make_user("department_head", org_tree["dept"]),
        "initialler": make_user(None, software),
        "manager": make_user("department_head", org_tree["dept"]),
        "outsider": make_user("department_head", roads),
        "no_role": make_user(),
    }


@pytest.fixture
def register(org_tree, people):
    """Every confidentiality in three units; named readers, grants (one revoked), routings
    to another unit and to a person; outgoing documents by author, signer and path."""
    units = [org_tree["network"], org_tree["helpdesk"], org_tree["software"], org_tree["roads"]]
    incoming, outgoing = [], []
    for unit in units:
        for level in LEVELS:
            incoming.append(make_document(unit, confidentiality=level))
            outgoing.append(make_outgoing(unit, confidentiality=level))
    by = {(doc.receiving_unit_id, doc.confidentiality): doc for doc in incoming}
    network, software, roads = org_tree["network"], org_tree["software"], org_tree["roads"]
    secret_net, top_net = by[(network.pk, "GZL")], by[(network.pk, "CGZ")]
    secret_roads, plain_roads = by[(roads.pk, "GZL")], by[(roads.pk, "YOK")]
    secret_net.named_readers.add(people["named"], people["clerk_dept"])
    by[(roads.pk, "CGZ")].named_readers.add(people["superuser"], people["unit_reader"])

    def grant(user, *, document=None, outgoing_document=None, revoked=False):
        owner = document.receiving_unit if document else outgoing_document.unit
        ConfidentialGrant.objects.create(
            incoming=document, outgoing=outgoing_document, unit=owner, user=user,
            reason="inceleme", revoked_at=by[(roads.pk, "YOK")].registered_at if revoked else None,
        )  # fmt: skip

    grant(people["grantee"], document=top_net)
    grant(people["revoked"], document=top_net, revoked=True)
    grant(people["clerk_all"], document=secret_roads)
    # routed: an ordinary and a secret document of roads to software, one to a person
    Routing.objects.create(document=plain_roads, unit=software)
    Routing.objects.create(document=secret_roads, unit=software)
    Routing.objects.create(document=by[(roads.pk, "HZO")], unit=roads, assignee=people["assignee"])
    Routing.objects.create(document=secret_net, unit=roads, assignee=people["assignee"])

    out = {(doc.unit_id, doc.confidentiality): doc for doc in outgoing}
    for level in ("YOK", "GZL"):
        out[(network.pk, level)].created_by = people["writer"]
        out[(network.pk, level)].save(update_fields=["created_by"])
        out[(software.pk, level)].signer = people["signer"]
        out[(software.pk, level)].save(update_fields=["signer"])
        ApprovalStep.objects.create(document=out[(roads.pk, level)], order=1,
                                    user=people["initialler"])  # fmt: skip
    grant(people["grantee"], outgoing_document=out[(network.pk, "CGZ")])
    grant(people["revoked"], outgoing_document=out[(software.pk, "CGZ")], revoked=True)
    return {"incoming": incoming, "outgoing": outgoing}


def rows(queryset) -> list:
    return sorted(queryset.values_list("pk", "masked"))


@pytest.mark.parametrize("model", [IncomingDocument, OutgoingDocument])
def test_the_condition_is_the_union_it_replaced(people, register, model):
    every = model.objects.count()
    confidential = set(
        model.objects.filter(confidentiality__in=NAMED_ONLY).values_list("pk", flat=True)
    )
    kinds, flags = set(), set()
    for name, person in people.items():
        user = User.objects.get(pk=person.pk)  # a fresh scope
        units = get_scope(user).units_for(perm_name(model, "view"))
        kinds.add("all" if units is ALL else ("some" if units else "none"))
        new = selectors.register_rows(model.objects.all(), user)
        old = reference_register_rows(model.objects.all(), user)
        assert rows(new) == rows(old), name
        # the list's filters on the flag (a search leaves masked rows out). Compared with the
        # reference's rows filtered here: the reference's own ``filter(masked=False)`` was
        # empty for a reader without units (its flag held ``pk IN ()``, which Django
        # compiles as "no rows" even under ``= false``), so such a reader's search found
        # nothing at all, not even what they read.
        assert rows(new.filter(masked=False)) == [row for row in rows(old) if not row[1]], name
        assert rows(new.filter(masked=True)) == [row for row in rows(old) if row[1]], name
        if get_scope(user).units_for(perm_name(model, "view")):
            assert rows(new.filter(masked=False)) == rows(old.filter(masked=False)), name
        # and a detail's narrowing to one document
        for document in model.objects.order_by("pk")[::5]:
            one = selectors.register_rows(model.objects.all(), user).filter(pk=document.pk)
            assert rows(one) == rows(old.filter(pk=document.pk)), name
        if name in ("clerk_all", "superuser"):
            assert len(rows(new)) == every
        flags |= {masked for pk, masked in rows(new) if pk in confidential}
    assert kinds == {"all", "some", "none"}
    # not trivial: some confidential rows are masked for someone, some read whole
    assert flags == {True, False}


def test_the_anonymous_user_has_no_rows(register):
    from django.contrib.auth.models import AnonymousUser

    for model in (IncomingDocument, OutgoingDocument):
        assert rows(selectors.register_rows(model.objects.all(), AnonymousUser())) == []
        assert rows(selectors.register_rows(model.objects.all(), None)) == []


def test_the_register_as_it_opens_and_by_number_is_each_readers_own(client, people, register):
    """The register's first page as it opens and the page of a registry number typed whole
    are kept compiled per user and scope (``selectors.REGISTER_PAGES``; every test compiles
    them anew too and compares): each reader, page and API alike, still gets exactly their own
    rows and flags, for every number, and a change of their roles shows at the next request."""
    from django.http import QueryDict

    def listed(**params):
        page = client.get("/evrak/", {"per_page": 100, **params})
        api = client.get("/api/v1/evrak/incoming/", {"per_page": 100, **params})
        html = sorted((row.pk, row.masked) for row in page.context["table"].data.data)
        assert sorted((row["id"], row["masked"]) for row in api.json()["results"]) == html
        return html

    from biys.evrak.numbering import NUMBER_TEMPLATE

    for document in IncomingDocument.objects.all():  # numbers a search takes for numbers
        document.number = NUMBER_TEMPLATE.format(year=2026, seq=900 + document.pk)
        document.save(update_fields=["number"])
    documents = IncomingDocument.objects.order_by("pk")
    for name, person in people.items():
        user = User.objects.get(pk=person.pk)
        expected = rows(reference_register_rows(IncomingDocument.objects.all(), user))
        client.force_login(user)
        assert listed() == listed() == expected, name
        if name not in ("clerk_all", "unit_reader", "named", "grantee", "assignee", "no_role"):
            continue  # the numbers for one reader of each kind
        for document in documents.filter(confidentiality__in=["YOK", "GZL", "CGZ"]):
            found = [row for row in expected if row[0] == document.pk]
            assert listed(q=document.number) == found, (name, document.number)

    request = client.get("/evrak/").wsgi_request
    user, number = request.user, documents[0].number
    opening = QueryDict("per_page=100")
    assert selectors.register_page_key(user, opening, "incoming")[0] is not None
    by_number = selectors.register_page_key(user, QueryDict(f"q={number}"), "incoming", request)
    assert by_number[0] is not None and by_number[1] == (number,)
    # not one of those pages: a word, a number no document has, a filter, a cursor
    for params in ("q=yazı", "q=GE-1999-000001", "confidentiality=GZL", "cursor=abc", "page=2",
                   f"q={number}&year=2026", f"q={number}&q=yazı"):  # fmt: skip
        assert selectors.register_page_key(user, QueryDict(params), "incoming", request) == (
            None,
            (),
        ), params

    reader = User.objects.get(pk=people["unit_reader"].pk)
    client.force_login(reader)
    before = listed()
    RoleAssignment.objects.filter(user=reader).delete()
    after = listed()
    assert after == rows(reference_register_rows(IncomingDocument.objects.all(), reader))
    assert len(after) < len(before)
