"""The committee paper: its typed model, the Word rendering, the PDF."""
