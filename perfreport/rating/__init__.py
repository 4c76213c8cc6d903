"""Rating: the RAG rules, direction of travel, and earlier quarters' ratings."""
