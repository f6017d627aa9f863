"""Reads of the inventory: the asset a device reference names, custody of a person, the
handover list."""

from django.db.models import Q
from django.urls import reverse

from biys.core.access import get_scope
from biys.core.assets import (
    AssetSummary,
    reference_key,
    reference_key_expression,
    squeezed_upper,
)
from biys.core.text import turkish_upper
from biys.inventory.models import FINAL_STATUSES, Asset, AssetStatus, Custody

VIEW_ASSET = "inventory.view_asset"


def _reference_candidates(reference: str):
    """Registered assets (not scrapped or written off) whose inventory number is ``reference``
    or whose serial number is, ignoring case: one query on the inventory number's unique index
    and the folded serial's index; most references name nothing (a ticket page asks for every
    ticket with a reference)."""
    return (
        Asset.objects.exclude(status__in=FINAL_STATUSES)
        .filter(Q(inventory_number=reference) | Q(serial_number__iexact=reference))
        .order_by()[:REFERENCE_CANDIDATES]
    )


def _best_match(candidates, reference: str, get=getattr):
    """The candidate the reference names best: its inventory number, then its serial number
    exactly, then its serial number ignoring case."""
    folded = reference.upper()
    for matches in (
        lambda asset: get(asset, "inventory_number") == reference,
        lambda asset: get(asset, "serial_number") == reference,
        lambda asset: (get(asset, "serial_number") or "").upper() == folded,
    ):
        for asset in candidates:
            if matches(asset):
                return asset
    return None


def asset_by_reference(reference: str) -> Asset | None:
    """The registered asset (not scrapped or written off) whose inventory number or serial
    number is ``reference`` (serials compared without regard to case)."""
    reference = (reference or "").strip()
    if not reference:
        return None
    candidates = list(_reference_candidates(reference).select_related("item_model", "custodian"))
    return _best_match(candidates, reference)


STATUS_LABELS = dict(AssetStatus.choices)

# An inventory number is unique, a serial too; serials differing in case alone are rare.
REFERENCE_CANDIDATES = 10

# What a ticket shows of its device, read as plain values: no model instances for a panel
# every ticket page with a reference asks for.
SUMMARY_VALUES = (
    "pk",
    "inventory_number",
    "serial_number",
    "status",
    "unit_id",
    "warranty_end",
    "item_model__brand",
    "item_model__name",
    "custodian__first_name",
    "custodian__last_name",
)


def asset_summary(reference: str) -> AssetSummary | None:
    """The service desk's view of a device (``biys.core.assets``)."""
    reference = (reference or "").strip()
    if not reference:
        return None
    candidates = list(_reference_candidates(reference).values(*SUMMARY_VALUES))
    row = _best_match(candidates, reference, get=dict.get)
    return _summary(row) if row is not None else None


def asset_summary_by_pk(pk: int) -> AssetSummary | None:
    """The asset a ticket is linked to, whatever its status now (``biys.core.assets``): one
    query on the primary key."""
    row = Asset.objects.filter(pk=pk).values(*SUMMARY_VALUES).first()
    return _summary(row) if row is not None else None


def _summary(row: dict) -> AssetSummary:
    has_custodian = row["custodian__first_name"] is not None  # str(Person): its full name
    return AssetSummary(
        pk=row["pk"],
        inventory_number=row["inventory_number"],
        serial_number=row["serial_number"] or "",
        model=f"{row['item_model__brand']} {row['item_model__name']}",
        status=str(STATUS_LABELS.get(row["status"], row["status"])),
        unit_id=row["unit_id"],
        warranty_end=row["warranty_end"],
        custodian=f"{row['custodian__first_name']} {row['custodian__last_name']}"
        if has_custodian
        else "",
        url=reverse("inventory:asset", kwargs={"pk": row["pk"]}),
    )


def may_view_summary(user, summary: AssetSummary) -> bool:
    return get_scope(user).has_perm(VIEW_ASSET, summary.unit_id)


# References looked up per statement when matching in bulk (four variants each stay well
# under SQLite's bound-parameter limit).
MATCH_CHUNK = 200


def _variants(reference: str) -> tuple[set[str], set[str]]:
    """The spellings to ask the database for: the inventory number as typed, without spaces
    or as its folded key (upper-cased too); the serial as the database's upper-cased,
    separator-free expression of it (``reference_key_expression``), from the reference as
    typed, upper-cased by Turkish rules and from its folded key (an ASCII serial typed
    'sn-abcı')."""
    plain = reference.strip()
    squeezed = plain.replace(" ", "")
    key = reference_key(plain)
    exact = {plain, squeezed, key, key.upper(), squeezed.upper()}
    serial = {squeezed_upper(plain), squeezed_upper(turkish_upper(plain)), squeezed_upper(key)}
    return exact, serial


