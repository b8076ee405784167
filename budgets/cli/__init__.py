"""The command line, the top layer: `budgets` (budgets/cli/commandline.py, on click) and one module
per sub-command with its `run(args)`. It imports the crawler and the core; neither imports it."""
from budgets.cli.commandline import CommandError, build_parser, cli, main, require_database, version

__all__ = ["CommandError", "build_parser", "cli", "main", "require_database", "version"]
