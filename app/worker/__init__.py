"""The worker: delivers the outbox as commits wake it, beats, and runs the scheduled jobs."""
