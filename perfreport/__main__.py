"""``python -m perfreport``: the same as the perfreport command."""

from perfreport.cli import command

if __name__ == "__main__":
    command()
