"""Batch checking of returned workbooks: one isolated task per file, results streamed to disk."""
