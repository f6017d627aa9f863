import pytest

from biys.accounts.tests.slapd import SLAPADD, SLAPD, Slapd, person_entry

DIRECTORY_USERS = [
    person_entry(
        "ayilmaz", "Ayşe", "Yılmaz", "ayse.yilmaz@belediye.local", "Dizin-Parola-1", "1001"
    ),
    person_entry(
        "mdemir", "Mehmet", "Demir", "mehmet.demir@belediye.local", "Dizin-Parola-2", "2002"
    ),
]
TECHNICIAN_GROUP = "cn=bt-teknisyen,ou=groups,dc=belediye,dc=local"


@pytest.fixture(scope="session")
def slapd_server():
    if not SLAPD.exists() or not SLAPADD.exists():
        pytest.skip("Debian's slapd is not installed (/usr/sbin/slapd): apt-get install slapd")
    group = (
        TECHNICIAN_GROUP,
        {
            "objectClass": "groupOfNames",
            "cn": "bt-teknisyen",
            "member": ["uid=ayilmaz,ou=people,dc=belediye,dc=local"],
        },
    )
    server = Slapd([*DIRECTORY_USERS, group]).start()
    yield server
    server.stop()


@pytest.fixture
def ldap_settings(settings, slapd_server, org_tree):
    from biys.accounts.tests.slapd import ROOT_DN, ROOT_PASSWORD, SUFFIX

    settings.AUTHENTICATION_BACKENDS = [
        "axes.backends.AxesStandaloneBackend",
        "biys.accounts.ldap.BiysLDAPBackend",
        "biys.accounts.backends.ModelBackend",
    ]
    settings.BIYS_LDAP = {
        "SERVER_URI": slapd_server.uri,
        "BIND_DN": ROOT_DN,
        "BIND_PASSWORD": ROOT_PASSWORD,
        "START_TLS": False,
        "USER_SEARCH_BASE": f"ou=people,{SUFFIX}",
        "USER_FILTER": "(uid=%(user)s)",
        "ATTR_FIRST_NAME": "givenName",
        "ATTR_LAST_NAME": "sn",
        "ATTR_EMAIL": "mail",
        "ATTR_SICIL": "employeeNumber",
        "GROUP_SEARCH_BASE": f"ou=groups,{SUFFIX}",
        "GROUP_TYPE": "groupOfNames",
        "ROLE_MAP": f"{TECHNICIAN_GROUP}=technician@{org_tree['helpdesk'].name}",
    }
    return settings.BIYS_LDAP
