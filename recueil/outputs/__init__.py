"""What the build publishes besides the pages: open data, the Atom feed, contribution files, the PDF."""
