from django import template

register = template.Library()


@register.filter
def get_item(werte: dict, schluessel):
    wert = (werte or {}).get(str(schluessel))
    return ", ".join(wert) if isinstance(wert, list) else wert
