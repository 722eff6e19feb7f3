"""Shared web plumbing: dependencies, problem details, templates, CSRF, static files."""
