"""What the operating system said went wrong, in the reader's language.

Python's OSError carries the C library's English ("No space left on device"), so a
message of mlpath's that embeds `exc.strerror` is English in the middle of Chinese. The
errnos people meet are said in mlpath's own words instead, translated like any other
message; the English words are glibc's, so an English run reads as it did. An errno
not listed keeps the system's own text: better than nothing. The same for what a name
lookup (getaddrinfo) says, which `mlpath doctor --links` reports.

Imported where an OSError is being reported, never on the way of a run that works.
"""

from __future__ import annotations

import errno

from mlpath.i18n import N_, _

# errno name -> what it means, marked for translation. A name this system's errno
# module lacks is skipped (Windows has no ETXTBSY, for one).
WORDS = {
    "ENOENT": N_("No such file or directory"),
    "EACCES": N_("Permission denied"),
    "EPERM": N_("Operation not permitted"),
    "ENOSPC": N_("No space left on device"),
    "EDQUOT": N_("Disk quota exceeded"),
    "EFBIG": N_("File too large"),
    "EROFS": N_("Read-only file system"),
    "EISDIR": N_("Is a directory"),
    "ENOTDIR": N_("Not a directory"),
    "EEXIST": N_("File exists"),
    "ENOTEMPTY": N_("Directory not empty"),
    "EIO": N_("Input/output error"),
    "ENAMETOOLONG": N_("File name too long"),
    "ELOOP": N_("Too many levels of symbolic links"),
    "EMLINK": N_("Too many links"),
    "EXDEV": N_("Invalid cross-device link"),
    "EBUSY": N_("Device or resource busy"),
    "ETXTBSY": N_("Text file busy"),
    "EMFILE": N_("Too many open files"),
    "ENFILE": N_("Too many open files in system"),
    "ENOMEM": N_("Cannot allocate memory"),
    "EAGAIN": N_("Resource temporarily unavailable"),
    "EINTR": N_("Interrupted system call"),
    "EINVAL": N_("Invalid argument"),
    "EPIPE": N_("Broken pipe"),
    "ENXIO": N_("No such device or address"),
    "ENODEV": N_("No such device"),
    "ESTALE": N_("Stale file handle"),
    "ECONNREFUSED": N_("Connection refused"),
    "ECONNRESET": N_("Connection reset by peer"),
    "ETIMEDOUT": N_("Connection timed out"),
    "ENETDOWN": N_("Network is down"),
    "ENETUNREACH": N_("Network is unreachable"),
    "EHOSTUNREACH": N_("No route to host"),
    "EADDRNOTAVAIL": N_("Cannot assign requested address"),
}
BY_NUMBER = {
    getattr(errno, name): message for name, message in WORDS.items() if hasattr(errno, name)
}


def os_reason(exc: BaseException) -> str:
    """What went wrong in `exc`, as a phrase to put in a message: mlpath's words for a
    common errno, else the system's text (else the exception's own)."""
    if isinstance(exc, OSError):
        return errno_reason(exc.errno, exc.strerror or str(exc))
    return str(exc)


def errno_reason(number: int | None, text: str) -> str:
    """The words for errno `number`, in the active language; `text` for another."""
    message = BY_NUMBER.get(number) if number is not None else None
    return _(message) if message is not None else text


# getaddrinfo's EAI codes (not errnos: on some systems they share numbers with errnos),
# by name -> glibc's words, marked for translation.
LOOKUP_WORDS = {
    "EAI_AGAIN": N_("Temporary failure in name resolution"),
    "EAI_FAIL": N_("Non-recoverable failure in name resolution"),
    "EAI_NONAME": N_("Name or service not known"),
    "EAI_NODATA": N_("No address associated with hostname"),
    "EAI_MEMORY": N_("Memory allocation failure"),
    "EAI_SYSTEM": N_("System error"),
}


def lookup_reason(number: int | None, text: str) -> str:
    """The words for getaddrinfo's error `number` (socket.EAI_*); `text` for another."""
    import socket

    for name, message in LOOKUP_WORDS.items():
        if number is not None and getattr(socket, name, None) == number:
            return _(message)
    return text
