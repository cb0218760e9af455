from recueil_mkdocs.serve import *  # noqa: F403 (the code of these MkDocs hooks: recueil_mkdocs/serve.py, installed with recueil)
