"""perfreport: quarterly council performance reports from service returns."""

__version__ = "0.1.0"
