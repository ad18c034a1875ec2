from django import template

from meetings.charts import bar_chart_svg
from overview.dashboard import dashboard

register = template.Library()


@register.simple_tag(takes_context=True)
def front_page(context):
    data = dashboard(context["request"].user)
    data["chart"] = bar_chart_svg(data["bars"], title="Forpligtelser pr. status")
    return data
