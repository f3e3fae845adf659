"""The Excel add-in's Python side: the functions its ribbon buttons call through RunPython."""
