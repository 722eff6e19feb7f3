"""Skills taxonomies (ESCO, O*NET, Tessera's own), occupations and their required skills."""
