"""Table models (QAbstractTableModel): recipients and the send log."""
