"""Upload limits enforced while the request body is read, before any file is stored.

Django writes uploaded files to memory or a temporary file while it parses the body, and DATA_UPLOAD_MAX_MEMORY_SIZE
does not count file data: without this handler a 2 GB upload would be written to disk before any view could refuse
it. `LimitedUploadHandler` comes first in FILE_UPLOAD_HANDLERS:
- a request whose Content-Length is above UPLOAD_MAX_REQUEST_BYTES is stopped before its first file is read (the
  rest of the body is not read either);
- a file growing beyond UPLOAD_MAX_FILE_BYTES is skipped at the chunk that crosses the limit: the handlers after it
  (memory, temporary file) never receive more than the limit, and what they had is closed and removed.
Either way `request.upload_refused` lists the refused file names, and the view shows a form error (4xx).
"""

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile, StopUpload


def max_file_bytes() -> int:
    return getattr(settings, "UPLOAD_MAX_FILE_BYTES", None) or settings.IMPORT_MAX_BYTES


def max_request_bytes() -> int:
    return getattr(settings, "UPLOAD_MAX_REQUEST_BYTES", None) or 5 * max_file_bytes()


class LimitedUploadHandler(FileUploadHandler):
    def __init__(self, request=None):
        super().__init__(request)
        self.too_large = False

    def _refuse(self, name: str) -> None:
        if self.request is not None:
            refused = getattr(self.request, "upload_refused", [])
            refused.append(name)
            self.request.upload_refused = refused

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.too_large = content_length is not None and content_length > max_request_bytes()
        return None  # the multipart parser goes on; new_file stops it at the first file

    def new_file(self, field_name, file_name, *args, **kwargs):
        super().new_file(field_name, file_name, *args, **kwargs)
        if self.too_large:
            self._refuse(file_name)
            raise StopUpload(connection_reset=True)

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > max_file_bytes():
            self._refuse(self.file_name)
            raise SkipFile
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handler (memory or temporary file) makes the file
