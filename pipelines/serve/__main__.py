"""`python -m pipelines.serve`: see pipelines/serve/__init__.py."""

from pipelines.serve import main

raise SystemExit(main())
