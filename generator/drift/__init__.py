"""Drift guard: ``check`` (generated code vs. spec and generator) and ``diff`` (API versions)."""
