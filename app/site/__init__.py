"""Site-wide pages: privacy notice and health check."""
