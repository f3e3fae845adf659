"""Renderers: JSON, console tables and summary workbooks. They format results, never compute them."""
