from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters replaced (filters survive pagination)."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        query[key] = value
    return query.urlencode()


@register.filter
def percent(value):
    """A roll-up value (float or None) as a whole percentage for display."""
    return "—" if value is None else f"{round(value)}%"


@register.filter
def share(value):
    """A leaf's share of the mandate (0–1) as a percentage with two decimals."""
    return f"{value * 100:.2f}%" if value else "—"
