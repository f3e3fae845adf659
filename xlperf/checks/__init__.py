"""Checks: each turns evaluated rows, tables or workbook parts into findings."""
