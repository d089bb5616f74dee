"""Background jobs of the landscape registry (registered with core.jobs)."""
