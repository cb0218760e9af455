"""Keeping the bank healthy and the serve loop fast: link check, curation, rebuild state."""
