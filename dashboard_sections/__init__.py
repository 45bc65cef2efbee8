"""The dashboard's sections, one module each; ``dashboard.py`` puts them on the page.

Streamlit lives here and in ``dashboard.py`` only: the core (``tracker/``) never
imports it.
"""
