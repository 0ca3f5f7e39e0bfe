"""Command line: synthdesk inspect and synthdesk run."""
