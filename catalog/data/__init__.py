"""Plain-data catalogue of management-system standards (no Django imports)."""
