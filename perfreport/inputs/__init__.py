"""The inputs of a quarter: the catalogue, the returns, the dataset of a period, the report file."""
