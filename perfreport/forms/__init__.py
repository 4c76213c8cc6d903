"""What perfreport writes for people to fill in: return forms and a new project."""
