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


@register.inclusion_tag("portal/_status_chart.html")
def status_chart(counts):
    from openmandato.portal.charts import status_bars

    return {"chart": status_bars(counts)}


@register.inclusion_tag("portal/_progress_chart.html")
def progress_chart(sections, chart_id="sections-chart"):
    from django.utils.translation import gettext as _

    from openmandato.portal.charts import progress_bars

    rows = [(("— " if getattr(s, "depth", 0) else "") + s.title, s.progress) for s in sections]
    return {"chart": progress_bars(rows), "chart_id": chart_id, "chart_title": _("Avanzamento per sezione")}


@register.inclusion_tag("portal/_indicator_chart.html")
def indicator_chart(item):
    from openmandato.portal.charts import indicator_line

    return {"item": item, "chart": indicator_line(item["indicator"], item["measurements"])}


@register.filter
def css_string(value):
    """Text safe inside a quoted CSS string: every character but letters, digits, spaces and . , - ' becomes a
    six-digit CSS escape, so quotes, backslashes, newlines, form feeds and `<` cannot end the string."""
    from django.utils.safestring import mark_safe

    text = "".join(c if c.isalnum() or c in " '.,-" else f"\\{ord(c):06x}" for c in str(value))
    return mark_safe(text)  # noqa: S308 - escaped for CSS above; HTML escaping would print entities
