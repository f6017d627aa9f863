from biys.core.navigation import menu_for


def navigation(request):
    """The side menu, built once per request: every template rendered with the request runs
    the context processors again (django-tables2 renders each table that way)."""
    menu = getattr(request, "_biys_nav_menu", None)
    if menu is None:
        menu = request._biys_nav_menu = menu_for(request)
    return {"nav_menu": menu}
