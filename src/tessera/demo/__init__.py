"""Demo data: a realistic catalog, taxonomy and users for trying Tessera."""
