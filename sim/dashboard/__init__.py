"""The interactive Solara dashboard."""
