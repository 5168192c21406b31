"""Standards catalogue: clauses, Annex A controls and cross-walks."""
