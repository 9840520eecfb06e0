"""Mail: the outbox, message rendering, transports and the sender."""
