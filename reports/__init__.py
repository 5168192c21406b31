"""Shared report rendering: one print template and one renderer turn a context each area builds
into a PDF (seed format: header with code, version and "Página X de Y"; uncontrolled-copy legend;
verification code and QR)."""
