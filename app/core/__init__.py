"""Qt-free core: everything that decides what is sent, to whom, when and how fast."""
