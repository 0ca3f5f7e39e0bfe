"""SynthDesk's own files (sample table, icons), installed as the package ``synthdesk.resources``.

Found with :func:`synthdesk.core.resources.resource_path`; nothing else builds their paths.
"""
