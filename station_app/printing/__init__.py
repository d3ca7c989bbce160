"""Printed documents: reportlab, font chain, complex-script shaping (issue 3)."""
