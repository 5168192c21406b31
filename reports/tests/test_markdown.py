"""Markdown written in the app is shown on pages and printed: it must render and be harmless."""

from django.template import Context, Template

from reports.markdown import markdown_to_html


def test_it_renders_headings_lists_and_tables() -> None:
    html = markdown_to_html("## 1. Objetivo\n\n- uno\n- dos\n\n| Etapa | Producto |\n|:--|--:|\n| Mejora | Plan |\n")
    assert "<h2>1. Objetivo</h2>" in html
    assert "<li>uno</li>" in html
    assert "<th>Etapa</th>" in html and "<td>Plan</td>" in html
    assert "style=" not in html  # column alignment would need inline styles, which the CSP forbids


def test_it_removes_scripts_handlers_and_dangerous_urls() -> None:
    html = markdown_to_html(
        "<script>alert(1)</script>\n\n<img src=x onerror=alert(2)> [a](javascript:alert(3)) [b](data:text/html,hi) "
        "<iframe src='https://example.org'></iframe> <a href='https://www.gob.pe/juntos' onclick='x()'>JUNTOS</a>"
    )
    for bad in ("<script", "onerror", "javascript:", "data:text", "<iframe", "onclick"):
        assert bad not in html
    assert 'href="https://www.gob.pe/juntos"' in html


def test_it_keeps_inline_images_but_never_file_or_remote_ones() -> None:
    html = markdown_to_html(
        "![a](data:image/png;base64,iVBORw0KGgo=) ![b](file:///etc/passwd) ![c](http://10.0.0.1/x.png)"
    )
    assert 'src="data:image/png;base64,iVBORw0KGgo="' in html
    assert "/etc/passwd" not in html
    assert "10.0.0.1" not in html


def test_the_template_filter_renders_markdown() -> None:
    out = Template("{% load reports %}{{ text|markdown }}").render(Context({"text": "**vigente** <b onclick=x>"}))
    assert "<strong>vigente</strong>" in out
    assert "onclick" not in out
