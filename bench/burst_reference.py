"""The deadline burst's reference servers: what the same gunicorn, on the same machine, with the same load generator,
reaches when a request does nothing but the work on the bytes.

- `application` receives the body in 1 MB pieces, hashes it (SHA-256), encrypts it (AES-256-GCM with a fresh key
  and nonce), writes the ciphertext once to a new file and fsyncs it: the byte work of a bid upload
  (bids.attachments), without Django, the database, sessions, the multipart parser or the submit.
- `plain` only receives the body and writes it (with the fsync): what gunicorn and the loopback socket allow at all.

bench_deadline_burst runs both against the folder BENCH_REFERENCE_DIR and reports the bids' throughput as a share of
them: the part of the gap to the raw disk speed that is the machine's (HTTP in Python, a load generator on the same
two cores) and the part that is the application's.
"""

import hashlib
import os

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

PIECE = 1 << 20


def _receive(environ, start_response, transform=None):
    length = int(environ.get("CONTENT_LENGTH") or 0)
    body = environ["wsgi.input"]
    folder = os.environ["BENCH_REFERENCE_DIR"]
    fd = os.open(os.path.join(folder, os.urandom(12).hex()), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    digest = hashlib.sha256()
    encryptor = None
    if transform:
        encryptor = Cipher(algorithms.AES(os.urandom(32)), modes.GCM(os.urandom(12))).encryptor()
    try:
        left = length
        while left > 0:
            piece = body.read(min(left, PIECE))
            if not piece:
                break
            left -= len(piece)
            if encryptor is not None:
                digest.update(piece)
                piece = encryptor.update(piece)
            os.write(fd, piece)
        if encryptor is not None:
            os.write(fd, encryptor.finalize() + encryptor.tag)
        os.fsync(fd)
    finally:
        os.close(fd)
    status = "200 OK" if left == 0 else "400 Bad Request"
    start_response(status, [("Content-Type", "text/plain")])
    return [digest.hexdigest().encode()]


def application(environ, start_response):
    return _receive(environ, start_response, transform=True)


def plain(environ, start_response):
    return _receive(environ, start_response)
