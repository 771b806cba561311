"""Mail: messages written in the recipient's language, sent over SMTP or written to a folder."""
