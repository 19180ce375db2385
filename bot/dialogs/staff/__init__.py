"""The coordinators' side, in each care unit's staff supergroup (routers in routers.py)."""
