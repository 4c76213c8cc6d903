"""Reading and writing Excel workbooks: file sniffing, package checks, isolated reading, sheets."""
