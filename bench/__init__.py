"""Measurements of BİYS on a database of realistic size: ``python -m bench SCENARIO``."""
