"""Per-document curation: which phrases of an issued plan are quantitative targets."""
