"""The site search: what Pagefind files each page under, and the indexer that feeds it."""
