"""`budgets sites`: not built yet."""
from budgets.cli import CommandError


def run(args):
    raise CommandError("'sites' is not built yet")
