"""`budgets nightly`: not built yet."""
from budgets.cli import CommandError


def run(args):
    raise CommandError("'nightly' is not built yet")
