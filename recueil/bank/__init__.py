"""The bank: every card loaded, checked and tied together; its facets."""
