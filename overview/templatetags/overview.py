from django import template

from common import roles
from meetings.charts import bar_chart_svg
from overview.dashboard import dashboard

register = template.Library()


@register.simple_tag(takes_context=True)
def front_page(context):
    user = context["request"].user
    if not roles.has_role(user):
        return {"has_role": False, "no_role": roles.NO_ROLE}
    data = dashboard(user)
    data["has_role"] = True
    data["chart"] = bar_chart_svg(data["bars"], title="Forpligtelser pr. status")
    return data
