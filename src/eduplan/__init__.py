"""eduplan: a command-line indicator ledger for government work plans.

Import the core without the CLI: ``eduplan.loader.load_plan``, ``eduplan.ledger.load_ledger``,
``eduplan.progress.status_report``, ``eduplan.service.record`` …
"""

__version__ = "0.1.0"
