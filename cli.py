"""`python cli.py …` is the same as the `cgc` command."""

from cgc_rules.cli import run

if __name__ == "__main__":
    run()
