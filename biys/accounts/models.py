from django.contrib.auth.models import AbstractUser, Permission
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from biys.core.models import ChangeLoggedModel
from biys.core.querysets import RestrictedQuerySet


class UserQuerySet(RestrictedQuerySet):
    def restrict(self, user, action: str = "view"):
        from biys.accounts.selectors import restrict_users

        return restrict_users(self, user, action)


class UserManager(DjangoUserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    """A login. Linked to the person (personel record) it belongs to, when there is one."""

    person = models.OneToOneField(
        "org.Person",
        verbose_name=_("person"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="user",
    )
    language = models.CharField(_("language"), max_length=10, blank=True)
    directory_dn = models.CharField(
        _("directory entry"),
        max_length=255,
        blank=True,
        editable=False,
        help_text=_("Set for users that come from LDAP / Active Directory."),
    )

    objects = UserManager()

    # The unit that owns a login is its person's unit (change log, scoped lists).
    scope_path = "person__unit"

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def get_absolute_url(self) -> str:
        return reverse("accounts:user", kwargs={"pk": self.pk})

    @property
    def from_directory(self) -> bool:
        return bool(self.directory_dn)


class Role(ChangeLoggedModel):
    """A named set of permissions (requester, technician, chief, ...). Modules add their own."""

    slug = models.SlugField(_("slug"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    permissions = models.ManyToManyField(Permission, verbose_name=_("permissions"), blank=True)
    is_builtin = models.BooleanField(_("built in"), default=False, editable=False)
    requires_two_factor = models.BooleanField(
        _("requires two-factor authentication"), default=False
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("role")
        verbose_name_plural = _("roles")

    def __str__(self) -> str:
        # Built-in roles are stored in English and shown in the reader's language.
        return gettext(self.name) if self.is_builtin else self.name

    @property
    def display_description(self) -> str:
        return (
            gettext(self.description) if self.is_builtin and self.description else self.description
        )

    def get_absolute_url(self) -> str:
        return reverse("accounts:role", kwargs={"pk": self.pk})


class RoleAssignment(ChangeLoggedModel):
    """A user holds a role over a unit, and optionally over the unit's whole subtree."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.ForeignKey(
        Role, verbose_name=_("role"), on_delete=models.CASCADE, related_name="assignments"
    )
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("unit"),
        on_delete=models.CASCADE,
        related_name="role_assignments",
    )
    include_subtree = models.BooleanField(_("includes sub-units"), default=True)

    scope_path = "unit"

    class Meta:
        ordering = ["user", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "unit"], name="unique_role_assignment")
        ]
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")

    def __str__(self) -> str:
        return f"{self.user} — {self.role} @ {self.unit}"

    def get_absolute_url(self) -> str:
        return reverse("accounts:user", kwargs={"pk": self.user_id})


class ApiToken(models.Model):
    """A user's API token, stored as the SHA-256 of a random 256-bit key: a leaked database
    does not hand out working tokens. The key is shown once, when it is made."""

    user = models.OneToOneField(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_token"
    )
    prefix = models.CharField(_("prefix"), max_length=8)
    key_hash = models.CharField(max_length=64, unique=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.prefix}…"
