"""The page "Pflege" (views/maintain.py) by job: the gate and the offer of kept changes (gate),
one module per tab (event, partnership, themes, correct, unsaved, versions), what they share
(widgets), and the office's words for rows and changes (labels, words)."""
