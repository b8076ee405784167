"""`budgets demo`: not built yet."""
from budgets.cli import CommandError


def run(args):
    raise CommandError("'demo' is not built yet")