def match_references(references) -> dict[str, tuple[int, ...]]:
    """For each reference's key (``biys.core.assets.reference_key``), the ids of the in-service
    assets (not scrapped or written off) whose inventory number or serial number folds to it:
    the service desk's bulk link of its existing references and its link at filing. A serial
    stored with spaces or dashes ('FOC 1234-5678') answers to one typed without them, and the
    other way round. One query per 200 references, on the inventory number's unique index and
    the index of the serial's upper-cased, separator-free form; the candidates are compared
    by their folded numbers in Python, which both databases then agree on."""
    wanted = {reference_key(reference) for reference in references} - {""}
    if not wanted:
        return {}
    found: dict[str, set[int]] = {}
    ordered = sorted(references)
    for start in range(0, len(ordered), MATCH_CHUNK):
        exact, serial = set(), set()
        for reference in ordered[start : start + MATCH_CHUNK]:
            plain, squeezed = _variants(reference)
            exact |= plain
            serial |= squeezed
        serial.discard("")
        rows = (
            Asset.objects.exclude(status__in=FINAL_STATUSES)
            .annotate(serial_key=reference_key_expression("serial_number"))
            .filter(Q(inventory_number__in=sorted(exact)) | Q(serial_key__in=sorted(serial)))
            .order_by()
            .values_list("pk", "inventory_number", "serial_number")
        )
        for pk, number, serial_number in rows:
            for value in (number, serial_number):
                key = reference_key(value or "")
                if key in wanted:
                    found.setdefault(key, set()).add(pk)
    return {key: tuple(sorted(pks)) for key, pks in found.items()}


def may_link_references(user) -> bool:
    """Linking the service desk's existing references to the register: whoever keeps a register
    (an inventory officer of any unit; superusers always). The link is a fact the numbers
    decide, not a judgement, and the list of what is left shows ticket numbers only."""
    return get_scope(user).has_perm("inventory.change_asset")


def custody_of(person, *, user=None, open_only: bool = False):
    """A person's custody records (newest first), narrowed to what ``user`` may see."""
    # the person's own records: each knows its person without a join (known related object)
    records = person.custodies.select_related("asset", "asset__item_model", "unit")
    if user is not None:
        records = records.restrict(user, "view")
    if open_only:
        records = records.filter(ended_at__isnull=True)
    return records.order_by("-started_at", "-pk")


def my_custody(user):
    """What the signed-in person holds now: every open custody in their name, wherever the
    register is (their own portal needs no inventory permission)."""
    person_id = getattr(user, "person_id", None)
    if person_id is None:
        return Custody.objects.none()
    return (
        Custody.objects.filter(person_id=person_id, ended_at__isnull=True)
        .select_related("asset", "asset__item_model", "asset__location", "unit")
        .order_by("-started_at", "-pk")
    )


def handover_list(person, *, user):
    """Everything ``person`` holds (for a leaving or moving member of staff), as ``user`` may
    see it, ordered by inventory number."""
    return (
        Asset.objects.restrict(user, "view")
        .filter(custodian=person)
        .select_related("item_model", "location", "unit")
        .order_by("inventory_number")
    )


def custody_history(asset, *, user):
    return (
        Custody.objects.restrict(user, "view")
        .filter(asset=asset)
        .select_related("asset", "asset__item_model", "person", "handed_by", "ended_by")
        .order_by("-started_at", "-pk")
    )


def search_condition(query: str) -> Q | None:
    """An exact hit on an inventory or serial number, listed first in the search box."""
    query = (query or "").strip()
    if not query:
        return None
    return Q(inventory_number=query) | Q(serial_number=query)


def counts_with_tallies(queryset=None):
    """Counts with their tallies in the same query: ``expected`` (assets the register expects),
    ``found`` (of those), ``missing`` and ``surplus`` (found, not expected)."""
    from django.db.models import Count as Tally

    from biys.inventory.models import Count

    queryset = Count.objects.all() if queryset is None else queryset
    return queryset.annotate(
        expected=Tally("asset_rows", filter=Q(asset_rows__expected=True)),
        found=Tally(
            "asset_rows", filter=Q(asset_rows__expected=True, asset_rows__found_at__isnull=False)
        ),
        missing=Tally(
            "asset_rows", filter=Q(asset_rows__expected=True, asset_rows__found_at__isnull=True)
        ),
        surplus=Tally(
            "asset_rows", filter=Q(asset_rows__expected=False, asset_rows__found_at__isnull=False)
        ),
    )
