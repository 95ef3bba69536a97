"""Template packs: versioned, reproducible zips of generated documents with manifest and changelog."""
