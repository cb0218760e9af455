from recueil_mkdocs.hooks import *  # noqa: F403 (the code of these MkDocs hooks: recueil_mkdocs/hooks.py, installed with recueil)
