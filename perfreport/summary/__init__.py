"""The summary of a quarter: counts, movement, key issues, the chase list."""
