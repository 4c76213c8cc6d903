"""Publishing: the export, atomic writing of the outputs, the run lock."""
