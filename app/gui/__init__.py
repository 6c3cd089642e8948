"""The window: the only package that imports PySide6 and qasync."""

import os

# qasync picks the first Qt binding it can import; make sure that is PySide6.
os.environ.setdefault("QT_API", "pyside6")
