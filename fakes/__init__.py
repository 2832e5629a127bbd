"""Local stand-ins for outside services, used by the tests and by `make run`.

Each speaks its service's real wire protocol (JSON shapes, status codes, signatures) on 127.0.0.1,
keeps its state in memory, and imports nothing of the project: it is the other side of the wire.
"""
