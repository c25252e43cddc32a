"""PDF rendering for every area's documents: WeasyPrint, with the CJK fonts embedded."""
from flask import current_app


def render_pdf_html(html: str) -> bytes:
    """The PDF of a rendered HTML page; relative URLs resolve against the application's folder."""
    from weasyprint import HTML
    return HTML(string=html, base_url=current_app.root_path).write_pdf()
