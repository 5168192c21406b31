"""Tests for the catalog app."""
