"""The error every command-line mistake raises, shared by all subcommands."""


class UsageError(ValueError):
    """Bad command-line input: the message names the option, the value and what is allowed."""
