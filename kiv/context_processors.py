from mitglieder import rollen


def rolle(request):
    user = getattr(request, "user", None)
    if user is None:
        return {}
    return {
        "ist_geschaeftsstelle": rollen.ist_geschaeftsstelle(user),
        "ist_finanzen": rollen.ist_finanzen(user),
        "ist_kommune": rollen.ist_kommune(user),
    }
