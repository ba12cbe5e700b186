"""Keeping the data current: starter packages, the workbook both ways, edits, saving versions, what changed."""
