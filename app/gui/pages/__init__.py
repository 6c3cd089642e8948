"""One file per step: recipients, compose, preview, send, report."""
