"""Extension points for pages that several areas contribute to (e.g. the case page).

An area registers a function ``panel(case) -> Markup | None`` (its views module is imported by the area's
``register(app)``); the case page shows every non-empty one, so the area that shows the case imports no
other area's views (DESIGN.md: areas never depend on each other's views).
"""
CASE_PANELS: list = []


def case_panel(func):
    CASE_PANELS.append(func)
    return func


def case_panels(case) -> list:
    return [html for html in (panel(case) for panel in CASE_PANELS) if html]
