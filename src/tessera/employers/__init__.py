"""Employers: role profiles, teams of consenting employees, and the team's skill gap."""
