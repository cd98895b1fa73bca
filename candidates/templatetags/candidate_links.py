"""The candidate's own page in an email's template: `{% candidate_page_url %}` prints its path
in the language the email is rendered in; `{% candidate_page_url as page %}` keeps it."""

from django import template

from candidates import links

register = template.Library()


@register.simple_tag
def candidate_page_url() -> str:
    return links.candidate_page_url()
