from .imports import FINISHED, ImportMapping, ImportRun, ImportStatus  # noqa: F401
from .oparl import OparlRecord, OparlSource  # noqa: F401
