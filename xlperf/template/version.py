"""The template layout version, stored in every template's hidden ``_xlperf`` sheet (no heavy imports)."""

TEMPLATE_VERSION = "2"
