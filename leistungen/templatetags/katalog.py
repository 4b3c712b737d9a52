"""Template filters of the catalog: safe Markdown and German amounts."""

from decimal import Decimal

import markdown as markdown_lib
import nh3
from django import template
from django.utils.safestring import mark_safe

register = template.Library()

ERLAUBTE_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "ul",
    "ol",
    "li",
    "a",
    "h3",
    "h4",
    "blockquote",
    "code",
    "pre",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}


@register.filter
def markdown(text: str) -> str:
    """Markdown to HTML, then cleaned by nh3: no scripts, no event handlers, no styles;
    headings start at h3 because the page already has h1 and h2."""
    html = markdown_lib.markdown(text or "", extensions=["tables", "sane_lists"])
    html = html.replace("<h1>", "<h3>").replace("</h1>", "</h3>")
    html = html.replace("<h2>", "<h3>").replace("</h2>", "</h3>")
    return mark_safe(
        nh3.clean(
            html,
            tags=ERLAUBTE_TAGS,
            attributes={"a": {"href", "title"}},
            url_schemes={"https", "http", "mailto"},
            link_rel="noopener noreferrer",
        )
    )


def euro_text(betrag: Decimal | int | None) -> str:
    """Decimal(1234.5) → '1.234,50 €'; up to four decimals where a price has them
    (e.g. 0,0450 € je Einwohner)."""
    if betrag is None:
        return "–"
    betrag = Decimal(betrag)
    stellen = 2 if betrag == betrag.quantize(Decimal("0.01")) else 4
    text = f"{betrag:,.{stellen}f}"
    return text.replace(",", "X").replace(".", ",").replace("X", ".") + " €"


@register.filter
def euro(betrag) -> str:
    return euro_text(betrag)


@register.filter
def kurz(zahl) -> str:
    """Decimal('99.50') → '99,5' (German decimal comma, no trailing zeros)."""
    if zahl is None:
        return ""
    text = format(Decimal(zahl).normalize(), "f")
    return text.replace(".", ",")
