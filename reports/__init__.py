"""Renderers: each module has `render(report) -> str` and nothing else to say about results."""
