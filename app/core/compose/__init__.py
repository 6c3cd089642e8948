"""Compose: a recipient and its rendered template parts -> the exact bytes of one message."""

from app.core.compose.attachments import AttachmentCache
from app.core.compose.builder import ComposeError, MessageBuilder

__all__ = ["AttachmentCache", "ComposeError", "MessageBuilder"]
