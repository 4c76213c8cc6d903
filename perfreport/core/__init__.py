"""Values every stage shares: periods, the model, findings and their codes, the project settings, display formatting."""
