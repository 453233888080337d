"""The dashboard (Streamlit + Plotly): reads only the published snapshot.

`streamlit run dashboards/app.py` puts dashboards/ first on sys.path, where dashboards/akun would
stand in for the top-level `akun` room ("No module named 'akun.store'"). The project's packages
are imported by their full names from the project root, so that entry goes. It goes here, once
per process under the import lock: done in app.py on every page run, twenty first runs at once
rebuilt sys.path over each other and lost entries (site-packages too: "No module named 'numpy'").
"""

import sys
from pathlib import Path

_HERE = Path(__file__).resolve().parent
for _entry in [p for p in sys.path if p and Path(p).resolve() == _HERE]:
    sys.path.remove(_entry)
