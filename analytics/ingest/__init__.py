"""Loading real reports: read → locate columns → validate and pseudonymise → merge → atomic snapshot.

Each step is a pure function from a table to a table plus a list of problems (``read``, ``schema``,
``validate``, ``merge``); ``store`` and ``audit`` are the only ones that touch disk, ``pipeline`` ties
them together, ``publish`` uploads a snapshot to object storage, ``retention`` prunes old ones,
``templates`` writes the blank report templates.
"""
