from recueil_mkdocs.search import *  # noqa: F403 (the code of these MkDocs hooks: recueil_mkdocs/search.py, installed with recueil)
