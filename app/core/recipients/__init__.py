"""Recipients: read a workbook or CSV, find the columns, validate every row.

Public API (others code against these names):
`read_table`, `list_sheets`, `detect_mapping`, `validate_recipients`, `RecipientList`,
`validate_address`, `parse_mailbox`, `AddressError`.
"""

from __future__ import annotations

from app.core.recipients.addresses import AddressError, parse_mailbox, validate_address
from app.core.recipients.reader import list_sheets, read_table
from app.core.recipients.roles import detect_mapping
from app.core.recipients.validate import RecipientList, validate_recipients

__all__ = [
    "AddressError",
    "RecipientList",
    "detect_mapping",
    "list_sheets",
    "parse_mailbox",
    "read_table",
    "validate_address",
    "validate_recipients",
]
