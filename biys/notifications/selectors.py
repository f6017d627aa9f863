from biys.notifications.models import Notification

MENU_SIZE = 5


def notifications_for(user):
    return Notification.objects.filter(recipient=user).order_by("-created", "-id")


def menu_for(user) -> dict:
    """What the navbar shows: the unread count and the latest few notifications."""
    return {
        "unread_count": Notification.objects.filter(recipient=user).unread().count(),
        "latest": list(notifications_for(user)[:MENU_SIZE]),
    }
