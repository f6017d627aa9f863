"""Fixtures shared by every app's tests: a small department, and users holding each role."""

from types import SimpleNamespace

import pytest
from django.utils import translation

from biys.core.context import change_context


@pytest.fixture(autouse=True, scope="session")
def _static_files_found_per_request():
    # Every test client loads the middleware afresh, and WhiteNoise's start indexes every static
    # file (half the time of a permission-matrix test, which signs in dozens of clients). Tests
    # find a static file when it is asked for, as DEBUG does.
    from django.conf import settings

    settings.WHITENOISE_AUTOREFRESH = True


@pytest.fixture(autouse=True, scope="session")
def _row_locks_in_the_codes_own_transaction():
    # Each test runs inside a transaction of its own, which hides a service that locks rows
    # outside one: Django refuses SELECT ... FOR UPDATE only under autocommit, so in production
    # that is a 500. Here a lock must sit in an atomic block the code itself opened.
    from django.db.models.sql.compiler import SQLCompiler
    from django.db.transaction import TransactionManagementError

    as_sql = SQLCompiler.as_sql

    def checked_as_sql(self, *args, **kwargs):
        blocks = self.connection.atomic_blocks
        if self.query.select_for_update and all(
            getattr(block, "_from_testcase", False) for block in blocks
        ):
            raise TransactionManagementError(
                "select_for_update() outside a transaction the code opened."
            )
        return as_sql(self, *args, **kwargs)

    SQLCompiler.as_sql = checked_as_sql
    yield
    SQLCompiler.as_sql = as_sql


@pytest.fixture(autouse=True, scope="session")
def _precompiled_keys_checked():
    # A query kept compiled under a key its caller names (biys.core.precompiled) is compiled
    # anew at each run too, and refused when the key did not name everything it depends on.
    from biys.core import precompiled

    precompiled.CHECK = True
    yield
    precompiled.CHECK = False


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    # A test database is thrown away: PostgreSQL need not wait for the disk at each commit
    # (migrations, flushes between transactional tests, the live server's requests).
    from django.db import connections

    settings_dict = connections["default"].settings_dict
    if settings_dict["ENGINE"] == "django.db.backends.postgresql":
        settings_dict.setdefault("OPTIONS", {})["options"] = "-c synchronous_commit=off"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # PBKDF2's deliberate slowness costs about a second per test user on this hardware.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _private_audit_checkpoints(settings, tmp_path_factory):
    # A checkpoint written by one test must never be what another test's `audit verify` reads.
    settings.BIYS_AUDIT_CHECKPOINT_DIR = tmp_path_factory.mktemp("audit-checkpoints")


@pytest.fixture(autouse=True)
def _private_logs5651_dirs(settings, tmp_path_factory):
    # Stored access-log files (the demo writes some) never land in the installation's data/.
    settings.BIYS_LOGS5651_DIR = tmp_path_factory.mktemp("logs5651")
    settings.BIYS_LOGS5651_INCOMING = tmp_path_factory.mktemp("logs5651-incoming")


@pytest.fixture(autouse=True)
def _no_kept_count_estimates():
    from biys.core.pagination import forget_estimates

    forget_estimates()


@pytest.fixture(autouse=True)
def _installation_language():
    # A request activates its user's language for the thread (biys.core.locale_middleware) and
    # leaves it there, as Django's LocaleMiddleware does: a test that signed in as an English
    # user must not make the next test on the same worker speak English.
    yield
    translation.deactivate()


@pytest.fixture
def municipality(db):
    from biys.org.models import Municipality

    return Municipality.objects.create(
        name="Örnek Büyükşehir Belediyesi", kind="buyuksehir", detsis_no="12345678"
    )


@pytest.fixture
def org_tree(municipality):
    """Bilgi İşlem Dairesi Başkanlığı with two branches (one with a section) and a requester unit."""
    from biys.org.models import Unit

    dept = Unit.objects.create(
        name="Bilgi İşlem Dairesi Başkanlığı", kind="daire_baskanligi", is_it_department=True
    )
    network = Unit.objects.create(
        name="Sistem ve Ağ Şube Müdürlüğü",
        kind="sube_mudurlugu",
        parent=dept,
        is_it_department=True,
    )
    helpdesk = Unit.objects.create(
        name="Teknik Destek Şefliği", kind="seflik", parent=network, is_it_department=True
    )
    software = Unit.objects.create(
        name="Yazılım Şube Müdürlüğü", kind="sube_mudurlugu", parent=dept, is_it_department=True
    )
    roads = Unit.objects.create(name="Fen İşleri Dairesi Başkanlığı", kind="daire_baskanligi")
    return {
        "dept": dept,
        "network": network,
        "helpdesk": helpdesk,
        "software": software,
        "roads": roads,
    }


@pytest.fixture
def namesakes(org_tree):
    """The people a person picker must tell apart: two Ayşe Acar in different units (``network``: sicil no 1042 in the network branch; ``software``: 2077 in the software
    branch), and Zeynep Çelik (``celik``) and Can Cengiz (``cengiz``) in the department, without
    a sicil. ``labels`` maps each of the four to the label the pickers give it; ``order`` is
    their names in the pickers' order (by last name, Turkish alphabet: Acar, Cengiz, Çelik)
    while they are the only people."""
    from biys.org.models import Person

    def person(first, last, unit, sicil=None):
        return Person.objects.create(
            first_name=first, last_name=last, unit=unit, employment_type="memur", sicil_no=sicil
        )

    people = SimpleNamespace(
        network=person("Ayşe", "Acar", org_tree["network"], "1042"),
        software=person("Ayşe", "Acar", org_tree["software"], "2077"),
        celik=person("Zeynep", "Çelik", org_tree["dept"]),
        cengiz=person("Can", "Cengiz", org_tree["dept"]),
        order=["Ayşe Acar", "Ayşe Acar", "Can Cengiz", "Zeynep Çelik"],
    )
    people.labels = {
        "network": f"Ayşe Acar — {org_tree['network'].name} · sicil no 1042",
        "software": f"Ayşe Acar — {org_tree['software'].name} · sicil no 2077",
        "celik": f"Zeynep Çelik — {org_tree['dept'].name}",
        "cengiz": f"Can Cengiz — {org_tree['dept'].name}",
    }
    return people


@pytest.fixture
def make_user(db):
    """make_user("technician", unit) -> a user holding that role over the unit (and sub-units)."""
    from biys.accounts.models import Role, RoleAssignment, User
    from biys.org.models import Person

    counter = {"n": 0}

    def _make(role_slug=None, unit=None, *, include_subtree=True, superuser=False, **extra):
        counter["n"] += 1
        username = extra.pop("username", f"user{counter['n']}")
        person = None
        if unit is not None:
            person = Person.objects.create(
                first_name="Test",
                last_name=f"Kişi {counter['n']}",
                employment_type="memur",
                unit=unit,
            )
        user = User.objects.create_user(
            username=username,
            password="Parola-Guclu-123",
            person=person,
            is_superuser=superuser,
            is_staff=superuser,
            **extra,
        )
        if role_slug:
            RoleAssignment.objects.create(
                user=user,
                role=Role.objects.get(slug=role_slug),
                unit=unit,
                include_subtree=include_subtree,
            )
        return user

    return _make


@pytest.fixture
def admin_user(make_user, org_tree):
    return make_user("administrator", org_tree["dept"], username="yonetici")


@pytest.fixture
def system_context():
    with change_context(user_name="test") as context:
        yield context
