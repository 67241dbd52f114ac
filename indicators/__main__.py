"""`python -m indicators <command>`: see indicators/cli/__init__.py."""
from indicators.cli import main

raise SystemExit(main())
