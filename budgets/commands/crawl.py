"""`budgets crawl`: not built yet."""
from budgets.cli import CommandError


def run(args):
    raise CommandError("'crawl' is not built yet")
