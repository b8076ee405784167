"""`budgets audit`: not built yet."""
from budgets.cli import CommandError


def run(args):
    raise CommandError("'audit' is not built yet")
