"""The scoring core: parsing, rules, totals and grades. Imports only the standard library."""
