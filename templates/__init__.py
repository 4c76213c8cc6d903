"""The default Word templates shipped with perfreport (data only)."""
