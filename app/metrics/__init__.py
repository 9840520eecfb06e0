"""The Prometheus endpoint: figures read from the database at each scrape, behind a token."""
