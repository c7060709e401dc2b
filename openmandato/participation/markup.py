"""The Markdown subset citizens may use: paragraphs, emphasis, lists, quotes, code and links (no
headings, images or raw HTML), rendered and then sanitised with nh3."""

import markdown
import nh3

TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "a", "blockquote", "code"}


def render_comment(text: str) -> str:
    html = markdown.markdown(text or "", extensions=["sane_lists"], output_format="html")
    return nh3.clean(
        html,
        tags=TAGS,
        attributes={"a": {"href"}},
        url_schemes={"http", "https"},
        link_rel="noopener noreferrer nofollow ugc",
    )
