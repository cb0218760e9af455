"""Reading and checking one card: its model, front matter, body, vocabularies and French problems."""
