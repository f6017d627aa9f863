"""Every route of the URLconf is in the permission matrix: reached by the generic matrix (model
pages, API list and detail), declared with its permission and methods in custom_routes.py, or in
the short public list of routes.py. A new endpoint fails here until it joins one of them."""

from django.test import Client

from tests.permissions.custom_routes import CUSTOM_ROUTES, PENDING, TESTED_ELSEWHERE
from tests.permissions.routes import PUBLIC, all_routes, automatic_routes


def test_every_route_is_in_the_matrix():
    routes = all_routes()
    known = automatic_routes().keys() | CUSTOM_ROUTES.keys() | TESTED_ELSEWHERE.keys()
    missing = sorted(routes.keys() - known - PUBLIC - PENDING)
    assert not missing, (
        "Routes missing from the permission matrix (declare them in "
        "tests/permissions/custom_routes.py):\n"
        + "\n".join(f"{name}  ({routes[name].pattern})" for name in missing)
    )


def test_the_lists_name_only_existing_routes():
    routes = all_routes().keys()
    for listed in (CUSTOM_ROUTES.keys(), TESTED_ELSEWHERE.keys(), PUBLIC, PENDING):
        assert not set(listed) - routes, sorted(set(listed) - routes)
    assert not CUSTOM_ROUTES.keys() & PENDING
    assert not automatic_routes().keys() & CUSTOM_ROUTES.keys()


def test_declared_methods_are_the_ones_the_route_accepts():
    routes = all_routes()
    wrong = []
    for name, custom in CUSTOM_ROUTES.items():
        route = routes[name]
        if route.actions:
            accepted = {method.upper() for method in route.actions if method != "head"}
        elif route.view_class is not None:
            accepted = {
                method.upper()
                for method in route.view_class.http_method_names
                if method not in ("options", "head") and hasattr(route.view_class, method)
            }
        else:
            continue  # a function view: its methods are tried by the custom matrix
        if accepted != set(custom.methods):
            wrong.append(f"{name}: accepts {sorted(accepted)}")
    assert not wrong, "\n".join(wrong)


def test_the_admin_site_is_for_staff_only(db, make_user, org_tree):
    client = Client()
    client.force_login(make_user("administrator", org_tree["dept"]))
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
