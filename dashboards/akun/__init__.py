"""Accounts, roles and login for uploading through the dashboard (docs/operations.md).

A small module on argon2-cffi rather than streamlit-authenticator or st.login: the accounts must
work on one server with no identity provider (`make run` is self-contained), be managed from
the command line (`python -m dashboards.akun`), lock out after 5 wrong passwords and end an open
session when the account is deactivated, at the next page run. docs/decisions.md gives the reasons and
docs/operations.md the path to OIDC (Keycloak) for a province that has one.

The store itself lives in the top-level `pengguna` package (both halves read it: the notification
jobs need recipients); these are the Streamlit side and the command line. This room imports
nothing from `pipelines/` (the README (rooms)): an upload reaches the pipeline only as a file in
the inbox with a sidecar naming its uploader and scope.
"""
