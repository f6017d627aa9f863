from biys.core.navigation import menu_for


def navigation(request):
    return {"nav_menu": menu_for(request)}
