"""``python -m perfreport``: the same as the perfreport command."""

from perfreport.cli import main

if __name__ == "__main__":
    main()
