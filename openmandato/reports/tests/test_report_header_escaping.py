"""The report's running header is CSS text: it keeps apostrophes and cannot close the style."""

from openmandato.portal.templatetags.portal import css_string


def test_report_header_text_keeps_apostrophes_and_cannot_close_the_style():
    assert css_string("Sant'Angelo") == "Sant'Angelo"
    assert "</style" not in css_string('x"</style><script>')
