"""The dashboard (Streamlit + Plotly): reads only the published snapshot.

`streamlit run dashboards/app.py` puts dashboards/ first on sys.path on every page run. No
project package may share a name with a module here: the accounts room is `pengguna`, not
`akun`, because dashboards/akun (the login and the CLI) would stand in for it.
"""
