"""The account's mailbox read back over IMAP: the copy in Sent, bounces, unsubscribe replies."""
