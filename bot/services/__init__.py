"""Use cases: plain async functions over a session; the caller decides when to commit."""
