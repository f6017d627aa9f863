"""Every write of the BGYS policies: the policy and its audience, its versions (draft →
approved → published → superseded), the acknowledgements its published version asks of its
audience, and the reminders.

Functions take keyword arguments only and run in one transaction; a refusal is a
``ValidationError`` naming the field (or ``PermissionDenied``), and nothing is half-written.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from biys.acknowledgements import services as acknowledgements
from biys.bgys import policy_selectors as selectors
from biys.bgys.policy_models import Policy, PolicyVersion, VersionState
from biys.core.access import can, check_save, get_scope

APPROVE = "bgys.approve_policyversion"


def may_approve(user, version: PolicyVersion) -> bool:
    return get_scope(user).has_perm(APPROVE, version.policy.unit_id)


@transaction.atomic
def save_policy(*, policy: Policy, user, audience_units=None, audience_roles=None) -> Policy:
    """The policy and whom it is for. A changed audience applies to its published version
    at once: newcomers are asked, those left out withdrawn (their given acknowledgements
    stay)."""
    check_save(user, policy, policy.unit_id, system=False)
    policy.code = policy.code.strip()
    policy.title = policy.title.strip()
    policy.full_clean()
    policy.save()
    if audience_units is not None:
        policy.audience_units.set(audience_units)
    if audience_roles is not None:
        policy.audience_roles.set(audience_roles)
    published = policy.versions.filter(state=VersionState.PUBLISHED).first()
    if published is not None:
        _ask(published)
    return policy


def _locked_version(version: PolicyVersion) -> PolicyVersion:
    return PolicyVersion.objects.select_for_update().select_related("policy").get(pk=version.pk)


@transaction.atomic
def save_version(*, version: PolicyVersion, user) -> PolicyVersion:
    """A new version (numbered after the last) or a change to a draft: its text and what
    changed. An approved or published version is not changed: write the next one."""
    if version.pk is None:
        if not version.policy_id:
            raise ValidationError({"policy": _("Choose the policy.")})
        policy = Policy.objects.select_for_update().get(pk=version.policy_id)
        check_save(user, version, policy.unit_id, system=False)
        last = policy.versions.aggregate(last=Max("number"))["last"] or 0
        version.number = last + 1
    else:
        stored = _locked_version(version)
        check_save(user, version, stored.policy.unit_id, system=False)
        if stored.state != VersionState.DRAFT:
            raise ValidationError(_("Only a draft is changed; write a new version instead."))
        if stored.policy_id != version.policy_id:
            raise ValidationError({"policy": _("A version stays with its policy.")})
        version.number, version.state = stored.number, stored.state
    version.text = version.text.strip()
    version.full_clean()
    version.save()
    return version


@transaction.atomic
def delete_version(*, version: PolicyVersion, user) -> None:
    stored = _locked_version(version)
    if not can(user, "delete", stored):
        raise PermissionDenied
    if stored.state != VersionState.DRAFT:
        raise ValidationError(_("Only a draft is deleted."))
    stored.delete()


@transaction.atomic
def approve_version(*, version: PolicyVersion, user) -> PolicyVersion:
    """Draft → approved, by someone holding the approval over the policy's unit."""
    stored = _locked_version(version)
    if not may_approve(user, stored):
        raise PermissionDenied
    if stored.state != VersionState.DRAFT:
        raise ValidationError(_("Only a draft is approved."))
    if not stored.text:
        raise ValidationError({"text": _("Write the text first.")})
    stored.state = VersionState.APPROVED
    stored.approved_by, stored.approved_at = user, timezone.now()
    stored.save()
    return stored


def _ask(version: PolicyVersion, today=None) -> dict:
    return acknowledgements.request_acknowledgements(
        target=version,
        people=selectors.audience(version.policy),
        working_days=version.policy.ack_working_days,
        today=today,
    )


@transaction.atomic
def publish_version(*, version: PolicyVersion, user, today=None) -> PolicyVersion:
    """Approved → published: the version in force replaces the one before (superseded, its
    pending acknowledgements withdrawn), and everyone in the audience is asked to read and
    accept it within the policy's working days, told in the app and by e-mail."""
    today = today or timezone.localdate()
    stored = _locked_version(version)
    if not may_approve(user, stored):
        raise PermissionDenied
    if stored.state != VersionState.APPROVED:
        raise ValidationError(_("Only an approved version is published."))
    for previous in PolicyVersion.objects.select_for_update().filter(
        policy_id=stored.policy_id, state=VersionState.PUBLISHED
    ):
        previous.state, previous.superseded_on = VersionState.SUPERSEDED, today
        previous.save()
        acknowledgements.withdraw_requests(target=previous)
    stored.state = VersionState.PUBLISHED
    stored.published_by, stored.published_on = user, today
    stored.save()
    _ask(stored, today)
    return stored


@transaction.atomic
def remind_pending(*, version: PolicyVersion, user) -> int:
    """The BGYS team reminds, now, everyone who has not acknowledged the published version."""
    stored = _locked_version(version)
    if not can(user, "change", stored):
        raise PermissionDenied
    if stored.state != VersionState.PUBLISHED:
        raise ValidationError(_("Only a published version asks for acknowledgement."))
    return acknowledgements.remind_pending(target=stored)


def refresh_audiences(*, today=None) -> dict:
    """The daily job: every published version asks the newcomers to its audience (a new
    member of staff: within the working days of their first day) and withdraws the pending
    rows of those who left it."""
    result = {"versions": 0, "requested": 0, "withdrawn": 0}
    published = PolicyVersion.objects.filter(state=VersionState.PUBLISHED).select_related("policy")
    for version in published.order_by("pk"):
        with transaction.atomic():
            done = _ask(version, today)
        result["versions"] += 1
        result["requested"] += done["requested"]
        result["withdrawn"] += done["withdrawn"]
    return result
