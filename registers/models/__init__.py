from .imports import FINISHED, ImportMapping, ImportRun, ImportStatus  # noqa: F401
