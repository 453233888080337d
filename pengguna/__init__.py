"""Accounts: the store, password hashing, roles, login, e-mail addresses and subscriptions.

A room of its own, so that both halves may import it: the dashboard logs people in and the
pipeline's notification jobs read who gets a reminder or a briefing. It imports nothing of ours.
The command line stays `python -m dashboards.akun` (operators and scripts rely on it).
"""
