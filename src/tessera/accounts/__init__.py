"""Users, organisations (providers and employers), memberships with roles, API tokens."""
