"""The library: one function per thing a user does, files in and documents out.

    from eduplan.services import Workspace, record, status
    ws = Workspace(plan_option="plan.toml", ledger_option="ledger.toml", by_option="wang")
    record(ws, "new-public-kindergartens", "13", as_of="2023-06-30", county="椒江区")
    report = status(ws, as_of="2023-06-30")          # a StatusReport: plain data
    from eduplan.render import render
    print(render(report, "json", "zh"))

Every function raises :class:`eduplan.errors.EduplanError` (with a message in both
languages) for anything the user can fix, and never prints.
"""

_WHERE = {
    "Workspace": "workspace", "bulletin": "reading", "bulletin_shown": "reading", "check": "quality", "log": "reading", "plan_doc": "reading", "repair": "reading", "index": "reading",
    "show": "reading", "status": "reading", "validate": "reading", "correct": "recording", "record": "recording",
    "void": "recording", "record_baseline": "recording", "coverage": "reading", "import_file": "importing",
    "template": "sheet_template", "save": "output", "split": "splitting",
}
__all__ = sorted(_WHERE)


def __getattr__(name: str):  # imported when first used: a command loads only what it needs
    if name in _WHERE:
        import importlib

        return getattr(importlib.import_module(f"{__name__}.{_WHERE[name]}"), name)
    raise AttributeError(name)
